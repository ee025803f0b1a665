"""What each detention step takes besides its reasons: one schema per step, which the
API documents and reads, the admin and the portal render as forms, and the workflow
engine validates (engine.workflow.validate_input). The rules themselves are checked by
the step's guard and effect (detentions/steps.py)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import MONEY, LegalDateField, OptionalBoolean
from detentions.models import (
    PERSONAL_CHANNELS,
    BondForm,
    BondSource,
    DetentionDocument,
    DisposalMethod,
    FilingChannel,
    InspectionParty,
    MoneyEntry,
    PenaltyTier,
    ReceiptParty,
)


class StepInput(serializers.Serializer):
    reason = serializers.CharField(label=_("reasons"), required=False, allow_blank=True, default="")
    document = serializers.FileField(
        label=_("document"),
        required=False,
        help_text=_("The notice, decision or record for the case file: PDF, PNG or JPEG, "
                    "≤ 10 MB."),
    )  # fmt: skip

    @classmethod
    def shape_form(cls, form, detention) -> None:
        """Fit the rendered form to the case (initial values, fields that do not apply)."""


class FilingInput(StepInput):
    """R13: a filing made here arrives through this service; an officer recording a paper
    filing says how it came and when it was sent or handed in."""

    filed_via = serializers.ChoiceField(
        label=_("filed via"), choices=FilingChannel.choices, required=False
    )
    filed_at = serializers.DateTimeField(
        label=_("sent or handed in at"),
        required=False,
        help_text=_("When it was sent (post, bank) or handed in (counter), Asia/Shanghai time, "
                    "e.g. 2025-09-30 16:45 (R13)."),
    )  # fmt: skip

    @classmethod
    def shape_form(cls, form, detention) -> None:
        """Officers record filings that arrived on paper: how they came, and when."""
        field = form.fields["filed_via"]
        field.choices = [(v, label) for v, label in field.choices if v != FilingChannel.ONLINE]
        field.required = form.fields["filed_at"].required = True


class RequestDetentionInput(FilingInput):
    bond_source = serializers.ChoiceField(
        label=_("bond source"),
        choices=BondSource.choices,
        error_messages={"invalid_choice": _("Choose case_bond or general_bond (R14, R15).")},
    )
    bond_form = serializers.ChoiceField(
        label=_("bond form"),
        choices=BondForm.choices,
        required=False,
        error_messages={"invalid_choice": _("Cash or a bank guarantee (R14).")},
    )
    bond_reference = serializers.CharField(
        label=_("bond reference"),
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("Receipt or guarantee number of the case bond, in place within 3 working "
                    "days (R12)."),
    )  # fmt: skip

    def validate(self, attrs):
        if attrs["bond_source"] == BondSource.CASE_BOND and not attrs.get("bond_form"):
            raise serializers.ValidationError({"bond_form": gettext("Cash or guarantee (R14).")})
        return attrs


class SuitInput(FilingInput):
    court = serializers.CharField(label=_("court"), max_length=255)
    court_case_number = serializers.CharField(label=_("court case number"), max_length=100)


class JudgmentInput(StepInput):
    court_reference = serializers.CharField(label=_("court decision"), max_length=100)
    paid_out = serializers.DecimalField(
        label=_("paid out of the deposit (CNY)"), min_value=Decimal(0), required=False,
        default=0, **MONEY,
        help_text=_("Part of the deposit paid out under the decision; the rest is returned "
                    "to the consignor (R21)."),
    )  # fmt: skip


class ReceiptInput(StepInput):
    receipt_number = serializers.CharField(
        label=_("detention receipt number"),
        max_length=60,
        error_messages={"required": _("The detention receipt's number.")},
    )
    served_to = serializers.ChoiceField(
        label=_("served on"),
        choices=ReceiptParty.choices,
        error_messages={
            "required": _("Served on the consignor or the consignee (R12)."),
            "invalid_choice": _("Served on the consignor or the consignee (R12)."),
        },
    )


class DetainInput(StepInput):
    bond_reference = serializers.CharField(
        label=_("bond reference"),
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("Receipt or guarantee number of the bond (R12, R18)."),
    )

    @classmethod
    def shape_form(cls, form, detention) -> None:
        form.fields["bond_reference"].initial = detention.bond_reference


class DetermineInfringingInput(StepInput):
    exceeds_personal_quantity = OptionalBoolean(
        label=_("beyond a reasonable personal quantity (R26)"),
        help_text=_("Luggage and postal items: beyond a reasonable personal quantity (R26)."),
    )

    @classmethod
    def shape_form(cls, form, detention) -> None:
        if detention.channel not in PERSONAL_CHANNELS:  # R26: luggage and postal items only
            del form.fields["exceeds_personal_quantity"]


class CourtNoticeInput(StepInput):
    court = serializers.CharField(
        label=_("court and notice number"),
        max_length=255,
        help_text=_("The court and its notice number (R17, R19)."),
    )


class CounterBondInput(StepInput):
    counter_bond_amount = serializers.DecimalField(
        label=_("counter-bond (CNY)"), min_value=Decimal("0.01"), **MONEY,
        help_text=_("A cash deposit equal to the goods value (R21)."),
    )  # fmt: skip
    counter_bond_form = serializers.ChoiceField(
        label=_("counter-bond form"),
        choices=[(BondForm.CASH, BondForm.CASH.label)],
        required=False,
        error_messages={"invalid_choice": _("A counter-bond is a cash deposit (R21).")},
        help_text=_("Cash only (R21)."),
    )
    reference = serializers.CharField(
        label=_("deposit receipt"),
        max_length=100,
        error_messages={"required": _("The deposit's receipt number (R21).")},
        help_text=_("The deposit's receipt."),
    )

    @classmethod
    def shape_form(cls, form, detention) -> None:
        form.fields["counter_bond_amount"].initial = detention.total_value


class ConfiscateInput(StepInput):
    penalty_tier = serializers.ChoiceField(label=_("penalty tier"), choices=PenaltyTier.choices)
    penalty_fine = serializers.DecimalField(
        label=_("fine (CNY)"), min_value=Decimal(0), required=False, default=0, **MONEY
    )
    undeclared_ip_fine = serializers.DecimalField(
        label=_("fine for not declaring IP status (CNY)"), min_value=Decimal(0),
        required=False, allow_null=True, **MONEY, help_text=_("At most CNY 50,000 (R24)."),
    )  # fmt: skip
    no_penalty_criterion = serializers.CharField(
        label=_("no-penalty criterion"), max_length=40, required=False, allow_blank=True,
        help_text=_("Required for the 'no penalty' tier: the criterion's code (R24)."),
    )  # fmt: skip
    decision_served = OptionalBoolean(
        label=_("decision served today"),
        help_text=_("The decision was served today: the storage cap counts from it (R27)."),
    )

    @classmethod
    def shape_form(cls, form, detention) -> None:
        from django import forms

        from detentions import rules
        from detentions.models import NoPenaltyCriterion

        criteria = NoPenaltyCriterion.objects.filter(is_active=True).order_by("code")
        form.fields["no_penalty_criterion"] = forms.ChoiceField(
            label=form.fields["no_penalty_criterion"].label,
            choices=[("", "—"), *((c.code, f"{c.code}: {c.description}") for c in criteria)],
            required=False,
            help_text=gettext("Required for the 'no penalty' tier (R24)."),
        )
        value = detention.total_value
        bands = "; ".join(
            f"{tier}: {rules.fen(value * low)} to {rules.fen(value * high)}"
            for tier, (low, high) in rules.TIER_BANDS.items()
            if high
        )
        form.fields["penalty_fine"].help_text = gettext(
            "On a goods value of CNY %(value)s: %(bands)s (R24)."
        ) % {"value": value, "bands": bands}


class DisposeInput(StepInput):
    disposal_method = serializers.ChoiceField(
        label=_("disposal"),
        choices=DisposalMethod.choices,
        help_text=_("In order of preference (R23); a later choice needs the reasons."),
    )
    features_removed = OptionalBoolean(label=_("infringing features removed (auction)"))
    label_removal_only = OptionalBoolean(
        label=_("only the label was removed (auction)"),
        help_text=_("Imported counterfeit trademark goods: removing the label is not enough."),
    )
    holder_consulted = OptionalBoolean(label=_("rights holder consulted (auction)"))


class ReferralStepInput(serializers.Serializer):
    reason = serializers.CharField(label=_("reasons"), required=False, allow_blank=True, default="")
    outcome = serializers.CharField(
        label=_("outcome"), required=False, allow_blank=True, default="",
        help_text=_("What became of it (charges, judgment), if known."),
    )  # fmt: skip


class AcceptReferralInput(ReferralStepInput):
    police_case_number = serializers.CharField(
        label=_("police case number"),
        max_length=60,
        error_messages={"required": _("The case number public security filed.")},
    )


# --- what officers record outside the tables: money (R27, R28), the consignor's side (R20),
# documents, referrals (R25). The API reads these; the admin draws them as forms. ---------


class CostInput(serializers.Serializer):
    cost_kind = serializers.ChoiceField(label=_("cost"), choices=MoneyEntry.CostKind.choices)
    amount = serializers.DecimalField(label=_("amount (CNY)"), min_value=Decimal("0.01"), **MONEY)
    period_from = LegalDateField(
        label=_("period from"), required=False, allow_null=True,
        help_text=_("Storage: from the detention on."),
    )  # fmt: skip
    period_to = LegalDateField(
        label=_("period to"), required=False, allow_null=True,
        help_text=_("After confiscation, at most 3 months after the decision is served (R27)."),
    )  # fmt: skip
    reference = serializers.CharField(
        label=_("reference"), max_length=100, required=False, allow_blank=True, default=""
    )


class PaymentInput(serializers.Serializer):
    amount = serializers.DecimalField(label=_("amount (CNY)"), min_value=Decimal("0.01"), **MONEY)
    reference = serializers.CharField(
        label=_("reference"), max_length=100, required=False, allow_blank=True, default=""
    )


class CompensationInput(serializers.Serializer):
    amount = serializers.DecimalField(label=_("amount (CNY)"), min_value=Decimal("0.01"), **MONEY)
    court_reference = serializers.CharField(
        label=_("court notice"), max_length=100,
        help_text=_("The court's notice ordering compensation from the bond (R28)."),
    )  # fmt: skip


class StatementInput(serializers.Serializer):
    statement = serializers.CharField(
        label=_("statement"), help_text=_("The consignor's or consignee's written statement (R20).")
    )
    inspected_on = LegalDateField(label=_("goods inspected on"), required=False, allow_null=True)
    document = serializers.FileField(label=_("document"), required=False)


class InspectionInput(serializers.Serializer):
    party = serializers.ChoiceField(label=_("inspected by"), choices=InspectionParty.choices)
    inspected_on = LegalDateField(label=_("inspected on"))
    note = serializers.CharField(label=_("note"), required=False, allow_blank=True, default="")


class DocumentInput(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("kind"), choices=DetentionDocument.Kind.choices)
    title = serializers.CharField(
        label=_("title"), max_length=255, required=False, allow_blank=True, default=""
    )
    internal = serializers.BooleanField(label=_("customs only"), required=False, default=False)
    file = serializers.FileField(label=_("file"), help_text=_("PDF, PNG or JPEG, at most 10 MB."))


class ReferralCreateInput(serializers.Serializer):
    organ = serializers.CharField(
        label=_("public security organ"), max_length=255,
        help_text=_("E.g. the economic crime investigation department of the city's public "
                    "security bureau."),
    )  # fmt: skip
    grounds = serializers.CharField(
        label=_("grounds"), help_text=_("Why a crime is suspected (R25).")
    )
    referred_on = LegalDateField(label=_("referred on"), required=False)
