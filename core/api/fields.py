"""Serializer fields shared by the step inputs and the API."""

import functools
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.countries import ISO_3166_ALPHA2
from core.dates import EARLIEST, LATEST, plausible_date

MONEY = {"max_digits": 18, "decimal_places": 2}


class OptionalBoolean(serializers.BooleanField):
    """A yes/no the caller must state: omitted is None (not False), even in multipart."""

    default_empty_html = serializers.empty

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, default=None, **kwargs)


class LegalDateField(serializers.DateField):
    """Every date an API input or step input takes: within core.dates' plausible range
    (1950..2100 unless the field says otherwise) or a 400 with a field error. Model
    serializers map models.DateField to it too (core/apps.py)."""

    def __init__(self, *, earliest=EARLIEST, latest=LATEST, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(functools.partial(plausible_date, earliest=earliest, latest=latest))


# Issue 20: no text an API input takes is longer than this, unless its field says less.
TEXT_MAX_LENGTH = 10_000


def bound_text_fields() -> None:
    """Give every writable serializers.CharField (and its subclasses: email, regex, slug)
    that states no max_length the default TEXT_MAX_LENGTH, so a 12 MB `description` is a
    400 on every input, the step inputs of engine included. Called once, from
    CoreConfig.ready(); declared fields are re-created per serializer, so all get it."""
    original = serializers.CharField.__init__
    if getattr(original, "bounded", False):
        return

    @functools.wraps(original)
    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        original(self, **kwargs)

    __init__.bounded = True
    serializers.CharField.__init__ = __init__


# A decimal as JSON or a form sends it: ASCII digits, no underscores. Python's Decimal()
# also reads "١٢٣٤٥" (Arabic-Indic digits) and "1_000"; DRF's DecimalField passes them on.
ASCII_DECIMAL = re.compile(r"\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*")


def ascii_decimals() -> None:
    """DRF's DecimalField refuses a string that is not an ASCII decimal (400 "invalid").
    Called once, from CoreConfig.ready()."""
    original = serializers.DecimalField.to_internal_value
    if getattr(original, "ascii_only", False):
        return

    @functools.wraps(original)
    def to_internal_value(self, data):
        if isinstance(data, str) and not ASCII_DECIMAL.fullmatch(data):
            self.fail("invalid")
        return original(self, data)

    to_internal_value.ascii_only = True
    serializers.DecimalField.to_internal_value = to_internal_value


class CountryField(serializers.CharField):
    """An ISO 3166-1 alpha-2 country code, upper case and really assigned: `XX` and `ng`
    are 400s (issue 20)."""

    default_error_messages = {
        "country": _("Enter an ISO 3166-1 country code in capitals, e.g. CN or DE."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value and value not in ISO_3166_ALPHA2:
            self.fail("country")
        return value
