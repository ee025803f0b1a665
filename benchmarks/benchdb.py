"""What the benchmarks share: each runs in a database of its own beside the main one (on
DATABASE_URL, or the embedded PostgreSQL started here), created and migrated, filled by
national_data.py with COPY where it needs national data, and dropped afterwards unless
kept. Importing this module sets up the environment; `BenchDatabase.setup_django()` then
points Django at the benchmark's database."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

from config.embedded import ensure_services

ensure_services()


class BenchDatabase:
    def __init__(self, name: str):
        # BENCH_DATABASE_NAME: another database for one run (benchmarks/national_scale.py
        # runs the report at two sizes, and the campaigns on the report's data).
        self.name = os.environ.get("BENCH_DATABASE_NAME") or name
        self.main: str | None = None  # the main database, to create and drop from

    def setup_django(self) -> None:
        import django
        from django.conf import settings

        self.main = settings.DATABASES["default"]["NAME"]
        settings.DATABASES["default"]["NAME"] = self.name
        django.setup()

    def _admin_connection(self):
        import psycopg
        from django.db import connection

        params = connection.get_connection_params()
        connection.close()
        params["dbname"] = self.main
        return psycopg.connect(**params, autocommit=True)

    def exists(self) -> bool:
        with self._admin_connection() as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return found.fetchone() is not None

    def recreate(self) -> None:
        """An empty, migrated database."""
        from django.core.management import call_command

        with self._admin_connection() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {self.name}")
        call_command("migrate", verbosity=0)

    def drop(self) -> None:
        with self._admin_connection() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        print(f"\nDropped {self.name}.")

    def national_data(self, *, detentions: int, seed: int, reuse: bool):
        """The database filled by national_data.generate, or the one kept by an earlier
        --keep when `reuse` is asked and it exists. Returns the generation summary (None
        when reused)."""
        from django.db import connection

        from benchmarks.national_data import generate

        if reuse and self.exists():
            from django.core.management import call_command

            print(f"Benchmark database {self.name}: reusing it (no generation; migrated).")
            call_command("migrate", verbosity=0)  # a kept database follows new migrations
            return None
        print(f"Benchmark database {self.name}: creating and migrating ...")
        self.recreate()
        print(f"Generating {detentions:,} detentions (seed {seed}) ...")
        summary = generate(connection, detentions=detentions, seed=seed)
        print(
            f"Generated in {summary.seconds:.1f} s: {summary.detentions:,} detentions "
            f"{summary.first_year}-{summary.last_year}, {summary.goods_lines:,} goods lines, "
            f"{summary.recordal_links:,} recordal links, {summary.referrals:,} referrals, "
            f"{summary.holders:,} holders, {summary.recordals:,} holders' recordals, "
            f"{summary.recordal_applications:,} recordal applications, "
            f"{summary.general_bonds:,} general bonds, {summary.offices} offices, "
            f"{summary.ports} ports."
        )
        return summary


def create_regions() -> list:
    """The focus regions of the demo campaigns (campaigns/demo.py: Africa, Middle East,
    Latin America, Belt and Road, Hong Kong and Macao), with their ISO country lists."""
    from django.db import connection

    from campaigns.demo import REGIONS
    from campaigns.models import Region

    regions = []
    for code, (name_en, name_zh, countries) in REGIONS.items():
        region, _ = Region.objects.update_or_create(
            code=code,
            defaults={"name_en": name_en, "name_zh": name_zh, "countries": sorted(set(countries))},
        )
        regions.append(region)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE campaigns_region")
    return regions
