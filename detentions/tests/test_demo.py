"""The demo detentions loaded by `seed_demo` (detentions/demo.py): every state of both
workflows for holders A and B, the LABUBU case of DOMAIN.md, settled money on closed
cases, open (not missed) deadlines on live cases, and idempotence."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from core.timezone import local_today
from deadlines.models import Deadline
from detentions import demo, selectors
from detentions.demo import LABUBU
from detentions.models import (
    Detention,
    DetentionDocument,
    DetentionEvent,
    GoodsLine,
    MoneyEntry,
    Referral,
    ReferralEvent,
)
from recordals.models import GeneralBond, GeneralBondEntry

pytestmark = pytest.mark.django_db

HOLDERS = {
    "A": "Beijing Pop Mart Cultural & Creative Co., Ltd.",
    "B": "Nordkap Outdoor AG",
}
LIVE_STATES = ("notified", "detention_requested", "detained", "undetermined", "applied")


def counts():
    models = (
        Detention,
        GoodsLine,
        DetentionEvent,
        DetentionDocument,
        MoneyEntry,
        Referral,
        ReferralEvent,
        GeneralBondEntry,
    )
    detention_deadlines = Deadline.objects.filter(subject_type__model="detention")
    return {
        **{model.__name__: model.objects.count() for model in models},
        "deadlines": sorted(detention_deadlines.values_list("subject_id", "kind", "status")),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the read-only tests below and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo")
        yield
        transaction.set_rollback(True)


def test_seed_demo_twice_creates_the_cases_once():
    call_command("seed_demo")
    first = counts()
    assert first["Detention"] >= 32
    call_command("seed_demo")
    assert counts() == first


def test_the_demo_promises_hold(seeded):
    """Every state of both workflows for each holder, live cases recent with their
    deadlines open and none missed, closed cases settled to the fen (demo.check)."""
    assert demo.check() == []


def test_the_labubu_case_of_domain_md(seeded):
    case = Detention.objects.get(declaration_number=LABUBU.key)
    assert (case.total_items, case.total_value) == (199_100, Decimal("370000.00"))
    quantities = sorted(case.goods_lines.values_list("quantity", flat=True))
    assert quantities == sorted([39_500, 35_900, 47_900, 35_900, 39_900])
    assert sum(case.goods_lines.values_list("value", flat=True)) == Decimal("370000.00")
    assert case.holder.name_en == HOLDERS["A"]
    assert (case.office.customs_code, case.port.name_en) == ("3100", "Meishan")
    assert (case.mode, case.direction, case.channel) == (
        "ex_officio",
        "export",
        "market_procurement",
    )
    assert case.opened_on.strftime("%Y-%m") == "2024-11"
    assert [r.registration_number for r in case.recordals.all()] == ["国作登字-2019-F-00812345"]
    # R14: a copyright case posts a case bond (R15 is trademarks only), capped at 100,000.
    assert (case.ip_kind, case.bond_source, case.bond_amount) == (
        "copyright",
        "case_bond",
        Decimal("100000.00"),
    )
    assert (case.determination, case.penalty_tier, case.penalty_fine) == (
        "infringing",
        "general",
        Decimal("55500.00"),
    )
    assert (case.disposal_method, case.status) == ("destruction", "closed")
    actions = list(case.events.values_list("action", flat=True))
    for action in ("detain", "determine_infringing", "confiscate", "dispose", "close"):
        assert action in actions
    assert case.referrals.get().status == "accepted"


def test_closed_cases_charged_their_costs(seeded):
    closed = Detention.objects.filter(status="closed")
    assert closed.count() >= 6
    for case in closed.filter(detained_on__isnull=False):
        assert case.money.filter(kind="cost_charged").exists(), case.number  # R27


def test_live_cases_have_their_deadlines_running(seeded):
    assert Detention.objects.filter(status__in=demo.LIVE_STATES).count() >= 10
    open_kinds = set(
        Deadline.objects.filter(subject_type__model="detention", status="open").values_list(
            "kind", flat=True
        )
    )
    assert {"reply_to_detention_notice", "investigation", "court_order"} <= open_kinds


def test_the_variety_the_demo_shows(seeded):
    cases = Detention.objects.all()
    assert set(cases.values_list("channel", flat=True)) == {
        "cross_border_ecommerce",
        "market_procurement",
        "postal",
        "express",
        "general_trade",
        "passenger_luggage",
    }
    assert set(cases.values_list("office__customs_code", flat=True)) == {"3100", "5300"}
    exports = cases.filter(direction="export").count()
    assert exports > cases.count() * 0.9
    assert {"NG", "AE", "BR", "KZ", "US", "DE"} <= set(
        cases.values_list("destination_country", flat=True)
    )
    assert set(Referral.objects.values_list("status", flat=True)) == {
        "referred",
        "accepted",
        "declined",
        "returned",
    }
    no_penalty = cases.get(penalty_tier="none")
    assert no_penalty.no_penalty_criterion.code == "first-minor"
    assert set(cases.exclude(penalty_tier="").values_list("penalty_tier", flat=True)) == {
        "none",
        "mitigated",
        "lighter",
        "general",
        "heavier",
    }


def test_r15_holder_b_cases_ride_on_its_general_bond_with_no_per_case_bond(seeded):
    bond = GeneralBond.objects.filter(holder__name_en=HOLDERS["B"]).latest("year")
    if bond.approved_on > local_today() - dt.timedelta(days=20):
        pytest.skip("The demo general bond was approved too recently to cover cases yet.")
    covered = Detention.objects.filter(general_bond=bond, bond_source="general_bond")
    assert covered.filter(ip_kind="trademark").count() >= 2
    assert not covered.filter(bond_amount__isnull=False).exists()  # no per-case bond
    assert not MoneyEntry.objects.filter(detention__in=covered, kind="bond_received").exists()
    # The ledger holds only calls on the guarantor for unpaid costs (R27).
    assert set(bond.entries.values_list("kind", flat=True)) <= {
        GeneralBondEntry.Kind.GUARANTOR_CALL
    }


def test_r21_a_counter_bond_waits_for_the_court_filing_period(seeded):
    waiting = Detention.objects.get(status="counter_bond_held")
    suit = Deadline.objects.get(subject_type__model="detention", subject_id=waiting.pk,
                                kind="counter_bond_suit")  # fmt: skip
    assert suit.status == "open" and suit.due_date >= local_today()
    assert selectors.money_balance(waiting)["counter_bond_held"] == waiting.total_value
    assert Detention.objects.filter(status="suit_filed", ip_kind="patent").exists()
