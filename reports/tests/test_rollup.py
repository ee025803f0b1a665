"""The monthly rollup (issue 21) gives exactly the live query's figures: random cases,
goods lines and recordals over four years, random periods (whole months, days around
them, longer than a year), before and after random changes, with the stale months
recounted or not yet."""

import datetime as dt
import itertools
import random
from decimal import Decimal
from unittest import mock

import pytest

from accounts.models import Organisation
from campaigns.models import Region
from detentions.models import Channel, Detention, GoodsLine, ProductCategory
from recordals.models import Recordal
from reports.models import MonthFigure, StaleMonth
from reports.selectors import Scope, report, whole_months
from reports.services import rollup_refresh
from reports.tests.test_report import case

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
FIRST, LAST = D("2022-01-01"), D("2025-12-31")
COUNTRIES = ["NG", "KE", "AE", "US", "BR", "DE"]
CATEGORIES = [c.value for c in ProductCategory][:6]
numbers = itertools.count(1)


def day(rng: random.Random, first=FIRST, last=LAST) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def random_case(rng, offices, holders):
    detained = rng.random() < 0.85
    lines = [
        (rng.choice(CATEGORIES), rng.randint(1, 500), f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}")
        for _ in range(rng.randint(1, 3))
    ]  # fmt: skip
    return case(
        rng.choice(offices),
        rng.choice(holders),
        day(rng).isoformat(),
        detained=detained,
        lines=lines,
        status="closed" if detained else "notified",
        outcome=rng.choice(["confiscated", "released", "court_ordered"]) if detained else "pending",
        channel=rng.choice([c.value for c in Channel]),
        direction=rng.choice(["export", "import"]),
        ip_kind=rng.choice(["trademark", "copyright", "patent"]),
        destination_country=rng.choice(COUNTRIES),
        penalty_tier=rng.choice(["none", ""]),
    )


def random_recordal(rng, holders):
    recordal = Recordal.objects.create(
        holder=rng.choice(holders),
        kind="trademark",
        status="submitted",
        right_name="Mark",
        registration_number=f"RND{next(numbers)}",
    )
    submitted = day(rng)
    approved = submitted + dt.timedelta(days=rng.randint(0, 90)) if rng.random() < 0.7 else None
    Recordal.objects.filter(pk=recordal.pk).update(submitted_on=submitted, approved_on=approved)


def random_period(rng) -> tuple[dt.date, dt.date]:
    kind = rng.choice(["year", "quarter", "months", "days", "long"])
    year = rng.randint(2023, 2025)
    if kind == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == "quarter":
        q = rng.randint(1, 4)
        starts = dt.date(year, 3 * q - 2, 1)
        return starts, whole_months(starts, starts + dt.timedelta(days=92))[0][2] - dt.timedelta(
            days=1
        )
    starts = day(rng, D("2023-01-01"), D("2025-06-30"))
    if kind == "months":
        starts = starts.replace(day=1)
        ends = day(rng, starts, min(LAST, starts + dt.timedelta(days=200)))
        return starts, (ends.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(
            days=1
        )
    if kind == "days":
        return starts, day(rng, starts, min(LAST, starts + dt.timedelta(days=120)))
    starts = day(rng, D("2023-01-01"), D("2024-06-30"))
    return starts, day(rng, starts + dt.timedelta(days=366), LAST)  # longer than a year


def random_changes(rng, holders):
    """Changes as the services make them: outcomes, detentions, dates, goods, countries."""
    ids = list(Detention.objects.values_list("pk", flat=True))
    for pk in rng.sample(ids, 6):
        Detention.objects.filter(pk=pk).update(outcome="released", detained_on=None)
    for pk in rng.sample(ids, 3):
        moved = day(rng)
        Detention.objects.filter(pk=pk).update(opened_on=moved, detained_on=None)
    GoodsLine.objects.filter(detention_id__in=rng.sample(ids, 4)).update(category="toys")
    detention = Detention.objects.get(pk=rng.choice(ids))
    GoodsLine.objects.create(
        detention=detention,
        description="more",
        hs_code="9503",
        category="food",
        quantity=3,
        value=Decimal("3.00"),
    )
    GoodsLine.objects.filter(detention_id=rng.choice(ids)).delete()
    Detention.objects.filter(pk=rng.choice(ids)).delete()
    holder = rng.choice(holders)
    Organisation.objects.filter(pk=holder.pk).update(
        country="DE" if holder.country == "CN" else "CN"
    )
    Recordal.objects.filter(pk__in=rng.sample(list(Recordal.objects.values_list("pk", flat=True)), 3)).update(
        approved_on=None
    )  # fmt: skip


@pytest.fixture
def random_data(parties):
    rng = random.Random(21)
    Region.objects.create(code="africa", name_en="Africa", countries=["NG", "KE"])
    Region.objects.create(code="belt-road", name_en="Belt and Road", countries=["NG", "AE"])
    offices = [parties["ningbo"], parties["shenzhen"], parties["gacc"]]
    holders = [parties["holder_a"], parties["holder_b"]]
    Organisation.objects.filter(pk=holders[0].pk).update(country="CN")
    for _ in range(160):
        random_case(rng, offices, holders)
    for _ in range(60):
        random_recordal(rng, holders)
    return rng, holders


def assert_same_as_live(rng, periods=12):
    for _ in range(periods):
        starts_on, ends_on = random_period(rng)
        rolled = report(starts_on=starts_on, ends_on=ends_on)
        live = report(starts_on=starts_on, ends_on=ends_on, live=True)
        assert rolled == live, (starts_on, ends_on)


def test_rollup_figures_equal_the_live_query_over_random_data_and_periods(random_data):
    rng, holders = random_data
    assert rollup_refresh() > 40  # every month with cases or recordals, from the marks
    assert not StaleMonth.objects.exists()
    months = {d.replace(day=1) for d in Detention.objects.values_list("opened_on", flat=True)}
    assert set(MonthFigure.objects.filter(dimension="month").values_list("month", flat=True)) == (
        months
    )
    assert_same_as_live(rng)
    random_changes(rng, holders)
    assert StaleMonth.objects.exists()
    assert_same_as_live(rng)  # each report recounts the marked months first
    assert not StaleMonth.objects.exists()


def test_stale_months_are_counted_live_until_recounted(random_data):
    """A replica cannot recount: the report there reads the marked months live."""
    rng, holders = random_data
    rollup_refresh()
    random_changes(rng, holders)
    stale = set(StaleMonth.objects.values_list("month", flat=True))
    assert stale
    with mock.patch("reports.selectors.rollup_refresh") as refresh:
        assert_same_as_live(rng)
    refresh.assert_called()
    assert set(StaleMonth.objects.values_list("month", flat=True)) == stale


def test_a_change_marks_its_months_and_a_refresh_recounts_only_them(random_data):
    rollup_refresh()
    detention = Detention.objects.order_by("pk").first()
    month = detention.opened_on.replace(day=1)
    Detention.objects.filter(pk=detention.pk).update(opened_on=D("2022-07-15"))
    assert set(StaleMonth.objects.values_list("month", flat=True)) == {month, D("2022-07-01")}
    before = MonthFigure.objects.filter(month=D("2023-03-01")).values_list("pk", flat=True)
    kept = set(before) if month != D("2023-03-01") else set()
    assert rollup_refresh() == len({month, D("2022-07-01")})
    if kept:
        assert kept == set(
            MonthFigure.objects.filter(month=D("2023-03-01")).values_list("pk", flat=True)
        )
    assert rollup_refresh() == 0  # nothing marked: idempotent


def test_district_and_holder_reports_stay_live(random_data, parties):
    starts_on, ends_on = D("2024-01-01"), D("2024-12-31")
    for scope in (Scope(office=parties["ningbo"]), Scope(holder=parties["holder_a"])):
        assert report(starts_on=starts_on, ends_on=ends_on, scope=scope) == report(
            starts_on=starts_on, ends_on=ends_on, scope=scope, live=True
        )
    assert StaleMonth.objects.exists()  # neither needs the rollup: nothing recounted


def test_whole_months_and_the_days_around_them():
    assert whole_months(D("2024-01-01"), D("2024-12-31")) == (
        [dt.date(2024, m, 1) for m in range(1, 13)],
        [],
    )
    assert whole_months(D("2024-01-15"), D("2024-03-10")) == (
        [D("2024-02-01")],
        [(D("2024-01-15"), D("2024-01-31")), (D("2024-03-01"), D("2024-03-10"))],
    )
    assert whole_months(D("2024-02-03"), D("2024-02-27")) == (
        [],
        [(D("2024-02-03"), D("2024-02-27"))],
    )
    assert whole_months(D("2024-02-01"), D("2024-02-29")) == ([D("2024-02-01")], [])
