"""Writes about organisations and authorisations (HackSoft style: <entity>_<action>)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import hooks, uscc
from accounts.models import (
    Authorisation,
    AuthorisationRequest,
    Contact,
    Organisation,
    User,
    Verification,
)
from accounts.scoping import require_verified
from core.errors import Conflict, InvalidInput, NotPermitted
from core.files import check_upload
from core.timezone import local_today

# Powers of attorney longer than this are almost certainly a typo in the end date.
MAX_AUTHORISATION_YEARS = 20


@transaction.atomic
def authorisation_grant(
    *,
    actor: User,
    holder: Organisation,
    agency: Organisation,
    starts_on: dt.date,
    ends_on: dt.date,
    document,
    notes: str = "",
) -> Authorisation:
    """A rights holder authorises an IP agency to act for it (R3)."""
    if not (actor.sees_everything or actor.organisation_id == holder.pk):
        raise NotPermitted(_("Only the rights holder itself, or GACC, can grant an authorisation."))
    errors = {}
    if holder.kind != Organisation.Kind.RIGHTS_HOLDER:
        errors["holder"] = [_("Must be a rights holder.")]
    if agency.kind != Organisation.Kind.IP_AGENCY:
        errors["agency"] = [_("Must be an IP agency.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("An authorisation cannot end before it starts.")]
    elif (ends_on - starts_on).days > 366 * MAX_AUTHORISATION_YEARS:
        errors["ends_on"] = [
            _("An authorisation may run for at most %(years)s years.")
            % {"years": MAX_AUTHORISATION_YEARS}
        ]
    if errors:
        raise InvalidInput(errors)
    content_type = check_upload(document, field="document")
    overlapping = Authorisation.objects.filter(
        holder=holder,
        agency=agency,
        revoked_at__isnull=True,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )
    if overlapping.exists():
        raise Conflict(
            _("This agency already holds an authorisation for this holder in that period.")
        )
    authorisation = Authorisation.objects.create(
        holder=holder,
        agency=agency,
        starts_on=starts_on,
        ends_on=ends_on,
        document=document,
        document_content_type=content_type,
        notes=notes,
        created_by=actor,
    )
    hooks.authorisation_granted(authorisation)  # deadlines: its expiry deadline
    return authorisation


@transaction.atomic
def authorisation_revoke(
    *, actor: User, authorisation: Authorisation, reason: str
) -> Authorisation:
    """End an authorisation now; the agency loses access at once."""
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    if not (actor.sees_everything or actor.organisation_id == authorisation.holder_id):
        raise NotPermitted(
            _("Only the rights holder itself, or GACC, can revoke an authorisation.")
        )
    if not reason.strip():
        raise InvalidInput({"reason": _("Give the reason for revoking.")})
    if authorisation.revoked_at is not None:
        raise Conflict(_("This authorisation is already revoked."))
    authorisation.revoked_at = timezone.now()
    authorisation.revoked_by = actor
    authorisation.revocation_reason = reason.strip()
    authorisation.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    hooks.authorisation_revoked(authorisation)  # deadlines: cancels its expiry deadline
    return authorisation


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, address: str | None = None, contacts=None
) -> Organisation:
    """An organisation's own users keep its address and contacts current (R8: freely edited)."""
    if not (actor.is_superuser or actor.organisation_id == organisation.pk):
        raise NotPermitted(_("Only the organisation's own users can edit it."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if address is not None:
        organisation.address = address
        organisation.save(update_fields=["address", "updated_at"])
    if contacts is not None:
        seen = set()
        for contact in contacts:
            key = (contact["role"], contact.get("is_backup", False))
            if key in seen:
                raise InvalidInput(
                    {"contacts": _("One contact per role, and one backup per role.")}
                )
            seen.add(key)
        organisation.contacts.all().delete()
        Contact.objects.bulk_create(
            Contact(organisation=organisation, **contact) for contact in contacts
        )
    return organisation


# --- registering in the portal ----------------------------------------------------------------

EMAIL_SALT = "accounts.email-verification"
EMAIL_LINK_DAYS = 3  # a verification link works this long


def email_verification_token(user: User) -> str:
    """A signed token naming the user and the address it proves (a changed address
    makes an old link useless)."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_SALT)


def send_email_verification(*, user: User, link_for) -> None:
    """Email the signed link (`link_for(token)` makes the absolute URL), in the user's
    language (the registration page's)."""
    link = link_for(email_verification_token(user))
    with translation.override(user.preferred_language or "en"):
        subject = _("Confirm your email address for Customs IPR protection")
        body = _(
            "Hello %(name)s,\n\nYou registered %(organisation)s with the customs protection "
            "of intellectual property rights. Open this link within %(days)s days to confirm "
            "your email address:\n\n%(link)s\n\nGACC then verifies your organisation "
            "before you can file.\n"
        ) % {
            "name": user.get_full_name() or user.username,
            "organisation": user.organisation,
            "days": EMAIL_LINK_DAYS,
            "link": link,
        }
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def organisation_register(
    *,
    kind: str,
    name_zh: str,
    name_en: str = "",
    registration_id: str,
    address: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    identity_document,
    username: str,
    email: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "",
) -> tuple[Organisation, User]:
    """A domestic rights holder or an IP agency registers itself (R3: a foreign holder
    files through an agency, so only domestic organisations register here). Its user stays
    inactive until the email is confirmed, the organisation pending until GACC verifies it."""
    errors: dict[str, list[str]] = {}
    if kind not in (Organisation.Kind.RIGHTS_HOLDER, Organisation.Kind.IP_AGENCY):
        errors["kind"] = [_("Register a rights holder or an IP agency.")]
    if not (name_zh or "").strip():
        errors["name_zh"] = [_("Give the organisation's name in Chinese.")]
    code = uscc.normalise(registration_id)
    if not uscc.is_valid(code):
        errors["registration_id"] = [
            _(
                "Not a valid unified social credit code: 18 characters, the last one a "
                "check character."
            )
        ]
    elif Organisation.objects.filter(kind=kind, registration_id=code).exists():
        errors["registration_id"] = [
            _("An organisation with this unified social credit code is already registered.")
        ]
    if not (address or "").strip():
        errors["address"] = [_("Give the registered address.")]
    if not (contact_name or "").strip():
        errors["contact_name"] = [_("Give the contact's name.")]
    for field, value in (("contact_email", contact_email), ("email", email)):
        try:
            validate_email(value or "")
        except ValidationError:
            errors[field] = [_("Enter a valid email address.")]
    if not (username or "").strip():
        errors["username"] = [_("Choose a user name.")]
    elif User.objects.filter(username__iexact=username.strip()).exists():
        errors["username"] = [_("This user name is taken.")]
    try:
        validate_password(password or "", User(username=username, email=email))
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise InvalidInput(errors)
    content_type = check_upload(identity_document, field="identity_document")
    organisation = Organisation.objects.create(
        kind=kind,
        name_zh=name_zh.strip(),
        name_en=(name_en or "").strip() or name_zh.strip(),
        country="CN",
        registration_id=code,
        address=address.strip(),
        verification=Verification.PENDING,
        identity_document=identity_document,
        identity_document_content_type=content_type,
    )
    Contact.objects.create(
        organisation=organisation,
        role=Contact.Role.LEGAL,
        name=contact_name.strip(),
        email=contact_email,
        phone=(contact_phone or "").strip(),
    )
    user = User(
        username=username.strip(),
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        is_active=False,  # until the email is confirmed
        preferred_language=language if language in ("en", "zh-hans") else "",
    )
    user.set_password(password)
    user.save()
    return organisation, user


@transaction.atomic
def user_confirm_email(*, token: str) -> User:
    """Follow the signed link: the user becomes active. Twice is harmless."""
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_LINK_DAYS * 86400)
    except signing.SignatureExpired as error:
        raise InvalidInput({"token": _("This link has expired: register again.")}) from error
    except signing.BadSignature as error:
        raise InvalidInput({"token": _("This link is not valid.")}) from error
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or user.email != data.get("e"):
        raise InvalidInput({"token": _("This link is not valid.")})
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def _decide_verification(*, actor: User, organisation: Organisation, to: str, note: str):
    if not actor.sees_everything:
        raise NotPermitted(_("Only GACC verifies organisations."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verification != Verification.PENDING:
        raise Conflict(_("This organisation is not awaiting verification."))
    organisation.verification = to
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.verification_note = note
    organisation.save(
        update_fields=[
            "verification",
            "verified_at",
            "verified_by",
            "verification_note",
            "updated_at",
        ]
    )
    return organisation


@transaction.atomic
def organisation_verify(*, actor: User, organisation: Organisation, note: str = "") -> Organisation:
    """GACC checks a registered organisation's identity; its users may then file and act."""
    return _decide_verification(
        actor=actor, organisation=organisation, to=Verification.VERIFIED, note=note.strip()
    )


@transaction.atomic
def organisation_reject(*, actor: User, organisation: Organisation, reason: str) -> Organisation:
    if not (reason or "").strip():
        raise InvalidInput({"reason": _("Give the reason for rejecting.")})
    return _decide_verification(
        actor=actor, organisation=organisation, to=Verification.REJECTED, note=reason.strip()
    )


# --- authorisation requests (R3) --------------------------------------------------------------


@transaction.atomic
def authorisation_request_create(
    *,
    actor: User,
    holder: Organisation | None,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    document,
    notes: str = "",
) -> AuthorisationRequest:
    """An agency's user asks a rights holder for a power of attorney, with the signed copy."""
    if actor.role != User.Role.AGENT:
        raise NotPermitted(_("Only an IP agency asks a rights holder for an authorisation."))
    require_verified(actor)
    errors = {}
    if holder is None or holder.kind != Organisation.Kind.RIGHTS_HOLDER:
        errors["holder"] = [_("Choose a rights holder.")]
    if starts_on is None:
        errors["starts_on"] = [_("Give the first day of the authorisation.")]
    if ends_on is None:
        errors["ends_on"] = [_("Give the last day of the authorisation.")]
    elif starts_on is not None:
        if ends_on < starts_on:
            errors["ends_on"] = [_("An authorisation cannot end before it starts.")]
        elif (ends_on - starts_on).days > 366 * MAX_AUTHORISATION_YEARS:
            errors["ends_on"] = [
                _("An authorisation may run for at most %(years)s years.")
                % {"years": MAX_AUTHORISATION_YEARS}
            ]
        elif ends_on < local_today():
            errors["ends_on"] = [_("This authorisation would already have ended.")]
    if errors:
        raise InvalidInput(errors)
    content_type = check_upload(document, field="document")
    if AuthorisationRequest.objects.filter(
        agency_id=actor.organisation_id, holder=holder, status=AuthorisationRequest.Status.PENDING
    ).exists():
        raise Conflict(_("Your agency already has a request waiting for this holder."))
    return AuthorisationRequest.objects.create(
        agency_id=actor.organisation_id,
        holder=holder,
        starts_on=starts_on,
        ends_on=ends_on,
        document=document,
        document_content_type=content_type,
        notes=(notes or "").strip(),
        requested_by=actor,
    )


def _lock_pending(request: AuthorisationRequest, actor: User) -> AuthorisationRequest:
    request = AuthorisationRequest.objects.select_for_update().get(pk=request.pk)
    if not (actor.sees_everything or actor.organisation_id == request.holder_id):
        raise NotPermitted(_("Only the rights holder itself, or GACC, answers this request."))
    if not actor.sees_everything:
        require_verified(actor)
    if request.status != AuthorisationRequest.Status.PENDING:
        raise Conflict(_("This request has already been answered."))
    return request


@transaction.atomic
def authorisation_request_accept(
    *, actor: User, request: AuthorisationRequest
) -> AuthorisationRequest:
    """The holder (or GACC) accepts: the authorisation is granted as requested."""
    request = _lock_pending(request, actor)
    request.document.open("rb")
    try:
        copy = ContentFile(request.document.read(), name=request.document.name.rsplit("/", 1)[-1])
    finally:
        request.document.close()
    authorisation = authorisation_grant(
        actor=actor,
        holder=request.holder,
        agency=request.agency,
        starts_on=request.starts_on,
        ends_on=request.ends_on,
        document=copy,
        notes=request.notes,
    )
    request.status = AuthorisationRequest.Status.ACCEPTED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.authorisation = authorisation
    request.save(update_fields=["status", "decided_at", "decided_by", "authorisation"])
    return request


@transaction.atomic
def authorisation_request_decline(
    *, actor: User, request: AuthorisationRequest, reason: str
) -> AuthorisationRequest:
    if not (reason or "").strip():
        raise InvalidInput({"reason": _("Give the reason for declining.")})
    request = _lock_pending(request, actor)
    request.status = AuthorisationRequest.Status.DECLINED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.decline_reason = reason.strip()
    request.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
    return request


def user_update_preferences(*, user: User, preferred_language: str, reminder_emails: bool) -> User:
    if preferred_language not in ("", "en", "zh-hans"):
        raise InvalidInput({"preferred_language": _("Choose a language from the list.")})
    user.preferred_language = preferred_language
    user.reminder_emails = bool(reminder_emails)
    user.save(update_fields=["preferred_language", "reminder_emails"])
    return user


def user_rotate_calendar_token(*, user: User) -> User:
    """A new secret; subscriptions with the old feed URL stop working at once."""
    import secrets

    user.calendar_token = secrets.token_urlsafe()
    user.save(update_fields=["calendar_token"])
    return user
