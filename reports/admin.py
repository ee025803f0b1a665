"""The statistics page of the admin (/admin/reports/statistics/): the annual report's figures
for a year, a quarter or any dates, national or one customs district, each beside the same
period a year before, with bar charts of the splits and the monthly trend.

For officers (GACC, district officers) and platform superusers; a district officer may look
at the national figures and at its own district's, not at another district's. The figures
are `reports.selectors.report`'s; the charts are inline SVG from `reports.charts`."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.admin import is_admin_officer
from core.admin_site import AdminPage
from core.timezone import day_text, local_today
from reports.access import districts_for
from reports.charts import CURRENT, PREVIOUS, Series, bar_chart, line_chart, number
from reports.selectors import SPLITS, Scope, period_for, report, year_before

FIRST_YEAR, LAST_YEAR = 2000, 2100
LONGEST_PERIOD_MONTHS = 60  # one point per month in the trend: five years still read

FIGURES = {
    "protection_actions": _("Protection actions"),
    "batches": _("Batches detained"),
    "items": _("Items detained"),
    "value": _("Value detained (CNY)"),
    "batches_exempted": _("Batches exempted from penalty (R24)"),
    "items_exempted": _("Items exempted from penalty (R24)"),
    "referrals": _("Referrals to public security (R25)"),
    "referrals_accepted": _("Referrals accepted"),
    "recordal_applications": _("Recordal applications"),
    "recordal_applications_domestic": _("Recordal applications: domestic holders"),
    "recordal_applications_foreign": _("Recordal applications: foreign holders"),
    "recordals_approved": _("Recordals approved"),
    "recordals_approved_domestic": _("Recordals approved: domestic holders"),
    "recordals_approved_foreign": _("Recordals approved: foreign holders"),
}
MEASURES = {
    "actions": _("Actions"),
    "batches": _("Batches"),
    "items": _("Items"),
    "value": _("Value (CNY)"),
}
NOTES = {
    "category": _(
        "A batch counts once in each category among its goods; items and value are those "
        "goods lines'."
    ),
    "region": _(
        "Regions overlap (Belt and Road includes African countries): a batch counts in every "
        "focus region its destination belongs to."
    ),
}


def quarter_name(quarter: int) -> str:
    return gettext("Q%(quarter)d") % {"quarter": quarter}


quarter_name_lazy = lazy(quarter_name, str)


class StatisticsForm(forms.Form):
    """A year (and a quarter), or the first and last day; national or one district."""

    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        choices=[("", _("Whole year"))] + [(q, quarter_name_lazy(q)) for q in range(1, 5)],
        coerce=int,
        empty_value=None,
    )
    starts_on = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("From and to, when given, replace the year and quarter."),
    )
    ends_on = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    office = forms.ModelChoiceField(
        label=_("Scope"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("National (all districts)"),
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on or ends_on:
            self._check_dates(starts_on, ends_on)
        elif cleaned.get("year") is None and "year" not in self.errors:
            self.add_error("year", _("Give a year, or the first and the last day."))
        return cleaned

    def _check_dates(self, starts_on, ends_on):
        if "starts_on" in self.errors or "ends_on" in self.errors:
            return
        if not (starts_on and ends_on):
            missing = "ends_on" if starts_on else "starts_on"
            self.add_error(missing, _("Give both the first and the last day."))
            return
        for name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("A day from %(first)s to %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
        if self.errors:
            return
        if starts_on > ends_on:
            self.add_error("ends_on", _("The last day is before the first."))
        elif (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month >= (
            LONGEST_PERIOD_MONTHS
        ):
            self.add_error(
                "ends_on",
                _("At most %(months)s months.") % {"months": LONGEST_PERIOD_MONTHS},
            )

    def period(self) -> tuple[dt.date, dt.date, tuple[str, str]]:
        """The first and last day asked, and the names of the period and of the same
        period a year before ("2024 Q1", "2023 Q1")."""
        data = self.cleaned_data
        if data.get("starts_on"):
            starts_on, ends_on = data["starts_on"], data["ends_on"]
            before = (year_before(starts_on), year_before(ends_on))
            return starts_on, ends_on, (_dates(starts_on, ends_on), _dates(*before))
        year, quarter = data["year"], data.get("quarter")
        starts_on, ends_on = period_for(year=year, quarter=quarter)
        if quarter:
            named = gettext("%(year)d Q%(quarter)d")
            return (
                starts_on,
                ends_on,
                (
                    named % {"year": year, "quarter": quarter},
                    named % {"year": year - 1, "quarter": quarter},
                ),
            )
        return starts_on, ends_on, (str(year), str(year - 1))


def _dates(starts_on: dt.date, ends_on: dt.date) -> str:
    return f"{day_text(starts_on)} \u2013 {day_text(ends_on)}"


# --- the page ---------------------------------------------------------------------------------


def statistics_view(request):
    if not is_admin_officer(request.user):
        raise PermissionDenied
    offices = districts_for(request.user)
    data = request.GET.copy()
    data.setdefault("year", str(local_today().year))  # the current year unless told
    form = StatisticsForm(data, offices=offices)
    context = {
        **admin.site.each_context(request),
        "title": _("Statistics"),
        "form": form,
        "offices": offices,
    }
    if form.is_valid():
        starts_on, ends_on, names = form.period()
        office = form.cleaned_data["office"]
        result = report(starts_on=starts_on, ends_on=ends_on, scope=Scope(office=office))
        context.update(present(result, names))
        context["exports"] = export_links(starts_on, ends_on, office)
    return TemplateResponse(request, "admin/reports/statistics.html", context)


def export_links(starts_on, ends_on, office) -> list[tuple[str, str]]:
    """The same report from /api/v1/statistics/ as CSV and as an Excel workbook (the API
    accepts the admin's session)."""
    query = {"from": starts_on.isoformat(), "to": ends_on.isoformat()}
    if office is not None:
        query.update(scope="district", office=office.customs_code)
    url = reverse("statistics")
    return [
        (label, f"{url}?{urlencode({**query, 'format': fmt})}")
        for label, fmt in ((_("CSV"), "csv"), (_("Excel"), "xlsx"))
    ]


def present(result: dict, series: tuple[str, str]) -> dict:
    """The report as the page shows it: numbers formatted, figures named, charts drawn.
    `series` names the period and the period a year before."""
    figures = [
        {"name": name, "label": FIGURES.get(name, name.replace("_", " ").capitalize()), **cells(f)}
        for name, f in result["figures"].items()
    ]
    splits = [
        {
            "name": split,
            "label": title,
            "note": NOTES.get(split, ""),
            "rows": [
                {"label": row["label"], "cells": [cells(row[m]) for m in MEASURES]}
                for row in result["splits"][split]
            ],
            "chart": split_chart(split, title, result["splits"][split], series),
        }
        for split, title in SPLITS.items()
    ]
    return {
        "report": result,
        "period_label": series[0],
        "previous_label": series[1],
        "scope_label": result["scope"]["name"],
        "figures": figures,
        "measures": MEASURES.values(),
        "splits": splits,
        "trend": trend_chart(result["monthly"], series),
    }


def cells(figure: dict) -> dict:
    change = figure["change_pct"]
    return {
        "current": number(figure["current"]),
        "previous": number(figure["previous"]),
        "change": "\u2013" if change is None else f"{change:+.2f}%".replace("+0.00", "0.00"),
        "trend": "none" if change is None else "up" if change > 0 else "down" if change else "",
    }


def split_chart(split: str, title, rows: list[dict], series: tuple[str, str]):
    """Batches detained per key of the split, the period beside the year before."""
    return bar_chart(
        chart_id=f"chart-{split}",
        title=_("Batches by %(split)s") % {"split": str(title).lower()},
        labels=[row["label"] for row in rows],
        series=[
            Series(series[0], [row["batches"]["current"] for row in rows], CURRENT),
            Series(series[1], [row["batches"]["previous"] for row in rows], PREVIOUS),
        ],
        unit=str(_("Batches")),
        width=520,
    )


def trend_chart(monthly: list[dict], series: tuple[str, str]):
    """Batches detained per month, and in the same month a year before."""
    years = {month["month"][:4] for month in monthly}
    fmt = "M" if len(years) == 1 else "M Y"
    labels = [date_format(dt.date.fromisoformat(f"{m['month']}-01"), fmt) for m in monthly]
    return line_chart(
        chart_id="chart-monthly",
        title=_("Batches detained per month"),
        labels=labels,
        series=[
            Series(series[0], [m["batches"]["current"] for m in monthly], CURRENT),
            Series(series[1], [m["batches"]["previous"] for m in monthly], PREVIOUS),
        ],
        unit=str(_("Batches")),
        axis=str(_("Month")),
        width=560,  # beside the headline table on a laptop screen
    )


admin.site.register_page(
    AdminPage(
        app_label="reports",
        slug="statistics",
        label=_("Statistics"),
        view=statistics_view,
        may_view=lambda request: is_admin_officer(request.user),
    )
)
