"""Benchmark (issue 21): the whole national-scale table in one run, each figure beside
the reference measured in the same run, then the query plans behind them.

    .venv/bin/python benchmarks/national_scale.py [--detentions 1000000] [--api-detentions
        100000] [--repeat 5] [--seconds 12] [--fresh]

Runs, one after the other, as their own processes (each sets Django up on its database):
  1. benchmarks/national_report.py on --detentions (database customs_ipr_bench_report);
  2. benchmarks/national_report.py on --api-detentions (customs_ipr_bench_report_small);
  3. benchmarks/campaign_results.py on the first run's data (its campaigns and tags are
     added there: the report counts neither);
  4. benchmarks/api_speed.py on --api-detentions (customs_ipr_bench_api).
Each database is kept and reused by the next run (generated when missing, or always with
--fresh). Prints the issue's table (measure, the project's figure, the reference, the
ratio, the target), then each benchmark's own output: the report's queries with their
EXPLAIN (ANALYZE, BUFFERS) and the reference's plans, the campaign results' plans and
the reference's, the API's rounds. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT_DB = "customs_ipr_bench_report"


def run(script: str, *args: str, database: str | None = None) -> tuple[str, float, int]:
    env = {**os.environ}
    if database:
        env["BENCH_DATABASE_NAME"] = database
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    output = "\n".join(
        line
        for line in (done.stdout + done.stderr).splitlines()
        if "UserWarning: No directory at" not in line and "mw_instance = middleware" not in line
    )
    return output, time.monotonic() - started, done.returncode


def find(pattern: str, text: str, default: str = "n/a") -> str:
    match = re.search(pattern, text)
    return match.group(1) if match else default


def report_rows(output: str, size: str) -> list[str]:
    year = find(r"National annual report (\d{4}):", output, "?")
    median = find(r"\| the same \| median ([\d,]+ ms) \|", output)
    reference = find(r"issue 21's reference, headline and channel only: ([\d,]+ ms)", output)
    ratio = find(r"headline and channel only: [\d,]+ ms \| ([\d.]+x) \|", output)
    full = find(r"\| hand-written SQL, same figures: ([\d,]+ ms) \| ([\d.]+x)", output)
    full_ratio = find(r"\| hand-written SQL, same figures: [\d,]+ ms \| ([\d.]+x)", output)
    live = find(r"counted live \(before the rollup\) \| median ([\d,]+ ms)", output)
    return [
        f"| national annual report {year}, {size} detentions | median {median} | "
        f"hand-written SQL, headline + split by channel, one pass: {reference} | {ratio} | "
        f"<= 1.5x, < 150 ms |",
        f"| the same | median {median} | hand-written SQL, every figure of the report: "
        f"{full} | {full_ratio} | <= 1.5x |",
        f"| the same, counted live (no rollup) | median {live} | (the path before) | | |",
    ]


def campaign_rows(output: str) -> list[str]:
    rows = []
    for block in re.split(r"\n(?=[A-Z]+-\d{4} \()", output)[1:]:
        code = block.split(" ", 1)[0]
        median = find(r"results: cold [^;]+; warm x\d+: min [^,]+, median ([\d,]+ ms)", block)
        raw = find(r"warm median ([\d,]+ ms) — results/reference", block)
        ratio = find(r"results/reference ([\d.]+x)", block)
        rows.append(
            f"| campaign results {code}, after ANALYZE | median {median} | a raw count of "
            f"the same tagged cases by office: {raw} | {ratio} | <= 2x |"
        )
    return rows


def api_rows(output: str) -> list[str]:
    rows = []
    for line in output.splitlines():
        if line.startswith("| GET "):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows.append(f"| {cells[0]} (gunicorn, 3 workers) | {' | '.join(cells[1:])} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detentions", type=int, default=1_000_000)
    parser.add_argument("--api-detentions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--fresh", action="store_true", help="generate every database anew")
    args = parser.parse_args()
    reuse = [] if args.fresh else ["--reuse"]
    repeat = ["--repeat", str(args.repeat)]

    runs = {}
    big, small = f"{args.detentions:,}", f"{args.api_detentions:,}"
    steps = [
        ("report", "national_report.py", REPORT_DB,
         ["--detentions", str(args.detentions), *repeat]),
        ("report_small", "national_report.py", f"{REPORT_DB}_small",
         ["--detentions", str(args.api_detentions), *repeat]),
        ("campaigns", "campaign_results.py", REPORT_DB,
         ["--detentions", str(args.detentions), *repeat]),
        ("api", "api_speed.py", None, ["--detentions", str(args.api_detentions), "--profile",
                                       "0", "--seconds", str(args.seconds)]),
    ]  # fmt: skip
    for name, script, database, extra in steps:
        print(f"Running {script} {' '.join(extra)} ...", flush=True)
        runs[name] = run(script, *extra, *reuse, "--keep", database=database)
        print(f"  done in {runs[name][1]:.0f} s (exit {runs[name][2]})", flush=True)

    rows = [
        *report_rows(runs["report"][0], big),
        *report_rows(runs["report_small"][0], small),
        *campaign_rows(runs["campaigns"][0]),
        *api_rows(runs["api"][0]),
    ]
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"\nIssue 21's table, measured in this run ({now}):\n")
    print("| measure | project | reference in the same run | ratio | target |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print(row)
    verdicts = {name: "PASS" if code == 0 else "FAIL" for name, (_, _, code) in runs.items()}
    print("\nVerdicts: " + ", ".join(f"{name} {v}" for name, v in verdicts.items()))

    titles = {
        "report": f"national annual report, {big} detentions (queries and plans)",
        "report_small": f"national annual report, {small} detentions (queries and plans)",
        "campaigns": f"campaign results, {big} detentions (plans)",
        "api": f"case API against the bare view, {small} detentions",
    }
    for name, (output, seconds, code) in runs.items():
        print(f"\n{'=' * 88}\n{titles[name]}: its own output ({seconds:.0f} s, exit {code})\n")
        print(output)
    return 0 if set(verdicts.values()) == {"PASS"} else 1


if __name__ == "__main__":
    sys.exit(main())
