"""Writes about organisations and authorisations (HackSoft style: <entity>_<action>)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import hooks
from accounts.models import Authorisation, Contact, Organisation, User
from core.errors import Conflict, InvalidInput, NotPermitted
from core.files import check_upload

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
