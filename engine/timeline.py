"""Timelines in the domain's words, for the admin's event lists.

An event's label is its step's label from the subject's workflow table; events that are
not steps (money, statements, documents ...) take their label from the app's own small
mapping. Its states show by their choice labels, and its data as a short definition list
of readable values ("Bond: CNY 20,000.00", dates formatted, yes/no), never raw codes or
JSON. Each app says what its event data's keys mean (`Field`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext

from engine.workflow import Workflow

MONEY, DATE, COUNT, BOOL, CHOICE, TEXT, HIDDEN = (
    "money", "date", "count", "bool", "choice", "text", "hidden"
)  # fmt: skip


@dataclass(frozen=True)
class Field:
    """What one key of an event's data means and how its value reads."""

    label: str
    kind: str = TEXT
    choices: type | None = None  # a TextChoices class, for CHOICE


def step_label(action: str, workflows: Iterable[Workflow], others: Mapping[str, str]) -> str:
    """The step's label from the first table that has it, else the app's own label."""
    for workflow in workflows:
        if action in workflow:
            return workflow[action].label or humanise(action)
    return str(others.get(action) or humanise(action))


def choice_label(choices: type, value) -> str:
    """A stored choice by its label (the value itself if the choices no longer have it)."""
    if value in (None, ""):
        return "-"
    try:
        return str(choices(value).label)
    except ValueError:
        return humanise(str(value))


def humanise(code: str) -> str:
    return code.replace("_", " ").strip().capitalize()


def money(value) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return gettext("CNY %(amount)s") % {"amount": f"{amount:,.2f}"}


def _date(value) -> str:
    if isinstance(value, dt.datetime):
        return date_format(localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    text = str(value)
    instant = parse_datetime(text) if "T" in text or " " in text else None
    if instant is not None:
        return _date(instant)
    day = parse_date(text)
    return date_format(day, "DATE_FORMAT") if day else text


def yes_no(value) -> str:
    return gettext("yes") if value else gettext("no")


def readable(value, field: Field | None = None, fields: Mapping[str, Field] | None = None) -> str:
    """One value as a person reads it; a nested mapping reads by the same `fields`."""
    fields = fields or {}
    kind = field.kind if field else None
    if kind == MONEY:
        return money(value)
    if kind == DATE:
        return _date(value)
    if kind == COUNT and isinstance(value, int | str) and str(value).isdigit():
        return f"{int(value):,}"
    if kind == CHOICE and field.choices is not None:
        return choice_label(field.choices, value)
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, list | tuple):  # a list of parts names them by their labels
        return ", ".join(
            _label(item, fields) if isinstance(item, str) and item in fields
            else readable(item, None, fields)
            for item in value
        )  # fmt: skip
    if isinstance(value, dict):
        return "; ".join(
            f"{_label(key, fields)}: {readable(item, fields.get(key), fields)}"
            for key, item in value.items()
        )
    return str(value)


def _label(key, fields: Mapping[str, Field]) -> str:
    field = fields.get(key)
    return str(field.label) if field else humanise(str(key))


def describe(data: Mapping | None, fields: Mapping[str, Field]) -> SafeString | str:
    """The event's data as a definition list; keys without a value, or hidden ones (ids
    of rows shown elsewhere), are left out."""
    items = []
    for key, value in (data or {}).items():
        field = fields.get(key)
        if value in (None, "", [], {}) or (field is not None and field.kind == HIDDEN):
            continue
        items.append((_label(key, fields), readable(value, field, fields)))
    if not items:
        return "-"
    return format_html(
        '<dl class="event-data" style="margin:0">{}</dl>',
        format_html_join(
            "",
            '<div><dt style="display:inline;font-weight:600">{}:</dt> '
            '<dd style="display:inline;margin:0">{}</dd></div>',
            items,
        ),
    )
