"""The demo campaigns of 2024 loaded by `seed_demo` (campaigns/demo.py): their results
against a hand count of the demo cases, the cases inside and outside each campaign, an
officer's tag and removal, the Dragon Protection priority enterprise, and idempotence."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from campaigns import selectors
from campaigns.demo import (
    BAGS_TO_MACAO,
    COUNTED,
    EXPRESS_TO_NIGERIA,
    EXPRESS_TO_SAUDI_ARABIA,
    IMPORT_FROM_EGYPT,
    JACKETS_TO_NIGERIA,
    PHONE_CASES_TO_EGYPT,
    PLUSH_TO_HONG_KONG_DECEMBER,
    PLUSH_VIA_HONG_KONG,
    POSTAL_TO_US,
    check,
)
from campaigns.models import Campaign, CampaignTag, PriorityHolder, Region
from detentions.demo import LABUBU
from detentions.models import Detention

pytestmark = pytest.mark.django_db

# Counted by hand from the case definitions in detentions/demo.py (LABUBU) and
# campaigns/demo.py; the only other demo cases are of 2025 and 2026, outside every period.
#
#   case, opened in 2024          office  channel             right  to  items    CNY
#   LABUBU, 11-12                 3100    market_procurement  c      AE  199,100  370,000.00  C R
#   JACKETS_TO_NIGERIA, 06-11     3100    general_trade       t      NG    8,000  120,000.00  C
#   PHONE_CASES_TO_EGYPT, 09-09   5300    general_trade       c      EG   23,000  105,000.00  C R
#   EXPRESS_TO_NIGERIA, 10-14     3100    express             c      NG    5,000    7,000.00  C
#   POSTAL_TO_US, 07-15           5300    postal              t      US       30    3,600.00  C
#   PLUSH_VIA_HONG_KONG, 05-20    5300    general_trade       c      HK    5,000   40,000.00  C
#   BAGS_TO_MACAO, 09-23          5300    express             t      MO      600   18,000.00  X
#   (c copyright, t trademark; C confiscated, X released, R also referred)
#
# Regions of the destinations: AE middle-east, belt-and-road; NG africa, belt-and-road;
# EG africa, middle-east, belt-and-road; HK and MO hk-mo; US none.
# Rows: (key, actions, batches, items, value), in the selector's order (most batches, then
# actions, then value). As in the statistics, a batch is a case whose goods were detained,
# and items and value are the detained goods': BAGS_TO_MACAO (released, no reply) is an
# action but no batch.
EXPECTED = {
    # LABUBU, PHONE_CASES_TO_EGYPT, EXPRESS_TO_NIGERIA by the rule, JACKETS_TO_NIGERIA by hand.
    "LONGTENG-2024": {
        "totals": (4, 4, 235_100, "602000.00"),
        "by_office": [("3100", 3, 3, 212_100, "497000.00"), ("5300", 1, 1, 23_000, "105000.00")],
        "by_channel": [
            ("general_trade", 2, 2, 31_000, "225000.00"),
            ("market_procurement", 1, 1, 199_100, "370000.00"),
            ("express", 1, 1, 5_000, "7000.00"),
        ],
        "by_ip_kind": [
            ("copyright", 3, 3, 227_100, "482000.00"),
            ("trademark", 1, 1, 8_000, "120000.00"),
        ],
        "by_region": [
            ("belt-and-road", 4, 4, 235_100, "602000.00"),
            ("africa", 3, 3, 36_000, "232000.00"),
            ("middle-east", 2, 2, 222_100, "475000.00"),
        ],
        "by_outcome": [
            ("confiscated", 4, 4, 235_100, "602000.00"),
            ("referred", 2, 2, 222_100, "475000.00"),
        ],
    },
    # POSTAL_TO_US, EXPRESS_TO_NIGERIA (BAGS_TO_MACAO's rule tag removed).
    "BLUE-NET-2024": {
        "totals": (2, 2, 5_030, "10600.00"),
        "by_office": [("3100", 1, 1, 5_000, "7000.00"), ("5300", 1, 1, 30, "3600.00")],
        "by_channel": [("express", 1, 1, 5_000, "7000.00"), ("postal", 1, 1, 30, "3600.00")],
        "by_ip_kind": [("copyright", 1, 1, 5_000, "7000.00"), ("trademark", 1, 1, 30, "3600.00")],
        "by_region": [
            ("africa", 1, 1, 5_000, "7000.00"),
            ("belt-and-road", 1, 1, 5_000, "7000.00"),
            ("none", 1, 1, 30, "3600.00"),
        ],
        "by_outcome": [("confiscated", 2, 2, 5_030, "10600.00")],
    },
    # PLUSH_VIA_HONG_KONG, BAGS_TO_MACAO.
    "CLEAN-NET-2024": {
        "totals": (2, 1, 5_000, "40000.00"),
        "by_office": [("5300", 2, 1, 5_000, "40000.00")],
        "by_channel": [("general_trade", 1, 1, 5_000, "40000.00"), ("express", 1, 0, 0, "0.00")],
        "by_ip_kind": [("copyright", 1, 1, 5_000, "40000.00"), ("trademark", 1, 0, 0, "0.00")],
        "by_region": [("hk-mo", 2, 1, 5_000, "40000.00")],
        "by_outcome": [("confiscated", 1, 1, 5_000, "40000.00"), ("released", 1, 0, 0, "0.00")],
    },
    # JACKETS_TO_NIGERIA, PHONE_CASES_TO_EGYPT, EXPRESS_TO_NIGERIA.
    "AFRICA-ACTION-2024": {
        "totals": (3, 3, 36_000, "232000.00"),
        "by_office": [("3100", 2, 2, 13_000, "127000.00"), ("5300", 1, 1, 23_000, "105000.00")],
        "by_channel": [
            ("general_trade", 2, 2, 31_000, "225000.00"),
            ("express", 1, 1, 5_000, "7000.00"),
        ],
        "by_ip_kind": [
            ("copyright", 2, 2, 28_000, "112000.00"),
            ("trademark", 1, 1, 8_000, "120000.00"),
        ],
        "by_region": [
            ("africa", 3, 3, 36_000, "232000.00"),
            ("belt-and-road", 3, 3, 36_000, "232000.00"),
            ("middle-east", 1, 1, 23_000, "105000.00"),
        ],
        "by_outcome": [
            ("confiscated", 3, 3, 36_000, "232000.00"),
            ("referred", 1, 1, 23_000, "105000.00"),
        ],
    },
}

# Named cases a campaign does not count, and why.
OUTSIDE = [
    ("LONGTENG-2024", EXPRESS_TO_SAUDI_ARABIA),  # February: before the period
    ("LONGTENG-2024", PLUSH_VIA_HONG_KONG),  # Hong Kong is no focus region; toys
    ("LONGTENG-2024", IMPORT_FROM_EGYPT),  # an import
    ("BLUE-NET-2024", EXPRESS_TO_SAUDI_ARABIA),  # express, but before the period
    ("BLUE-NET-2024", BAGS_TO_MACAO),  # the rule tag was removed by an officer
    ("BLUE-NET-2024", PLUSH_VIA_HONG_KONG),  # general trade
    ("CLEAN-NET-2024", PLUSH_TO_HONG_KONG_DECEMBER),  # to Hong Kong, after the period
    ("CLEAN-NET-2024", LABUBU),  # to the UAE
    ("AFRICA-ACTION-2024", IMPORT_FROM_EGYPT),  # an import from Africa
    ("AFRICA-ACTION-2024", LABUBU),  # to the UAE
]
CODES = tuple(EXPECTED)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the tests below and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo")
        yield
        transaction.set_rollback(True)


def rows(rows):
    return [
        (row["key"], row["actions"], row["batches"], row["items"], row["value"]) for row in rows
    ]


def expected_rows(rows):
    return [(key, *counts, Decimal(value)) for key, *counts, value in rows]


def live_keys(code):
    return set(
        CampaignTag.objects.filter(campaign__code=code, removed_at__isnull=True).values_list(
            "detention__declaration_number", flat=True
        )
    )


@pytest.mark.parametrize("code", CODES)
def test_campaign_results_match_the_hand_count(seeded, code):
    results = selectors.campaign_results(Campaign.objects.get(code=code))
    expected = EXPECTED[code]
    *counts, value = expected["totals"]
    assert rows([results["totals"]]) == [("total", *counts, Decimal(value))]
    for split in ("by_office", "by_channel", "by_ip_kind", "by_region", "by_outcome"):
        assert rows(results[split]) == expected_rows(expected[split]), split


def test_exactly_the_named_cases_are_inside_each_campaign(seeded):
    assert set(COUNTED) == set(CODES)
    assert check() == []
    assert live_keys("BLUE-NET-2024") == {POSTAL_TO_US.key, EXPRESS_TO_NIGERIA.key}


@pytest.mark.parametrize(
    ("code", "case"), OUTSIDE, ids=[f"{code}:{case.key}" for code, case in OUTSIDE]
)
def test_named_cases_outside_a_campaign_are_not_tagged(seeded, code, case):
    assert Detention.objects.filter(declaration_number=case.key).exists()
    assert case.key not in live_keys(code)


def test_the_campaigns_and_their_focus(seeded):
    campaigns = {c.code: c for c in Campaign.objects.filter(code__in=CODES)}
    assert {code: (c.kind, c.name_zh) for code, c in campaigns.items()} == {
        "LONGTENG-2024": ("longteng", "龙腾行动2024"),
        "BLUE-NET-2024": ("blue_net", "蓝网行动2024"),
        "CLEAN-NET-2024": ("clean_net", "净网行动2024"),
        "AFRICA-ACTION-2024": ("africa_action", "非洲行动2024"),
    }
    for campaign in campaigns.values():
        assert dt.date(2024, 1, 1) <= campaign.starts_on <= campaign.ends_on
        assert campaign.ends_on <= dt.date(2024, 12, 31)
        assert campaign.retag_status == "idle"
    focus = {
        code: (c.channels, c.directions, sorted(c.regions.values_list("code", flat=True)))
        for code, c in campaigns.items()
    }
    assert focus == {
        "LONGTENG-2024": (
            [],
            ["export"],
            ["africa", "belt-and-road", "latin-america", "middle-east"],
        ),
        "BLUE-NET-2024": (["postal", "express"], [], []),
        "CLEAN-NET-2024": ([], ["export", "transit"], ["hk-mo"]),
        "AFRICA-ACTION-2024": ([], ["export"], ["africa"]),
    }
    assert "mobile_electronics" in campaigns["LONGTENG-2024"].categories


def test_the_regions_are_iso_countries(seeded):
    regions = {r.code: r.countries for r in Region.objects.all()}
    assert set(regions) == {"africa", "middle-east", "latin-america", "belt-and-road", "hk-mo"}
    assert len(regions["africa"]) == 54
    assert {"NG", "EG", "KE", "ZA", "MA", "SS"} <= set(regions["africa"])
    assert len(regions["latin-america"]) == 33
    assert regions["hk-mo"] == ["HK", "MO"]
    for code, countries in regions.items():
        assert countries == sorted(set(countries)), code
        assert all(re.fullmatch(r"[A-Z]{2}", c) for c in countries), code
        assert "CN" not in countries, code


def test_an_officers_tag_and_removal(seeded):
    manual = CampaignTag.objects.get(
        campaign__code="LONGTENG-2024", detention__declaration_number=JACKETS_TO_NIGERIA.key
    )
    assert (manual.source, manual.tagged_by.username, manual.removed_at) == (
        "manual",
        "officer.ningbo",
        None,
    )
    assert "risk list" in manual.reason
    # The rule alone would not count it: apparel is outside Longteng's focus categories.
    longteng = Campaign.objects.get(code="LONGTENG-2024")
    assert not selectors.matching(longteng).filter(pk=manual.detention_id).exists()

    removed = CampaignTag.objects.get(
        campaign__code="BLUE-NET-2024", detention__declaration_number=BAGS_TO_MACAO.key
    )
    assert removed.source == "rule"
    assert removed.removed_at is not None
    assert removed.removed_by.username == "officer.shenzhen"
    assert "not parcels" in removed.removal_reason
    # The rule still matches it; the removal keeps it out.
    blue_net = Campaign.objects.get(code="BLUE-NET-2024")
    assert selectors.matching(blue_net).filter(pk=removed.detention_id).exists()


def test_seed_demo_again_changes_no_campaign_data(seeded):
    def snapshot():
        return {
            "regions": sorted(Region.objects.values_list("code", "countries")),
            "campaigns": Campaign.objects.count(),
            "priority": sorted(
                PriorityHolder.objects.values_list("campaign_id", "holder_id", "liaison_officer_id")
            ),
            "tags": sorted(
                CampaignTag.objects.values_list(
                    "campaign_id",
                    "detention_id",
                    "source",
                    "tagged_by_id",
                    "tagged_at",
                    "reason",
                    "removed_at",
                    "removed_by_id",
                    "removal_reason",
                )
            ),
            "detentions": Detention.objects.count(),
        }

    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert len(first["tags"]) == 12  # 11 live (4 + 2 + 2 + 3) and the removed one


def test_the_priority_enterprise_and_its_cases(seeded):
    link = PriorityHolder.objects.get(campaign__code="LONGTENG-2024")
    assert (link.holder.name_en, link.holder.country) == (
        "Beijing Pop Mart Cultural & Creative Co., Ltd.",
        "CN",
    )
    assert link.liaison_officer.username == "officer.ningbo"
    assert PriorityHolder.objects.count() == 1
    flagged = set(
        selectors.with_priority(Detention.objects.all())
        .filter(priority=True)
        .values_list("declaration_number", flat=True)
    )
    # Holder A's cases opened within Longteng's period, tagged to it or not (Hong Kong);
    # its February case and all of holder B's are not flagged.
    assert flagged == {
        case.key
        for case in [
            LABUBU,
            PLUSH_VIA_HONG_KONG,
            PHONE_CASES_TO_EGYPT,
            EXPRESS_TO_NIGERIA,
            PLUSH_TO_HONG_KONG_DECEMBER,
        ]
    }
    egypt = Detention.objects.get(declaration_number=PHONE_CASES_TO_EGYPT.key)
    assert selectors.penalty_floor(egypt) == "general"
    assert egypt.penalty_tier == "heavier"
