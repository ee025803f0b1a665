"""POST /api/v1/screening/ (CONTRACT.md "Screening"): customs officers only.

| caller                         | answer                                   |
|--------------------------------|------------------------------------------|
| GACC or district officer       | 200 with the results, in the order sent  |
| rights-holder or agent user    | 403: holders never see screening results |
| anonymous                      | 401                                      |
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import CountryField, LegalDateField
from detentions.models import Channel, Direction
from screening.services import declarations_screen

MAX_DECLARATIONS = 1000
MAX_LINES = 500


class IsOfficer(permissions.BasePermission):
    """Customs officers (and platform superusers) only."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_superuser or user.is_officer))


class PartyInput(serializers.Serializer):
    name = serializers.CharField(label=_("name"), max_length=255)
    country = CountryField(label=_("country"))


class LineInput(serializers.Serializer):
    description = serializers.CharField(label=_("description"), max_length=500)
    brand = serializers.CharField(
        label=_("brand"), max_length=200, required=False, allow_blank=True, default=""
    )
    hs_code = serializers.RegexField(
        r"^[0-9]{4,10}$",
        label=_("HS code"),
        error_messages={"invalid": _("An HS code has 4 to 10 digits.")},
    )
    quantity = serializers.IntegerField(label=_("quantity"), min_value=1, max_value=10**12)
    unit = serializers.CharField(
        label=_("unit"), max_length=20, required=False, allow_blank=True, default=""
    )
    value = serializers.DecimalField(
        label=_("value"), max_digits=18, decimal_places=2, min_value=Decimal(0)
    )


class DeclarationInput(serializers.Serializer):
    number = serializers.CharField(label=_("declaration number"), max_length=40)
    declared_on = LegalDateField(label=_("declared on"))  # a plausible date (issue 20)
    direction = serializers.ChoiceField(label=_("direction"), choices=Direction.choices)
    channel = serializers.ChoiceField(label=_("channel"), choices=Channel.choices)
    port = serializers.CharField(
        label=_("port"), max_length=100, required=False, allow_blank=True, default=""
    )
    consignor = PartyInput(label=_("consignor"))
    consignee = PartyInput(label=_("consignee"))
    origin_country = CountryField(label=_("origin country"))
    destination_country = CountryField(label=_("destination country"))
    lines = LineInput(label=_("goods lines"), many=True, allow_empty=False, max_length=MAX_LINES)


class ScreeningInput(serializers.Serializer):
    declarations = DeclarationInput(many=True, allow_empty=False, max_length=MAX_DECLARATIONS)


class HitOutput(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The goods line, from 0."))
    recordal = serializers.CharField(help_text=_("The recordal's number."))
    rule = serializers.CharField()
    reason = serializers.CharField()


class ResultOutput(serializers.Serializer):
    number = serializers.CharField()
    risk = serializers.IntegerField(min_value=0, max_value=100)
    level = serializers.ChoiceField(choices=["none", "low", "medium", "high"])
    authorised = serializers.BooleanField()
    hits = HitOutput(many=True)


class ScreeningOutput(serializers.Serializer):
    results = ResultOutput(many=True)


class ScreeningView(APIView):
    """Screen declarations against the recordals in force (issue 19): per declaration a
    risk 0-100, a level, whether the supply chain is authorised, and every hit."""

    permission_classes = [IsOfficer]

    @extend_schema(request=ScreeningInput, responses={200: ScreeningOutput}, tags=["screening"])
    def post(self, request):
        data = ScreeningInput(data=request.data)
        data.is_valid(raise_exception=True)
        declarations = [_plain(d) for d in data.validated_data["declarations"]]
        return Response({"results": declarations_screen(declarations=declarations)})


def _plain(declaration: dict) -> dict:
    """Validated input as the matching core reads it (plain dicts and strings)."""
    d = dict(declaration)
    d["declared_on"] = d["declared_on"].isoformat()
    d["consignor"] = dict(d["consignor"])
    d["consignee"] = dict(d["consignee"])
    d["destination_country"] = d["destination_country"].upper()
    d["origin_country"] = d["origin_country"].upper()
    d["lines"] = [{**line, "value": str(line["value"])} for line in d["lines"]]
    return d
