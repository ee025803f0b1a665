"""Files and large batches (issue 19): the management command (JSON lines, CSV, bad
input changes nothing), the Celery task storing results, safe to run twice."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from recordals.tests.factories import approved
from screening import services
from screening.models import ScreeningBatch, ScreeningResult
from screening.tasks import run_batch
from screening.tests.factories import declaration

pytestmark = pytest.mark.django_db


@pytest.fixture
def mark(parties):
    return approved(parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"])


def declarations():
    return [
        declaration({"brand": "LABUBU"}, number="D1"),
        declaration({"description": "Towels"}, number="D2"),
        declaration(consignor={"name": "Fake Toys Trading", "country": "CN"}, number="D3"),
    ]


def test_command_screens_json_lines(tmp_path, mark, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in declarations()), encoding="utf-8")
    call_command("screen_declarations", str(path))
    out = capsys.readouterr()
    results = [json.loads(line) for line in out.out.splitlines()]
    assert [(r["number"], r["level"]) for r in results] == [
        ("D1", "high"),
        ("D2", "none"),
        ("D3", "medium"),
    ]
    assert "3/3" in out.err  # the progress bar


def test_command_screens_csv_one_row_per_line(tmp_path, mark, capsys):
    path = tmp_path / "in.csv"
    columns = [
        "number", "declared_on", "direction", "channel", "port", "consignor_name",
        "consignor_country", "consignee_name", "consignee_country", "origin_country",
        "destination_country", "description", "brand", "hs_code", "quantity", "unit", "value",
    ]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        base = ["X1", "2024-11-08", "export", "general_trade", "", "Acme", "CN", "Beta", "NG", "CN", "NG"]  # fmt: skip
        writer.writerow([*base, "Towels", "", "630260", "10", "pieces", "100.00"])
        writer.writerow([*base, "Plush", "LABUBU", "950300", "10", "pieces", "100.00"])
    call_command("screen_declarations", str(path), "--no-progress")
    (result,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert result["number"] == "X1"
    assert {h["line"] for h in result["hits"] if h["rule"] == "mark"} == {1}


def test_command_refuses_bad_input_and_stores_nothing(tmp_path, mark):
    path = tmp_path / "in.jsonl"
    bad = declaration(direction="sideways")
    path.write_text(json.dumps(declarations()[0]) + "\n" + json.dumps(bad), encoding="utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("screen_declarations", str(path), "--store", "Bad")
    assert ScreeningBatch.objects.count() == 0


def test_command_stores_a_batch(tmp_path, mark):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in declarations()), encoding="utf-8")
    call_command("screen_declarations", str(path), "--store", "Week 45", "--no-progress")
    batch = ScreeningBatch.objects.get(name="Week 45")
    assert (batch.status, batch.total, batch.done) == ("done", 3, 3)
    assert list(batch.results.values_list("number", "level")) == [
        ("D1", "high"),
        ("D2", "none"),
        ("D3", "medium"),
    ]


def test_celery_task_stores_results_and_is_safe_to_run_twice(
    mark, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_queue(name="Large", declarations=declarations())
    batch.refresh_from_db()
    assert batch.status == "done"
    first = list(ScreeningResult.objects.values_list("pk", "risk"))
    assert len(first) == 3
    run_batch(batch.pk)
    assert list(ScreeningResult.objects.values_list("pk", "risk")) == first
    assert run_batch(10**9) is None
