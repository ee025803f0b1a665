"""What a recordal application takes: the right, its licensees, genuine goods and known
infringers. One definition, read by the API (recordals/api.py), the portal's bulk import
(recordals/imports.py) and the OpenAPI schema; the rules themselves (R1...) are checked
by the services (recordals/services.py validate_right)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Organisation
from core.api.fields import CountryField, LegalDateField
from recordals.models import GenuineGoods, KnownInfringer, Licensee, RecordalKind


class LicenseeSerializer(serializers.ModelSerializer):
    country = CountryField(required=False)

    class Meta:
        model = Licensee
        fields = ["name", "role", "country", "valid_until"]


class GenuineGoodsSerializer(serializers.ModelSerializer):
    origin_country = CountryField(required=False, allow_blank=True)

    class Meta:
        model = GenuineGoods
        fields = ["name", "hs_code", "origin_country", "usual_ports", "main_traders",
                  "features", "price_min", "price_max"]  # fmt: skip
        extra_kwargs = {"price_min": {"min_value": 0}, "price_max": {"min_value": 0}}
        validators = []

    def validate_hs_code(self, value):
        if value and not (value.isdigit() and 4 <= len(value) <= 10):
            raise serializers.ValidationError(_("An HS code has 4 to 10 digits."))
        return value

    def validate(self, attrs):
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError({"price_max": _("Must not be below price_min.")})
        return attrs


class KnownInfringerSerializer(serializers.ModelSerializer):
    country = CountryField(required=False, allow_blank=True)

    class Meta:
        model = KnownInfringer
        fields = ["name", "role", "country", "ports", "features", "price"]


class RightInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RecordalKind.choices)
    right_name = serializers.CharField(max_length=255)
    registration_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    nice_classes = serializers.ListField(
        child=serializers.IntegerField(), required=False,
        help_text=_("Goods classes of the registration (1-34): service marks (classes 35-45) "
                    "are not recordable (R1)."),
    )  # fmt: skip
    is_madrid = serializers.BooleanField(required=False, default=False)
    work_type = serializers.CharField(max_length=100, required=False, allow_blank=True)
    patent_type = serializers.CharField(max_length=20, required=False, allow_blank=True)
    right_valid_from = LegalDateField(required=False, allow_null=True)
    right_valid_until = LegalDateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    registered = serializers.BooleanField(
        required=False, default=True,
        help_text=_("False for a trademark application still pending: refused (R1)."),
    )  # fmt: skip
    holder = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.RIGHTS_HOLDER),
        required=False,
        help_text=_("The rights holder; defaults to the caller's own organisation."),
    )
    licensees = LicenseeSerializer(many=True, required=False)
    genuine_goods = GenuineGoodsSerializer(many=True, required=False)
    known_infringers = KnownInfringerSerializer(many=True, required=False)


class RightUpdateInput(RightInput):
    kind = serializers.ChoiceField(choices=RecordalKind.choices, required=False)
    right_name = serializers.CharField(max_length=255, required=False)
