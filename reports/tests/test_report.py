"""The annual report's figures on a dataset whose true totals are known by construction:
every headline figure, every split, the monthly trend, the year-on-year percentages, the
scopes, and empty periods (no division by zero)."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from accounts.models import Organisation
from campaigns.models import Region
from detentions.models import Detention, GoodsLine, Referral
from recordals.models import Recordal
from reports.selectors import Scope, change_pct, period_for, report, year_before

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
numbers = itertools.count(1)


def case(office, holder, opened_on, *, lines, detained=True, **fields):
    """A detention row as the services leave it (the report reads rows, not steps)."""
    opened_on = D(opened_on)
    values = {
        "mode": "ex_officio",
        "status": "closed",
        "direction": "export",
        "channel": "general_trade",
        "transport_mode": "sea",
        "origin_country": "CN",
        "destination_country": "US",
        "consignor_name": "Yiwu Trading",
        "consignor_country": "CN",
        "consignee_name": "Buyer",
        "consignee_country": "US",
        "ip_kind": "trademark",
        "outcome": "confiscated",
        **fields,
    }
    detention = Detention.objects.create(
        number=f"{office.customs_code}-{opened_on.year}-D{next(numbers):07d}",
        office=office,
        holder=holder,
        opened_on=opened_on,
        detained_on=opened_on if detained else None,
        total_items=sum(quantity for _category, quantity, _value in lines),
        total_value=sum(Decimal(value) for _category, _quantity, value in lines),
        **values,
    )
    GoodsLine.objects.bulk_create(
        GoodsLine(detention=detention, description=category, hs_code="9503", category=category,
                  quantity=quantity, value=Decimal(value))
        for category, quantity, value in lines
    )  # fmt: skip
    return detention


@pytest.fixture
def data(parties):
    """2024 (the year asked) and 2023 (the year before), Ningbo and Shenzhen, holder A
    (domestic, CN) and holder B (foreign, CH):

    2024
      n1 Ningbo  A  01-15 export express  trademark  toys 100/1000.00 + apparel 50/500.00
                 to NG  confiscated, referred (accepted)
      n2 Ningbo  A  02-20 export postal   copyright  toys 10/100.00  to AE  released
      n3 Ningbo  B  02-21 export general  trademark  electronics 1000/20000.00 to US
                 confiscated, no penalty (exempted)
      n4 Ningbo  B  03-01 notified only (not detained), apparel 5/50.00, to NG, pending
      s1 Shenzhen A 12-31 import express  patent     electronics 7/700.00 from US, to CN
                 on application, court ordered, referred (returned)
    2023
      p1 Ningbo  A  01-10 export express  trademark  toys 40/400.00 to NG  confiscated
      p2 Shenzhen B 06-30 export postal   trademark  apparel 20/200.00 to AE  released
    outside: n0 Ningbo A 2022-12-31, z1 Ningbo A 2025-01-01 (neither period)."""
    ningbo, shenzhen = parties["ningbo"], parties["shenzhen"]
    a, b = parties["holder_a"], parties["holder_b"]
    Organisation.objects.filter(pk=b.pk).update(country="CH")
    Organisation.objects.filter(pk=a.pk).update(country="CN")
    Region.objects.create(code="africa", name_en="Africa", countries=["NG", "KE"])
    Region.objects.create(code="belt-road", name_en="Belt and Road", countries=["NG", "AE"])
    n1 = case(
        ningbo,
        a,
        "2024-01-15",
        channel="express",
        destination_country="NG",
        lines=[("toys", 100, "1000.00"), ("apparel", 50, "500.00")],
    )
    case(
        ningbo,
        a,
        "2024-02-20",
        channel="postal",
        ip_kind="copyright",
        destination_country="AE",
        outcome="released",
        lines=[("toys", 10, "100.00")],
    )
    case(ningbo, b, "2024-02-21", penalty_tier="none", lines=[("electronics", 1000, "20000.00")])
    case(
        ningbo,
        b,
        "2024-03-01",
        detained=False,
        status="notified",
        outcome="pending",
        destination_country="NG",
        lines=[("apparel", 5, "50.00")],
    )
    s1 = case(
        shenzhen,
        a,
        "2024-12-31",
        direction="import",
        channel="express",
        ip_kind="patent",
        mode="on_application",
        origin_country="US",
        destination_country="CN",
        outcome="court_ordered",
        lines=[("electronics", 7, "700.00")],
    )
    case(
        ningbo,
        a,
        "2023-01-10",
        channel="express",
        destination_country="NG",
        lines=[("toys", 40, "400.00")],
    )
    case(
        shenzhen,
        b,
        "2023-06-30",
        channel="postal",
        destination_country="AE",
        outcome="released",
        lines=[("apparel", 20, "200.00")],
    )
    case(ningbo, a, "2022-12-31", lines=[("toys", 1, "1.00")])
    case(ningbo, a, "2025-01-01", lines=[("toys", 1, "1.00")])
    Referral.objects.create(
        detention=n1,
        organ="Ningbo PSB",
        referred_on=D("2024-02-01"),
        grounds="Scale",
        status="accepted",
        decided_on=D("2024-02-10"),
    )
    Referral.objects.create(
        detention=s1,
        organ="Shenzhen PSB",
        referred_on=D("2024-12-31"),
        grounds="Scale",
        status="returned",
        decided_on=D("2024-12-31"),
    )
    for holder, submitted, approved in [
        (a, "2024-03-01", "2024-04-01"),
        (a, "2024-11-30", None),
        (b, "2024-05-05", "2024-06-01"),
        (b, "2023-12-20", "2024-01-05"),  # received in 2023, approved in 2024
        (a, "2023-02-02", "2023-03-03"),
    ]:
        recordal = Recordal.objects.create(
            holder=holder,
            kind="trademark",
            status="submitted",
            right_name="Mark",
            registration_number=f"REG{next(numbers)}",
        )
        Recordal.objects.filter(pk=recordal.pk).update(
            submitted_on=D(submitted), approved_on=D(approved) if approved else None
        )
    return parties


def fig(current, previous, change):
    return {
        "current": current,
        "previous": previous,
        "change_pct": None if change is None else Decimal(change),
    }


def money(current, previous, change):
    return fig(Decimal(current), Decimal(previous), change)


def test_national_headline_figures_and_year_on_year(data):
    result = report(starts_on=D("2024-01-01"), ends_on=D("2024-12-31"))
    assert result["period"] == {"from": D("2024-01-01"), "to": D("2024-12-31")}
    assert result["previous_period"] == {"from": D("2023-01-01"), "to": D("2023-12-31")}
    assert result["scope"] == {"kind": "national", "id": None, "name": "National"}
    assert result["figures"] == {
        "protection_actions": fig(5, 2, "150.00"),
        "batches": fig(4, 2, "100.00"),
        "items": fig(1167, 60, "1845.00"),
        "value": money("22300.00", "600.00", "3616.67"),
        "batches_exempted": fig(1, 0, None),
        "items_exempted": fig(1000, 0, None),
        "referrals": fig(2, 0, None),
        "referrals_accepted": fig(1, 0, None),
        "recordal_applications": fig(3, 2, "50.00"),
        "recordal_applications_domestic": fig(2, 1, "100.00"),
        "recordal_applications_foreign": fig(1, 1, "0.00"),
        "recordals_approved": fig(3, 1, "200.00"),
        "recordals_approved_domestic": fig(1, 1, "0.00"),
        "recordals_approved_foreign": fig(2, 0, None),
    }


def row(key, label, actions, batches, items, value):
    return {
        "key": key,
        "label": label,
        "actions": fig(*actions),
        "batches": fig(*batches),
        "items": fig(*items),
        "value": money(*value),
    }


def test_national_splits(data):
    splits = report(starts_on=D("2024-01-01"), ends_on=D("2024-12-31"))["splits"]
    assert splits["ip_kind"] == [
        row("trademark", "Trademark", (3, 2, "50.00"), (2, 2, "0.00"), (1150, 60, "1816.67"),
            ("21500.00", "600.00", "3483.33")),
        row("copyright", "Copyright", (1, 0, None), (1, 0, None), (10, 0, None),
            ("100.00", "0.00", None)),
        row("patent", "Patent", (1, 0, None), (1, 0, None), (7, 0, None),
            ("700.00", "0.00", None)),
    ]  # fmt: skip
    assert [(r["key"], r["batches"]["current"], r["items"]["current"]) for r in
            splits["direction"]] == [("export", 3, 1160), ("import", 1, 7)]  # fmt: skip
    assert [(r["key"], r["actions"]["current"], r["batches"]["current"]) for r in
            splits["mode"]] == [("ex_officio", 4, 3), ("on_application", 1, 1)]  # fmt: skip
    assert splits["channel"] == [
        row("express", "Express", (2, 1, "100.00"), (2, 1, "100.00"), (157, 40, "292.50"),
            ("2200.00", "400.00", "450.00")),
        row("general_trade", "General trade", (2, 0, None), (1, 0, None), (1000, 0, None),
            ("20000.00", "0.00", None)),
        row("postal", "Postal", (1, 1, "0.00"), (1, 1, "0.00"), (10, 20, "-50.00"),
            ("100.00", "200.00", "-50.00")),
    ]  # fmt: skip
    assert [(r["key"], r["label"], r["actions"]["current"], r["batches"]["current"],
             r["batches"]["previous"]) for r in splits["district"]] == [
        ("3100", "Ningbo Customs", 4, 3, 1),
        ("5300", "Shenzhen Customs", 1, 1, 1),
    ]  # fmt: skip
    # A batch counts once per category among its goods; items and value are those lines'.
    assert [(r["key"], r["actions"]["current"], r["batches"]["current"], r["items"]["current"],
             r["value"]["current"], r["batches"]["previous"]) for r in splits["category"]] == [
        ("electronics", 2, 2, 1007, Decimal("20700.00"), 0),
        ("toys", 2, 2, 110, Decimal("1100.00"), 1),
        ("apparel", 2, 1, 50, Decimal("500.00"), 1),
    ]  # fmt: skip
    # NG is in Africa and in Belt and Road; AE in Belt and Road; US and CN in none.
    assert [(r["key"], r["actions"]["current"], r["batches"]["current"],
             r["batches"]["previous"]) for r in splits["region"]] == [
        ("belt-road", 3, 2, 2),
        ("none", 2, 2, 0),
        ("africa", 2, 1, 1),
    ]  # fmt: skip
    assert [(r["key"], r["label"], r["actions"]["current"], r["batches"]["current"],
             r["items"]["current"]) for r in splits["holder_country"]] == [
        ("domestic", "Domestic", 3, 3, 167),
        ("foreign", "Foreign", 2, 1, 1000),
    ]  # fmt: skip
    assert [(r["key"], r["actions"]["current"], r["batches"]["current"],
             r["batches"]["previous"]) for r in splits["outcome"]] == [
        ("confiscated", 2, 2, 1),
        ("court_ordered", 1, 1, 0),
        ("released", 1, 1, 1),
        ("pending", 1, 0, 0),
    ]  # fmt: skip


def test_monthly_trend_sits_beside_the_same_month_a_year_before(data):
    monthly = report(starts_on=D("2024-01-01"), ends_on=D("2024-12-31"))["monthly"]
    assert [m["month"] for m in monthly] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert [(m["actions"]["current"], m["actions"]["previous"]) for m in monthly] == [
        (1, 1), (2, 0), (1, 0), (0, 0), (0, 0), (0, 1),
        (0, 0), (0, 0), (0, 0), (0, 0), (0, 0), (1, 0),
    ]  # fmt: skip
    assert monthly[0]["value"] == money("1500.00", "400.00", "275.00")
    assert monthly[3]["value"] == money("0.00", "0.00", None)


def test_district_scope_counts_its_own_cases_and_no_recordals(data):
    result = report(
        starts_on=D("2024-01-01"), ends_on=D("2024-12-31"), scope=Scope(office=data["shenzhen"])
    )
    assert result["scope"]["kind"] == "district"
    figures = result["figures"]
    assert (figures["protection_actions"], figures["batches"], figures["referrals"]) == (
        fig(1, 1, "0.00"),
        fig(1, 1, "0.00"),
        fig(1, 0, None),
    )
    assert figures["items"] == fig(7, 20, "-65.00")
    assert "recordal_applications" not in figures


def test_holder_scope_counts_its_own_cases_and_recordals(data):
    result = report(
        starts_on=D("2024-01-01"), ends_on=D("2024-12-31"), scope=Scope(holder=data["holder_b"])
    )
    figures = result["figures"]
    assert (figures["protection_actions"], figures["batches"], figures["value"]) == (
        fig(2, 1, "100.00"),
        fig(1, 1, "0.00"),
        money("20000.00", "200.00", "9900.00"),
    )
    assert (figures["recordal_applications"], figures["recordals_approved"]) == (
        fig(1, 1, "0.00"),
        fig(2, 0, None),
    )
    assert [r["key"] for r in result["splits"]["holder_country"]] == ["foreign"]


def test_a_quarter_and_an_empty_period(data):
    q1 = report(starts_on=period_for(year=2024, quarter=1)[0], ends_on=D("2024-03-31"))
    assert q1["figures"]["protection_actions"] == fig(4, 1, "300.00")
    assert len(q1["monthly"]) == 3
    empty = report(starts_on=D("2030-01-01"), ends_on=D("2030-12-31"))
    assert all(value == fig(0, 0, None) for name, value in empty["figures"].items()
               if name != "value")  # fmt: skip
    assert empty["figures"]["value"] == money("0.00", "0.00", None)
    assert all(rows == [] for rows in empty["splits"].values())
    assert all(m["batches"] == fig(0, 0, None) for m in empty["monthly"])


def test_a_period_longer_than_a_year_counts_the_overlap_in_both(data):
    result = report(starts_on=D("2023-01-01"), ends_on=D("2024-12-31"))
    # 2023-2024 against 2022-2023: the 2023 cases are in both periods.
    assert result["figures"]["protection_actions"] == fig(7, 3, "133.33")


@pytest.mark.parametrize(
    "current, previous, expected",
    [(3, 2, Decimal("50.00")), (0, 5, Decimal("-100.00")), (5, 0, None), (0, 0, None),
     (Decimal("1.00"), 3, Decimal("-66.67")), (2, 3, Decimal("-33.33"))],
)  # fmt: skip
def test_change_in_percent(current, previous, expected):
    assert change_pct(current, previous) == expected


def test_the_year_before_of_29_february():
    assert year_before(D("2024-02-29")) == D("2023-02-28")
    assert period_for(year=2024, quarter=4) == (D("2024-10-01"), D("2024-12-31"))


def test_every_figure_comes_from_a_handful_of_queries(data, django_assert_max_num_queries):
    """National: the rollup's refresh (in a savepoint: 6 with months to recount, 4
    without), its stale months, one rollup query, referrals, recordals, two for labels."""
    with django_assert_max_num_queries(12):
        report(starts_on=D("2024-01-01"), ends_on=D("2024-12-31"))
    with django_assert_max_num_queries(10):
        report(starts_on=D("2024-01-01"), ends_on=D("2024-12-31"))
    with django_assert_max_num_queries(8):
        report(starts_on=D("2024-01-01"), ends_on=D("2024-12-31"), live=True)
