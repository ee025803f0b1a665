"""The portfolio: every recordal the user may see, across the agent's clients
(recordals.selectors.recordals_of, the one rule of who sees what), filtered, sorted and
searched on every column, paged; the selection acted on in bulk (renewal requested through
the workflow, R7: the service decides which are in the window and says why not for the
others); the filtered list (or the selection) exported as CSV or Excel, and printed.

Queries are bounded whatever the portfolio's size: one page of rows with their holder and
agency joined, one count; exports stream the rows in chunks."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.i18n import in_reader_language
from core.timezone import local_today
from portal.forms.portfolio import PortfolioFilterForm
from portal.views.cases import client_holders, holder_side
from recordals import selectors, services
from recordals.models import RecordalStatus
from recordals.workflow import RECORDAL_WORKFLOW

PAGE_SIZE = 50
PRINT_LIMIT = 2000  # rows on the printable view; more: narrow the filters
BULK_LIMIT = 500  # recordals one bulk action takes
SOON_DAYS = 90  # "opens within 90 days" (the filter's label says so)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(day) -> str:
    return day.isoformat() if day else ""


def _window(recordal) -> str:
    """R7: the renewal window of a recordal in force, from the day it opens to the term's end."""
    if recordal.status != RecordalStatus.APPROVED or not recordal.valid_until:
        return ""
    return f"{_day(recordal.renewal_opens)} \u2013 {_day(recordal.valid_until)}"


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    value: object  # recordal -> text
    order: tuple = ()  # what sorting on it orders by


COLUMNS = (
    Column("number", _("Recordal number"), lambda r: r.number or "", ("number",)),
    Column("holder", _("Rights holder"),
           lambda r: in_reader_language(r.holder_name_en, r.holder_name_zh),
           ("holder__name_en",)),
    Column("right", _("Right"), lambda r: r.right_name, ("right_name",)),
    Column("kind", _("Kind of right"), lambda r: r.get_kind_display(), ("kind",)),
    Column("registration_number", _("Registration number"), lambda r: r.registration_number,
           ("registration_number",)),
    Column("classes", _("Nice classes"), lambda r: ", ".join(map(str, r.nice_classes)),
           ("nice_classes",)),
    Column("status", _("Status"), lambda r: r.get_status_display(), ("status",)),
    Column("term_ends", _("Term ends"), lambda r: _day(r.valid_until), ("valid_until",)),
    Column("renewal", _("Renewal window"), _window, ("renewal_opens",)),
    Column("right_valid_until", _("Right valid until"), lambda r: _day(r.right_valid_until),
           ("right_valid_until",)),
    Column("updated", _("Last changed"),
           lambda r: _day(timezone.localtime(r.updated_at).date()), ("updated_at",)),
)  # fmt: skip
BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT_SORT = "-updated"


# --- the filtered list -----------------------------------------------------------------------


def _filtered(request):
    """(form, queryset, sort) for the request's filters, on the recordals the user may see."""
    holders = list(client_holders(request.user))
    form = PortfolioFilterForm(request.GET or None, holders=holders)
    recordals = selectors.recordals_of(request.user)
    sort = DEFAULT_SORT
    if form.is_valid():
        data = form.cleaned_data
        recordals = _apply(recordals, data)
        if data.get("sort", "").lstrip("-") in BY_KEY:
            sort = data["sort"]
    column = BY_KEY[sort.lstrip("-")]
    descending = sort.startswith("-")
    order = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in column.order
    ]
    recordals = recordals.order_by(*order, "-id" if descending else "id")
    return form, recordals, sort


def _apply(recordals, data):
    today = local_today()
    if data.get("client"):
        recordals = recordals.filter(holder=data["client"])
    if data.get("kind"):
        recordals = recordals.filter(kind=data["kind"])
    if data.get("status"):
        recordals = recordals.filter(status=data["status"])
    if data.get("nice_class"):
        recordals = recordals.filter(nice_classes__contains=[data["nice_class"]])
    if data.get("term_from"):
        recordals = recordals.filter(valid_until__gte=data["term_from"])
    if data.get("term_until"):
        recordals = recordals.filter(valid_until__lte=data["term_until"])
    renewal = data.get("renewal")
    if renewal == "open":  # R7: within the six months before the term ends
        recordals = recordals.filter(
            status=RecordalStatus.APPROVED, renewal_opens__lte=today, valid_until__gte=today
        )
    elif renewal == "soon":
        recordals = recordals.filter(
            status=RecordalStatus.APPROVED,
            renewal_opens__gt=today,
            renewal_opens__lte=today + dt.timedelta(days=SOON_DAYS),
        )
    elif renewal == "requested":
        recordals = recordals.filter(status=RecordalStatus.RENEWAL_REQUESTED)
    text = (data.get("q") or "").strip()
    if text:
        recordals = recordals.filter(
            Q(number__icontains=text)
            | Q(right_name__icontains=text)
            | Q(registration_number__icontains=text)
            | Q(holder__name_en__icontains=text)
            | Q(holder__name_zh__icontains=text)
            | Q(recorded_holder_name_en__icontains=text)
            | Q(recorded_holder_name_zh__icontains=text)
        )
    return recordals


def recordal_url(recordal) -> str:
    """The recordal's page in the portal (the filing wizard's), once it exists."""
    try:
        return reverse("portal:recordal", args=[recordal.pk])
    except NoReverseMatch:
        return ""


def _query(request, **changes) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


def _headers(request, sort: str) -> list[dict]:
    """Each column's header with the link that sorts on it (again: the other way)."""
    headers = []
    for column in COLUMNS:
        current = sort.lstrip("-") == column.key
        descending = sort.startswith("-")
        target = f"-{column.key}" if current and not descending else column.key
        headers.append(
            {
                "key": column.key,
                "label": column.label,
                "url": "?" + _query(request, sort=target),
                "sorted": ("descending" if descending else "ascending") if current else "",
            }
        )
    return headers


def _rows(recordals, today) -> list[dict]:
    return [
        {
            "recordal": recordal,
            "url": recordal_url(recordal),
            "cells": [{"key": c.key, "text": c.value(recordal)} for c in COLUMNS],
            "window_open": recordal.status == RecordalStatus.APPROVED
            and recordal.renewal_opens is not None
            and recordal.renewal_opens <= today <= recordal.valid_until,
        }
        for recordal in recordals
    ]


@holder_side
def portfolio(request):
    form, recordals, sort = _filtered(request)
    page = Paginator(recordals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = _query(request)
    try:
        new_url = reverse("portal:recordal_new")
    except NoReverseMatch:
        new_url = ""
    return render(
        request,
        "portal/recordals/portfolio.html",
        {
            "form": form,
            "page": page,
            "headers": _headers(request, sort),
            "rows": _rows(page.object_list, local_today()),
            "query": query,
            "new_url": new_url,
            "bulk_limit": BULK_LIMIT,
        },
    )


@holder_side
def portfolio_print(request):
    form, recordals, _sort = _filtered(request)
    total = recordals.count()
    return render(
        request,
        "portal/recordals/print.html",
        {
            "headers": [column.label for column in COLUMNS],
            "rows": _rows(recordals[:PRINT_LIMIT], local_today()),
            "total": total,
            "limit": PRINT_LIMIT,
            "filters": _filter_summary(form),
            "printed_on": local_today(),
        },
    )


def _filter_summary(form) -> list[tuple[str, str]]:
    if not form.is_bound or not form.is_valid():
        return []
    found = []
    for name, value in form.cleaned_data.items():
        if name == "sort" or value in (None, ""):
            continue
        field = form.fields[name]
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        found.append((str(field.label), str(value)))
    return found


# --- exports -------------------------------------------------------------------------------


def _text(value: str) -> str:
    """A cell a spreadsheet would run as a formula is quoted (CSV injection)."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_response(recordals, name: str):
    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # Excel opens UTF-8 (the Chinese) as such
        writer.writerow([str(column.label) for column in COLUMNS])
        for recordal in recordals.iterator(chunk_size=2000):
            writer.writerow([_text(str(column.value(recordal))) for column in COLUMNS])
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _xlsx_response(recordals, name: str):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext("Recordals"))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for recordal in recordals.iterator(chunk_size=2000):
        row = []
        for column in COLUMNS:
            cell = WriteOnlyCell(sheet, value=str(column.value(recordal)))
            cell.data_type = "s"  # text, never a formula
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _export(recordals, format_: str):
    name = f"recordals-{local_today().isoformat()}"
    if format_ == "xlsx":
        return _xlsx_response(recordals, name)
    return _csv_response(recordals, name)


@holder_side
def portfolio_export(request):
    """The filtered list (the portfolio's own filters and order) as CSV or Excel."""
    _form, recordals, _sort = _filtered(request)
    format_ = request.GET.get("format", "csv")
    if format_ not in ("csv", "xlsx"):
        return HttpResponse(gettext("Format: csv or xlsx."), status=400, content_type="text/plain")
    return _export(recordals, format_)


# --- bulk actions --------------------------------------------------------------------------

BULK_ACTIONS = {
    "request_renewal": _("Request renewal (R7)"),
    "export_csv": _("Export the selection (CSV)"),
    "export_xlsx": _("Export the selection (Excel)"),
}


@require_POST
@holder_side
def portfolio_bulk(request):
    """The selected recordals (only those the user may see count), acted on: renewal
    requested for each through the workflow (R7: its guard decides the window; the others
    are reported with the reason), or exported."""
    action = request.POST.get("action", "")
    # ASCII digits only: "²".isdigit() is true, yet no id (a 500 otherwise).
    ids = [value for value in request.POST.getlist("ids") if value.isascii() and value.isdigit()]
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("portal:recordals")
    problem = ""
    if action not in BULK_ACTIONS:
        problem = gettext("Choose an action.")
    elif not ids:
        problem = gettext("Select at least one recordal.")
    elif len(ids) > BULK_LIMIT:
        problem = gettext("At most %(limit)s recordals at once.") % {"limit": BULK_LIMIT}
    if problem:
        return render(
            request,
            "portal/recordals/portfolio_bulk.html",
            {"problem": problem, "back": back},
            status=400,
        )
    selected = selectors.recordals_of(request.user).filter(pk__in=ids).order_by("number", "id")
    if action.startswith("export_"):
        return _export(selected, action.removeprefix("export_"))
    done, refused = [], []
    for recordal in selected:
        try:
            recordal = services.recordal_transition(
                actor=request.user, recordal=recordal, action=RECORDAL_WORKFLOW.request_renewal
            )
            done.append({"recordal": recordal, "url": recordal_url(recordal)})
        except DomainError as error:
            refused.append(
                {"recordal": recordal, "url": recordal_url(recordal), "reason": error.message}
            )
    return render(
        request,
        "portal/recordals/portfolio_bulk.html",
        {"done": done, "refused": refused, "back": back, "action": BULK_ACTIONS[action]},
        status=200 if done or not refused else 409,
    )
