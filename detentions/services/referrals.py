"""Referrals of suspected crimes to public security (R25)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from accounts.models import User
from core.errors import Conflict, InvalidInput
from core.timezone import local_today
from detentions import workflow
from detentions.models import (
    Detention,
    Referral,
    ReferralEvent,
)
from detentions.services.common import (
    lock_for_officer,
    write_event,
)

# --- referrals to public security (R25) -------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    actor: User,
    detention: Detention,
    organ: str,
    grounds: str,
    referred_on: dt.date | None = None,
) -> Referral:
    """R25: a suspected crime is referred to public security, tracked until decided."""
    today = local_today()
    referred_on = referred_on or today
    detention = lock_for_officer(actor, detention)
    errors = {}
    if not organ.strip():
        errors["organ"] = gettext("Name the public security organ.")
    if not grounds.strip():
        errors["grounds"] = gettext("State the grounds for suspecting a crime (R25).")
    if referred_on > today:
        errors["referred_on"] = gettext("Cannot be in the future.")
    elif referred_on < detention.opened_on:
        errors["referred_on"] = gettext("Cannot precede the case.")
    if errors:
        raise InvalidInput(errors)
    if detention.status not in workflow.REFERABLE:
        raise Conflict(
            gettext(
                "A case in state '%(state)s' cannot be referred: the goods must have been detained."
            )
            % {"state": detention.status}
        )
    if detention.referrals.filter(status__in=("referred", "accepted")).exists():
        raise Conflict(gettext("This case already has a live referral."))
    referral = Referral.objects.create(
        detention=detention,
        organ=organ.strip(),
        grounds=grounds.strip(),
        referred_on=referred_on,
        created_by=actor,
    )
    ReferralEvent.objects.create(
        referral=referral,
        action="refer",
        to_status=referral.status,
        actor=actor,
        reason=grounds.strip(),
    )
    write_event(
        detention,
        "refer_to_public_security",
        actor=actor,
        on=referred_on,
        before=detention.status,
        data={"referral": referral.pk, "organ": referral.organ},
    )
    return referral


def referral_transition(
    *,
    actor: User,
    referral: Referral,
    action,
    reason: str = "",
    police_case_number: str = "",
    outcome: str = "",
    on: dt.date | None = None,
) -> Referral:
    """Perform a step of REFERRAL_WORKFLOW (R25) on the referral."""
    data = {"outcome": outcome}
    if police_case_number:
        data["police_case_number"] = police_case_number
    return workflow.REFERRAL_WORKFLOW.perform(referral, action, actor, data, reason=reason, on=on)


@transaction.atomic
def referral_record_outcome(*, actor: User, referral: Referral, outcome: str) -> Referral:
    """What became of an accepted referral (charges, judgment), kept as text."""
    referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    lock_for_officer(actor, referral.detention)
    if referral.status != Referral.Status.ACCEPTED:
        raise Conflict(
            gettext("An outcome is recorded once public security has accepted the case.")
        )
    if not outcome.strip():
        raise InvalidInput({"outcome": gettext("Required.")})
    referral.outcome = outcome.strip()
    referral.save(update_fields=["outcome"])
    ReferralEvent.objects.create(
        referral=referral,
        action="record_outcome",
        from_status=referral.status,
        to_status=referral.status,
        actor=actor,
        reason=outcome.strip(),
    )
    return referral
