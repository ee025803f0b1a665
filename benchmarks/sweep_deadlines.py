"""Benchmark: how long does one reminder sweep take to find what is due among 1,000,000
open deadlines (and their 3,000,000 scheduled reminders)? Target: under 1 second.

    .venv/bin/python benchmarks/sweep_deadlines.py [--deadlines 1000000] [--due 2000] [--keep]

Uses DATABASE_URL (or the embedded PostgreSQL) but its own database, `customs_ipr_bench`,
created, migrated and filled with COPY; dropped afterwards unless --keep. Prints the
timings and the query plans (which must show the partial indexes being used).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.benchdb import BenchDatabase

BENCH = BenchDatabase("customs_ipr_bench")


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buffer.seek(0)
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)


def build(n_deadlines: int, n_due: int, now: dt.datetime) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from accounts.models import Authorisation, Contact, Organisation
    from deadlines.models import Deadline

    rng = random.Random(2024)
    offices = list(
        Organisation.objects.filter(customs_level="district").values_list("pk", flat=True)
    )
    holders = Organisation.objects.bulk_create(
        Organisation(kind="rights_holder", name_en=f"Bench holder {i}", country="CN")
        for i in range(200)
    )
    Contact.objects.bulk_create(
        Contact(organisation=h, role="legal", name="Legal", email=f"legal{h.pk}@bench.example")
        for h in holders
    )
    holder_ids = [h.pk for h in holders]
    subject_type = ContentType.objects.get_for_model(Authorisation).pk
    columns = [
        "subject_type_id", "subject_id", "subject_label", "holder_id", "office_id", "kind",
        "jurisdiction", "trigger_date", "unit", "count", "due_date", "due_at", "provisional",
        "trail", "status", "opened_at", "close_reason",
    ]  # fmt: skip
    kinds = ["reply_to_detention_notice", "investigation", "court_order", "cost_payment"]

    def deadline_rows():
        for i in range(n_deadlines):
            # Most deadlines lie ahead over two years; n_due have just run out.
            if i < n_due:
                due_at = now - dt.timedelta(minutes=rng.randint(1, 600))
            else:
                due_at = now + dt.timedelta(minutes=rng.randint(60, 2 * 365 * 24 * 60))
            due_date = due_at.date()
            trigger = due_date - dt.timedelta(days=5)
            yield (
                subject_type, i + 1, f"Bench case {i}", rng.choice(holder_ids),
                rng.choice(offices), kinds[i % 4], "CN", trigger, "working_days", 3, due_date,
                due_at.isoformat(), "f", "{}", "open", now.isoformat(), "",
            )  # fmt: skip

    with connection.cursor() as cursor:
        raw = cursor.cursor
        t0 = time.perf_counter()
        copy_rows(raw, Deadline._meta.db_table, columns, deadline_rows())
        print(f"  COPY {n_deadlines:,} deadlines: {time.perf_counter() - t0:.1f} s")
        # Three reminders per deadline: at open (already sent), two ahead of the due time.
        t0 = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO deadlines_reminder (deadline_id, step, send_at, status)
            SELECT id, 'at_open', opened_at, 'expanded' FROM deadlines_deadline
            UNION ALL
            SELECT id, 'working_days_before_1', due_at - interval '39 hours', 'scheduled'
              FROM deadlines_deadline
            UNION ALL
            SELECT id, 'due_morning', due_at - interval '15 hours', 'scheduled'
              FROM deadlines_deadline
            """
        )
        print(f"  INSERT {3 * n_deadlines:,} reminders: {time.perf_counter() - t0:.1f} s")
        cursor.execute("VACUUM ANALYZE deadlines_deadline")
        cursor.execute("VACUUM ANALYZE deadlines_reminder")


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


def measure_find(now, repeat: int = 5) -> dict:
    """Time the three selections a sweep makes, with their row locks, as the sweep does."""
    from django.db import transaction

    from deadlines.models import Deadline, Delivery, Reminder

    queries = {
        "due deadlines": lambda: list(
            Deadline.objects.select_for_update(skip_locked=True)
            .filter(status="open", due_at__lte=now)
            .order_by("due_at")
            .values_list("pk", flat=True)[:1000]
        ),
        "due reminders": lambda: list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status="scheduled", send_at__lte=now)
            .order_by("send_at")
            .values_list("pk", flat=True)[:1000]
        ),
        "pending deliveries": lambda: list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status="pending", next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:1000]
        ),
    }
    timings, found = {}, {}
    for name, query in queries.items():
        samples = []
        for _ in range(repeat):
            with transaction.atomic():
                t0 = time.perf_counter()
                rows = query()
                samples.append(time.perf_counter() - t0)
            found[name] = len(rows)
        timings[name] = statistics.median(samples)
    return {"timings": timings, "found": found}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=2_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    BENCH.setup_django()
    from django.utils import timezone

    from deadlines import services

    print(f"Benchmark database {BENCH.name}: creating and migrating ...")
    BENCH.recreate()
    now = timezone.now()
    print(f"Building {args.deadlines:,} open deadlines ({args.due:,} already due) ...")
    build(args.deadlines, args.due, now)

    result = measure_find(now)
    total = sum(result["timings"].values())
    print("\nFinding what is due (median of 5, with FOR UPDATE SKIP LOCKED):")
    for name, seconds in result["timings"].items():
        print(f"  {name:<20} {seconds * 1000:8.1f} ms   rows found: {result['found'][name]:,}")
    print(f"  {'all three':<20} {total * 1000:8.1f} ms   target < 1000 ms: "
          f"{'MET' if total < 1 else 'NOT MET'}")  # fmt: skip

    print("\nQuery plans:")
    print("  due reminders:")
    print(explain(
        "SELECT id FROM deadlines_reminder WHERE status = 'scheduled' AND send_at <= %s "
        "ORDER BY send_at LIMIT 1000 FOR UPDATE SKIP LOCKED", [now],
    ))  # fmt: skip
    print("  due deadlines:")
    print(explain(
        "SELECT id FROM deadlines_deadline WHERE status = 'open' AND due_at <= %s "
        "ORDER BY due_at LIMIT 1000 FOR UPDATE SKIP LOCKED", [now],
    ))  # fmt: skip

    # A whole sweep pass: close the due deadlines, expand due reminders into deliveries
    # and queue them (tasks are counted, not sent: no worker is part of this benchmark).
    queued = []
    services.transaction.on_commit = lambda fn, *a, **k: queued.append(fn)
    t0 = time.perf_counter()
    sweep = services.sweep(now=now)
    elapsed = time.perf_counter() - t0
    print(
        f"\nOne full sweep pass: {elapsed:.2f} s — closed {sweep.deadlines_closed:,} deadlines, "
        f"expanded {sweep.reminders_expanded:,} reminders into "
        f"{sweep.deliveries_created:,} deliveries, queued {sweep.deliveries_queued:,}."
    )
    t0 = time.perf_counter()
    again = services.sweep(now=now)
    print(f"The next sweep (nothing new due): {(time.perf_counter() - t0) * 1000:.1f} ms, "
          f"{again.deliveries_created} deliveries created.")  # fmt: skip

    if not args.keep:
        BENCH.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
