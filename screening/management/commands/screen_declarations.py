"""Screen a file of declarations: JSON lines (one declaration per line, as the API takes
it) or CSV (one goods line per row, the declaration's columns repeated; rows of one
declaration number together). Prints one JSON result per line, with a progress bar on
stderr; --store keeps the results as a batch for the admin, --queue hands a large batch
to Celery."""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening import services
from screening.api import DeclarationInput, _plain

CSV_PARTY = {
    "consignor_name": ("consignor", "name"),
    "consignor_country": ("consignor", "country"),
    "consignee_name": ("consignee", "name"),
    "consignee_country": ("consignee", "country"),
}
CSV_LINE = ("description", "brand", "hs_code", "quantity", "unit", "value")
CSV_DECLARATION = (
    "number", "declared_on", "direction", "channel", "port", "origin_country",
    "destination_country",
)  # fmt: skip


def read_jsonl(path: Path):
    with path.open(encoding="utf-8") as f:
        for n, row in enumerate(f, start=1):
            if row.strip():
                try:
                    yield n, json.loads(row)
                except json.JSONDecodeError as exc:
                    raise CommandError(f"line {n}: not JSON ({exc})") from exc


def read_csv(path: Path):
    declarations: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            number = (row.get("number") or "").strip()
            if number not in declarations:
                d = {k: row.get(k, "") for k in CSV_DECLARATION}
                for column, (party, field) in CSV_PARTY.items():
                    d.setdefault(party, {})[field] = row.get(column, "")
                d["lines"] = []
                declarations[number] = d
                first_row[number] = n
            declarations[number]["lines"].append({k: row.get(k, "") for k in CSV_LINE})
    for number, d in declarations.items():
        yield first_row[number], d


class Progress:
    def __init__(self, total: int, out):
        self.total, self.out, self.start = total, out, time.monotonic()

    def __call__(self, done: int, total: int | None = None):
        total = total or self.total
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / max(time.monotonic() - self.start, 1e-6)
        self.out.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:,.0f}/s)")
        if done >= total:
            self.out.write("\n")
        self.out.flush()


class Command(BaseCommand):
    help = "Screen declarations from a CSV or JSON-lines file (issue 19)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .csv or .jsonl file.")
        parser.add_argument(
            "--format", choices=("csv", "jsonl"), help="By the file's suffix otherwise."
        )
        parser.add_argument(
            "--store", metavar="NAME", help="Keep the results as a batch of this name."
        )
        parser.add_argument(
            "--queue", action="store_true", help="With --store: screen in a Celery worker."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(
        self, *args, path, format=None, store=None, queue=False, no_progress=False, **options
    ):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        kind = format or ("csv" if file.suffix.lower() == ".csv" else "jsonl")
        rows = list(read_csv(file) if kind == "csv" else read_jsonl(file))
        declarations, errors = [], []
        for n, raw in rows:
            data = DeclarationInput(data=raw)
            if data.is_valid():
                declarations.append(_plain(data.validated_data))
            else:
                errors.append(f"line {n}: {json.dumps(data.errors, ensure_ascii=False)}")
        if errors:
            raise CommandError("Invalid declarations, nothing screened:\n" + "\n".join(errors[:20]))
        progress = None if no_progress else Progress(len(declarations), sys.stderr)
        if store and queue:
            batch = services.batch_queue(name=store, declarations=declarations)
            self.stdout.write(f"Batch {batch.pk} queued: {len(declarations)} declarations.")
            return
        if store:
            batch = services.batch_create(name=store, declarations=declarations)
            batch = services.batch_run(batch_id=batch.pk, progress=progress)
            self.stdout.write(f"Batch {batch.pk} screened: {batch.done} declarations.")
            return
        chunk = 500
        for start in range(0, len(declarations), chunk):
            for result in services.declarations_screen(
                declarations=declarations[start : start + chunk]
            ):
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            if progress:
                progress(min(start + chunk, len(declarations)))
