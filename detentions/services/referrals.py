"""Referrals of suspected crimes to public security (R25)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.models import User
from core.errors import Conflict, InvalidInput, NotPermitted
from core.timezone import local_today
from detentions.models import (
    Detention,
    Referral,
    ReferralEvent,
)
from detentions.services.common import (
    _event,
    _lock_for_officer,
    _role,
)
from detentions.workflow import REFERRAL_WORKFLOW

# --- referrals to public security (R25) -------------------------------------------------------

REFERABLE = (
    "detained",
    "infringing",
    "undetermined",
    "court_ordered",
    "confiscated",
    "disposed",
    "closed",
)


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
    detention = _lock_for_officer(actor, detention)
    errors = {}
    if not organ.strip():
        errors["organ"] = "Name the public security organ."
    if not grounds.strip():
        errors["grounds"] = "State the grounds for suspecting a crime (R25)."
    if referred_on > today:
        errors["referred_on"] = "Cannot be in the future."
    elif referred_on < detention.opened_on:
        errors["referred_on"] = "Cannot precede the case."
    if errors:
        raise InvalidInput(errors)
    if detention.status not in REFERABLE:
        raise Conflict(
            f"A case in state '{detention.status}' cannot be referred: the goods "
            "must have been detained."
        )
    if detention.referrals.filter(status__in=("referred", "accepted")).exists():
        raise Conflict("This case already has a live referral.")
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
    _event(
        detention,
        "refer_to_public_security",
        actor=actor,
        on=referred_on,
        before=detention.status,
        data={"referral": referral.pk, "organ": referral.organ},
    )
    return referral


@transaction.atomic
def referral_transition(
    *,
    actor: User,
    referral: Referral,
    action: str,
    reason: str = "",
    police_case_number: str = "",
    outcome: str = "",
    on: dt.date | None = None,
) -> Referral:
    today = on or local_today()
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("detention")
        .get(pk=referral.pk)
    )
    role = _role(actor)
    if role == User.Role.DISTRICT_OFFICER and (
        actor.organisation_id != referral.detention.office_id
    ):
        raise NotPermitted("District officers act on their own office's cases only.")
    transition = REFERRAL_WORKFLOW.check(action, referral.status, role)
    if today > local_today() or today < referral.referred_on:
        raise InvalidInput(
            {"on": f"Between the referral ({referral.referred_on}) and today, not outside."}
        )
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise InvalidInput({"reason": f"Give the reasons ({transition.rule})."})
    if action == "accept" and not police_case_number.strip():
        raise InvalidInput({"police_case_number": "The case number public security filed."})
    if (
        action == "refer_again"
        and referral.detention.referrals.filter(status__in=("referred", "accepted"))
        .exclude(pk=referral.pk)
        .exists()
    ):
        raise Conflict("This case already has a live referral.")
    before = referral.status
    referral.status = transition.target
    referral.decided_on = None if action == "refer_again" else today
    if action == "refer_again":
        referral.referred_on = today
    if action == "accept":
        referral.police_case_number = police_case_number.strip()[:60]
    if outcome.strip():
        referral.outcome = outcome.strip()
    referral.save()
    ReferralEvent.objects.create(
        referral=referral,
        action=action,
        from_status=before,
        to_status=referral.status,
        actor=actor,
        reason=reason,
    )
    return referral


@transaction.atomic
def referral_record_outcome(*, actor: User, referral: Referral, outcome: str) -> Referral:
    """What became of an accepted referral (charges, judgment), kept as text."""
    referral = Referral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    _lock_for_officer(actor, referral.detention)
    if referral.status != Referral.Status.ACCEPTED:
        raise Conflict("An outcome is recorded once public security has accepted the case.")
    if not outcome.strip():
        raise InvalidInput({"outcome": "Required."})
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
