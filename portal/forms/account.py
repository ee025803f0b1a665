"""The accounts' forms of the portal. They collect and type the input; the rules are the
services' (accounts/services.py), whose errors the views put back on these forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.dates import plausible_date
from core.errors import InvalidInput


def add_service_errors(form: forms.Form, error: InvalidInput) -> None:
    """Put a service's field errors on the form (unknown fields: on the whole form)."""
    for field, messages in error.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or password is not right, or the email address is not confirmed "
            "yet. After %(limit)s failed attempts, signing in is locked for a while."
        ),
    }

    def get_invalid_login_error(self):
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"] % {"limit": settings.AXES_FAILURE_LIMIT},
            code="invalid_login",
        )


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("We are"),
        choices=[
            (Organisation.Kind.RIGHTS_HOLDER, _("A rights holder registered in mainland China")),
            (Organisation.Kind.IP_AGENCY, _("An IP agency")),
        ],
        widget=forms.RadioSelect,
    )
    name_zh = forms.CharField(label=_("Organisation name (Chinese)"), max_length=255)
    name_en = forms.CharField(
        label=_("Organisation name (English)"), max_length=255, required=False
    )
    registration_id = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        min_length=18,
        help_text=_("18 characters, as on the business licence."),
    )
    address = forms.CharField(
        label=_("Registered address"), widget=forms.Textarea(attrs={"rows": 2})
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact email"))
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    identity_document = forms.FileField(
        label=_("Identity document"),
        help_text=_("The business licence (PDF, PNG or JPEG, up to 10 MB)."),
    )
    first_name = forms.CharField(label=_("Your given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Your family name"), max_length=150, required=False)
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("Your email"), help_text=_("We send a link to confirm it."))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, strip=False
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class PreferencesForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Follow my browser")), ("zh-hans", "简体中文"), ("en", "English")],
        required=False,
        help_text=_("For the pages, and for the emails and reminders sent to you."),
    )
    reminder_emails = forms.BooleanField(
        label=_("Send deadline reminders to my email address as well"),
        required=False,
        help_text=_("Reminders always appear in the service's notifications."),
    )


class AuthorisationRequestForm(forms.Form):
    holder = forms.ModelChoiceField(
        label=_("Rights holder"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose a rights holder"),
    )
    starts_on = forms.DateField(
        label=_("From"),
        validators=[plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=_("Until"),
        validators=[plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    document = forms.FileField(
        label=_("Signed power of attorney"), help_text=_("PDF, PNG or JPEG, up to 10 MB.")
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.RIGHTS_HOLDER, verification="verified", is_active=True
        ).order_by("name_en")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Holder, mark or work, registration number or goods"),
        max_length=200,
        required=False,
    )
