"""Signing up, in and out, password reset, preferences and authorisations (R3).
Every change goes through accounts/services.py; a refused input re-shows the form with
the service's errors (400) and changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.models import Authorisation, AuthorisationRequest, User
from accounts.scoping import is_verified
from core.errors import Conflict, InvalidInput, NotPermitted
from portal.forms.account import (
    AuthorisationRequestForm,
    DeclineForm,
    PreferencesForm,
    RegisterForm,
    SignInForm,
    add_service_errors,
)
from tokens import services as token_services


def _portal_language() -> str:
    return "zh-hans" if (get_language() or "").startswith("zh") else "en"


class SignInView(auth_views.LoginView):
    """`/accounts/login/` for everyone: officers go on to the admin unless a page asked."""

    template_name = "portal/account/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self):
        asked = self.get_redirect_url()
        if asked:
            return asked
        if self.request.user.is_staff:
            return reverse("admin:index")
        return reverse("portal:home")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:home")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/account/password_reset.html"
    email_template_name = "portal/account/password_reset_email.txt"
    subject_template_name = "portal/account/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "portal/account/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/account/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "portal/account/password_reset_complete.html"


def register(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = RegisterForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("password_again")
            try:
                _organisation, user = services.organisation_register(
                    **data, language=_portal_language()
                )
            except InvalidInput as error:
                add_service_errors(form, error)
            else:
                services.send_email_verification(
                    user=user,
                    link_for=lambda token: request.build_absolute_uri(
                        reverse("portal:verify_email", args=[token])
                    ),
                )
                return redirect("portal:register_done")
        status = 400
    return render(request, "portal/account/register.html", {"form": form}, status=status)


def register_done(request):
    return render(request, "portal/account/register_done.html")


def verify_email(request, token: str):
    try:
        services.user_confirm_email(token=token)
    except InvalidInput as error:
        return render(
            request,
            "portal/account/verify_email.html",
            {"error": error.message},
            status=400,
        )
    return render(request, "portal/account/verify_email.html", {"error": ""})


@login_required
def preferences(request):
    user: User = request.user
    form = PreferencesForm(
        request.POST or None,
        initial={
            "preferred_language": user.preferred_language,
            "reminder_emails": user.reminder_emails,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.user_update_preferences(user=user, **form.cleaned_data)
            except InvalidInput as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your preferences are saved."))
                return redirect("portal:preferences")
        status = 400
    feed = request.build_absolute_uri(f"{reverse('deadlines-ical')}?token={user.calendar_token}")
    return render(
        request,
        "portal/account/preferences.html",
        {
            "form": form,
            "feed_url": feed,
            "organisation": user.organisation,
            "tokens": token_services.tokens_live(user=user)[:50],
        },
        status=status,
    )


@login_required
@require_POST
def revoke_token(request, token_id: int):
    """Sign one device out of the API: its token stops working at once."""
    token = get_object_or_404(token_services.tokens_live(user=request.user), pk=token_id)
    token_services.token_revoke(token=token)
    messages.success(request, _("The device is signed out of the API."))
    return redirect("portal:preferences")


@login_required
@require_POST
def revoke_all_tokens(request):
    count = token_services.tokens_revoke_all(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d device is signed out of the API.",
            "%(count)d devices are signed out of the API.",
            count,
        )
        % {"count": count},
    )
    return redirect("portal:preferences")


@login_required
@require_POST
def rotate_calendar(request):
    services.user_rotate_calendar_token(user=request.user)
    messages.success(request, _("A new calendar link is made: the old one no longer works."))
    return redirect("portal:preferences")


# --- authorisations (R3) ----------------------------------------------------------------------


def _authorisations_page(request, *, form=None, status=200):
    user: User = request.user
    role = user.role
    org_id = user.organisation_id
    mine = Q(agency_id=org_id) if role == User.Role.AGENT else Q(holder_id=org_id)
    requests = list(
        AuthorisationRequest.objects.filter(mine).select_related("agency", "holder")[:50]
    )
    authorisations = list(
        Authorisation.objects.filter(mine).select_related("agency", "holder")[:50]
    )
    if role == User.Role.AGENT and form is None:
        form = AuthorisationRequestForm()
    return render(
        request,
        "portal/account/authorisations.html",
        {
            "role": role,
            "is_agent": role == User.Role.AGENT,
            "is_holder": role == User.Role.HOLDER,
            "verified": is_verified(user),
            "form": form,
            "requests": requests,
            "authorisations": authorisations,
            "decline_form": DeclineForm(),
        },
        status=status,
    )


@login_required
def authorisations(request):
    user: User = request.user
    if user.role not in (User.Role.AGENT, User.Role.HOLDER):
        return redirect("admin:accounts_authorisation_changelist")
    if request.method != "POST":
        return _authorisations_page(request)
    if user.role != User.Role.AGENT:
        messages.error(request, _("Only an IP agency asks a rights holder for an authorisation."))
        return _authorisations_page(request, status=403)
    form = AuthorisationRequestForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.authorisation_request_create(actor=user, **form.cleaned_data)
        except InvalidInput as error:
            add_service_errors(form, error)
        except (Conflict, NotPermitted) as error:
            form.add_error(None, error.message)
            return _authorisations_page(
                request, form=form, status=409 if isinstance(error, Conflict) else 403
            )
        else:
            messages.success(request, _("Your request is sent to the rights holder."))
            return redirect("portal:authorisations")
    return _authorisations_page(request, form=form, status=400)


def _answer(request, pk: int, answer):
    user: User = request.user
    item = get_object_or_404(AuthorisationRequest, pk=pk, holder_id=user.organisation_id or -1)
    try:
        answer(item)
    except InvalidInput as error:
        messages.error(request, error.message)
        return _authorisations_page(request, status=400)
    except Conflict as error:
        messages.error(request, error.message)
        return _authorisations_page(request, status=409)
    except NotPermitted as error:
        messages.error(request, error.message)
        return _authorisations_page(request, status=403)
    return None


@login_required
@require_POST
def authorisation_accept(request, pk: int):
    refused = _answer(
        request,
        pk,
        lambda item: services.authorisation_request_accept(actor=request.user, request=item),
    )
    if refused:
        return refused
    messages.success(request, _("Accepted: the agency may now act for you."))
    return redirect("portal:authorisations")


@login_required
@require_POST
def authorisation_decline(request, pk: int):
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    refused = _answer(
        request,
        pk,
        lambda item: services.authorisation_request_decline(
            actor=request.user, request=item, reason=reason
        ),
    )
    if refused:
        return refused
    messages.success(request, _("Declined: the agency is told."))
    return redirect("portal:authorisations")
