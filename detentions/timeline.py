"""The case's and the referral's timelines in the domain's words (engine/timeline.py): each
event by its step's label in the case's own table, or by the label below when it is not a
step; its states by their labels; its data as readable fields."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from detentions.models import (
    BondForm,
    BondSource,
    DetentionDocument,
    DetentionStatus,
    Determination,
    DisposalMethod,
    FilingChannel,
    InspectionParty,
    MoneyEntry,
    PenaltyTier,
    ReceiptParty,
    Referral,
    ReleaseGround,
)
from detentions.workflow import REFERRAL_WORKFLOW, workflow_for
from engine.timeline import (
    BOOL,
    CHOICE,
    COUNT,
    DATE,
    HIDDEN,
    MONEY,
    Field,
    choice_label,
    describe,
    step_label,
)

# Events that are not steps of a table.
CASE_EVENTS = {
    "correct_goods": _("Goods corrected"),
    "consignor_statement": _("Consignor's statement received (R20)"),
    "inspection": _("Goods inspected (R20)"),
    "inspection_requested": _("Inspection of the goods requested (R20)"),
    "add_document": _("Document added"),
    "charge_costs": _("Costs charged (R27)"),
    "record_payment": _("Holder's payment of costs recorded (R27)"),
    "compensate_consignor": _("Consignor compensated from the bond (R28)"),
    "refer_to_public_security": _("Referred to public security (R25)"),
}
REFERRAL_EVENTS = {
    "refer": _("Referred to public security (R25)"),
    "record_outcome": _("Outcome recorded"),
}

CASE_DATA = {
    "items": Field(_("Items"), COUNT),
    "value": Field(_("Goods value"), MONEY),
    "bond_if_detained": Field(_("Bond if detained"), MONEY),
    "bond": Field(_("Bond"), MONEY),
    "bond_source": Field(_("Bond source"), CHOICE, BondSource),
    "general_bond": Field(_("General bond guarantee")),
    "filed_via": Field(_("Filed"), CHOICE, FilingChannel),
    "reply_due": Field(_("Reply due"), DATE),
    "detained_on": Field(_("Detained on"), DATE),
    "receipt_number": Field(_("Detention receipt number")),
    "served_to": Field(_("Served to"), CHOICE, ReceiptParty),
    "determination": Field(_("Determination"), CHOICE, Determination),
    "exceeds_personal_quantity": Field(_("Beyond a reasonable personal quantity"), BOOL),
    "court": Field(_("Court")),
    "court_order_due": Field(_("Court-order period ends"), DATE),
    "court_case_number": Field(_("Court case number")),
    "court_reference": Field(_("Court decision")),
    "ground": Field(_("Ground"), CHOICE, ReleaseGround),
    "counter_bond": Field(_("Counter-bond"), MONEY),
    "counter_bond_form": Field(_("Counter-bond form"), CHOICE, BondForm),
    "paid_out": Field(_("Paid out"), MONEY),
    "returned": Field(_("Returned"), MONEY),
    "penalty_tier": Field(_("Penalty tier"), CHOICE, PenaltyTier),
    "penalty_fine": Field(_("Fine"), MONEY),
    "undeclared_ip_fine": Field(_("Fine for not declaring IP status"), MONEY),
    "no_penalty_criterion": Field(_("No-penalty criterion")),
    "decision_served_on": Field(_("Penalty decision served on"), DATE),
    "disposal_method": Field(_("Disposal"), CHOICE, DisposalMethod),
    "features_removed": Field(_("Infringing features removed"), BOOL),
    "label_removal_only": Field(_("Label removed only"), BOOL),
    "holder_consulted": Field(_("Holder consulted"), BOOL),
    "amount": Field(_("Amount"), MONEY),
    "cost_kind": Field(_("Costs for"), CHOICE, MoneyEntry.CostKind),
    "inspected_on": Field(_("Inspected on"), DATE),
    "party": Field(_("Inspected by"), CHOICE, InspectionParty),
    "kind": Field(_("Document"), CHOICE, DetentionDocument.Kind),
    "organ": Field(_("Public security organ")),
    "police_case_number": Field(_("Police case number")),
    "outcome": Field(_("Outcome")),
    # Ids of rows the case page shows in their own lists.
    "document": Field(_("Document"), HIDDEN),
    "referral": Field(_("Referral"), HIDDEN),
    # Closing settles the money trail: one amount per movement (R27, R28).
    **{kind.value: Field(kind.label, MONEY) for kind in MoneyEntry.Kind},
}


def case_event_label(event) -> str:
    """The case event's step in its case's own table, or what the event records."""
    return str(step_label(event.action, [workflow_for(event.detention.mode)], CASE_EVENTS))


def referral_event_label(event) -> str:
    return str(step_label(event.action, [REFERRAL_WORKFLOW], REFERRAL_EVENTS))


# The case's balances (selectors.money_balance), by name.
BALANCES = {
    "bond_held": _("Bond held"),
    "costs_called_from_guarantor": _("Costs called from the general bond's guarantor (R15)"),
    "costs_charged": _("Costs charged"),
    "costs_paid": _("Costs paid by the holder"),
    "costs_deducted": _("Costs deducted from the bonds"),
    "costs_owed": _("Costs owed"),
    "consignor_compensated": _("Consignor compensated (R28)"),
    "bond_refunded": _("Bond refunded (R28)"),
    "counter_bond_held": _("Counter-bond held (R21)"),
}


class CaseTimelineColumns:
    """Columns of the case's event inline (needs `detention` selected with the events)."""

    @admin.display(description=_("step"))
    def step(self, event):
        return case_event_label(event)

    @admin.display(description=_("from"))
    def from_state(self, event):
        return choice_label(DetentionStatus, event.from_status)

    @admin.display(description=_("to"))
    def to_state(self, event):
        return choice_label(DetentionStatus, event.to_status)

    @admin.display(description=_("details"))
    def details(self, event):
        return describe(event.data, CASE_DATA)


class ReferralTimelineColumns:
    @admin.display(description=_("step"))
    def step(self, event):
        return referral_event_label(event)

    @admin.display(description=_("from"))
    def from_state(self, event):
        return choice_label(Referral.Status, event.from_status)

    @admin.display(description=_("to"))
    def to_state(self, event):
        return choice_label(Referral.Status, event.to_status)
