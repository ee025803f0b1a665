"""Benchmark: how long does each page of the officers' admin take on the demo? Target: no
admin page over 300 ms.

    .venv/bin/python benchmarks/admin_pages.py [--repeat 3] [--user officer.gacc]
        [--keep] [--reuse]

Uses DATABASE_URL (or the embedded PostgreSQL) but its own database,
`customs_ipr_bench_admin`: created, migrated and loaded with the demo (`seed_demo`, with
Celery tasks run in this process); dropped afterwards unless --keep. --reuse runs on a
database kept earlier.

Signed in as GACC's demo officer (who sees everything) through Django's test client,
in this process: the admin's index (the desk), every list the index offers the officer,
the first object each list shows (the one an officer would click first) and the admin's
own pages (the statistics); the models kept for superusers (users, groups, tokens) are
named, not crawled. Each page is requested once cold, then --repeat times; the median is
its time, with the status and the number of SQL queries. Beside them, measured the same
way, the reference: the admin's login page, which does next to nothing. Prints every
page, the slowest ten and those over the target, and ends with PASS or FAIL.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The demo's reminders are "sent" in memory, not to the console.
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from benchmarks.benchdb import BenchDatabase

BENCH = BenchDatabase("customs_ipr_bench_admin")
TARGET_MS = 300.0
REFERENCE = "/admin/login/"  # anonymous: the login form, next to no work


@dataclass(frozen=True)
class Timing:
    url: str
    status: int
    ms: float  # the median of the warm runs
    cold_ms: float
    queries: int


def measure(client, url: str, repeat: int) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - started) * 1000
    runs = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            runs.append((time.perf_counter() - started) * 1000)
    return Timing(url, response.status_code, statistics.median(runs), cold, len(queries))


def first_object_url(client, changelist: str) -> str | None:
    """The first object the list shows: its change (or view) page."""
    path = re.escape(changelist)
    found = re.search(rf'href="({path}[^"/]+/change/)', client.get(changelist).text)
    return found.group(1) if found else None


def admin_urls(client, user) -> tuple[list[str], list[str]]:
    """What the admin's index offers the officer: each list and the first object it shows,
    and the admin's own pages; and the registered models it does not offer them."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    offered = set()
    for app in admin.site.get_app_list(request):
        for entry in app["models"]:
            changelist = entry["admin_url"]
            urls.append(changelist)
            if entry.get("model") is not None:
                offered.add(entry["model"])
                change = first_object_url(client, changelist)
                if change:
                    urls.append(change)
    hidden = sorted(m._meta.label for m in admin.site._registry if m not in offered)
    return urls, hidden


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per page (median)")
    parser.add_argument("--user", default="officer.gacc")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--reuse", action="store_true", help="use the database kept earlier")
    options = parser.parse_args()

    BENCH.setup_django()
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from config.celery import app

    app.conf.task_always_eager = True  # the demo's tasks run here, not on a worker
    try:
        if options.reuse and BENCH.exists():
            print(f"Benchmark database {BENCH.name}: reusing it.")
        else:
            print(f"Benchmark database {BENCH.name}: creating, migrating, loading the demo ...")
            started = time.perf_counter()
            BENCH.recreate()
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            print(f"Ready in {time.perf_counter() - started:.1f} s.")

        anonymous = Client(HTTP_HOST="localhost")
        user = User.objects.get(username=options.user)
        officer = Client(HTTP_HOST="localhost")
        officer.force_login(user)
        reference = measure(anonymous, REFERENCE, options.repeat)
        urls, hidden = admin_urls(officer, user)
        timings = [measure(officer, url, options.repeat) for url in urls]
    finally:
        if not options.keep:
            BENCH.drop()

    print(f"\n{len(timings)} admin pages as {options.user}, median of {options.repeat} warm runs")
    print(f"(not offered to {options.user}, so not crawled: {', '.join(hidden) or 'none'}):")
    row = "{:>6} {:>9} {:>9} {:>8}  {}"
    print(row.format("status", "ms", "cold ms", "queries", "url"))
    for t in [reference, *timings]:
        note = "  (reference)" if t is reference else ""
        print(row.format(t.status, f"{t.ms:.1f}", f"{t.cold_ms:.1f}", t.queries, t.url + note))

    print("\nThe slowest ten:")
    for t in sorted(timings, key=lambda t: t.ms, reverse=True)[:10]:
        print(f"  {t.ms:8.1f} ms  {t.ms / reference.ms:6.1f} x the reference  {t.url}")

    slow = [t for t in timings if t.ms > TARGET_MS]
    failed = [t for t in timings if t.status >= 400]
    print(f"\nReference ({REFERENCE}): {reference.ms:.1f} ms.")
    for t in slow:
        print(f"OVER {TARGET_MS:.0f} ms: {t.url} takes {t.ms:.1f} ms ({t.queries} queries)")
    for t in failed:
        print(f"ANSWERED {t.status}: {t.url}")
    verdict = "PASS" if not slow and not failed else "FAIL"
    print(f"{verdict}: {len(slow)} of {len(timings)} admin pages over {TARGET_MS:.0f} ms.")
    sys.exit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
