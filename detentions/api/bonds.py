"""/api/v1/bonds/quote/: the public bond quote (R14, R18), the services' own function."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from detentions import rules
from detentions.models import (
    Mode,
)

# --- the public bond quote (R14, R18) ----------------------------------------------------------

ASCII_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


class BondQuoteSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(label=_("mode"), choices=Mode.choices)
    goods_value = serializers.CharField(label=_("goods value (CNY)"))
    bond = serializers.CharField(label=_("bond (CNY)"))


class BondQuoteView(APIView):
    """The bond a detention needs: R14's tiers ex officio, the goods value on application.
    The same function the services use. No login."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "mode",
                str,
                enum=Mode.values,
                required=True,
                description=_("ex_officio or on_application"),
            ),
            OpenApiParameter(
                "goods_value",
                str,
                required=True,
                description=_("Goods value in CNY, e.g. 370000.00"),
            ),
        ],
        responses=BondQuoteSerializer,
        auth=[],
        description=_(
            "The bond a detention needs: R14's tiers ex officio, the goods value on application. "
            "No login."
        ),
    )
    def get(self, request):
        errors = {}
        mode = request.query_params.get("mode", "")
        if mode not in Mode.values:
            errors["mode"] = [gettext("One of %(modes)s.") % {"modes": ", ".join(Mode.values)}]
        raw = request.query_params.get("goods_value", "").strip()
        value = None
        try:
            # ASCII digits only: Decimal() also reads "١٢٣٤٥" and "1_000" (issue 20).
            if not ASCII_DECIMAL.fullmatch(raw):
                raise ValueError(raw)
            value = Decimal(raw)
        except (InvalidOperation, ValueError):
            errors["goods_value"] = [gettext("A decimal amount in CNY, e.g. 370000.00.")]
        if value is not None:
            if not value.is_finite() or value <= 0:
                errors["goods_value"] = [gettext("Must be a positive amount.")]
            elif value.as_tuple().exponent < -2:
                errors["goods_value"] = [gettext("CNY to the fen: at most 2 decimal places.")]
            elif value >= Decimal(10) ** 16:
                errors["goods_value"] = [gettext("Too large.")]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        bond = rules.bond_amount(mode, value)
        return Response({"mode": mode, "goods_value": str(rules.fen(value)), "bond": str(bond)})
