# ruff: noqa: RUF001 (look-alike letters are the point)
"""The matching core, rule by rule, on plain data (no database): issue 19."""

from decimal import Decimal

import pytest

from screening import matching
from screening.matching import Focus, PastParty, Right, Rules, Snapshot, fold_mark
from screening.tests.factories import declaration

LABUBU = Right(
    number="T2024-00001",
    marks=["LABUBU", "拉布布"],
    hs_codes=["950300"],
    prices=[("950300", Decimal("59.00"), Decimal("599.00"))],
    authorised=["Beijing Pop Mart Cultural & Creative Co., Ltd.", "Dongguan Toy Works"],
    known_infringers=["Fake Toys Trading"],
)
NORDKAP = Right(number="T2022-00002", marks=["NORDKAP"], hs_codes=["640391"])


@pytest.fixture
def snapshot():
    return Snapshot(
        [LABUBU, NORDKAP],
        [PastParty("Ningbo Copycat Export Co., Ltd.", ["T2024-00001"], case="NB-2024-0001")],
        [Focus("DRAGON-2024", "DRAGON-2024", frozenset({"market_procurement"}))],
    )


def screen(snapshot, *lines, **fields):
    return snapshot.screen(declaration(*lines, **fields), Rules.defaults())


def rules_of(result):
    return [(h.line, h.rule) for h in result.hits]


@pytest.mark.parametrize(
    "text",
    [
        "LABUBU",
        "labubu",
        "L A B U B U",
        "La-Bu-Bu",
        "ＬＡＢＵＢＵ",
        "LABUBU",
        "lаbubu",
        "LA8UBU"[:0] + "LABUBU",
    ],
)
def test_mark_variants_case_spacing_fullwidth_mixed_scripts(snapshot, text):
    result = screen(snapshot, {"description": f"Keychains with {text} figure"})
    assert (0, matching.MARK) in rules_of(result)
    assert result.hits[0].right == 0


@pytest.mark.parametrize("text", ["LABUBU", "1ABUBU", "IABUBU", "|ABUBU"])
def test_mark_lookalike_letters_l_i_1(snapshot, text):
    assert (0, matching.MARK) in rules_of(screen(snapshot, {"brand": text}))


def test_mark_lookalike_zero_for_o(snapshot):
    assert (0, matching.MARK) in rules_of(screen(snapshot, {"brand": "N0RDKAP"}))


def test_mark_in_chinese_form(snapshot):
    result = screen(snapshot, {"description": "拉布布钥匙扣"})
    assert (0, matching.MARK) in rules_of(result)


def test_mark_must_stand_as_a_word(snapshot):
    # "nordkapital" carries the letters of NORDKAP but not the mark.
    assert screen(snapshot, {"description": "Nordkapital brochures"}).hits == []


@pytest.mark.parametrize("text", ["LABUBBU", "LABUB", "LAUBBU", "LABUBUS", "LA BUBUU"])
def test_mark_fuzzy_misspellings(snapshot, text):
    result = screen(snapshot, {"description": f"{text} plush"})
    assert result.hits[0].rule == matching.MARK_FUZZY


def test_mark_alone_scores_high_with_reasoned_hits(snapshot):
    result = screen(
        snapshot, {"description": "LABUBU stickers", "hs_code": "491199"}, channel="general_trade"
    )
    assert (result.risk, result.level, result.authorised) == (60, "high", False)
    assert result.hits[0].params == {"mark": "LABUBU", "found": "labubu"}


def test_hs_code_adds_to_a_suggested_right(snapshot):
    result = screen(
        snapshot, {"description": "LABUBU plush", "hs_code": "950300", "value": "10000.00"}
    )
    assert rules_of(result) == [
        (0, matching.MARK),
        (0, matching.HS_CODE),
        (0, matching.CAMPAIGN_FOCUS),
    ]
    assert result.risk == 75


def test_hs_code_alone_suggests_nothing(snapshot):
    result = screen(snapshot, {"description": "Plush dolls", "hs_code": "950300", "value": "50"})
    assert (result.risk, result.level, result.hits) == (0, "none", [])


def test_low_price_below_half_the_genuine_minimum(snapshot):
    # 100 items for CNY 2,900: CNY 29.00 each, below half of CNY 59.00.
    result = screen(snapshot, {"description": "LABUBU", "hs_code": "950300", "value": "2900.00"})
    low = [h for h in result.hits if h.rule == matching.LOW_PRICE]
    assert low[0].params == {"price": Decimal("29.00"), "floor": Decimal("59.00")}
    assert result.risk == 95


def test_price_at_half_the_minimum_is_not_low(snapshot):
    result = screen(snapshot, {"description": "LABUBU", "hs_code": "950300", "value": "2950.00"})
    assert matching.LOW_PRICE not in [h.rule for h in result.hits]


def test_known_infringer_fuzzy_name(snapshot):
    result = screen(
        snapshot,
        {"description": "Plush dolls", "hs_code": "950300", "value": "10000"},
        consignor={"name": "FAKE TOYS TRADING CO., LIMITED", "country": "CN"},
        channel="general_trade",
    )
    assert rules_of(result) == [(0, matching.KNOWN_INFRINGER), (0, matching.HS_CODE)]
    assert (result.risk, result.level) == (55, "medium")


def test_party_of_a_past_infringing_case(snapshot):
    result = screen(
        snapshot,
        consignee={"name": "Ningbo Copycat Export Company", "country": "CN"},
        channel="general_trade",
    )
    assert rules_of(result) == [(0, matching.PAST_INFRINGER)]
    assert result.hits[0].params["case"] == "NB-2024-0001"
    assert (result.risk, result.level) == (35, "medium")


def test_campaign_focus_only_with_another_hit(snapshot):
    assert screen(snapshot).hits == []
    result = screen(snapshot, {"brand": "NORDKAP"})
    assert rules_of(result) == [(0, matching.MARK), (0, matching.CAMPAIGN_FOCUS)]
    assert result.risk == 65


def test_priority_holder(snapshot):
    snap = Snapshot([Right("T1", ["LABUBU"], priority="DRAGON-2024")])
    result = snap.screen(declaration({"brand": "LABUBU"}), Rules.defaults())
    assert [h.rule for h in result.hits] == [matching.MARK, matching.PRIORITY_HOLDER]
    assert result.risk == 65


def test_authorised_licensee_lowers_the_risk(snapshot):
    result = screen(
        snapshot,
        {"description": "LABUBU plush", "hs_code": "950300", "value": "10000"},
        consignor={"name": "Dongguan Toy Works Co., Ltd.", "country": "CN"},
        channel="general_trade",
    )
    assert result.authorised is True
    assert rules_of(result) == [(0, matching.MARK), (0, matching.AUTHORISED), (0, matching.HS_CODE)]
    assert (result.risk, result.level) == (20, "low")


def test_authorised_holder_itself(snapshot):
    result = screen(
        snapshot,
        {"description": "LABUBU plush"},
        consignee={"name": "BEIJING POP MART CULTURAL & CREATIVE CO LTD", "country": "CN"},
    )
    assert result.authorised is True


def test_licensee_of_another_right_is_not_authorised(snapshot):
    result = screen(
        snapshot,
        {"brand": "NORDKAP"},
        consignor={"name": "Dongguan Toy Works", "country": "CN"},
    )
    assert result.authorised is False
    assert result.level == "high"


def test_weights_are_data(snapshot):
    rules = Rules.defaults()
    rules.weights[matching.MARK] = 20
    result = snapshot.screen(declaration({"brand": "LABUBU"}), rules)
    assert (result.risk, result.level) == (25, "low")


def test_inactive_rule_does_not_hit(snapshot):
    rules = Rules.defaults()
    del rules.weights[matching.MARK]
    result = snapshot.screen(declaration({"brand": "LABUBU"}), rules)
    assert result.hits == []


def test_risk_is_capped_at_100():
    snap = Snapshot([Right("T1", ["LABUBU"], known_infringers=["X Co"])])
    rules = Rules.defaults()
    rules.weights[matching.MARK] = 100
    result = snap.screen(
        declaration({"brand": "LABUBU"}, consignor={"name": "X Co", "country": "CN"}), rules
    )
    assert result.risk == 100


def test_fold_mark():
    assert fold_mark("Ｐｏｐ  Mart!") == fold_mark("POP-MART") == "popmart"
