from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # Every date a model serializer accepts is a plausible legal date (core/dates.py).
        from django.db import models
        from rest_framework import serializers

        from core.api.fields import LegalDateField, ascii_decimals, bound_text_fields

        serializers.ModelSerializer.serializer_field_mapping[models.DateField] = LegalDateField
        # ... and every text it takes has a length limit (10,000 characters unless less).
        bound_text_fields()
        # ... and every decimal is written in ASCII digits (no "١٢٣", no "1_000").
        ascii_decimals()
