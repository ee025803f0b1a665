"""The monthly rollup's one writer (reports/models.py): recount the months marked stale.

Idempotent and safe beside any writer: it takes the marks it can see, recounts those
months from the cases in a later snapshot, and removes only the marks it took, so a
change committed meanwhile keeps its mark and is recounted next time. One refresh at a
time (a transaction-level advisory lock); a second one finds the lock taken and leaves
the work to the first (the report counts marked months live meanwhile).
"""

from __future__ import annotations

import datetime as dt

from django.db import DEFAULT_DB_ALIAS, connections, transaction

LOCK = 0x7265706F7274  # "report": the advisory lock's key
DIMENSIONS = {  # the case columns summed, by dimension (the report's splits)
    "ip_kind": "ip_kind",
    "direction": "direction",
    "mode": "mode",
    "channel": "channel",
    "district": "office_id",
    "holder_country": "holder_domestic",
    "outcome": "outcome",
}
_COLUMNS = "month, dimension, key, actions, batches, items, value, exempted, exempted_items"
# The same rows and measures as the report's live case query (reports/selectors.py _CASES).
_CASES = """
INSERT INTO reports_monthfigure ({columns})
WITH cases AS (
    SELECT m.month, d.ip_kind, d.direction, d.mode, d.channel, d.office_id,
           h.is_domestic AS holder_domestic, d.outcome,
           d.detained_on IS NOT NULL AS detained, d.penalty_tier = 'none' AS exempted,
           d.total_items, d.total_value
    FROM unnest(%(months)s::date[]) AS m (month)
    JOIN detentions_detention d
      ON d.opened_on >= m.month AND d.opened_on < (m.month + interval '1 month')::date
     AND d.opened_on BETWEEN %(lo)s AND %(hi)s
    JOIN accounts_organisation h ON h.id = d.holder_id
)
SELECT month,
       CASE {dimension} ELSE 'month' END,
       CASE {key} ELSE '' END,
       count(*),
       count(*) FILTER (WHERE detained),
       coalesce(sum(total_items) FILTER (WHERE detained), 0),
       coalesce(sum(total_value) FILTER (WHERE detained), 0),
       count(*) FILTER (WHERE detained AND exempted),
       coalesce(sum(total_items) FILTER (WHERE detained AND exempted), 0)
FROM cases
GROUP BY GROUPING SETS ((month), {sets})
"""
# As the live categories query: a case counts once in each category among its goods.
_CATEGORIES = """
SELECT month, 'category', category,
       count(*),
       count(*) FILTER (WHERE detained),
       coalesce(sum(quantity) FILTER (WHERE detained), 0),
       coalesce(sum(value) FILTER (WHERE detained), 0),
       0, 0
FROM (
    SELECT m.month, d.id, g.category, d.detained_on IS NOT NULL AS detained,
           sum(g.quantity) AS quantity, sum(g.value) AS value
    FROM unnest(%(months)s::date[]) AS m (month)
    JOIN detentions_detention d
      ON d.opened_on >= m.month AND d.opened_on < (m.month + interval '1 month')::date
     AND d.opened_on BETWEEN %(lo)s AND %(hi)s
    JOIN detentions_goodsline g ON g.detention_id = d.id
    GROUP BY 1, 2, 3, 4
) AS per_case
GROUP BY 1, 3
"""
# Destination countries, not regions: regions are joined when the report is read, so a
# region whose countries change needs no recount.
_COUNTRIES = """
SELECT m.month, 'country', d.destination_country,
       count(*),
       count(*) FILTER (WHERE d.detained_on IS NOT NULL),
       coalesce(sum(d.total_items) FILTER (WHERE d.detained_on IS NOT NULL), 0),
       coalesce(sum(d.total_value) FILTER (WHERE d.detained_on IS NOT NULL), 0),
       0, 0
FROM unnest(%(months)s::date[]) AS m (month)
JOIN detentions_detention d
  ON d.opened_on >= m.month AND d.opened_on < (m.month + interval '1 month')::date
     AND d.opened_on BETWEEN %(lo)s AND %(hi)s
GROUP BY 1, 3
"""

# As the live recordals query: applications by the month submitted, approvals by the
# month approved, split by the holder's country.
_RECORDALS = """
SELECT m.month, 'recordal_{day}', h.is_domestic::text, count(*), 0, 0, 0, 0, 0
FROM unnest(%(months)s::date[]) AS m (month)
JOIN recordals_recordal d
  ON d.{day}_on >= m.month AND d.{day}_on < (m.month + interval '1 month')::date
 AND d.{day}_on BETWEEN %(lo)s AND %(hi)s
JOIN accounts_organisation h ON h.id = d.holder_id
GROUP BY 1, 3
"""


def _case_sql() -> str:
    dimension = " ".join(
        f"WHEN GROUPING({column}) = 0 THEN '{name}'" for name, column in DIMENSIONS.items()
    )
    key = " ".join(
        f"WHEN GROUPING({column}) = 0 THEN {column}::text" for column in DIMENSIONS.values()
    )
    sets = ", ".join(f"(month, {column})" for column in DIMENSIONS.values())
    return (
        _CASES.replace("{dimension}", dimension)
        .replace("{key}", key)
        .replace("{sets}", sets)
        .replace("{columns}", _COLUMNS)
    )


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def rollup_refresh(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Recount the months marked stale; the number of months recounted (0 when nothing
    was marked or another refresh holds the lock)."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK])
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute("DELETE FROM reports_stalemonth RETURNING month")
        months = sorted({row[0] for row in cursor.fetchall()})
        if not months:
            return 0
        # The constant bounds let the planner see how few cases a recount reads.
        params = {"months": months, "lo": months[0], "hi": _month_end(months[-1])}
        cursor.execute("DELETE FROM reports_monthfigure WHERE month = ANY(%(months)s)", params)
        cursor.execute(
            " UNION ALL ".join(
                (
                    _case_sql(),
                    f"({_CATEGORIES})",
                    f"({_COUNTRIES})",
                    f"({_RECORDALS.replace('{day}', 'submitted')})",
                    f"({_RECORDALS.replace('{day}', 'approved')})",
                )
            ),
            params,
        )
    return len(months)
