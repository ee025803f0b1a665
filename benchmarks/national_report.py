"""Benchmark: among 1,000,000 detentions (24 years of 2024's national volume, with goods
lines, referrals and the national flow of recordal applications), how long does the
national annual report take? Target: under 2 seconds.

    .venv/bin/python benchmarks/national_report.py [--detentions 1000000] [--seed 2024]
        [--repeat 5] [--keep] [--reuse]

Uses DATABASE_URL (or the embedded PostgreSQL) but its own database,
`customs_ipr_bench_report`, created, migrated and filled by benchmarks/national_data.py
with COPY; dropped afterwards unless --keep. --reuse runs on a database kept earlier (no
generation). The five focus regions of campaigns/demo.py are created (the report splits
by destination region).

Times `reports.selectors.report` for the last full year of the data, national: once cold
and --repeat times warm (min, median, max), with the SQL queries it ran, each query's
EXPLAIN (ANALYZE, BUFFERS) and the report's headline figures; then a district (Ningbo,
3100), a rights holder (the one detained on most that year) and the last quarter.
Ends with PASS or FAIL against the target for the national annual report (median of
the warm runs).
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
TARGET_SECONDS = 2.0
DISTRICT = "3100"  # Ningbo
PLAN_LINES = 12  # top lines of each query's plan; the whole plan when it is the slowest

# The report's queries (reports/selectors.py), told apart by a table or clause of theirs.
QUERIES = (
    ("cases", "GROUPING SETS"),
    ("categories", "detentions_goodsline"),
    ("regions", "campaigns_region r"),
    ("referrals", "detentions_referral"),
    ("recordals", "recordals_recordal"),
)


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
    from django.db import connection

    with connection.cursor() as cursor:
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
    plans = [(sql, seconds, explain(sql)) for sql, seconds in queries]
    slowest = max(range(len(plans)), key=lambda i: execution_ms(plans[i][2]))
    for index, (sql, seconds, plan) in enumerate(plans):
        extra = [line.strip() for line in plan if line.startswith(("Planning Time", "JIT"))]
        print(
            f"    {index + 1}. {label_of(sql):28s} in the run {seconds * 1000:7.1f} ms; "
            f"EXPLAIN ANALYZE execution {execution_ms(plan):7.1f} ms ({', '.join(extra)})"
        )
        if label_of(sql).startswith("lookup"):
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
    from reports.selectors import Scope, period_for

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

    print(f"\nNational annual report {year}:")
    national = time_report(args.repeat, starts_on=starts_on, ends_on=ends_on)
    print(f"  {timing_line(national)}")
    print_figures(national["report"])
    print("  its queries (time in the cold run; EXPLAIN (ANALYZE, BUFFERS) run afterwards):")
    print_plans(national["queries"], whole_plan_of_slowest=True)

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
    verdict = "PASS" if median < TARGET_SECONDS else "FAIL"
    print("\nSummary:")
    print(f"  national annual {year}: {timing_line(national)}")
    for title, timing in timings.items():
        print(f"  {title}: {timing_line(timing)}")
    print(
        f"\n{verdict}: national annual report {year} over {counts['detentions'][0]:,} detentions, "
        f"median of {len(samples)} warm runs {ms(median)} (cold {ms(national['cold'])}), "
        f"target < {ms(TARGET_SECONDS)}."
    )

    if not args.keep:
        BENCH.drop()
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
