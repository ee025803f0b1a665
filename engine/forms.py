"""A step's input schema drawn as an HTML form (the officers' admin, the portal). The form
only collects and shapes the input: the engine validates it with the same schema and the
step's guard and effect check the rules, whose errors go back onto these fields."""

from __future__ import annotations

from django import forms
from rest_framework import serializers

from core.api.fields import OptionalBoolean


def _form_field(field: serializers.Field) -> forms.Field:
    common = {
        "label": field.label,
        "required": field.required,
        "help_text": field.help_text or "",
    }
    if isinstance(field, serializers.ChoiceField):
        choices = list(field.choices.items())
        if not field.required:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, **common)
    if isinstance(field, OptionalBoolean):
        if field.style.get("form") == "yes_no":  # an answer that may also be "unknown"
            return forms.NullBooleanField(widget=forms.NullBooleanSelect, **common)
        return forms.BooleanField(**{**common, "required": False})
    if isinstance(field, serializers.BooleanField):
        return forms.BooleanField(**{**common, "required": False})
    if isinstance(field, serializers.DecimalField):
        return forms.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            min_value=field.min_value,
            **common,
        )
    if isinstance(field, serializers.DateTimeField):
        return forms.DateTimeField(**common)
    if isinstance(field, serializers.DateField):
        return forms.DateField(**common)
    if isinstance(field, serializers.IntegerField):
        return forms.IntegerField(min_value=field.min_value, max_value=field.max_value, **common)
    if isinstance(field, serializers.FileField):
        return forms.FileField(**common)
    if isinstance(field, serializers.CharField):
        return forms.CharField(max_length=field.max_length, **common)
    raise TypeError(f"no form field for {type(field).__name__}")


def schema_form_class(schema, *, skip=()) -> type[forms.Form]:
    """The form class of an input schema (a DRF serializer class): the same fields,
    labels, choices, limits and help; a file field comes last."""
    fields = {
        name: _form_field(field) for name, field in schema().fields.items() if name not in skip
    }
    for name, field in list(fields.items()):
        if isinstance(field, forms.FileField):
            fields[name] = fields.pop(name)
    return type(f"{schema.__name__}Form", (forms.Form,), fields)


def schema_form(schema, *, data=None, files=None, skip=()) -> forms.Form:
    return schema_form_class(schema, skip=skip)(data=data, files=files)


def step_form(step, subject=None, *, data=None, files=None) -> forms.Form | None:
    """The form of `step`'s input (the reasons are the page's own field); None when the
    step takes nothing but its reasons."""
    if step.input is None:
        return None
    form = schema_form(step.input, data=data, files=files, skip=("reason",))
    if subject is not None and hasattr(step.input, "shape_form"):
        step.input.shape_form(form, subject)
    return form


def filled_values(cleaned_data: dict) -> dict:
    """The values the officer filled in: unset optional fields (None, "") are left out so
    the step sees them as not given. False from a checkbox is an answer and is kept."""
    return {key: value for key, value in cleaned_data.items() if value not in (None, "", [], ())}
