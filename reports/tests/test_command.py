"""`manage.py annual_report`: one CSV per section into a directory, a progress bar on
stderr, the files written on stdout; the scope as in the API."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from reports.selectors import SPLITS
from reports.tests.test_report import data  # noqa: F401 (the dataset with known totals)

pytestmark = pytest.mark.django_db
HEADER = ["section", "key", "label", "measure", "current", "previous", "change_pct"]
FILES = ["figures.csv", *(f"{split}.csv" for split in SPLITS), "monthly.csv"]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("annual_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def read(path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def test_writes_one_csv_per_section_with_a_progress_bar(data, tmp_path):  # noqa: F811
    target = tmp_path / "annual"
    out, err = run("--year", "2024", "--out", str(target))
    assert sorted(p.name for p in target.iterdir()) == sorted(FILES)
    assert out.splitlines() == [str(target / name) for name in FILES]

    figures = read(target / "figures.csv")
    assert figures[0] == HEADER
    assert len(figures) == 1 + 14
    assert figures[1] == [
        "figures",
        "protection_actions",
        "Protection actions",
        "actions",
        "5",
        "2",
        "150.00",
    ]
    assert figures[4] == [
        "figures",
        "value",
        "Value of goods detained (CNY)",
        "value",
        "22300.00",
        "600.00",
        "3616.67",
    ]
    assert figures[5] == [
        "figures",
        "batches_exempted",
        "Batches exempted from penalty",
        "batches",
        "1",
        "0",
        "",
    ]
    channel = read(target / "channel.csv")
    assert channel[0] == HEADER
    assert channel[1:5] == [
        ["channel", "express", "Express", "actions", "2", "1", "100.00"],
        ["channel", "express", "Express", "batches", "2", "1", "100.00"],
        ["channel", "express", "Express", "items", "157", "40", "292.50"],
        ["channel", "express", "Express", "value", "2200.00", "400.00", "450.00"],
    ]
    assert len(channel) == 1 + 3 * 4
    monthly = read(target / "monthly.csv")
    assert len(monthly) == 1 + 12 * 4
    assert monthly[4] == ["monthly", "2024-01", "2024-01", "value", "1500.00", "400.00", "275.00"]

    # Redrawn in place once before the first file and once per file, ending at 100%.
    frames = err.rstrip("\n").split("\r")[1:]
    assert len(frames) == 1 + len(FILES)
    assert frames[0].startswith("[" + "." * 30 + "]  0/11   0%")
    assert frames[5].startswith("[" + "#" * 13 + "." * 17 + "]  5/11  45% channel.csv")
    assert frames[-1].startswith("[" + "#" * 30 + "] 11/11 100% monthly.csv")
    assert err.endswith("\n")


def test_default_directory_is_reports_year(data, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    # 2023 (p1, p2) against 2022 (n0, on 31 December).
    out, _err = run("--year", "2023")
    assert out.splitlines()[0] == "reports-2023/figures.csv"
    figures = read(tmp_path / "reports-2023" / "figures.csv")
    assert figures[1] == [
        "figures",
        "protection_actions",
        "Protection actions",
        "actions",
        "2",
        "1",
        "100.00",
    ]


def test_district_and_holder_scopes(data, tmp_path):  # noqa: F811
    run("--year", "2024", "--scope", "district", "--office", "3100", "--out", str(tmp_path / "n"))
    figures = read(tmp_path / "n" / "figures.csv")
    # Ningbo: four cases in 2024 against one in 2023; recordals are national.
    assert figures[1][4:] == ["4", "1", "300.00"]
    assert [row[1] for row in figures[1:]] == [
        "protection_actions",
        "batches",
        "items",
        "value",
        "batches_exempted",
        "items_exempted",
        "referrals",
        "referrals_accepted",
    ]
    holder = str(data["holder_b"].pk)
    run("--year", "2024", "--holder", holder, "--out", str(tmp_path / "b"))
    figures = read(tmp_path / "b" / "figures.csv")
    assert figures[4] == [
        "figures",
        "value",
        "Value of goods detained (CNY)",
        "value",
        "20000.00",
        "200.00",
        "9900.00",
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--scope", "district"], "--office: Required for scope=district: a customs code or id."),
        (["--scope", "district", "--office", "9999"], "--office: No customs district '9999'."),
        (["--scope", "holder"], "--holder: Required for scope=holder: a rights holder's id."),
        (["--holder", "abc"], "--holder: No rights holder 'abc'."),
        (["--scope", "national", "--office", "3100"], "--office only with --scope district."),
        (
            ["--scope", "district", "--office", "3100", "--holder", "1"],
            "--holder only with --scope holder.",
        ),
    ],
)
def test_bad_scope_is_a_command_error_and_writes_nothing(parties, tmp_path, args, message):
    target = tmp_path / "out"
    with pytest.raises(CommandError) as error:
        run("--year", "2024", "--out", str(target), *args)
    assert str(error.value) == message
    assert not target.exists()


def test_a_year_out_of_range_is_a_command_error(parties, tmp_path):
    with pytest.raises(CommandError) as error:
        run("--year", "10000", "--out", str(tmp_path / "out"))
    assert str(error.value) == "--year must be between 1900 and 2100."
    assert not (tmp_path / "out").exists()
