"""The report as a tidy CSV and as an Excel workbook, through the API (?format=csv|xlsx or an
Accept header) and as the pure functions the command shares."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from reports import exports
from reports.selectors import SPLITS
from reports.tests.test_report import data  # noqa: F401 (the dataset with known totals)

pytestmark = pytest.mark.django_db
URL = "/api/v1/statistics/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = [
    "Summary",
    "Kind of right",
    "Direction",
    "Mode",
    "Channel",
    "Customs district",
    "Product category",
    "Destination region",
    "Rights holder's country",
    "Outcome",
    "Monthly",
]


@pytest.fixture
def gacc(parties):
    client = APIClient()
    client.force_authenticate(parties["users"]["gacc"])
    return client


def parse(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_csv_is_one_tidy_row_per_figure(data, gacc):  # noqa: F811
    response = gacc.get(URL, {"year": 2024, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="statistics-national-2024-01-01-2024-12-31.csv"'
    )
    table = parse(response)
    assert table[0] == ["section", "key", "label", "measure", "current", "previous", "change_pct"]
    body = table[1:]
    # 14 headline figures; 24 split rows and 12 months, 4 measures each.
    assert len(body) == 14 + 24 * 4 + 12 * 4
    assert [section for section in dict.fromkeys(r[0] for r in body)] == [
        "figures",
        *SPLITS,
        "monthly",
    ]
    assert body[:4] == [
        ["figures", "protection_actions", "Protection actions", "actions", "5", "2", "150.00"],
        ["figures", "batches", "Batches detained", "batches", "4", "2", "100.00"],
        ["figures", "items", "Items detained", "items", "1167", "60", "1845.00"],
        [
            "figures",
            "value",
            "Value of goods detained (CNY)",
            "value",
            "22300.00",
            "600.00",
            "3616.67",
        ],
    ]
    assert [
        "figures",
        "referrals",
        "Referrals to public security",
        "referrals",
        "2",
        "0",
        "",
    ] in body
    assert [
        "figures",
        "recordals_approved_domestic",
        "Recordals approved, domestic holders",
        "recordals",
        "1",
        "1",
        "0.00",
    ] in body
    ip_kind = [r for r in body if r[0] == "ip_kind"]
    assert ip_kind[:4] == [
        ["ip_kind", "trademark", "Trademark", "actions", "3", "2", "50.00"],
        ["ip_kind", "trademark", "Trademark", "batches", "2", "2", "0.00"],
        ["ip_kind", "trademark", "Trademark", "items", "1150", "60", "1816.67"],
        ["ip_kind", "trademark", "Trademark", "value", "21500.00", "600.00", "3483.33"],
    ]
    assert ["ip_kind", "patent", "Patent", "value", "700.00", "0.00", ""] in ip_kind
    assert ["district", "5300", "Shenzhen Customs", "items", "7", "20", "-65.00"] in body
    assert ["monthly", "2024-01", "2024-01", "value", "1500.00", "400.00", "275.00"] in body
    assert ["monthly", "2024-04", "2024-04", "actions", "0", "0", ""] in body
    assert body[-1] == ["monthly", "2024-12", "2024-12", "value", "700.00", "0.00", ""]


def test_csv_by_accept_header_and_file_names_per_scope(data, gacc):  # noqa: F811
    by_header = gacc.get(URL, {"year": 2024}, HTTP_ACCEPT="text/csv")
    assert by_header.status_code == 200
    assert by_header.content == gacc.get(URL, {"year": 2024, "format": "csv"}).content
    district = gacc.get(URL, {"year": 2024, "quarter": 1, "office": "5300", "format": "csv"})
    assert district["Content-Disposition"] == (
        'attachment; filename="statistics-district-5300-2024-01-01-2024-03-31.csv"'
    )
    assert [r for r in parse(district) if r[0] == "figures"] == [
        ["figures", "protection_actions", "Protection actions", "actions", "0", "0", ""],
        ["figures", "batches", "Batches detained", "batches", "0", "0", ""],
        ["figures", "items", "Items detained", "items", "0", "0", ""],
        ["figures", "value", "Value of goods detained (CNY)", "value", "0.00", "0.00", ""],
        ["figures", "batches_exempted", "Batches exempted from penalty", "batches", "0", "0", ""],
        ["figures", "items_exempted", "Items exempted from penalty", "items", "0", "0", ""],
        ["figures", "referrals", "Referrals to public security", "referrals", "0", "0", ""],
        ["figures", "referrals_accepted", "Referrals accepted", "referrals", "0", "0", ""],
    ]
    holder = gacc.get(URL, {"year": 2024, "holder": data["holder_a"].pk, "format": "xlsx"})
    assert holder["Content-Disposition"] == (
        f'attachment; filename="statistics-holder-{data["holder_a"].pk}-2024-01-01-2024-12-31.xlsx"'
    )


def values(sheet, row: int) -> list:
    return [cell.value for cell in sheet[row]]


def test_xlsx_workbook(data, gacc):  # noqa: F811
    response = gacc.get(URL, {"year": 2024, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="statistics-national-2024-01-01-2024-12-31.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == SHEETS

    summary = book["Summary"]
    assert summary["A1"].value == "Statistics: National"
    assert summary["A2"].value == (
        "Period 2024-01-01 to 2024-12-31; compared with 2023-01-01 to 2023-12-31"
    )
    assert values(summary, 4) == ["Figure", "Current", "Previous", "Change %"]
    assert all(cell.font.b for cell in summary[4])
    assert values(summary, 5) == ["Protection actions", 5, 2, 150]
    assert values(summary, 8) == ["Value of goods detained (CNY)", 22300, 600, 3616.67]
    assert values(summary, 11) == ["Referrals to public security", 2, 0, None]
    assert values(summary, 18) == ["Recordals approved, foreign holders", 2, 0, None]
    assert summary.max_row == 18
    assert isinstance(summary["B5"].value, int)
    assert (summary["B8"].data_type, summary["C8"].data_type) == ("n", "n")
    assert (
        summary["B5"].number_format,
        summary["B8"].number_format,
        summary["D8"].number_format,
    ) == ("#,##0", "#,##0.00", "0.00")
    assert (
        summary.column_dimensions["A"].width == len("Recordal applications, domestic holders") + 2
    )

    kinds = book["Kind of right"]
    assert values(kinds, 1) == [
        "Key",
        "Kind of right",
        "Actions",
        "Actions, previous",
        "Actions, change %",
        "Batches",
        "Batches, previous",
        "Batches, change %",
        "Items",
        "Items, previous",
        "Items, change %",
        "Value (CNY)",
        "Value (CNY), previous",
        "Value (CNY), change %",
    ]
    assert all(cell.font.b for cell in kinds[1])
    assert values(kinds, 2) == [
        "trademark",
        "Trademark",
        3,
        2,
        50,
        2,
        2,
        0,
        1150,
        60,
        1816.67,
        21500,
        600,
        3483.33,
    ]
    assert values(kinds, 4) == [
        "patent",
        "Patent",
        1,
        0,
        None,
        1,
        0,
        None,
        7,
        0,
        None,
        700,
        0,
        None,
    ]
    assert kinds.max_row == 4
    assert kinds.freeze_panes == "A2"
    assert kinds.column_dimensions["B"].width == len("Kind of right") + 2

    districts = book["Customs district"]
    assert [values(districts, row)[:4] for row in (2, 3)] == [
        ["3100", "Ningbo Customs", 4, 1],
        ["5300", "Shenzhen Customs", 1, 1],
    ]
    monthly = book["Monthly"]
    assert values(monthly, 1)[:2] == ["Month", "Actions"]
    assert values(monthly, 2) == ["2024-01", 1, 1, 0, 1, 1, 0, 150, 40, 275, 1500, 400, 275]
    assert values(monthly, 13) == ["2024-12", 1, 0, None, 1, 0, None, 7, 0, None, 700, 0, None]
    assert monthly.max_row == 13


# --- the pure functions --------------------------------------------------------------------


def tiny(label="Trademark", key="trademark"):
    """A report dict as reports.selectors.report returns it, by hand."""
    figure = {"current": 1, "previous": 0, "change_pct": None}
    money = {
        "current": Decimal("10.50"),
        "previous": Decimal("3.00"),
        "change_pct": Decimal("250.00"),
    }
    row = {
        "key": key,
        "label": label,
        "actions": figure,
        "batches": figure,
        "items": figure,
        "value": money,
    }
    return {
        "period": {"from": dt.date(2024, 2, 1), "to": dt.date(2024, 2, 29)},
        "previous_period": {"from": dt.date(2023, 2, 1), "to": dt.date(2023, 2, 28)},
        "scope": {"kind": "holder", "id": 7, "name": "Holder A"},
        "figures": {"protection_actions": figure, "value": money},
        "splits": {split: [row] if split == "ip_kind" else [] for split in SPLITS},
        "monthly": [
            {
                "month": "2024-02",
                "actions": figure,
                "batches": figure,
                "items": figure,
                "value": money,
            }
        ],
    }


def test_tidy_rows_and_sections():
    report = tiny()
    assert exports.sections(report) == ["figures", *SPLITS, "monthly"]
    assert list(exports.rows(report, only=["figures", "monthly"])) == [
        ("figures", "protection_actions", "Protection actions", "actions", 1, 0, None),
        (
            "figures",
            "value",
            "Value of goods detained (CNY)",
            "value",
            Decimal("10.50"),
            Decimal("3.00"),
            Decimal("250.00"),
        ),
        ("monthly", "2024-02", "2024-02", "actions", 1, 0, None),
        ("monthly", "2024-02", "2024-02", "batches", 1, 0, None),
        ("monthly", "2024-02", "2024-02", "items", 1, 0, None),
        (
            "monthly",
            "2024-02",
            "2024-02",
            "value",
            Decimal("10.50"),
            Decimal("3.00"),
            Decimal("250.00"),
        ),
    ]
    assert exports.filename(report, "csv") == "statistics-holder-7-2024-02-01-2024-02-29.csv"


def test_text_a_spreadsheet_would_run_is_quoted_in_csv_and_kept_text_in_xlsx():
    report = tiny(label='=HYPERLINK("http://x")', key="+1")
    table = list(csv.reader(io.StringIO(exports.to_csv(report, only=["ip_kind"]))))
    assert table[1][:3] == ["ip_kind", "'+1", '\'=HYPERLINK("http://x")']
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(report)))["Kind of right"]
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("+1", "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == ('=HYPERLINK("http://x")', "s")


def test_sheet_titles_obey_excel():
    assert exports.sheet_title("Rights holder's country") == "Rights holder's country"
    assert exports.sheet_title("A/B: [x]?") == "A B   x"
    assert exports.sheet_title("x" * 40) == "x" * 31
