"""The portfolio's forms: the list's filters (every column), the selection for a bulk
action, and the bulk import's upload (recordals/imports.py)."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from portal.forms.legal import LegalInputs
from recordals.imports import MAX_ROWS
from recordals.models import RecordalKind, RecordalStatus

RENEWAL_CHOICES = [
    ("", _("All")),
    ("open", _("Renewal window open now")),
    ("soon", _("Renewal window opens within 90 days")),
    ("requested", _("Renewal requested")),
]


class PortfolioFilterForm(LegalInputs, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Recordal or registration number, right, holder."),
    )
    client = forms.ModelChoiceField(
        label=_("Rights holder"), queryset=Organisation.objects.none(), required=False,
        empty_label=_("All"),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Kind of right"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    nice_class = forms.IntegerField(
        label=_("Nice class"), required=False, min_value=1, max_value=45
    )
    renewal = forms.ChoiceField(label=_("Renewal (R7)"), required=False, choices=RENEWAL_CHOICES)
    term_from = forms.DateField(
        label=_("Term ends from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    term_until = forms.DateField(
        label=_("Term ends by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        all_ = [("", _("All"))]
        self.fields["kind"].choices = all_ + list(RecordalKind.choices)
        self.fields["status"].choices = all_ + list(RecordalStatus.choices)
        if len(holders) > 1:
            self.fields["client"].queryset = Organisation.objects.filter(
                pk__in=[holder.pk for holder in holders]
            ).order_by("name_en")
        else:
            del self.fields["client"]


class ImportForm(LegalInputs, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=format_lazy(
            _("The template filled in, as .xlsx or .csv; at most {rows} rows."), rows=MAX_ROWS
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    documents = forms.FileField(
        label=_("Documents (ZIP)"),
        required=False,
        help_text=_("The files the rows name, matched by file name."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )
    mode = forms.ChoiceField(
        label=_("When some rows have errors"),
        choices=[
            ("all", _("Create nothing: import only when every row is valid")),
            ("valid_only", _("Create the drafts of the valid rows only")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
