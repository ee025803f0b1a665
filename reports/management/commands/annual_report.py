"""Write the annual report for a year as CSV files, one per section (figures.csv, one per
split, monthly.csv), in the layout of the API's CSV (reports.exports)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.errors import InvalidInput
from reports import exports
from reports.selectors import SCOPES, period_for, report, scope_for

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Write the annual report for --year as CSV files (figures.csv, one per split, "
        "monthly.csv) into --out (default reports-<year>/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", type=Path, help="Directory (default reports-<year>/).")
        parser.add_argument("--scope", choices=SCOPES)
        parser.add_argument("--office", help="scope=district: customs code (e.g. 3100) or id.")
        parser.add_argument("--holder", help="scope=holder: the rights holder's id.")
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="The language of the labels and headers (default en).",
        )

    def handle(self, *args, lang="en", **options):
        with translation.override(lang):
            self._write(**options)

    def _write(self, *, year, out, scope, office, holder, **options):
        if not 1900 <= year <= 2100:
            raise CommandError("--year must be between 1900 and 2100.")
        kind = scope or ("holder" if holder else "district" if office else "national")
        if office and kind != "district":
            raise CommandError("--office only with --scope district.")
        if holder and kind != "holder":
            raise CommandError("--holder only with --scope holder.")
        try:
            found = scope_for(kind=kind, office=office, holder=holder)
        except InvalidInput as error:
            messages = [f"--{field}: {m}" for field, ms in error.errors.items() for m in ms]
            raise CommandError(" ".join(messages)) from error
        starts_on, ends_on = period_for(year=year)
        data = report(starts_on=starts_on, ends_on=ends_on, scope=found)

        out = out or Path(f"reports-{year}")
        out.mkdir(parents=True, exist_ok=True)
        sections = exports.sections(data)
        written = []
        self._progress(0, len(sections), "")
        for done, section in enumerate(sections, start=1):
            path = out / f"{section}.csv"
            path.write_text(exports.to_csv(data, only=[section]), encoding="utf-8")
            written.append(path)
            self._progress(done, len(sections), path.name)
        self.stderr.write("")
        for path in written:
            self.stdout.write(str(path))

    def _progress(self, done: int, total: int, name: str):
        """[#######.......]  7/11  63% district.csv, redrawn in place on stderr."""
        filled = BAR_WIDTH * done // total
        percent = 100 * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stderr.write(
            f"\r[{bar}] {done:>2}/{total} {percent:>3}% {name:<20}", style_func=str, ending=""
        )
        self.stderr.flush()
