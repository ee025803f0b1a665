"""What every portal form takes as the API does (issue 20): dates within core.dates'
plausible range, decimals in ASCII digits (Python's Decimal() also reads "1_000" and
"١٢٣"). The API has the same checks on its serializers (core/api/fields.py)."""

from __future__ import annotations

import functools

from django import forms

from core.api.fields import ASCII_DECIMAL
from core.dates import plausible_date


def _ascii_only(field: forms.DecimalField, to_python, value):
    if isinstance(value, str) and value.strip() and not ASCII_DECIMAL.fullmatch(value):
        raise forms.ValidationError(field.error_messages["invalid"], code="invalid")
    return to_python(value)


class LegalInputs:
    """A form mixin: put it before forms.Form / forms.ModelForm."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and plausible_date not in field.validators:
                field.validators.append(plausible_date)
            elif isinstance(field, forms.DecimalField):
                field.to_python = functools.partial(_ascii_only, field, field.to_python)
