"""The input case actions need besides their reasons, for the officers' admin. Forms only
collect and shape the input; the rules are checked by detentions/services.py, whose errors
the admin puts back on these fields."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from detentions import rules
from detentions.models import (
    PERSONAL_CHANNELS,
    BondForm,
    BondSource,
    DisposalMethod,
    FilingChannel,
    MoneyEntry,
    NoPenaltyCriterion,
    PenaltyTier,
    ReceiptParty,
)

# --- transition forms: what an action needs besides the reasons -------------------------------


class DetentionTransitionForm(forms.Form):
    """Every case action may carry the document served or received with it."""

    document = forms.FileField(
        label=_("document"),
        required=False,
        help_text=_("Optional: the notice, decision or record for the case file (PDF, PNG, JPEG)."),
    )

    def __init__(self, *args, detention=None, **kwargs):
        self.detention = detention
        super().__init__(*args, **kwargs)
        self.fields["document"] = self.fields.pop("document")  # last, under the action's own


class CriterionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code}: {obj.description}"


class FilingForm(DetentionTransitionForm):
    """R13: an officer records a holder-side filing that arrived on paper: how it came and
    when it was sent (post, bank: in time until 24:00) or handed in (counter: until the
    office's counter closes)."""

    filed_via = forms.ChoiceField(
        label=_("filed via"),
        choices=[(v, label) for v, label in FilingChannel.choices if v != FilingChannel.ONLINE],
    )
    filed_at = forms.DateTimeField(
        label=_("sent or handed in at"),
        help_text=_("Asia/Shanghai time, e.g. 2025-09-30 16:45 (R13)."),
    )


class RequestDetentionForm(FilingForm):
    bond_source = forms.ChoiceField(label=_("bond source"), choices=BondSource.choices)
    bond_form = forms.ChoiceField(
        label=_("bond form"), choices=[("", "—"), *BondForm.choices], required=False
    )
    bond_reference = forms.CharField(
        label=_("bond reference"),
        max_length=100,
        required=False,
        help_text=_(
            "Case bond: receipt or guarantee number, in place within 3 working days (R12)."
        ),
    )


class RecordSuitForm(FilingForm):
    court = forms.CharField(label=_("court"), max_length=255)
    court_case_number = forms.CharField(label=_("court case number"), max_length=100)


class RecordJudgmentForm(DetentionTransitionForm):
    court_reference = forms.CharField(label=_("court decision"), max_length=100)
    paid_out = forms.DecimalField(
        label=_("paid out of the deposit (CNY)"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("As the court decides; the rest is returned to the consignor (R21)."),
    )


class ServeReceiptForm(DetentionTransitionForm):
    receipt_number = forms.CharField(label=_("detention receipt number"), max_length=60)
    served_to = forms.ChoiceField(label=_("served on"), choices=ReceiptParty.choices)


class DetainForm(DetentionTransitionForm):
    bond_reference = forms.CharField(
        label=_("bond reference"),
        max_length=100,
        required=False,
        help_text=_("Receipt or guarantee number of the bond (R12, R18)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.detention is not None:
            self.fields["bond_reference"].initial = self.detention.bond_reference


class DetermineInfringingForm(DetentionTransitionForm):
    exceeds_personal_quantity = forms.BooleanField(
        label=_("beyond a reasonable personal quantity (R26)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # R26 concerns luggage and postal items only.
        if self.detention is not None and self.detention.channel not in PERSONAL_CHANNELS:
            del self.fields["exceeds_personal_quantity"]


class ReceiveCourtNoticeForm(DetentionTransitionForm):
    court = forms.CharField(
        label=_("court and notice number"), max_length=255, help_text=_("R17, R19.")
    )


class ReleaseOnCounterBondForm(DetentionTransitionForm):
    counter_bond_amount = forms.DecimalField(
        label=_("counter-bond (CNY)"),
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("A cash deposit equal to the goods value (R21)."),
    )
    reference = forms.CharField(label=_("deposit receipt"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.detention is not None:
            self.fields["counter_bond_amount"].initial = self.detention.total_value


class ConfiscateForm(DetentionTransitionForm):
    penalty_tier = forms.ChoiceField(label=_("penalty tier"), choices=PenaltyTier.choices)
    penalty_fine = forms.DecimalField(
        label=_("fine (CNY)"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    undeclared_ip_fine = forms.DecimalField(
        label=_("fine for not declaring IP status (CNY)"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("At most CNY 50,000 (R24)."),
    )
    no_penalty_criterion = CriterionChoiceField(
        label=_("no-penalty criterion"),
        queryset=NoPenaltyCriterion.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
        help_text=_("Required for the 'no penalty' tier (R24)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.detention is not None:
            value = self.detention.total_value
            bands = "; ".join(
                f"{tier}: {rules.fen(value * low)} to {rules.fen(value * high)}"
                for tier, (low, high) in rules.TIER_BANDS.items()
                if high
            )
            self.fields["penalty_fine"].help_text = _(
                "On a goods value of CNY %(value)s: %(bands)s (R24)."
            ) % {"value": value, "bands": bands}

    decision_served = forms.BooleanField(
        label=_("decision served today"),
        required=False,
        help_text=_("Storage after confiscation runs at most 3 months from service (R27)."),
    )

    def clean_no_penalty_criterion(self):
        criterion = self.cleaned_data.get("no_penalty_criterion")
        return criterion.code if criterion else None  # the service cites it by code


class DisposeForm(DetentionTransitionForm):
    disposal_method = forms.ChoiceField(
        label=_("disposal"),
        choices=DisposalMethod.choices,
        help_text=_("In order of preference (R23); a later choice needs the reasons."),
    )
    features_removed = forms.BooleanField(
        label=_("infringing features removed (auction)"), required=False
    )
    label_removal_only = forms.NullBooleanField(
        label=_("only the label was removed (auction)"),
        required=False,
        widget=forms.NullBooleanSelect,
        help_text=_("Imported counterfeit trademark goods: removing the label is not enough."),
    )
    holder_consulted = forms.BooleanField(
        label=_("rights holder consulted (auction)"), required=False
    )


# --- money outside the state table: costs and payments (R27) ----------------------------------


class ChargeCostsForm(forms.Form):
    cost_kind = forms.ChoiceField(label=_("cost"), choices=MoneyEntry.CostKind.choices)
    amount = forms.DecimalField(label=_("amount (CNY)"), max_digits=18, decimal_places=2)
    period_from = forms.DateField(
        label=_("period from"), required=False, help_text=_("Storage: from the detention on.")
    )
    period_to = forms.DateField(
        label=_("period to"),
        required=False,
        help_text=_("After confiscation, at most 3 months after the decision (R27)."),
    )
    reference = forms.CharField(label=_("reference"), max_length=100, required=False)


class RecordPaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("amount (CNY)"), max_digits=18, decimal_places=2)
    reference = forms.CharField(label=_("reference"), max_length=100, required=False)


# --- referrals (R25) ------------------------------------------------------------------------------


class AcceptReferralForm(forms.Form):
    police_case_number = forms.CharField(label=_("police case number"), max_length=60)
    outcome = forms.CharField(label=_("outcome"), required=False, widget=forms.Textarea)
