"""POST /api/v1/screening/ (CONTRACT.md "Screening", issue 19): who may screen, bad input,
results in order, the authorised supply chain, a lapsed recordal, the query budget."""

import datetime as dt

import pytest
import time_machine

from recordals import services as recordal_services
from recordals.tests.factories import approved
from screening.models import ScreeningRule
from screening.tests.factories import declaration

URL = "/api/v1/screening/"
D = dt.date.fromisoformat


@pytest.fixture
def mark(parties):
    """Holder A's LABUBU trademark, recorded 2024-03-15, in force to 2030-06-13 (R6);
    licensee Dongguan Toy Works, known infringer Fake Toys Trading, genuine plush toys
    (HS 950300) from CNY 59.00."""
    return approved(parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"])


def post(api, user, body):
    if user is not None:
        api.force_authenticate(user)
    return api.post(URL, body, format="json")


@pytest.mark.parametrize(
    "who, status",
    [
        ("gacc", 200),
        ("ningbo", 200),
        ("shenzhen", 200),
        ("holder_a", 403),
        ("holder_b", 403),
        ("agent_a", 403),
        ("agent_expired", 403),
        (None, 401),
    ],
)
def test_permission_table_officers_only(api, parties, mark, who, status):
    user = parties["users"][who] if who else None
    response = post(api, user, {"declarations": [declaration({"brand": "LABUBU"})]})
    assert response.status_code == status
    if status != 200:
        assert "results" not in response.json()


def test_results_in_the_order_sent_with_hits(api, parties, mark):
    body = {
        "declarations": [
            declaration({"description": "Plastic buckets"}, number="A1"),
            declaration(
                {"description": "Plastic buckets"},
                {"description": "Keychain pendants", "brand": "L A B U B U", "hs_code": "950300", "value": "2000.00"},
                number="B2",
            ),
            declaration({"description": "Towels"}, number="C3"),
        ]
    }  # fmt: skip
    response = post(api, parties["users"]["ningbo"], body)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["number"] for r in results] == ["A1", "B2", "C3"]
    assert results[0] == {
        "number": "A1",
        "risk": 0,
        "level": "none",
        "authorised": False,
        "hits": [],
    }
    b2 = results[1]
    assert (b2["risk"], b2["level"], b2["authorised"]) == (90, "high", False)
    assert [(h["line"], h["recordal"], h["rule"]) for h in b2["hits"]] == [
        (1, mark.number, "mark"),
        (1, mark.number, "low_price"),
        (1, mark.number, "hs_code"),
    ]
    assert (
        b2["hits"][0]["reason"] == "The goods carry the recorded mark LABUBU (found as “labubu”)."
    )


def test_reason_in_the_officers_language(api, parties, mark):
    api.force_authenticate(parties["users"]["ningbo"])
    response = api.post(
        URL,
        {"declarations": [declaration({"brand": "LABUBU"})]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    reason = response.json()["results"][0]["hits"][0]["reason"]
    assert "LABUBU" in reason and "商标" in reason


def test_authorised_supply_chain_licensee_consignor(api, parties, mark):
    body = {
        "declarations": [
            declaration(
                {"description": "LABUBU plush", "hs_code": "950300", "value": "10000.00"},
                consignor={"name": "DONGGUAN TOY WORKS CO., LTD.", "country": "CN"},
                channel="general_trade",
            )
        ]
    }
    result = post(api, parties["users"]["gacc"], body).json()["results"][0]
    assert result["authorised"] is True
    assert [h["rule"] for h in result["hits"]] == ["mark", "authorised", "hs_code"]
    assert (result["risk"], result["level"]) == (20, "low")


def test_authorised_supply_chain_holder_consignee(api, parties, mark):
    body = {"declarations": [declaration({"brand": "LABUBU"}, consignee={"name": "Holder A", "country": "CN"}, channel="general_trade")]}  # fmt: skip
    result = post(api, parties["users"]["gacc"], body).json()["results"][0]
    assert result["authorised"] is True
    assert result["risk"] == 10


def test_known_infringer_consignor(api, parties, mark):
    body = {"declarations": [declaration(consignor={"name": "Fake Toys Trading Ltd", "country": "CN"}, channel="general_trade")]}  # fmt: skip
    result = post(api, parties["users"]["gacc"], body).json()["results"][0]
    assert [h["rule"] for h in result["hits"]] == ["known_infringer"]
    assert (result["risk"], result["level"]) == (45, "medium")


def test_rule_weight_tuned_in_the_database(api, parties, mark):
    ScreeningRule.objects.filter(code="mark").update(weight=30)
    body = {"declarations": [declaration({"brand": "LABUBU"}, channel="general_trade")]}
    rule = ScreeningRule.objects.get(code="mark")
    rule.save()  # a tuned rule moves the snapshot's version
    result = post(api, parties["users"]["gacc"], body).json()["results"][0]
    assert (result["risk"], result["level"]) == (30, "low")


def test_r9_cancelled_recordal_stops_matching(api, parties, mark):
    body = {"declarations": [declaration({"brand": "LABUBU"})]}
    officer = parties["users"]["gacc"]
    assert post(api, officer, body).json()["results"][0]["level"] == "high"
    recordal_services.recordal_transition(
        actor=parties["users"]["holder_a"],
        recordal=mark,
        action="cancel",
        reason="The trademark was assigned (R9).",
        on=D("2025-03-03"),
    )
    result = post(api, officer, body).json()["results"][0]
    assert (result["risk"], result["level"], result["hits"]) == (0, "none", [])


def test_r6_recordal_past_its_term_stops_matching_without_a_save(api, parties, mark):
    body = {"declarations": [declaration({"brand": "LABUBU"})]}
    officer = parties["users"]["gacc"]
    with time_machine.travel(dt.datetime(2030, 6, 13, 12, tzinfo=dt.UTC), tick=False):
        assert post(api, officer, body).json()["results"][0]["level"] == "high"
    with time_machine.travel(dt.datetime(2030, 6, 14, 12, tzinfo=dt.UTC), tick=False):
        assert post(api, officer, body).json()["results"][0]["hits"] == []


def test_a_new_licensee_is_seen_at_once(api, parties, mark):
    body = {"declarations": [declaration({"brand": "LABUBU"}, consignor={"name": "Ningbo Licensed Toys", "country": "CN"})]}  # fmt: skip
    officer = parties["users"]["gacc"]
    assert post(api, officer, body).json()["results"][0]["authorised"] is False
    mark.licensees.create(name="Ningbo Licensed Toys", role="distributor")
    assert post(api, officer, body).json()["results"][0]["authorised"] is True


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "declarations"),
        ({"declarations": []}, "declarations"),
        ({"declarations": [declaration(direction="sideways")]}, "direction"),
        ({"declarations": [declaration(channel="pigeon")]}, "channel"),
        ({"declarations": [declaration(destination_country="Nigeria")]}, "destination_country"),
        ({"declarations": [declaration({"hs_code": "95"})]}, "hs_code"),
        ({"declarations": [declaration({"value": "abc"})]}, "value"),
        ({"declarations": [declaration({"quantity": 0})]}, "quantity"),
        ({"declarations": [declaration(lines=[])]}, "lines"),
        ({"declarations": [declaration(declared_on="2024-13-01")]}, "declared_on"),
        ({"declarations": [declaration(consignor={"country": "CN"})]}, "consignor"),
    ],
)
def test_bad_input_400_with_field_errors(api, parties, body, field):
    response = post(api, parties["users"]["gacc"], body)
    assert response.status_code == 400
    assert field in str(response.json())


def test_100_lines_in_a_query_budget(api, parties, mark, django_assert_max_num_queries):
    lines = [
        {
            "description": f"Plush toy {n} LABUBU" if n % 10 == 0 else f"Towel {n}",
            "hs_code": "950300",
        }
        for n in range(100)
    ]
    body = {
        "declarations": [declaration(*lines[i : i + 10], number=f"N{i}") for i in range(0, 100, 10)]
    }
    officer = parties["users"]["ningbo"]
    post(api, officer, body)  # builds the snapshot
    with django_assert_max_num_queries(6):
        response = post(api, officer, body)
    assert response.status_code == 200
    assert [r["level"] for r in response.json()["results"]] == ["high"] * 10


@pytest.mark.parametrize("country", ["XX", "ng", "CHN"])
def test_a_country_that_is_not_an_iso_code_is_a_400(api, parties, country):
    """Countries as everywhere else in the API (core.api.fields.CountryField, issue 20)."""
    body = {"declarations": [declaration()]}
    body["declarations"][0]["consignee"]["country"] = country
    response = post(api, parties["users"]["gacc"], body)
    assert response.status_code == 400
    assert "country" in response.json()["declarations"][0]["consignee"]
