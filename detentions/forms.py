"""Forms of the officers' admin for what is not a workflow step: costs and payments (R27).
Steps draw their forms from their input schemas (engine.forms.step_form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from detentions.models import MoneyEntry

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
