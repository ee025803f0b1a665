"""The portal's forms for the holder side's cases: the case list's filters, a document for
the case file, a request to inspect the goods (R20). The steps' forms are the steps' own
input schemas (engine.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from detentions.models import DetentionDocument, DetentionStatus
from recordals.models import RecordalKind

# What the holder side may put on the case file (detentions.services.detention_attach).
HOLDER_KINDS = (
    DetentionDocument.Kind.COURT_NOTICE,
    DetentionDocument.Kind.EVIDENCE,
    DetentionDocument.Kind.BOND,
    DetentionDocument.Kind.REPLY,
    DetentionDocument.Kind.OTHER,
)


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Case or declaration number, consignor, consignee, goods."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    port = forms.ModelChoiceField(
        label=_("Port"), queryset=None, required=False, empty_label=_("All")
    )
    right = forms.ChoiceField(label=_("Kind of right"), required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False, empty_label=_("All")
    )
    client = forms.ModelChoiceField(
        label=_("Client"), queryset=None, required=False, empty_label=_("All")
    )

    def __init__(self, *args, holders, ports, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        all_ = [("", _("All"))]
        self.fields["status"].choices = all_ + list(DetentionStatus.choices)
        self.fields["right"].choices = all_ + list(RecordalKind.choices)
        self.fields["port"].queryset = ports
        self.fields["campaign"].queryset = campaigns
        if len(holders) > 1:
            from accounts.models import Organisation

            self.fields["client"].queryset = Organisation.objects.filter(
                pk__in=[h.pk for h in holders]
            )
        else:
            del self.fields["client"]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[(k.value, k.label) for k in HOLDER_KINDS])
    title = forms.CharField(label=_("title"), max_length=255, required=False)
    file = forms.FileField(label=_("file"), help_text=_("PDF, PNG or JPEG, at most 10 MB."))


class InspectionRequestForm(forms.Form):
    note = forms.CharField(
        label=_("note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("When you or your representative could come, and who."),
    )
