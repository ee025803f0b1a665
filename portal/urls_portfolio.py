"""The agent's portfolio across clients: the list, its exports and printable view, and the
bulk import of recordal drafts from a template."""

from django.urls import path, re_path

from portal.views import imports, portfolio

urlpatterns = [
    path("recordals/", portfolio.portfolio, name="recordals"),
    path("recordals/export/", portfolio.portfolio_export, name="recordals_export"),
    path("recordals/print/", portfolio.portfolio_print, name="recordals_print"),
    path("recordals/bulk/", portfolio.portfolio_bulk, name="recordals_bulk"),
    path("recordals/import/", imports.import_upload, name="recordal_import"),
    path("recordals/import/done/", imports.import_result, name="recordal_import_result"),
    re_path(
        r"^recordals/import/template\.(?P<format>xlsx|csv)$",
        imports.import_template,
        name="recordal_import_template",
    ),
]
