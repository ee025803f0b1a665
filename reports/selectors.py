"""The annual report's figures, for any period and scope, computed by PostgreSQL.

What is counted (DOMAIN.md, "What the national figures count"):
- a protection action is a case opened in the period: a notice served ex officio (release
  suspended) or an application filed;
- a batch is a protection action whose goods were detained (`detained_on` set); items and
  value are the detained batches' goods;
- exempted from penalty: detained batches whose penalty decision is "no penalty" (R24);
- referrals: cases referred to public security in the period (R25);
- recordal applications: submitted in the period; approvals: approved in the period.
Every figure comes with the same period a year before and the change in percent (None
when the year before had nothing: no division by zero).

Five aggregate queries, each covering both periods: the case splits (grouping sets), the
product categories (goods lines), the destination regions, the referrals and the recordals.
National figures read the whole months of a period from the monthly rollup
(reports/models.py) and count live only the days around them and the months marked
stale, in one snapshot: the same figures as counting every case live (issue 21).
"""

from __future__ import annotations

import calendar
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from campaigns.models import Region
from core.errors import InvalidInput
from core.i18n import in_reader_language
from detentions.models import Channel, Direction, Mode, Outcome, ProductCategory
from recordals.models import RecordalKind
from reports.models import MonthFigure
from reports.services import rollup_refresh

CENT = Decimal("0.01")
WORK_MEM = "64MB"
SCOPES = ("national", "district", "holder")
MEASURES = ("actions", "batches", "items", "value")

SPLITS = {
    "ip_kind": _("Kind of right"),
    "direction": _("Direction"),
    "mode": _("Mode"),
    "channel": _("Channel"),
    "district": _("Customs district"),
    "category": _("Product category"),
    "region": _("Destination region"),
    "holder_country": _("Rights holder's country"),
    "outcome": _("Outcome"),
}

# The columns of the case query's grouping sets, in order, and the split each feeds.
_DIMENSIONS = {
    "ip_kind": "ip_kind",
    "direction": "direction",
    "mode": "mode",
    "channel": "channel",
    "district": "office_id",
    "holder_country": "holder_domestic",
    "outcome": "outcome",
    "month": "month",
}


@dataclass(frozen=True)
class Scope:
    """National (both None), one customs district, or one rights holder's own cases."""

    office: Organisation | None = None
    holder: Organisation | None = None

    @property
    def kind(self) -> str:
        return "holder" if self.holder else "district" if self.office else "national"

    def describe(self) -> dict:
        org = self.holder or self.office
        return {
            "kind": self.kind,
            "id": org.pk if org else None,
            "name": in_reader_language(org.name_en, org.name_zh) if org else str(_("National")),
        }

    def sql(self, alias: str) -> tuple[str, dict]:
        """The condition on `alias` and its named parameter."""
        if self.holder:
            return f" AND {alias}.holder_id = %(scope)s", {"scope": self.holder.pk}
        if self.office:
            return f" AND {alias}.office_id = %(scope)s", {"scope": self.office.pk}
        return "", {}


def scope_for(*, kind: str, office: str | None = None, holder: str | int | None = None) -> Scope:
    """The Scope for `kind`, finding the district by customs code (or id) and the rights
    holder by id. Unknown or missing ones are InvalidInput with field errors."""
    if kind not in SCOPES:
        raise InvalidInput(
            {"scope": gettext("One of %(choices)s.") % {"choices": ", ".join(SCOPES)}}
        )
    if kind == "national":
        return Scope()
    if kind == "district":
        value = str(office or "").strip()
        if not value:
            raise InvalidInput(
                {"office": gettext("Required for scope=district: a customs code or id.")}
            )
        districts = Organisation.objects.filter(
            kind=Organisation.Kind.CUSTOMS, customs_level=Organisation.CustomsLevel.DISTRICT
        )
        found = districts.filter(customs_code=value).first()
        if found is None and value.isascii() and value.isdigit() and len(value) < 19:
            found = districts.filter(pk=int(value)).first()
        if found is None:
            raise InvalidInput(
                {"office": gettext("No customs district %(value)s.") % {"value": repr(value)}}
            )
        return Scope(office=found)
    value = str(holder if holder is not None else "").strip()
    if not value:
        raise InvalidInput({"holder": gettext("Required for scope=holder: a rights holder's id.")})
    found = None
    if value.isascii() and value.isdigit() and len(value) < 19:
        found = Organisation.objects.filter(
            kind=Organisation.Kind.RIGHTS_HOLDER, pk=int(value)
        ).first()
    if found is None:
        raise InvalidInput(
            {"holder": gettext("No rights holder %(value)s.") % {"value": repr(value)}}
        )
    return Scope(holder=found)


def year_before(day: dt.date) -> dt.date:
    """The same day a year before; 29 February becomes 28 February."""
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


def period_for(*, year: int, quarter: int | None = None) -> tuple[dt.date, dt.date]:
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = 3 * (quarter - 1) + 1
    last = first + 2
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def change_pct(current, previous) -> Decimal | None:
    """Change against the year before in percent, to 0.01; None if there was nothing."""
    if not previous:
        return None
    change = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    return change.quantize(CENT, rounding=ROUND_HALF_UP)


def figure(current, previous) -> dict:
    return {"current": current, "previous": previous, "change_pct": change_pct(current, previous)}


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


# --- the queries ---------------------------------------------------------------------------

# Both periods in one pass: `cur` is true for the period asked, false for the year before
# (a case in both, when the period is longer than a year, counts in both). Months of the
# year before are shifted a year on, to sit beside the months they compare with. Each query
# also bounds its date by one constant range (the year before starts and ends first), so
# PostgreSQL reads the dates' index instead of joining the whole table to the periods.
# Categories are summed per case first (no count(DISTINCT), which sorts); regions join the
# per-country sums, a few hundred rows, not the cases.
PERIODS = """
JOIN (VALUES (true, %(from)s::date, %(to)s::date),
             (false, %(prev_from)s::date, %(prev_to)s::date)) AS p (cur, starts, ends)
"""
# The case queries take any list of (cur, starts, ends) ranges: both periods whole, or, for
# national figures, only the days the rollup does not hold. `%(lo)s` and `%(hi)s` bound them.
RANGES = "JOIN (VALUES {rows}) AS p (cur, starts, ends)"

_CASES = """
WITH cases AS (
    SELECT p.cur,
           d.ip_kind, d.direction, d.mode, d.channel, d.office_id, h.is_domestic AS holder_domestic,
           d.outcome,
           to_char(CASE WHEN p.cur THEN d.opened_on ELSE d.opened_on + interval '1 year' END,
                   'YYYY-MM') AS month,
           d.detained_on IS NOT NULL AS detained,
           d.penalty_tier = 'none' AS exempted,
           d.total_items, d.total_value
    FROM detentions_detention d
    {ranges} ON d.opened_on BETWEEN p.starts AND p.ends
    JOIN accounts_organisation h ON h.id = d.holder_id
    WHERE d.opened_on BETWEEN %(lo)s AND %(hi)s{scope}
)
SELECT cur, {groupings}, {dimensions},
       count(*),
       count(*) FILTER (WHERE detained),
       coalesce(sum(total_items) FILTER (WHERE detained), 0),
       coalesce(sum(total_value) FILTER (WHERE detained), 0),
       count(*) FILTER (WHERE detained AND exempted),
       coalesce(sum(total_items) FILTER (WHERE detained AND exempted), 0)
FROM cases
GROUP BY GROUPING SETS ((cur), {sets})
"""

# A batch counts once in each category among its goods; items and value are those lines'.
_CATEGORIES = """
SELECT cur, category,
       count(*),
       count(*) FILTER (WHERE detained),
       coalesce(sum(quantity) FILTER (WHERE detained), 0),
       coalesce(sum(value) FILTER (WHERE detained), 0)
FROM (
    SELECT p.cur, d.id, g.category, d.detained_on IS NOT NULL AS detained,
           sum(g.quantity) AS quantity, sum(g.value) AS value
    FROM detentions_detention d
    {ranges} ON d.opened_on BETWEEN p.starts AND p.ends
    JOIN detentions_goodsline g ON g.detention_id = d.id
    WHERE d.opened_on BETWEEN %(lo)s AND %(hi)s{scope}
    GROUP BY 1, 2, 3, 4
) AS per_case
GROUP BY 1, 2
"""

# Regions overlap (Belt and Road includes African countries): a batch counts in every region
# its destination belongs to, and under "none" if in no region.
_REGIONS = """
SELECT c.cur, r.id, sum(c.actions)::bigint, sum(c.batches)::bigint, sum(c.items)::bigint,
       sum(c.value)
FROM (
    SELECT p.cur, d.destination_country,
           count(*) AS actions,
           count(*) FILTER (WHERE d.detained_on IS NOT NULL) AS batches,
           coalesce(sum(d.total_items) FILTER (WHERE d.detained_on IS NOT NULL), 0) AS items,
           coalesce(sum(d.total_value) FILTER (WHERE d.detained_on IS NOT NULL), 0) AS value
    FROM detentions_detention d
    {ranges} ON d.opened_on BETWEEN p.starts AND p.ends
    WHERE d.opened_on BETWEEN %(lo)s AND %(hi)s{scope}
    GROUP BY 1, 2
) AS c
LEFT JOIN campaigns_region r ON c.destination_country = ANY (r.countries)
GROUP BY 1, 2
"""

_REFERRALS = """
SELECT p.cur, count(*), count(*) FILTER (WHERE f.status = 'accepted')
FROM detentions_referral f
{periods} ON f.referred_on BETWEEN p.starts AND p.ends
JOIN detentions_detention d ON d.id = f.detention_id
WHERE f.referred_on BETWEEN %(prev_from)s AND %(to)s{scope}
GROUP BY 1
"""

# Recordals are national (GACC decides them): counted for national and holder scopes.
# Within one `cur` the ranges do not overlap: a recordal joined to two of them counts its
# submission in one and its approval in the other.
_RECORDALS = """
SELECT p.cur, h.is_domestic,
       count(*) FILTER (WHERE d.submitted_on BETWEEN p.starts AND p.ends),
       count(*) FILTER (WHERE d.approved_on BETWEEN p.starts AND p.ends)
FROM recordals_recordal d
{ranges} ON d.submitted_on BETWEEN p.starts AND p.ends
          OR d.approved_on BETWEEN p.starts AND p.ends
JOIN accounts_organisation h ON h.id = d.holder_id
WHERE (d.submitted_on BETWEEN %(lo)s AND %(hi)s
       OR d.approved_on BETWEEN %(lo)s AND %(hi)s){scope}
GROUP BY 1, 2
"""


# The rollup's months (`cur` true for the period asked): every dimension but countries
# summed per key, the months' totals per month (shifted a year on for the year before, as
# the live query does), and the countries joined to the regions as the live query joins.
_ROLLUP = """
SELECT p.cur, f.dimension,
       CASE WHEN f.dimension = 'month'
            THEN to_char(CASE WHEN p.cur THEN f.month ELSE f.month + interval '1 year' END,
                         'YYYY-MM')
            ELSE f.key END,
       sum(f.actions)::bigint, sum(f.batches)::bigint, sum(f.items), sum(f.value),
       sum(f.exempted)::bigint, sum(f.exempted_items)
FROM unnest(%(curs)s::boolean[], %(months)s::date[]) AS p (cur, month)
JOIN reports_monthfigure f ON f.month = p.month
WHERE f.dimension <> 'country' AND f.month BETWEEN %(lo)s AND %(hi)s
GROUP BY 1, 2, 3
UNION ALL
SELECT c.cur, 'region', r.id::text, sum(c.actions)::bigint, sum(c.batches)::bigint,
       sum(c.items), sum(c.value), 0, 0
FROM (
    SELECT p.cur, f.key, sum(f.actions) AS actions, sum(f.batches) AS batches,
           sum(f.items) AS items, sum(f.value) AS value
    FROM unnest(%(curs)s::boolean[], %(months)s::date[]) AS p (cur, month)
    JOIN reports_monthfigure f ON f.month = p.month AND f.dimension = 'country'
    WHERE f.month BETWEEN %(lo)s AND %(hi)s
    GROUP BY 1, 2
) AS c
LEFT JOIN campaigns_region r ON c.key = ANY (r.countries)
GROUP BY 1, 3
"""


def _database() -> str:
    """The database the statistics read (the replica when one is configured)."""
    return router.db_for_read(MonthFigure)


def _fetch(sql: str, params: dict, ranges: list | None = None) -> list[tuple]:
    sql = sql.replace("{periods}", PERIODS.strip())
    if ranges is not None:
        rows = ", ".join(
            f"(%(cur{i})s, %(starts{i})s::date, %(ends{i})s::date)" for i in range(len(ranges))
        )
        sql = sql.replace("{ranges}", RANGES.replace("{rows}", rows))
        params = {
            **params,
            "lo": min(starts for _cur, starts, _ends in ranges),
            "hi": max(ends for _cur, _starts, ends in ranges),
        }
        for i, (cur, starts, ends) in enumerate(ranges):
            params.update({f"cur{i}": cur, f"starts{i}": starts, f"ends{i}": ends})
    with connections[_database()].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextmanager
def _snapshot():
    """One snapshot for all the report's queries (the rollup, its stale marks and the
    live counts must agree); inside a caller's transaction, the caller's."""
    using = _database()
    if connections[using].in_atomic_block:
        yield
        return
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # The live counts' sorts and hashes in memory, not on disk (a national year's
        # cases take ~20 MB; the server's default is 4 MB), for this transaction only.
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        yield


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def whole_months(starts_on: dt.date, ends_on: dt.date) -> tuple[list[dt.date], list]:
    """The first days of the calendar months lying wholly in [starts_on, ends_on], and
    the ranges of days left around them."""
    first = starts_on if starts_on.day == 1 else _next_month(starts_on)
    after = (
        _next_month(ends_on)
        if _next_month(ends_on) - dt.timedelta(days=1) == ends_on
        else (ends_on.replace(day=1))
    )  # the first day after the last whole month
    if first >= after:
        return [], [(starts_on, ends_on)]
    months, month = [], first
    while month < after:
        months.append(month)
        month = _next_month(month)
    edges = []
    if starts_on < first:
        edges.append((starts_on, first - dt.timedelta(days=1)))
    if after <= ends_on:
        edges.append((after, ends_on))
    return months, edges


def _plan(periods: dict[bool, tuple[dt.date, dt.date]], use_rollup: bool):
    """(cur, month) pairs read from the rollup, and (cur, starts, ends) ranges counted
    live: the days around whole months and the months marked stale."""
    if not use_rollup:
        return [], [(cur, starts, ends) for cur, (starts, ends) in periods.items()]
    wanted = {cur: whole_months(*period) for cur, period in periods.items()}
    every = [month for months, _edges in wanted.values() for month in months]
    stale = set()
    if every:
        with connections[_database()].cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT month FROM reports_stalemonth WHERE month BETWEEN %s AND %s",
                [min(every), max(every)],
            )
            stale = {row[0] for row in cursor.fetchall()}
    rolled, live = [], []
    for cur, (months, edges) in wanted.items():
        live.extend((cur, starts, ends) for starts, ends in edges)
        for month in months:
            if month in stale:
                live.append((cur, month, _next_month(month) - dt.timedelta(days=1)))
            else:
                rolled.append((cur, month))
    return rolled, live


def _case_query() -> str:
    columns = list(_DIMENSIONS.values())
    return (
        _CASES.replace("{groupings}", ", ".join(f"GROUPING({c})" for c in columns))
        .replace("{dimensions}", ", ".join(columns))
        .replace("{sets}", ", ".join(f"(cur, {c})" for c in columns))
    )


# --- the report ----------------------------------------------------------------------------


class _Buckets:
    """Current and previous measures per (split, key)."""

    def __init__(self):
        self.data: dict[tuple[str, object], dict[bool, list]] = {}

    def add(self, split, key, cur, values):
        self.data.setdefault((split, key), {}).setdefault(cur, [0, 0, 0, Decimal(0)])
        totals = self.data[(split, key)][cur]
        for index, value in enumerate(values):
            totals[index] += value

    def rows(self, split, labels) -> list[dict]:
        rows = []
        for (name, key), periods in self.data.items():
            if name != split:
                continue
            cur = periods.get(True, [0, 0, 0, Decimal(0)])
            prev = periods.get(False, [0, 0, 0, Decimal(0)])
            row = {"key": _key(key), "label": str(labels(key))}
            for index, measure in enumerate(MEASURES):
                current, previous = cur[index], prev[index]
                if measure == "value":
                    current, previous = _money(current), _money(previous)
                row[measure] = figure(current, previous)
            rows.append(row)
        return sorted(
            rows,
            key=lambda r: (-r["batches"]["current"], -r["actions"]["current"], r["key"]),
        )


def _key(key) -> str:
    if key is True:
        return "domestic"
    if key is False:
        return "foreign"
    return "none" if key is None else str(key)


def report(
    *, starts_on: dt.date, ends_on: dt.date, scope: Scope | None = None, live: bool = False
) -> dict:
    """The annual report's figures for [starts_on, ends_on] and the same period a year
    before, for the scope (national by default). National figures come from the monthly
    rollup where it is current; `live` counts every case instead (the rollup's tests
    compare the two)."""
    scope = scope or Scope()
    params = {
        "from": starts_on,
        "to": ends_on,
        "prev_from": year_before(starts_on),
        "prev_to": year_before(ends_on),
    }
    where, extra = scope.sql("d")
    params.update(extra)
    use_rollup = scope.kind == "national" and not live
    if use_rollup and _database() == DEFAULT_DB_ALIAS:
        rollup_refresh()  # cheap when nothing changed; a replica relies on the marks
    with _snapshot():
        return _report(scope, params, where, use_rollup)


def _report(scope: Scope, params: dict, where: str, use_rollup: bool) -> dict:
    starts_on, ends_on = params["from"], params["to"]
    periods = {True: (starts_on, ends_on), False: (params["prev_from"], params["prev_to"])}
    rolled, ranges = _plan(periods, use_rollup)

    buckets = _Buckets()
    headline = {True: [0] * 6, False: [0] * 6}
    monthly: dict[tuple[bool, str], list] = {}
    offices: set[int] = set()
    regions = {}
    recordal_counts: dict[tuple[bool, bool], list[int]] = {}

    def add_cases(cur, split, key, measures):
        if split == "month":
            for index, value in enumerate(measures):
                headline[cur][index] += value
            totals = monthly.setdefault((cur, key), [0, 0, 0, 0])
            for index, value in enumerate(measures[:4]):
                totals[index] += value
            return
        if split == "district":
            offices.add(key)
        buckets.add(split, key, cur, measures[:4])

    if rolled:
        months = [month for _cur, month in rolled]
        rollup_params = {
            "curs": [cur for cur, _month in rolled],
            "months": months,
            "lo": min(months),
            "hi": max(months),
        }
        for cur, dimension, key, *measures in _fetch(_ROLLUP, rollup_params):
            if dimension.startswith("recordal_"):
                counts = recordal_counts.setdefault((cur, key == "true"), [0, 0])
                counts[dimension == "recordal_approved"] += measures[0]
                continue
            if dimension == "region":
                key = None if key is None else int(key)
                buckets.add("region", key, cur, measures[:4])
                regions[key] = None
                continue
            if dimension == "district":
                key = int(key)
            elif dimension == "holder_country":
                key = key == "true"
            add_cases(cur, dimension, key, measures)
    width = len(_DIMENSIONS)
    if ranges:
        for row in _fetch(_case_query().replace("{scope}", where), params, ranges):
            cur, groupings, keys, measures = (
                row[0],
                row[1 : 1 + width],
                row[1 + width : 1 + 2 * width],
                row[1 + 2 * width :],
            )
            if all(groupings):
                continue  # the headline: the months' totals summed instead
            index = groupings.index(0)
            add_cases(cur, list(_DIMENSIONS)[index], keys[index], measures)
        for cur, category, *measures in _fetch(
            _CATEGORIES.replace("{scope}", where), params, ranges
        ):
            buckets.add("category", category, cur, measures)
        for cur, region_id, *measures in _fetch(_REGIONS.replace("{scope}", where), params, ranges):
            buckets.add("region", region_id, cur, measures)
            regions[region_id] = None
    referrals = {True: (0, 0), False: (0, 0)}
    for cur, count, accepted in _fetch(_REFERRALS.replace("{scope}", where), params):
        referrals[cur] = (count, accepted)
    recordals = None
    if scope.kind != "district":
        if ranges:
            for cur, domestic, submitted, approved in _fetch(
                _RECORDALS.replace("{scope}", where), params, ranges
            ):
                counts = recordal_counts.setdefault((cur, domestic), [0, 0])
                counts[0] += submitted
                counts[1] += approved
        recordals = _recordal_figures(
            [(cur, domestic, *counts) for (cur, domestic), counts in recordal_counts.items()]
        )

    names = Organisation.objects.in_bulk(offices)
    region_names = Region.objects.in_bulk([pk for pk in regions if pk is not None])
    labels = {
        "ip_kind": lambda k: RecordalKind(k).label,
        "direction": lambda k: Direction(k).label,
        "mode": lambda k: Mode(k).label,
        "channel": lambda k: Channel(k).label,
        "district": lambda k: in_reader_language(names[k].name_en, names[k].name_zh),
        "category": lambda k: ProductCategory(k).label,
        "region": lambda k: region_names[k].name if k else _("No focus region"),
        "holder_country": lambda k: _("Domestic") if k else _("Foreign"),
        "outcome": lambda k: Outcome(k).label,
    }
    splits = {split: buckets.rows(split, labels[split]) for split in SPLITS}
    for row in splits["district"]:
        row["key"] = names[int(row["key"])].customs_code or row["key"]
    for row in splits["region"]:
        if row["key"] != "none":
            row["key"] = region_names[int(row["key"])].code
    cur, prev = headline[True], headline[False]
    figures = {
        "protection_actions": figure(cur[0], prev[0]),
        "batches": figure(cur[1], prev[1]),
        "items": figure(cur[2], prev[2]),
        "value": figure(_money(cur[3]), _money(prev[3])),
        "batches_exempted": figure(cur[4], prev[4]),
        "items_exempted": figure(cur[5], prev[5]),
        "referrals": figure(referrals[True][0], referrals[False][0]),
        "referrals_accepted": figure(referrals[True][1], referrals[False][1]),
    }
    if recordals is not None:
        figures.update(recordals)
    return {
        "period": {"from": starts_on, "to": ends_on},
        "previous_period": {"from": params["prev_from"], "to": params["prev_to"]},
        "scope": scope.describe(),
        "figures": figures,
        "splits": splits,
        "monthly": _monthly(starts_on, ends_on, monthly),
    }


def _recordal_figures(rows) -> dict:
    counts = {(cur, domestic): (submitted, approved) for cur, domestic, submitted, approved in rows}

    def total(cur, index, domestic=None):
        return sum(
            values[index]
            for (period, is_domestic), values in counts.items()
            if period == cur and (domestic is None or is_domestic == domestic)
        )

    figures = {}
    for index, name in ((0, "recordal_applications"), (1, "recordals_approved")):
        figures[name] = figure(total(True, index), total(False, index))
        figures[f"{name}_domestic"] = figure(total(True, index, True), total(False, index, True))
        figures[f"{name}_foreign"] = figure(total(True, index, False), total(False, index, False))
    return figures


def _monthly(starts_on, ends_on, monthly) -> list[dict]:
    """Each month of the period with its figures and the same month a year before."""
    rows = []
    month = starts_on.replace(day=1)
    while month <= ends_on:
        key = month.strftime("%Y-%m")
        cur = monthly.get((True, key), [0, 0, 0, 0])
        prev = monthly.get((False, key), [0, 0, 0, 0])
        rows.append(
            {
                "month": month.strftime("%Y-%m"),
                **{
                    measure: figure(
                        _money(cur[i]) if measure == "value" else cur[i],
                        _money(prev[i]) if measure == "value" else prev[i],
                    )
                    for i, measure in enumerate(MEASURES)
                },
            }
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return rows
