"""Shared by the detention services: periods, who acts, events, documents, notices."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from accounts.scoping import acting_role, authorised_agency_ids, may_act
from core.errors import InvalidInput, NotPermitted
from core.files import check_upload
from deadlines.models import Notification
from detentions.models import (
    Detention,
    DetentionDocument,
    DetentionEvent,
    MoneyEntry,
)

SHIPMENT_FIELDS = (
    "direction",
    "channel",
    "transport_mode",
    "declaration_number",
    "origin_country",
    "destination_country",
    "consignor_name",
    "consignor_country",
    "consignor_address",
    "consignor_contact",
    "consignor_id_number",
    "consignee_name",
    "consignee_country",
    "consignee_address",
)
K = MoneyEntry.Kind


def money_amount(value, field: str, *, required: bool = True) -> Decimal | None:
    """An amount in CNY to the fen, exactly as given, or a 400 naming the field."""
    if value is None or value == "":
        if required:
            raise InvalidInput({field: gettext("Required: an amount in CNY.")})
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput({field: gettext("An amount in CNY, e.g. 1234.50.")}) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise InvalidInput({field: gettext("An amount in CNY to the fen (at most 2 decimals).")})
    if amount < 0:
        raise InvalidInput({field: gettext("Must not be negative.")})
    return amount.quantize(Decimal("0.01"))  # exact: at most two decimals already


def write_event(detention, action, *, actor, on, before="", reason="", data=None, internal=False):
    return DetentionEvent.objects.create(
        detention=detention,
        action=action,
        from_status=before,
        to_status=detention.status,
        actor=actor,
        reason=reason,
        data=data or {},
        internal=internal,
        on=on,
    )


def attach_document(detention, upload, *, kind, actor, event=None, title="", internal=False):
    content_type = check_upload(upload, field="document")
    return DetentionDocument.objects.create(
        detention=detention,
        event=event,
        kind=kind,
        title=title[:255],
        file=upload,
        content_type=content_type,
        size=upload.size,
        internal=internal,
        uploaded_by=actor,
    )


def lock_for_officer(actor: User, detention: Detention) -> Detention:
    detention = Detention.objects.select_for_update(of=("self",)).get(pk=detention.pk)
    if acting_role(actor) not in ("gacc_officer", "district_officer"):
        raise NotPermitted(gettext("Only customs officers record this."))
    may_act(actor, detention)
    return detention


def notify_other_side(detention: Detention, role, compose: Callable[[], tuple[str, str]]) -> None:
    """Parties are told in writing (R12, R16, R23): the served document is on the
    timeline; this in-app notice tells the other side a step was taken. Officers' steps
    reach the holder's users and its running agents; the holder side's reach the office.
    `compose()` gives (title, body); it is called in each recipient's language."""
    if role in ("holder", "agent"):
        users = User.objects.filter(is_active=True, organisation_id=detention.office_id)
    else:
        agencies = authorised_agency_ids(detention.holder_id)
        users = User.objects.filter(is_active=True).filter(
            Q(organisation_id=detention.holder_id) | Q(organisation_id__in=agencies)
        )
    by_language: dict[str, list[int]] = {}
    for pk, language in users.values_list("pk", "preferred_language"):
        by_language.setdefault(language or "en", []).append(pk)
    notices = []
    for language, pks in by_language.items():
        with translation.override(language):
            title, body = compose()
        notices += [Notification(user_id=pk, title=title[:255], body=body) for pk in pks]
    Notification.objects.bulk_create(notices)
