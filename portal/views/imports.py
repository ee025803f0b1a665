"""Recordal drafts in bulk: the template to download (Excel or CSV, bilingual headers), the
upload (the sheet and a ZIP of documents), the report of every row's errors (row, column,
reason) with nothing created, or the drafts created (recordals/imports.py judges and
creates them through the services)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from portal.forms.portfolio import ImportForm
from portal.views.cases import holder_side
from portal.views.portfolio import XLSX, recordal_url
from recordals import imports, selectors

MAX_SHEET_BYTES = 20 * 1024 * 1024
SESSION_KEY = "recordal_import"
KEPT_ERRORS = 500  # errors kept for the result page of a valid-rows-only import


@holder_side
def import_template(request, format):
    if format == "xlsx":
        response = HttpResponse(imports.template_xlsx(), content_type=XLSX)
    elif format == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="recordals-template.{format}"'
    return response


def _columns() -> list[dict]:
    return [
        {"header": column.header(), "label": column.label, "note": column.note,
         "required": column.required}
        for column in imports.COLUMNS
    ]  # fmt: skip


@holder_side
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            sheet = form.cleaned_data["file"]
            if sheet.size > MAX_SHEET_BYTES:
                form.add_error(
                    "file",
                    gettext("The file is larger than %(megabytes)s MB.")
                    % {"megabytes": MAX_SHEET_BYTES // (1024 * 1024)},
                )
            else:
                try:
                    report = imports.import_drafts(
                        actor=request.user,
                        content=sheet.read(),
                        filename=sheet.name,
                        documents_upload=form.cleaned_data.get("documents"),
                        valid_only=form.cleaned_data["mode"] == "valid_only",
                    )
                except imports.ImportFileError as error:
                    for name, messages in error.errors.items():
                        for message in messages:
                            form.add_error(name if name in form.fields else None, message)
            if report is not None and report.created:
                request.session[SESSION_KEY] = {
                    "created": [recordal.pk for recordal in report.created],
                    "rows": report.rows,
                    "errors": [[e.row, e.column, e.reason] for e in report.errors[:KEPT_ERRORS]],
                    "error_count": len(report.errors),
                }
                return redirect("portal:recordal_import_result")
            if report is not None and not report.errors:
                form.add_error("file", gettext("The file has no rows to import."))
    return render(
        request,
        "portal/recordals/import.html",
        {"form": form, "report": report, "columns": _columns()},
        status=status,
    )


@holder_side
def import_result(request):
    """The drafts the last import created (those the user may still see), and the rows
    left out when only the valid rows were imported."""
    done = request.session.get(SESSION_KEY)
    if not done:
        return redirect("portal:recordal_import")
    recordals = list(
        selectors.recordals_of(request.user).filter(pk__in=done["created"]).order_by("id")
    )
    errors = [imports.RowError(row, column, reason) for row, column, reason in done["errors"]]
    return render(
        request,
        "portal/recordals/import_result.html",
        {
            "created": [{"recordal": r, "url": recordal_url(r)} for r in recordals],
            "rows": done["rows"],
            "errors": errors,
            "error_count": done["error_count"],
            "bad_rows": len({e.row for e in errors}),
        },
    )
