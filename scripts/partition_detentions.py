"""Convert `detentions_detention` into a table partitioned by the year the case was opened
(issue 21; the path is docs/partitioning.md). Run it on a copy first:

    .venv/bin/python scripts/partition_detentions.py --copy-of customs_ipr_bench_report \\
        --database customs_ipr_bench_partitioned [--min-rows 0] [--drop-old]

`--copy-of` creates `--database` from that database (CREATE DATABASE ... TEMPLATE: nothing
may be connected to it meanwhile). Without it, `--database` itself is converted. Uses the
server of DATABASE_URL (or the embedded PostgreSQL). In one transaction:

1. a new table partitioned by RANGE (opened_on), with the same columns, defaults, checks
   and indexes; the primary key becomes (id, opened_on) and the case number unique per
   (number, opened_on) (PostgreSQL requires the partition key in every unique index);
2. one partition a year from the first case's year to the year after the last, and a
   default partition for anything outside;
3. every row copied; the old table renamed `detentions_detention_unpartitioned` (kept
   unless --drop-old), the new one takes the name, the id sequence carries on;
4. the foreign keys that pointed at the cases (goods lines, events, documents, money,
   referrals, recordal links, campaign tags, ...) cannot point at a partitioned table
   without the partition key: each becomes a deferred constraint trigger checking that
   the case exists, and deleting a case that still has rows pointing at it is refused,
   as the foreign keys did;
5. the report's triggers (reports/migrations/0001_monthly_rollup.py) are created on the
   new table; every month is marked for the rollup to recount.

Prints the rows per partition, the checks (same rows, same sums per year as before) and
the plan of a year's count (only that year's partition read).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

TABLE = "detentions_detention"
OLD = "detentions_detention_unpartitioned"
NEW = "detentions_detention_partitioned"
MIN_ROWS = 10_000_000  # the size past which the table is worth partitioning
TRIGGERS = (
    ("reports_cases_inserted", "INSERT", "NEW TABLE AS new_rows"),
    ("reports_cases_updated", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("reports_cases_deleted", "DELETE", "OLD TABLE AS old_rows"),
)
CHECKS = """
SELECT extract(year FROM opened_on)::int, count(*), sum(total_value), sum(total_items),
       count(detained_on)
FROM {table} GROUP BY 1 ORDER BY 1
"""


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def referencing_keys(cursor) -> list[tuple[str, str, str, str]]:
    """(table, constraint, column, on delete) of every foreign key pointing at the cases."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, a.attname, c.confdeltype
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.confrelid = %s::regclass
        ORDER BY 1, 2
        """,
        [TABLE],
    )
    return cursor.fetchall()


def convert(connection, *, drop_old: bool = False, out=say) -> dict:
    """Convert the cases' table of `connection` (psycopg, not in autocommit) and return the
    checks: rows per year before and after, and the partitions made."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT relkind FROM pg_class WHERE relname = '{TABLE}'")
        if cursor.fetchone()[0] == "p":
            raise SystemExit(f"{TABLE} is partitioned already.")
        cursor.execute(CHECKS.format(table=TABLE))
        before = cursor.fetchall()
        cursor.execute(f"SELECT min(opened_on), max(opened_on) FROM {TABLE}")
        first, last = cursor.fetchone()
        first_year = first.year if first else time.gmtime().tm_year
        last_year = (last.year if last else first_year) + 1
        keys = referencing_keys(cursor)

        # 1. the partitioned table: columns, defaults, identity, checks, not-null.
        cursor.execute(
            f"CREATE TABLE {NEW} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING IDENTITY "
            f"INCLUDING CONSTRAINTS INCLUDING GENERATED) PARTITION BY RANGE (opened_on)"
        )
        cursor.execute(f"ALTER TABLE {NEW} ADD PRIMARY KEY (id, opened_on)")
        cursor.execute(f"ALTER TABLE {NEW} ADD UNIQUE (number, opened_on)")
        # 2. a partition a year and a default one.
        partitions = []
        for year in range(first_year, last_year + 1):
            name = f"{TABLE}_{year}"
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {NEW} "
                f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
            )
            partitions.append(name)
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {NEW} DEFAULT")
        partitions.append(f"{TABLE}_default")
        # 3. the rows, then the other indexes (built once, on full partitions).
        started = time.perf_counter()
        cursor.execute(f"INSERT INTO {NEW} OVERRIDING SYSTEM VALUE SELECT * FROM {TABLE}")
        out(f"  copied {cursor.rowcount:,} cases in {time.perf_counter() - started:.1f} s")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
            [TABLE],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"ALTER INDEX {name} RENAME TO {name}_unpartitioned")
            cursor.execute(
                definition.replace(f"public.{TABLE} ", f"public.{NEW} ").replace(
                    "CREATE INDEX", "CREATE INDEX IF NOT EXISTS"
                )
            )
        # 4. the foreign keys pointing here become triggers.
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION detention_must_exist() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE detention_id bigint;
            BEGIN
                EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) INTO detention_id USING NEW;
                IF detention_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM {TABLE} WHERE id = detention_id) THEN
                    RAISE foreign_key_violation USING MESSAGE = format(
                        '%s.%s = %s: no such detention', TG_TABLE_NAME, TG_ARGV[0],
                        detention_id);
                END IF;
                RETURN NULL;
            END $$;
            CREATE OR REPLACE FUNCTION detention_still_referenced() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE found bigint;
            BEGIN
                EXECUTE format(
                    'SELECT r.%I FROM %s r JOIN old_rows o ON o.id = r.%I LIMIT 1',
                    TG_ARGV[1], TG_ARGV[0], TG_ARGV[1]) INTO found;
                IF found IS NOT NULL THEN
                    RAISE foreign_key_violation USING MESSAGE = format(
                        'detention %s is still referenced from %s', found, TG_ARGV[0]);
                END IF;
                RETURN NULL;
            END $$;
            """
        )
        for table, constraint, column, _on_delete in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
            cursor.execute(
                f"CREATE CONSTRAINT TRIGGER {constraint}_exists AFTER INSERT OR UPDATE OF "
                f"{column} ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                f"EXECUTE FUNCTION detention_must_exist('{column}')"
            )
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(f"ALTER TABLE {NEW} RENAME TO {TABLE}")
        for table, constraint, column, _on_delete in keys:
            cursor.execute(
                f"CREATE TRIGGER {constraint[:50]}_restrict AFTER DELETE ON {TABLE} "
                f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
                f"EXECUTE FUNCTION detention_still_referenced('{table}', '{column}')"
            )
        # The id sequence goes on from the highest id (Django's BigAutoField identity).
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {TABLE}), false)"
        )
        # 5. the report's triggers on the new table (the functions are the migration's).
        cursor.execute("SELECT to_regproc('reports_mark_cases') IS NOT NULL")
        if cursor.fetchone()[0]:
            for name, event, referencing in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {OLD}")
                cursor.execute(
                    f"CREATE TRIGGER {name} AFTER {event} ON {TABLE} REFERENCING {referencing} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION reports_mark_cases()"
                )
            cursor.execute(f"DROP TRIGGER IF EXISTS reports_cases_truncated ON {OLD}")
            cursor.execute(
                f"CREATE TRIGGER reports_cases_truncated AFTER TRUNCATE ON {TABLE} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION reports_mark_all()"
            )
            cursor.execute(
                "INSERT INTO reports_stalemonth (month) SELECT DISTINCT "
                f"date_trunc('month', opened_on)::date FROM {TABLE}"
            )
        if drop_old:
            cursor.execute(f"DROP TABLE {OLD}")
        cursor.execute(CHECKS.format(table=TABLE))
        after = cursor.fetchall()
        cursor.execute(
            f"SELECT tableoid::regclass::text, count(*) FROM {TABLE} GROUP BY 1 ORDER BY 1"
        )
        rows = dict(cursor.fetchall())
    connection.commit()
    return {
        "before": before,
        "after": after,
        "partitions": partitions,
        "rows": rows,
        "keys": keys,
    }


def year_plan(connection, year: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*) FROM {TABLE} "
            f"WHERE opened_on BETWEEN '{year}-01-01' AND '{year}-12-31'"
        )
        return [row[0] for row in cursor.fetchall()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="the database to convert")
    parser.add_argument("--copy-of", help="create --database as a copy of this one first")
    parser.add_argument("--drop-old", action="store_true", help="drop the unpartitioned table")
    parser.add_argument(
        "--min-rows",
        type=int,
        default=int(os.environ.get("DETENTIONS_PARTITION_MIN_ROWS", MIN_ROWS)),
        help="refuse a table with fewer cases (docs/partitioning.md: the threshold)",
    )
    args = parser.parse_args()

    import psycopg

    from config.embedded import ensure_services

    ensure_services()
    import environ

    params = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    connect = {
        "host": params["HOST"],
        "port": params.get("PORT") or None,
        "user": params["USER"],
        "password": params.get("PASSWORD") or None,
    }
    if args.copy_of:
        with psycopg.connect(dbname=params["NAME"], autocommit=True, **connect) as admin:
            started = time.perf_counter()
            admin.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {args.database} TEMPLATE {args.copy_of}")
            say(
                f"Copied {args.copy_of} to {args.database} in {time.perf_counter() - started:.1f} s"
            )
    with psycopg.connect(dbname=args.database, **connect) as connection:
        (rows,) = connection.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
        if rows < args.min_rows:
            say(f"{rows:,} cases: below the threshold of {args.min_rows:,}; nothing done.")
            return 0
        started = time.perf_counter()
        result = convert(connection, drop_old=args.drop_old)
        say(f"Converted in {time.perf_counter() - started:.1f} s:")
        for name in result["partitions"]:
            say(f"  {name:40s} {result['rows'].get(name, 0):>10,}")
        say(f"  {len(result['keys'])} foreign keys replaced by triggers: " + ", ".join(
            f"{table}.{column}" for table, _c, column, _d in result["keys"]
        ))  # fmt: skip
        same = result["before"] == result["after"]
        say(f"  rows, values, items and detained per year as before: {'yes' if same else 'NO'}")
        last = result["before"][-1][0] if result["before"] else None
        if last:
            say(f"  plan of a count of {last - 1}'s cases:")
            for line in year_plan(connection, last - 1):
                say(f"    {line}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
