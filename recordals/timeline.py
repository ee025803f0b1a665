"""The recordal's timeline in the domain's words (engine/timeline.py): each event by its
step's label in the recordal's table or GACC's decision on a change (R8), or by the label
below when it is not a step; its states by their labels; its data as readable fields."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from engine.timeline import (
    CHOICE,
    COUNT,
    DATE,
    HIDDEN,
    Field,
    choice_label,
    describe,
    step_label,
)
from recordals.models import ChangeApplication, RecordalStatus
from recordals.workflow import CHANGE_WORKFLOW, RECORDAL_WORKFLOW

# Events that are not steps of a table.
RECORDAL_EVENTS = {
    "create": _("Application drafted"),
    "edit": _("Application edited"),
    "file_change": _("Change application filed (R8)"),
    "note_change": _("Change noted by GACC: the holder must apply (R8)"),
}


class ExpiryCause(models.TextChoices):
    """Why a recordal expired, as the expiry step records it (recordals.steps.expire)."""

    RIGHT_LAPSED = "the right lapsed", _("the right lapsed")
    TERM_ENDED = "the term ended", _("the term ended")


RECORDAL_DATA = {
    "valid_from": Field(_("Valid from"), DATE),
    "valid_until": Field(_("Valid until"), DATE),
    "previous_valid_until": Field(_("Previously valid until"), DATE),
    "right_valid_until": Field(_("Right valid until"), DATE),
    "lapsed_on": Field(_("Lapsed on"), DATE),
    "changed_on": Field(_("Date of the change"), DATE),
    "cause": Field(_("Cause"), CHOICE, ExpiryCause),
    "parts": Field(_("Parts edited")),
    "kind": Field(_("Change of"), CHOICE, ChangeApplication.Kind),
    "previous": Field(_("Before")),
    "new": Field(_("After")),
    "name_en": Field(_("Holder name")),
    "name_zh": Field(_("Holder name (Chinese)")),
    "genuine_goods": Field(_("Genuine goods"), COUNT),
    "licensees": Field(_("Licensees"), COUNT),
    "right": Field(_("The right")),
    "known_infringers": Field(_("Known infringers")),
    "change": Field(_("Change application"), HIDDEN),
}


def recordal_event_label(event) -> str:
    """The step in the recordal's table or GACC's decision on a change, or what the event
    records."""
    return step_label(event.action, [RECORDAL_WORKFLOW, CHANGE_WORKFLOW], RECORDAL_EVENTS)


class RecordalTimelineColumns:
    @admin.display(description=_("step"))
    def step(self, event):
        return recordal_event_label(event)

    @admin.display(description=_("from"))
    def from_state(self, event):
        return choice_label(RecordalStatus, event.from_status)

    @admin.display(description=_("to"))
    def to_state(self, event):
        return choice_label(RecordalStatus, event.to_status)

    @admin.display(description=_("details"))
    def details(self, event):
        return describe(event.data, RECORDAL_DATA)
