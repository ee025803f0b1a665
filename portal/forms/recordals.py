"""The portal's forms for filing and managing one recordal: which right and whose (R1, R2),
the right's particulars per kind, the rows of genuine goods, licensees and known
infringers (R4), a document, a change application (R8). They only collect and shape the
input: recordals.services validates it and its errors go back onto these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.countries import ISO_3166_ALPHA2
from portal.forms.legal import LegalInputs
from recordals.models import (
    Attachment,
    ChangeApplication,
    GenuineGoods,
    KnownInfringer,
    Licensee,
    PatentType,
    RecordalKind,
)

# R1: the rights a holder records; Olympic and World Expo symbols are protected by
# reference, with no application of their own.
FILED_KINDS = (RecordalKind.TRADEMARK, RecordalKind.COPYRIGHT, RecordalKind.PATENT)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewRecordalForm(LegalInputs, forms.Form):
    """R1, R2: the kind of right and the holder applying (an agent: one of its clients)."""

    kind = forms.ChoiceField(
        label=_("Kind of right"),
        choices=[(kind.value, kind.label) for kind in FILED_KINDS],
        widget=forms.RadioSelect,
    )
    holder = forms.ModelChoiceField(
        label=_("Rights holder"),
        queryset=None,
        empty_label=None,
        help_text=_("The applicant is the rights holder itself (R2): for an agent, a client."),
    )

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = holders


def _country(value: str) -> str:
    value = (value or "").strip()
    if value and value not in ISO_3166_ALPHA2:
        raise forms.ValidationError(
            _("Enter an ISO 3166-1 country code in capitals, e.g. CN or DE.")
        )
    return value


class NiceClassesField(forms.CharField):
    """Nice classes written as "28, 16": a list of numbers (the service checks the rules)."""

    def to_python(self, value):
        text = super().to_python(value)
        parts = [part for part in text.replace("，", ",").replace(" ", ",").split(",") if part]
        try:
            return [int(part) for part in parts]
        except ValueError:
            raise forms.ValidationError(
                _("Class numbers separated by commas, e.g. 28, 16.")
            ) from None

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(number) for number in value)
        return value


class RightForm(LegalInputs, forms.Form):
    """The right (R1, R4), with the fields of its kind only."""

    right_name = forms.CharField(
        label=_("Name of the right"),
        max_length=255,
        help_text=_("Mark text, work title or patent title."),
    )
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=40, required=False
    )
    registered = forms.BooleanField(
        label=_("The trademark is registered"),
        required=False,
        initial=True,
        help_text=_("Pending trademark applications cannot be recorded (R1)."),
    )
    nice_classes = NiceClassesField(
        label=_("Nice classes"),
        required=False,
        help_text=_(
            "Goods classes of the registration (1-34), e.g. 28, 16: service marks (classes "
            "35-45) are not recordable (R1)."
        ),
    )
    is_madrid = forms.BooleanField(
        label=_("Madrid mark extended to China"),
        required=False,
        help_text=_(
            "A Madrid mark is recorded one class per recordal (R1): file one for each class."
        ),
    )
    work_type = forms.CharField(label=_("Type of work"), max_length=100, required=False)
    patent_type = forms.ChoiceField(
        label=_("Patent type"),
        choices=PatentType.choices,
        required=False,
        help_text=_("Utility models and designs need a patent evaluation report (R4)."),
    )
    right_valid_from = forms.DateField(
        label=_("Right valid from"), required=False, widget=DATE_INPUT
    )
    right_valid_until = forms.DateField(
        label=_("Right valid until"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("The recordal never lasts beyond the right (R6)."),
    )
    description = forms.CharField(
        label=_("Content of the right"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    KIND_FIELDS = {
        RecordalKind.TRADEMARK: ("registered", "nice_classes", "is_madrid"),
        RecordalKind.COPYRIGHT: ("work_type",),
        RecordalKind.PATENT: ("patent_type",),
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        own = self.KIND_FIELDS.get(kind, ())
        for name in {field for fields in self.KIND_FIELDS.values() for field in fields} - set(own):
            del self.fields[name]
        if kind == RecordalKind.PATENT:
            self.fields["patent_type"].choices = [("", "—"), *PatentType.choices]
        if kind == RecordalKind.COPYRIGHT:
            self.fields["right_valid_until"].help_text = _("Empty for copyright for life+50.")

    def right(self) -> tuple[dict, bool]:
        """The right's particulars as recordals.services takes them, and whether the
        trademark is registered (R1)."""
        data = dict(self.cleaned_data)
        registered = data.pop("registered", True)
        data["kind"] = self.kind
        data.setdefault("nice_classes", [])
        return data, registered


class GoodsForm(LegalInputs, forms.ModelForm):
    """A genuine product (R4): the model's own checks (HS code digits, price range) apply."""

    class Meta:
        model = GenuineGoods
        fields = ["name", "hs_code", "origin_country", "usual_ports", "main_traders", "features",
                  "price_min", "price_max"]  # fmt: skip
        widgets = {"features": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"hs_code": _("4 to 10 digits."), "origin_country": _("e.g. CN")}

    def clean_origin_country(self):
        return _country(self.cleaned_data.get("origin_country"))

    def clean(self):
        data = super().clean()
        for name in ("price_min", "price_max"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("A price is not negative."))
        return data


class LicenseeForm(LegalInputs, forms.ModelForm):
    class Meta:
        model = Licensee
        fields = ["name", "role", "country", "valid_until"]
        widgets = {"valid_until": DATE_INPUT}

    def clean_country(self):
        return _country(self.cleaned_data.get("country"))


class InfringerForm(LegalInputs, forms.ModelForm):
    class Meta:
        model = KnownInfringer
        fields = ["name", "role", "country", "ports", "features", "price"]
        widgets = {"features": forms.Textarea(attrs={"rows": 2})}

    def clean_country(self):
        return _country(self.cleaned_data.get("country"))


GoodsFormSet = forms.formset_factory(GoodsForm, extra=1, can_delete=True)
LicenseeFormSet = forms.formset_factory(LicenseeForm, extra=1, can_delete=True)
InfringerFormSet = forms.formset_factory(InfringerForm, extra=1, can_delete=True)


def formset_rows(formset) -> list[dict]:
    """The rows as they will be: those there before (changed or not) and those filled in,
    less the rows marked for deletion, as the services take them."""
    fields = list(formset.form._meta.fields)
    kept = []
    for form in formset.forms:
        if form not in formset.initial_forms and not form.has_changed():
            continue  # an empty row left empty
        if form.cleaned_data and not form.cleaned_data.get("DELETE"):
            kept.append({name: form.cleaned_data.get(name) for name in fields})
    return kept


def initial_rows(queryset, form_class) -> list[dict]:
    return list(queryset.values(*form_class._meta.fields))


class AttachmentForm(LegalInputs, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Attachment.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, PNG or JPEG, at most 10 MB; photos of goods and packaging as PNG or JPEG."
        ),
    )


class ChangeForm(LegalInputs, forms.Form):
    """R8: a formal change application, within 30 working days of the change."""

    changed_on = forms.DateField(label=_("Date of the change"), widget=DATE_INPUT)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    holder_name_en = forms.CharField(label=_("New holder name"), max_length=255, required=False)
    holder_name_zh = forms.CharField(
        label=_("New holder name (Chinese)"), max_length=255, required=False
    )
    right_valid_until = forms.DateField(
        label=_("The right's new validity"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("E.g. after renewal at CNIPA: the recordal's term is recomputed (R8)."),
    )

    KIND_FIELDS = {
        ChangeApplication.Kind.HOLDER_NAME: ("holder_name_en", "holder_name_zh"),
        ChangeApplication.Kind.RIGHT: ("right_valid_until",),
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        own = self.KIND_FIELDS.get(kind, ())
        for name in {field for fields in self.KIND_FIELDS.values() for field in fields} - set(own):
            del self.fields[name]

    def details(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("changed_on", "description") and value not in (None, "")
        }
