"""Benchmark: among 1,000,000 detentions (24 years of 2024's national volume, with goods
lines, referrals and the national flow of recordal applications), how long does the
national annual report take? Targets (issue 21): under 150 ms and within 1.5x of the best
hand-written SQL for the same figures, timed in the same run.

    .venv/bin/python benchmarks/national_report.py [--detentions 1000000] [--seed 2024]
        [--repeat 5] [--keep] [--reuse]

Uses DATABASE_URL (or the embedded PostgreSQL) but its own database,
`customs_ipr_bench_report`, created, migrated and filled by benchmarks/national_data.py
with COPY; dropped afterwards unless --keep. --reuse runs on a database kept earlier (no
generation). The five focus regions of campaigns/demo.py are created (the report splits
by destination region).

First the monthly rollup (reports/models.py) is recounted from the marks the data left
(the whole history once; timed). Then times `reports.selectors.report` for the last full
year of the data, national: once cold and --repeat times warm (min, median, max), with
the SQL queries it ran, each query's EXPLAIN (ANALYZE, BUFFERS) and the report's headline
figures; beside it, timed the same way, the reference (hand-written SQL over the cases,
goods lines, referrals and recordals giving the same figures: one pass per table, both
years in each, with its plans) and the report counted live (`live=True`, the path before
the rollup). Then the report after a case of the year changed (its month marked: the
report recounts it first), a district (Ningbo, 3100), a rights holder (the one detained
on most that year) and the last quarter. Ends with PASS or FAIL against both targets.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.benchdb import BenchDatabase, create_regions

# Its own: sweep_deadlines.py drops customs_ipr_bench, campaign_results.py uses
# customs_ipr_bench_campaigns.
BENCH = BenchDatabase("customs_ipr_bench_report")
TARGET_SECONDS = 0.150
TARGET_RATIO = 1.5  # the report within 1.5x of the hand-written reference
DISTRICT = "3100"  # Ningbo
PLAN_LINES = 12  # top lines of each query's plan; the whole plan when it is the slowest

# The report's queries (reports/selectors.py), told apart by a table or clause of theirs.
QUERIES = (
    ("snapshot", "SET TRANSACTION"),
    ("work_mem", "SET LOCAL work_mem"),
    ("savepoint", "SAVEPOINT"),
    ("refresh: lock", "pg_try_advisory_xact_lock"),
    ("refresh: marks", "DELETE FROM reports_stalemonth"),
    ("refresh: recount", "INSERT INTO reports_monthfigure"),
    ("refresh: old figures", "DELETE FROM reports_monthfigure"),
    ("stale months", "FROM reports_stalemonth"),
    ("rollup", "reports_monthfigure f"),
    ("cases", "GROUPING SETS"),
    ("categories", "detentions_goodsline"),
    ("regions", "campaigns_region r"),
    ("referrals", "detentions_referral"),
    ("recordals", "recordals_recordal"),
)


# The reference: the same figures as the annual report (national, a year against the year
# before: periods that do not overlap), hand-written, one pass over each table.
REFERENCE = {
    "cases": """
        SELECT d.opened_on >= %(from)s AS cur,
               GROUPING(d.ip_kind, d.direction, d.mode, d.channel, d.office_id, h.is_domestic,
                        d.outcome, date_trunc('month', d.opened_on), d.destination_country),
               d.ip_kind, d.direction, d.mode, d.channel, d.office_id, h.is_domestic, d.outcome,
               date_trunc('month', d.opened_on), d.destination_country,
               count(*), count(d.detained_on),
               sum(d.total_items) FILTER (WHERE d.detained_on IS NOT NULL),
               sum(d.total_value) FILTER (WHERE d.detained_on IS NOT NULL),
               count(d.detained_on) FILTER (WHERE d.penalty_tier = 'none'),
               sum(d.total_items) FILTER (WHERE d.detained_on IS NOT NULL
                                          AND d.penalty_tier = 'none')
        FROM detentions_detention d JOIN accounts_organisation h ON h.id = d.holder_id
        WHERE d.opened_on BETWEEN %(prev_from)s AND %(to)s
        GROUP BY GROUPING SETS ((1), (1, d.ip_kind), (1, d.direction), (1, d.mode),
                                (1, d.channel), (1, d.office_id), (1, h.is_domestic),
                                (1, d.outcome), (1, date_trunc('month', d.opened_on)),
                                (1, d.destination_country))
    """,
    # Goods lines probed per case through their index (faster here than hashing all
    # 1.8 million lines; measured both ways).
    "categories": """
        SELECT cur, category, count(*), count(*) FILTER (WHERE detained),
               sum(quantity) FILTER (WHERE detained), sum(value) FILTER (WHERE detained)
        FROM (SELECT d.opened_on >= %(from)s AS cur, d.detained_on IS NOT NULL AS detained,
                     g.category, g.quantity, g.value
              FROM detentions_detention d
              CROSS JOIN LATERAL (
                  SELECT category, sum(quantity) AS quantity, sum(value) AS value
                  FROM detentions_goodsline g WHERE g.detention_id = d.id GROUP BY 1
              ) AS g
              WHERE d.opened_on BETWEEN %(prev_from)s AND %(to)s) AS per_case
        GROUP BY 1, 2
    """,
    "referrals": """
        SELECT f.referred_on >= %(from)s, count(*), count(*) FILTER (WHERE f.status = 'accepted')
        FROM detentions_referral f WHERE f.referred_on BETWEEN %(prev_from)s AND %(to)s
        GROUP BY 1
    """,
    "recordals": """
        SELECT h.is_domestic,
               count(*) FILTER (WHERE d.submitted_on BETWEEN %(from)s AND %(to)s),
               count(*) FILTER (WHERE d.submitted_on BETWEEN %(prev_from)s AND %(prev_to)s),
               count(*) FILTER (WHERE d.approved_on BETWEEN %(from)s AND %(to)s),
               count(*) FILTER (WHERE d.approved_on BETWEEN %(prev_from)s AND %(prev_to)s)
        FROM recordals_recordal d JOIN accounts_organisation h ON h.id = d.holder_id
        WHERE d.submitted_on BETWEEN %(prev_from)s AND %(to)s
           OR d.approved_on BETWEEN %(prev_from)s AND %(to)s
        GROUP BY 1
    """,
}

# The reference of issue 21's table: the headline and the split by channel only, one pass.
HEADLINE_AND_CHANNEL = """
    SELECT d.opened_on >= %(from)s, d.channel, count(*), count(d.detained_on),
           sum(d.total_items) FILTER (WHERE d.detained_on IS NOT NULL),
           sum(d.total_value) FILTER (WHERE d.detained_on IS NOT NULL)
    FROM detentions_detention d
    WHERE d.opened_on BETWEEN %(prev_from)s AND %(to)s
    GROUP BY GROUPING SETS ((1), (1, 2))
"""


def time_headline_and_channel(repeat: int, params: dict) -> dict:
    from django.db import connection

    runs = []
    with connection.cursor() as cursor:
        for _ in range(repeat + 1):
            started = time.perf_counter()
            cursor.execute(HEADLINE_AND_CHANNEL, params)
            cursor.fetchall()
            runs.append(time.perf_counter() - started)
    return {"cold": runs[0], "samples": runs[1:], "queries": []}


def reference_params(starts_on, ends_on) -> dict:
    from reports.selectors import year_before

    return {
        "from": starts_on,
        "to": ends_on,
        "prev_from": year_before(starts_on),
        "prev_to": year_before(ends_on),
    }


def time_reference(repeat: int, params: dict) -> dict:
    """The hand-written queries one after the other, once cold and `repeat` times warm."""
    from django.db import connection, transaction

    from reports.selectors import WORK_MEM

    runs, rows = [], {}
    for _ in range(repeat + 1):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")  # as the report has
            for name, sql in REFERENCE.items():
                cursor.execute(sql, params)
                rows[name] = cursor.fetchall()
        runs.append(time.perf_counter() - started)
    headline = next(r for r in rows["cases"] if r[0] and r[1] == 511)  # every column grouped
    return {"cold": runs[0], "samples": runs[1:], "queries": [], "headline": headline}


def print_reference_plans(params: dict) -> None:
    from django.db import connection, transaction

    from reports.selectors import WORK_MEM

    for index, (name, sql) in enumerate(REFERENCE.items()):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"    {index + 1}. {name:28s} EXPLAIN ANALYZE execution {execution_ms(plan):7.1f} ms")
        for line in plan:
            print(f"         {line}")


def row_counts() -> dict[str, tuple[int, str]]:
    from django.db import connection

    tables = {
        "detentions": "detentions_detention",
        "goods lines": "detentions_goodsline",
        "recordal links": "detentions_detention_recordals",
        "referrals": "detentions_referral",
        "recordals": "recordals_recordal",
        "organisations": "accounts_organisation",
        "regions": "campaigns_region",
    }
    counts = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(
                f"SELECT count(*), pg_size_pretty(pg_total_relation_size('{table}')) FROM {table}"
            )
            counts[label] = cursor.fetchone()
    return counts


def time_report(repeat: int, **kwargs) -> dict:
    """The report once cold (its queries captured) and `repeat` times warm."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.selectors import report

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        result = report(**kwargs)
    cold = time.perf_counter() - started
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        report(**kwargs)
        samples.append(time.perf_counter() - started)
    return {
        "report": result,
        "cold": cold,
        "samples": samples,
        "queries": [(q["sql"], float(q["time"])) for q in captured.captured_queries],
    }


def explain(sql: str) -> list[str]:
    """The plan with the work_mem the report's own transaction sets."""
    from django.db import connection, transaction

    from reports.selectors import WORK_MEM

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def label_of(sql: str) -> str:
    for label, marker in QUERIES:
        if marker in sql:
            return label
    words = sql.split()
    table = words[words.index("FROM") + 1].strip('"') if "FROM" in words else "?"
    return f"lookup {table}"


def execution_ms(plan: list[str]) -> float:
    line = next(line for line in plan if line.startswith("Execution Time"))
    return float(line.split(":")[1].split()[0])


def print_plans(queries: list[tuple[str, float]], *, whole_plan_of_slowest: bool) -> None:
    def read(sql: str) -> bool:
        return sql.lstrip().startswith(("SELECT", "WITH"))

    writes = [(sql, seconds) for sql, seconds in queries if not read(sql)]
    for sql, seconds in writes:  # the refresh's statements: not explained (EXPLAIN ANALYZE runs)
        print(f"    -  {label_of(sql):28s} in the run {seconds * 1000:7.1f} ms (a write: no plan)")
    queries = [(sql, seconds) for sql, seconds in queries if read(sql)]
    if not queries:
        return
    plans = [(sql, seconds, explain(sql)) for sql, seconds in queries]
    slowest = max(range(len(plans)), key=lambda i: execution_ms(plans[i][2]))
    for index, (sql, seconds, plan) in enumerate(plans):
        extra = [line.strip() for line in plan if line.startswith(("Planning Time", "JIT"))]
        print(
            f"    {index + 1}. {label_of(sql):28s} in the run {seconds * 1000:7.1f} ms; "
            f"EXPLAIN ANALYZE execution {execution_ms(plan):7.1f} ms ({', '.join(extra)})"
        )
        if label_of(sql).startswith(("lookup", "refresh", "stale")):
            continue
        shown = plan if whole_plan_of_slowest and index == slowest else plan[:PLAN_LINES]
        for line in shown:
            print(f"         {line}")
        if len(shown) < len(plan):
            print(f"         ... ({len(plan) - len(shown)} more lines)")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def timing_line(timing: dict) -> str:
    samples = timing["samples"] or [timing["cold"]]
    return (
        f"cold {ms(timing['cold'])}; warm x{len(timing['samples'])}: min {ms(min(samples))}, "
        f"median {ms(statistics.median(samples))}, max {ms(max(samples))}; "
        f"{len(timing['queries'])} SQL queries"
    )


def change(fig: dict) -> str:
    pct = fig["change_pct"]
    return f"{fig['current']:,} (year before {fig['previous']:,}, " + (
        "no change figure)" if pct is None else f"{pct:+}%)"
    )


def print_figures(result: dict) -> None:
    f = result["figures"]
    period = result["period"]
    print(
        f"    {result['scope']['name']}, {period['from']} to {period['to']} "
        f"(compared with {result['previous_period']['from']} to {result['previous_period']['to']}):"
    )
    rows = [
        ("protection actions", "protection_actions"),
        ("batches detained", "batches"),
        ("items", "items"),
        ("value (CNY)", "value"),
        ("batches exempted from penalty", "batches_exempted"),
        ("referrals to public security", "referrals"),
        ("  of which accepted", "referrals_accepted"),
        ("recordal applications", "recordal_applications"),
        ("  domestic", "recordal_applications_domestic"),
        ("  foreign", "recordal_applications_foreign"),
        ("recordals approved", "recordals_approved"),
    ]
    for label, key in rows:
        if key in f:
            print(f"      {label:32s} {change(f[key])}")
    splits = result["splits"]

    def top(split: str, measure: str = "batches", n: int = 5) -> str:
        ordered = sorted(splits[split], key=lambda r: -r[measure]["current"])
        return ", ".join(f"{r['key']} {r[measure]['current']:,}" for r in ordered[:n])

    batches = f["batches"]["current"] or 1
    for split in ("direction", "mode", "ip_kind"):
        shares = ", ".join(
            f"{r['key']} {100 * r['batches']['current'] / batches:.1f}%" for r in splits[split]
        )
        print(f"      by {split:30s} {shares}")
    print(f"      {'top channels by batches':32s} {top('channel')}")
    print(f"      {'top channels by items':32s} {top('channel', 'items')}")
    print(f"      {'top categories by batches':32s} {top('category', n=3)}")
    print(f"      {'top categories by items':32s} {top('category', 'items', n=3)}")
    print(f"      {'destination regions':32s} {top('region', n=6)}")
    print(f"      {'districts (top 5)':32s} {top('district')} ({len(splits['district'])} in all)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detentions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=5, help="warm runs of each report")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database kept by an earlier --keep"
    )
    args = parser.parse_args()

    BENCH.setup_django()
    from django.db.models import Count, Max

    from accounts.models import Organisation
    from detentions.models import Detention
    from reports.models import MonthFigure
    from reports.selectors import Scope, period_for
    from reports.services import rollup_refresh

    summary = BENCH.national_data(detentions=args.detentions, seed=args.seed, reuse=args.reuse)
    if summary is not None:
        last = summary.applications_by_year
        for year in sorted(last)[-2:]:
            submitted, approved = last[year]
            print(f"  recordal applications {year}: {submitted:,} submitted, {approved:,} approved")
    regions = create_regions()
    print(f"\n{len(regions)} focus regions: " + ", ".join(r.code for r in regions))
    print("Rows (size with indexes):")
    counts = row_counts()
    for label, (count, size) in counts.items():
        print(f"  {label:15s} {count:>11,}  {size}")

    year = Detention.objects.aggregate(last=Max("opened_on"))["last"].year
    starts_on, ends_on = period_for(year=year)
    district = Organisation.objects.get(
        kind="customs", customs_level="district", customs_code=DISTRICT
    )
    holder_id = (
        Detention.objects.filter(opened_on__year=year)
        .values("holder")
        .annotate(n=Count("id"))
        .order_by("-n", "holder")
        .first()["holder"]
    )
    holder = Organisation.objects.get(pk=holder_id)

    started = time.perf_counter()
    months = rollup_refresh()
    print(
        f"\nMonthly rollup: {months:,} months recounted from the marks in "
        f"{ms(time.perf_counter() - started)} ({MonthFigure.objects.count():,} rows)."
    )

    print(f"\nNational annual report {year}:")
    national = time_report(args.repeat, starts_on=starts_on, ends_on=ends_on)
    print(f"  {timing_line(national)}")
    print_figures(national["report"])
    print("  its queries (time in the cold run; EXPLAIN (ANALYZE, BUFFERS) run afterwards):")
    print_plans(national["queries"], whole_plan_of_slowest=True)

    params = reference_params(starts_on, ends_on)
    reference = time_reference(args.repeat, params)
    print(f"\nReference, hand-written SQL for the same figures, {year} and {year - 1}:")
    print(f"  {timing_line(reference)} ({len(REFERENCE)} SQL queries)")
    got, want = national["report"]["figures"], reference["headline"]
    same = (got["protection_actions"]["current"], got["batches"]["current"]) == tuple(want[11:13])
    print(
        f"  headline {want[11]:,} actions, {want[12]:,} batches, {want[13]:,} items: "
        f"{'the same as the report' if same else 'DIFFERENT from the report'}"
    )
    print("  its plans:")
    print_reference_plans(params)
    narrow = time_headline_and_channel(args.repeat, params)
    print("\nReference of issue 21's table, the headline and the split by channel only:")
    print(f"  {timing_line(narrow)} (1 SQL query)")

    print(f"\nNational annual report {year}, counted live (live=True, no rollup):")
    live = time_report(args.repeat, starts_on=starts_on, ends_on=ends_on, live=True)
    print(f"  {timing_line(live)}")
    print("  its queries:")
    print_plans(live["queries"], whole_plan_of_slowest=False)
    if live["report"] != national["report"]:
        print("  DIFFERENT figures from the rollup's")
        same = False

    # An officer changes a case of the year: its month is marked, the next report recounts
    # that month first (timed: the cold run), the warm runs read the rollup again.
    changed = Detention.objects.filter(opened_on__year=year).order_by("-opened_on").first()
    Detention.objects.filter(pk=changed.pk).update(outcome=changed.outcome)
    print(f"\nNational annual report {year} after a case of {changed.opened_on:%Y-%m} changed:")
    after_change = time_report(args.repeat, starts_on=starts_on, ends_on=ends_on)
    print(f"  {timing_line(after_change)}")
    print("  its queries (cold run):")
    print_plans(after_change["queries"], whole_plan_of_slowest=False)

    others = [
        (f"District {district.customs_code} {district.name_en}, {year}", {
            "starts_on": starts_on, "ends_on": ends_on, "scope": Scope(office=district),
        }),
        (f"Rights holder {holder.name_en} ({holder.country}), {year}", {
            "starts_on": starts_on, "ends_on": ends_on, "scope": Scope(holder=holder),
        }),
        (f"National, Q4 {year}", dict(zip(("starts_on", "ends_on"),
                                          period_for(year=year, quarter=4), strict=True))),
    ]  # fmt: skip
    timings = {}
    for title, kwargs in others:
        print(f"\n{title}:")
        timing = timings[title] = time_report(args.repeat, **kwargs)
        print(f"  {timing_line(timing)}")
        print_figures(timing["report"])
        print("  its queries:")
        print_plans(timing["queries"], whole_plan_of_slowest=False)

    samples = national["samples"] or [national["cold"]]
    median = statistics.median(samples)
    reference_median = statistics.median(reference["samples"])
    ratio = median / reference_median
    live_median = statistics.median(live["samples"])
    narrow_median = statistics.median(narrow["samples"])
    verdict = "PASS" if same and median < TARGET_SECONDS and ratio <= TARGET_RATIO else "FAIL"
    print("\nSummary:")
    print(f"  national annual {year}: {timing_line(national)}")
    print(f"  reference (hand-written SQL): {timing_line(reference)}")
    print(f"  national annual {year} counted live: {timing_line(live)}")
    print(f"  national annual {year} after a change: {timing_line(after_change)}")
    for title, timing in timings.items():
        print(f"  {title}: {timing_line(timing)}")
    print(
        f"\n| measure | project | reference in the same run | ratio |\n| --- | --- | --- | --- |\n"
        f"| national annual report {year} | median {ms(median)} | hand-written SQL, "
        f"same figures: {ms(reference_median)} | {ratio:.2f}x |\n"
        f"| the same | median {ms(median)} | issue 21's reference, headline and channel "
        f"only: {ms(narrow_median)} | {median / narrow_median:.2f}x |\n"
        f"| the same, counted live (before the rollup) | median {ms(live_median)} | "
        f"{ms(reference_median)} | {live_median / reference_median:.2f}x |"
    )
    print(
        f"\n{verdict}: national annual report {year} over {counts['detentions'][0]:,} detentions, "
        f"median of {len(samples)} warm runs {ms(median)} (cold {ms(national['cold'])}), "
        f"target < {ms(TARGET_SECONDS)}; {ratio:.2f}x the hand-written reference "
        f"({ms(reference_median)}), target <= {TARGET_RATIO}x"
        + ("" if same else "; FIGURES DIFFER")
        + "."
    )

    if not args.keep:
        BENCH.drop()
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
