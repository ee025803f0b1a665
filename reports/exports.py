"""The report (reports.selectors.report) as files: a tidy CSV and an Excel workbook.

Pure functions of the report dict, shared by the API (`?format=csv|xlsx`) and the
`annual_report` command, so the figures in every file are the same the JSON gives.

The CSV is long ("tidy"): one row per figure, with the columns
    section, key, label, measure, current, previous, change_pct
- `figures`: the headline figures; key is the figure's name and measure what it counts
  (actions, batches, items, value, referrals, recordals);
- one section per split (`ip_kind`, `district`, ...): a row per key and measure (actions,
  batches, items, value);
- `monthly`: a row per month (key YYYY-MM) and measure.
Counts are integers, money CNY with two decimals, change_pct in percent with two
decimals and empty when the year before had nothing (no division by zero).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.timezone import day_text
from reports.selectors import MEASURES, SPLITS

COLUMNS = ("section", "key", "label", "measure", "current", "previous", "change_pct")
# The CSV's header row in the language active when it is written; the values of `section`
# and `measure` stay the codes the module docstring lists.
COLUMN_LABELS = {
    "section": _("section"),
    "key": _("key"),
    "label": _("label"),
    "measure": _("measure"),
    "current": _("current"),
    "previous": _("previous"),
    "change_pct": _("change_pct"),
}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The headline figures in the order of the annual report, with what each counts. The
# recordal figures are national (GACC decides recordals): absent for a district.
FIGURES = {
    "protection_actions": (_("Protection actions"), "actions"),
    "batches": (_("Batches detained"), "batches"),
    "items": (_("Items detained"), "items"),
    "value": (_("Value of goods detained (CNY)"), "value"),
    "batches_exempted": (_("Batches exempted from penalty"), "batches"),
    "items_exempted": (_("Items exempted from penalty"), "items"),
    "referrals": (_("Referrals to public security"), "referrals"),
    "referrals_accepted": (_("Referrals accepted"), "referrals"),
    "recordal_applications": (_("Recordal applications"), "recordals"),
    "recordal_applications_domestic": (_("Recordal applications, domestic holders"), "recordals"),
    "recordal_applications_foreign": (_("Recordal applications, foreign holders"), "recordals"),
    "recordals_approved": (_("Recordals approved"), "recordals"),
    "recordals_approved_domestic": (_("Recordals approved, domestic holders"), "recordals"),
    "recordals_approved_foreign": (_("Recordals approved, foreign holders"), "recordals"),
}
MEASURE_LABELS = {
    "actions": _("Actions"),
    "batches": _("Batches"),
    "items": _("Items"),
    "value": _("Value (CNY)"),
}


def sections(report: dict) -> list[str]:
    """`figures`, each split, `monthly`: the CSV's sections (and the command's files)."""
    return ["figures", *report["splits"], "monthly"]


def filename(report: dict, extension: str, *, scope_key: str | None = None) -> str:
    """statistics-national-2024-01-01-2024-12-31.csv; a district or holder adds its key
    (a customs code or an organisation id)."""
    scope = report["scope"]
    key = scope_key or (str(scope["id"]) if scope["id"] is not None else "")
    parts = [
        "statistics",
        scope["kind"],
        key,
        report["period"]["from"].isoformat(),
        report["period"]["to"].isoformat(),
    ]
    return "-".join(part for part in parts if part) + f".{extension}"


# --- tidy rows and CSV ---------------------------------------------------------------------


def _number(value, money: bool):
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01")) if money else int(value)


def _figure_values(figure: dict, money: bool) -> tuple:
    return (
        _number(figure["current"], money),
        _number(figure["previous"], money),
        figure["change_pct"],
    )


def figure_label(name: str) -> str:
    label = FIGURES.get(name, (name.replace("_", " ").capitalize(), ""))[0]
    return str(label)


def rows(report: dict, only: Iterable[str] | None = None) -> Iterator[tuple]:
    """The report as tidy rows (COLUMNS), numbers as numbers; `only` some sections."""
    wanted = set(only) if only is not None else None
    for section in sections(report):
        if wanted is not None and section not in wanted:
            continue
        if section == "figures":
            for name, figure in report["figures"].items():
                measure = FIGURES.get(name, ("", name))[1]
                values = _figure_values(figure, money=measure == "value")
                yield (section, name, figure_label(name), measure, *values)
        elif section == "monthly":
            for month in report["monthly"]:
                for measure in MEASURES:
                    values = _figure_values(month[measure], money=measure == "value")
                    yield (section, month["month"], month["month"], measure, *values)
        else:
            for row in report["splits"][section]:
                for measure in MEASURES:
                    values = _figure_values(row[measure], money=measure == "value")
                    yield (section, row["key"], row["label"], measure, *values)


def _text(value) -> str:
    """A cell as text; text a spreadsheet would run as a formula is quoted (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return str(value)


def to_csv(report: dict, only: Iterable[str] | None = None) -> str:
    """The tidy CSV (header and rows), all sections or `only` some."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(COLUMN_LABELS[column]) for column in COLUMNS])
    for section, key, label, measure, current, previous, change in rows(report, only):
        # Numbers are written as they are (a negative change is not a formula).
        change = "" if change is None else change
        writer.writerow([section, _text(key), _text(label), measure, current, previous, change])
    return buffer.getvalue()


# --- Excel ---------------------------------------------------------------------------------

BOLD = Font(bold=True)
MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00"
# Characters Excel does not allow in a sheet name, and its length limit.
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(label) -> str:
    return str(label).translate(_SHEET_FORBIDDEN).strip("' ")[:31] or "Sheet"


def _put(sheet, row: int, column: int, value, number_format: str | None = None, bold=False):
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    if number_format and value is not None and not isinstance(value, str):
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def _size_columns(sheet, minimum=8, maximum=60):
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = format(cell.value, ",.2f") if isinstance(cell.value, Decimal) else cell.value
            widths[cell.column] = max(widths.get(cell.column, 0), len(str(text)))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, minimum), maximum
        )


def _measure_headers() -> list[str]:
    headers = []
    for measure in MEASURES:
        label = str(MEASURE_LABELS[measure])
        headers += [
            label,
            gettext("%(measure)s, previous") % {"measure": label},
            gettext("%(measure)s, change %%") % {"measure": label},
        ]
    return headers


def _measure_cells(sheet, row_number: int, first_column: int, row: dict):
    column = first_column
    for measure in MEASURES:
        money = measure == "value"
        number_format = MONEY_FORMAT if money else COUNT_FORMAT
        current, previous, change = _figure_values(row[measure], money)
        _put(sheet, row_number, column, current, number_format)
        _put(sheet, row_number, column + 1, previous, number_format)
        _put(sheet, row_number, column + 2, change, PERCENT_FORMAT)
        column += 3


def _table(sheet, headers: list[str], first_row: int = 1):
    for column, header in enumerate(headers, start=1):
        _put(sheet, first_row, column, header, bold=True)
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1)


def to_xlsx(report: dict) -> bytes:
    """A workbook: "Summary" (the headline figures with the year before and the change in
    percent), one sheet per split, and "Monthly". Numbers are numbers."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = str(_("Summary"))
    period, previous = report["period"], report["previous_period"]
    title = gettext("Statistics: %(scope)s") % {"scope": report["scope"]["name"]}
    _put(summary, 1, 1, title, bold=True)
    compared = gettext(
        "Period %(start)s to %(end)s; compared with %(previous_start)s to %(previous_end)s"
    ) % {
        "start": day_text(period["from"]),
        "end": day_text(period["to"]),
        "previous_start": day_text(previous["from"]),
        "previous_end": day_text(previous["to"]),
    }
    _put(summary, 2, 1, compared)
    _table(
        summary,
        [str(_("Figure")), str(_("Current")), str(_("Previous")), str(_("Change %"))],
        first_row=4,
    )
    for row_number, (name, figure) in enumerate(report["figures"].items(), start=5):
        money = FIGURES.get(name, ("", ""))[1] == "value"
        number_format = MONEY_FORMAT if money else COUNT_FORMAT
        current, previous_value, change = _figure_values(figure, money)
        _put(summary, row_number, 1, figure_label(name))
        _put(summary, row_number, 2, current, number_format)
        _put(summary, row_number, 3, previous_value, number_format)
        _put(summary, row_number, 4, change, PERCENT_FORMAT)
    _size_columns(summary)
    # Sized by the figures' labels, not by the title rows above them.
    summary.column_dimensions["A"].width = max(
        [len(figure_label(name)) + 2 for name in report["figures"]] or [20]
    )

    for split, label in SPLITS.items():
        sheet = workbook.create_sheet(sheet_title(label))
        _table(sheet, [str(_("Key")), str(label), *_measure_headers()])
        for row_number, row in enumerate(report["splits"].get(split, []), start=2):
            _put(sheet, row_number, 1, row["key"])
            _put(sheet, row_number, 2, row["label"])
            _measure_cells(sheet, row_number, 3, row)
        _size_columns(sheet)

    monthly = workbook.create_sheet(str(_("Monthly")))
    _table(monthly, [str(_("Month")), *_measure_headers()])
    for row_number, month in enumerate(report["monthly"], start=2):
        _put(monthly, row_number, 1, month["month"])
        _measure_cells(monthly, row_number, 2, month)
    _size_columns(monthly)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
