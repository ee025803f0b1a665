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
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from campaigns.models import Region
from core.errors import InvalidInput
from core.i18n import in_reader_language
from detentions.models import Channel, Direction, Mode, Outcome, ProductCategory
from recordals.models import RecordalKind

CENT = Decimal("0.01")
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
    {periods} ON d.opened_on BETWEEN p.starts AND p.ends
    JOIN accounts_organisation h ON h.id = d.holder_id
    WHERE d.opened_on BETWEEN %(prev_from)s AND %(to)s{scope}
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
    {periods} ON d.opened_on BETWEEN p.starts AND p.ends
    JOIN detentions_goodsline g ON g.detention_id = d.id
    WHERE d.opened_on BETWEEN %(prev_from)s AND %(to)s{scope}
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
    {periods} ON d.opened_on BETWEEN p.starts AND p.ends
    WHERE d.opened_on BETWEEN %(prev_from)s AND %(to)s{scope}
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
_RECORDALS = """
SELECT p.cur, h.is_domestic,
       count(*) FILTER (WHERE d.submitted_on BETWEEN p.starts AND p.ends),
       count(*) FILTER (WHERE d.approved_on BETWEEN p.starts AND p.ends)
FROM recordals_recordal d
{periods} ON d.submitted_on BETWEEN p.starts AND p.ends
          OR d.approved_on BETWEEN p.starts AND p.ends
JOIN accounts_organisation h ON h.id = d.holder_id
WHERE (d.submitted_on BETWEEN %(prev_from)s AND %(to)s
       OR d.approved_on BETWEEN %(prev_from)s AND %(to)s){scope}
GROUP BY 1, 2
"""


def _fetch(sql: str, params: dict) -> list[tuple]:
    sql = sql.replace("{periods}", PERIODS.strip())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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


def report(*, starts_on: dt.date, ends_on: dt.date, scope: Scope | None = None) -> dict:
    """The annual report's figures for [starts_on, ends_on] and the same period a year
    before, for the scope (national by default)."""
    scope = scope or Scope()
    params = {
        "from": starts_on,
        "to": ends_on,
        "prev_from": year_before(starts_on),
        "prev_to": year_before(ends_on),
    }
    where, extra = scope.sql("d")
    params.update(extra)

    buckets = _Buckets()
    headline = {True: [0] * 6, False: [0] * 6}
    monthly: dict[tuple[bool, str], list] = {}
    offices: set[int] = set()
    width = len(_DIMENSIONS)
    for row in _fetch(_case_query().replace("{scope}", where), params):
        cur, groupings, keys, measures = (
            row[0],
            row[1 : 1 + width],
            row[1 + width : 1 + 2 * width],
            row[1 + 2 * width :],
        )
        if all(groupings):
            headline[cur] = list(measures)
            continue
        index = groupings.index(0)
        split, key = list(_DIMENSIONS)[index], keys[index]
        if split == "month":
            monthly[(cur, key)] = measures[:4]
            continue
        if split == "district":
            offices.add(key)
        buckets.add(split, key, cur, measures[:4])
    for cur, category, *measures in _fetch(_CATEGORIES.replace("{scope}", where), params):
        buckets.add("category", category, cur, measures)
    regions = {}
    for cur, region_id, *measures in _fetch(_REGIONS.replace("{scope}", where), params):
        buckets.add("region", region_id, cur, measures)
        regions[region_id] = None
    referrals = {True: (0, 0), False: (0, 0)}
    for cur, count, accepted in _fetch(_REFERRALS.replace("{scope}", where), params):
        referrals[cur] = (count, accepted)
    recordals = None
    if scope.kind != "district":
        recordals = _recordal_figures(_fetch(_RECORDALS.replace("{scope}", where), params))

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
