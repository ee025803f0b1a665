"""/api/v1/statistics/: the annual report's figures for a period and scope, as JSON, CSV or
an Excel workbook (reports.exports builds the files).

Who may ask what (decided in `may_see_statistics`, the one place for this resource):
| caller                               | may ask                                         |
|--------------------------------------|-------------------------------------------------|
| GACC officer, superuser              | any scope                                       |
| district officer                     | national (published figures) and its district   |
| rights-holder user                   | scope=holder for its own organisation only      |
| IP-agent user                        | scope=holder for a holder authorising it today  |
| anyone else                          | nothing                                         |
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.scoping import acting_role
from core.api.fields import LegalDateField
from core.errors import NotPermitted
from reports import exports
from reports.access import may_see_statistics
from reports.selectors import SCOPES, SPLITS, period_for, report, scope_for

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
MAX_YEARS = 10


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- the query -----------------------------------------------------------------------------


class StatisticsQuery(serializers.Serializer):
    """from/to, or year (and quarter); the scope and its district or holder."""

    def get_fields(self):
        return {
            "from": LegalDateField(
                earliest=EARLIEST,
                latest=LATEST,
                required=False,
                help_text=_("YYYY-MM-DD, first day of the period."),
            ),
            "to": LegalDateField(
                earliest=EARLIEST,
                latest=LATEST,
                required=False,
                help_text=_("YYYY-MM-DD, last day of the period (inclusive)."),
            ),
            "year": serializers.IntegerField(
                required=False,
                min_value=EARLIEST.year,
                max_value=LATEST.year,
                help_text=_("A calendar year, instead of from/to."),
            ),
            "quarter": serializers.IntegerField(
                required=False, min_value=1, max_value=4, help_text=_("1-4, with year.")
            ),
            "scope": serializers.ChoiceField(
                choices=SCOPES,
                required=False,
                help_text=_(
                    "national, district (with office) or holder (with holder). By default: "
                    "holder when holder is given, district when office is given, holder for "
                    "a rights holder's or an agent's user, else national."
                ),
            ),
            "office": serializers.CharField(
                required=False,
                max_length=20,
                help_text=_("scope=district: the customs district's code (e.g. 3100) or id."),
            ),
            "lang": serializers.ChoiceField(
                choices=[code for code, _name in settings.LANGUAGES],
                required=False,
                help_text=_(
                    "The language of the labels and of a file's headers; by default the "
                    "caller's (Accept-Language)."
                ),
            ),
            "holder": serializers.IntegerField(
                required=False,
                min_value=1,
                max_value=2**63 - 1,
                help_text=_(
                    "scope=holder: the rights holder's organisation id. A rights "
                    "holder's user: its own by default."
                ),
            ),
        }

    def validate(self, attrs):
        errors = {}
        starts_on, ends_on = attrs.get("from"), attrs.get("to")
        year, quarter = attrs.get("year"), attrs.get("quarter")
        if year is not None or quarter is not None:
            if starts_on or ends_on:
                field = "year" if year is not None else "quarter"
                errors[field] = [
                    gettext("Give either year (and quarter) or from and to, not both.")
                ]
            elif year is None:
                errors["quarter"] = [gettext("Needs a year.")]
            else:
                starts_on, ends_on = period_for(year=year, quarter=quarter)
        else:
            for name, day in (("from", starts_on), ("to", ends_on)):
                if day is None:
                    errors[name] = [gettext("Required (or give year).")]
                elif not EARLIEST <= day <= LATEST:
                    errors[name] = [
                        gettext("Must be between %(earliest)s and %(latest)s.")
                        % {"earliest": EARLIEST, "latest": LATEST}
                    ]
            if not errors and ends_on < starts_on:
                errors["to"] = [gettext("Must be on or after from.")]
            if not errors and ends_on >= _years_after(starts_on, MAX_YEARS):
                errors["to"] = [
                    gettext("The period may be at most %(years)d years long.")
                    % {"years": MAX_YEARS}
                ]

        user = self.context["user"]
        kind = attrs.get("scope")
        office, holder = attrs.get("office", "").strip(), attrs.get("holder")
        if kind is None:
            if holder is not None:
                kind = "holder"
            elif office:
                kind = "district"
            elif acting_role(user) in ("holder", "agent"):
                kind = "holder"
            else:
                kind = "national"
        if kind == "holder" and holder is None and acting_role(user) == "holder":
            holder = user.organisation_id
        if kind == "district" and not office:
            errors["office"] = [gettext("Required for scope=district: a customs code or id.")]
        if kind != "district" and office:
            errors["office"] = [gettext("Only with scope=district.")]
        if kind == "holder" and holder is None:
            errors["holder"] = [gettext("Required for scope=holder: a rights holder's id.")]
        if kind != "holder" and holder is not None:
            errors["holder"] = [gettext("Only with scope=holder.")]
        if errors:
            raise ValidationError(errors)
        return {
            "starts_on": starts_on,
            "ends_on": ends_on,
            "kind": kind,
            "office": office,
            "holder": holder,
            "lang": attrs.get("lang"),
        }


# --- the answer ----------------------------------------------------------------------------


def _change_pct():
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        allow_null=True,
        help_text=_("Change against the year before in percent; null when it had nothing."),
    )


class StatisticsCountSerializer(serializers.Serializer):
    current = serializers.IntegerField()
    previous = serializers.IntegerField(help_text=_("The same period a year before."))
    change_pct = _change_pct()


class StatisticsMoneySerializer(serializers.Serializer):
    current = serializers.DecimalField(max_digits=None, decimal_places=2, help_text=_("CNY"))
    previous = serializers.DecimalField(max_digits=None, decimal_places=2, help_text=_("CNY"))
    change_pct = _change_pct()


def _figure(measure: str, **kwargs):
    if measure == "value":
        return StatisticsMoneySerializer(**kwargs)
    return StatisticsCountSerializer(**kwargs)


class StatisticsPeriodSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            "from": LegalDateField(earliest=EARLIEST, latest=LATEST),
            "to": LegalDateField(earliest=EARLIEST, latest=LATEST),
        }


class StatisticsScopeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SCOPES)
    id = serializers.IntegerField(allow_null=True, help_text=_("The district's or holder's id."))
    name = serializers.CharField()


class StatisticsFiguresSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            name: _figure(
                measure,
                help_text=str(label),
                # Recordals are national: a district's report has none.
                required=measure != "recordals",
            )
            for name, (label, measure) in exports.FIGURES.items()
        }


class StatisticsMeasuresSerializer(serializers.Serializer):
    def get_fields(self):
        return {measure: _figure(measure) for measure in exports.MEASURE_LABELS}


class StatisticsSplitRowSerializer(StatisticsMeasuresSerializer):
    def get_fields(self):
        return {
            "key": serializers.CharField(help_text=_("e.g. trademark, 3100 (a customs code).")),
            "label": serializers.CharField(),
            **super().get_fields(),
        }


class StatisticsSplitsSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            split: StatisticsSplitRowSerializer(many=True, help_text=str(label))
            for split, label in SPLITS.items()
        }


class StatisticsMonthSerializer(StatisticsMeasuresSerializer):
    def get_fields(self):
        return {"month": serializers.CharField(help_text=_("YYYY-MM")), **super().get_fields()}


class StatisticsSerializer(serializers.Serializer):
    period = StatisticsPeriodSerializer()
    previous_period = StatisticsPeriodSerializer()
    scope = StatisticsScopeSerializer()
    figures = StatisticsFiguresSerializer()
    splits = StatisticsSplitsSerializer()
    monthly = StatisticsMonthSerializer(many=True)


# --- renderers -----------------------------------------------------------------------------


class CSVRenderer(renderers.BaseRenderer):
    """The report dict as the tidy CSV (reports.exports.to_csv)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return exports.to_csv(data).encode(self.charset)


class XLSXRenderer(renderers.BaseRenderer):
    """The report dict as an Excel workbook (reports.exports.to_xlsx)."""

    media_type = exports.XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return exports.to_xlsx(data)


FILE_RENDERERS = (CSVRenderer, XLSXRenderer)


class StatisticsView(APIView):
    """The annual report's figures for a period (from/to, a year or a quarter) and a scope
    (national, one customs district, one rights holder), each with the same period a year
    before and the change in percent. `?format=csv` or `xlsx` (or an Accept header) for
    the same as a file."""

    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, *FILE_RENDERERS]

    def perform_content_negotiation(self, request, force=False):
        fmt = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        formats = [renderer.format for renderer in self.get_renderers()]
        if not force and fmt and fmt not in formats:
            raise ValidationError(
                {"format": [gettext("One of %(choices)s.") % {"choices": ", ".join(formats)}]}
            )
        return super().perform_content_negotiation(request, force)

    def handle_exception(self, exc):
        # Errors are JSON, whatever format the report was asked in.
        response = super().handle_exception(exc)
        if isinstance(getattr(self.request, "accepted_renderer", None), FILE_RENDERERS):
            self.request.accepted_renderer = renderers.JSONRenderer()
            self.request.accepted_media_type = renderers.JSONRenderer.media_type
        return response

    @extend_schema(
        parameters=[
            StatisticsQuery,
            OpenApiParameter(
                "format", str, enum=["json", "csv", "xlsx"], description=_("Or an Accept header.")
            ),
        ],
        responses={
            (200, "application/json"): StatisticsSerializer,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description=_(
                    "Tidy CSV: section, key, label, measure, current, previous, change_pct."
                ),
            ),
            (200, exports.XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY,
                description=_('Workbook: "Summary", one sheet per split, "Monthly".'),
            ),
            400: OpenApiResponse(description=_('Field errors, e.g. {"to": ["..."]}.')),
            403: OpenApiResponse(description=_("A scope or holder the caller may not see.")),
        },
    )
    def get(self, request):
        query = StatisticsQuery(data=request.query_params, context={"user": request.user})
        query.is_valid(raise_exception=True)
        asked = query.validated_data
        if not may_see_statistics(request.user, kind=asked["kind"], holder_id=asked["holder"]):
            raise NotPermitted(
                gettext(
                    "National and district statistics are for customs officers, a holder's "
                    "for GACC, the holder and its authorised agents."
                )
            )
        scope = scope_for(kind=asked["kind"], office=asked["office"], holder=asked["holder"])
        if scope.office and not may_see_statistics(
            request.user, kind="district", holder_id=None, office=scope.office
        ):
            raise NotPermitted(
                gettext("A district officer sees the national and its own district's.")
            )
        # `lang` chooses the language of the labels and a file's headers; the file is
        # rendered here, while that language is active.
        with translation.override(asked["lang"] or translation.get_language()):
            data = report(starts_on=asked["starts_on"], ends_on=asked["ends_on"], scope=scope)
            renderer = request.accepted_renderer
            if isinstance(renderer, FILE_RENDERERS):
                key = scope.office.customs_code if scope.office else None
                name = exports.filename(data, renderer.format, scope_key=key)
                content_type = renderer.media_type
                if renderer.charset:
                    content_type = f"{content_type}; charset={renderer.charset}"
                response = HttpResponse(renderer.render(data), content_type=content_type)
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
            return Response(StatisticsSerializer(data).data)
