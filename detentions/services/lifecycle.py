"""The lifecycle: one function performs any step of the two tables in
detentions/workflow.py (lock, re-check, rule, event, update, deadlines); the rule of each
step is a small function in APPLY."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.scoping import acts_for_holder
from campaigns import selectors as campaign_selectors
from core.errors import Conflict, InvalidInput, NotPermitted
from core.timezone import local_today
from deadlines import services as deadlines
from deadlines.models import Deadline, DeadlineKind, Escalation
from detentions import rules, selectors
from detentions.models import (
    OUTCOME_OF_STATUS,
    PERSONAL_CHANNELS,
    BondForm,
    BondSource,
    Detention,
    DetentionDocument,
    DetentionStatus,
    Determination,
    DisposalMethod,
    Mode,
    MoneyEntry,
    NoPenaltyCriterion,
    PenaltyTier,
)
from detentions.services.common import (
    COURT_ORDER_DAYS,
    INVESTIGATION_DAYS,
    K,
    _attach,
    _event,
    _money,
    _notify_other_side,
    _role,
)
from detentions.workflow import workflow_for
from recordals import services as recordals
from recordals.models import GeneralBond, GeneralBondEntry

# --- the lifecycle ----------------------------------------------------------------------------


@transaction.atomic
def detention_transition(
    *,
    actor: User,
    detention: Detention,
    action: str,
    reason: str = "",
    data: dict | None = None,
    document=None,
    on: dt.date | None = None,
) -> Detention:
    """Perform `action` per the case's workflow table: lock, re-check the state, apply the
    rule, write the event, update the case, and open or close the deadlines."""
    today = on or local_today()
    if today > local_today():
        raise InvalidInput({"on": "A step cannot be dated in the future."})
    detention = (
        Detention.objects.select_for_update(of=("self",))
        .select_related("office", "holder")
        .get(pk=detention.pk)
    )
    role = _role(actor)
    if role in ("holder", "agent") and not acts_for_holder(actor, detention.holder_id):
        raise NotPermitted("Only the holder or its authorised agents act on this case.")
    if role == User.Role.DISTRICT_OFFICER and actor.organisation_id != detention.office_id:
        raise NotPermitted("District officers act on their own office's cases only.")
    transition = workflow_for(detention.mode).check(action, detention.status, role)
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise InvalidInput(
            {"reason": f"Give the reasons to {transition.label.lower()} ({transition.rule})."}
        )
    last = detention.events.order_by("-on").values_list("on", flat=True).first()
    if last and today < last:
        raise InvalidInput({"on": f"The case's last step is dated {last}: steps keep their order."})
    before = detention.status
    details = APPLY[action](detention, actor, today, reason, dict(data or {})) or {}
    detention.status = transition.target
    detention.outcome = OUTCOME_OF_STATUS.get(transition.target, detention.outcome)
    detention.save()
    event = _event(
        detention, action, actor=actor, on=today, before=before, reason=reason, data=details
    )
    if document is not None:
        _attach(
            detention,
            document,
            kind=DOCUMENT_KIND.get(action, DetentionDocument.Kind.OTHER),
            actor=actor,
            event=event,
            title=transition.label,
        )
    for kind in transition.closes:
        deadlines.deadline_close(subject=detention, kind=kind, reason=action)
    for kind in transition.cancels:
        deadlines.deadline_cancel(subject=detention, kind=kind, reason=action)
    _open_deadlines(detention, transition.opens)
    _resolve_escalations(detention, (*transition.closes, *transition.cancels), actor)
    _notify_other_side(detention, role, f"{detention.number}: {transition.label}", reason)
    return detention


DOCUMENT_KIND = {
    "request_detention": DetentionDocument.Kind.REPLY,
    "decline": DetentionDocument.Kind.REPLY,
    "detain": DetentionDocument.Kind.BOND,
    "receive_court_notice": DetentionDocument.Kind.COURT_NOTICE,
    "confiscate": DetentionDocument.Kind.PENALTY_DECISION,
    "dispose": DetentionDocument.Kind.DISPOSAL_RECORD,
    "release_on_evidence": DetentionDocument.Kind.CONSIGNOR_STATEMENT,
    "determine_not_infringing": DetentionDocument.Kind.NOTICE,
    "determine_infringing": DetentionDocument.Kind.NOTICE,
    "determine_undetermined": DetentionDocument.Kind.NOTICE,
    "release": DetentionDocument.Kind.NOTICE,
}


def _open_deadlines(detention: Detention, kinds) -> None:
    for kind in kinds:
        if kind == DeadlineKind.INVESTIGATION:  # R16: 30 working days of detention
            deadlines.deadline_open(
                subject=detention,
                kind=kind,
                trigger_date=detention.detained_on,
                count=INVESTIGATION_DAYS,
            )
        elif kind == DeadlineKind.COURT_ORDER:  # R17: 50, R19: 20 working days of detention
            deadlines.deadline_open(
                subject=detention,
                kind=kind,
                trigger_date=detention.detained_on,
                count=COURT_ORDER_DAYS[detention.mode],
            )


def _resolve_escalations(detention: Detention, kinds, actor) -> None:
    """A missed deadline's escalation is dealt with once the officer takes the step due."""
    if not kinds:
        return
    Escalation.objects.filter(
        deadline__subject_type__model="detention",
        deadline__subject_id=detention.pk,
        deadline__kind__in=kinds,
        resolved_at__isnull=True,
    ).update(resolved_at=timezone.now(), resolved_by=actor)


def _period_passed(detention: Detention, kind: str, today: dt.date) -> Deadline | None:
    """The deadline of `kind` if its period is still running on `today`, else None."""
    deadline = selectors.latest_deadline(detention, kind)
    if deadline is not None and today <= deadline.due_date:
        return deadline
    return None


def _request_detention(detention, actor, today, reason, data):
    """R12: in time, the holder asks for detention and provides the bond: R14's amount,
    posted for this case or drawn from its general bond (R15, trademarks only)."""
    running = _period_passed(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE, today)
    if running is None:
        raise Conflict(
            "The 3 working days to reply have run out: the goods are to be released (R12)."
        )
    amount = rules.bond_amount(Mode.EX_OFFICIO, detention.total_value)
    source = data.get("bond_source")
    if source not in BondSource.values:
        raise InvalidInput({"bond_source": "Choose case_bond or general_bond (R14, R15)."})
    detention.bond_amount = amount
    detention.bond_source = source
    if source == BondSource.GENERAL_BOND:
        if detention.ip_kind != "trademark":
            raise InvalidInput({"bond_source": "A general bond covers trademarks only (R15)."})
        bond = (
            GeneralBond.objects.filter(
                holder_id=detention.holder_id,
                status=GeneralBond.Status.APPROVED,
                approved_on__lte=today,
                covers_until__gte=today,
            )
            .order_by("-year")
            .first()
        )
        if bond is None:
            raise Conflict(
                "The holder has no general bond covering today (R15): post a bond for this case."
            )
        entry = recordals.general_bond_record(
            actor=actor,
            bond=bond,
            kind=GeneralBondEntry.Kind.DRAW,
            amount=amount,
            reference=detention.number,
            on=today,
        )
        detention.general_bond = bond
        detention.bond_form = BondForm.GUARANTEE
        detention.bond_reference = bond.guarantee_number
        MoneyEntry.objects.create(
            detention=detention,
            kind=K.GENERAL_BOND_DRAWN,
            amount=amount,
            general_bond_entry=entry,
            reference=bond.guarantee_number,
            on=today,
            actor=actor,
        )
    else:
        form = data.get("bond_form")
        if form not in BondForm.values:
            raise InvalidInput({"bond_form": "Cash or a bank guarantee (R14)."})
        detention.bond_form = form
        detention.bond_reference = (data.get("bond_reference") or "")[:100]
    return {"bond": str(amount), "bond_source": source, "reply_due": str(running.due_date)}


def _decline(detention, actor, today, reason, data):
    if _period_passed(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE, today) is None:
        raise Conflict("The reply period has run out (R12).")
    return {}


def _detain(detention, actor, today, reason, data):
    """The bond must be secured: drawn from the general bond, or received now (R12, R18)."""
    if detention.bond_source != BondSource.GENERAL_BOND:
        reference = (data.get("bond_reference") or detention.bond_reference or "").strip()
        if not reference:
            raise InvalidInput(
                {
                    "bond_reference": "Record the receipt or guarantee number of "
                    "the bond before detaining."
                }
            )
        detention.bond_reference = reference[:100]
        if detention.mode == Mode.ON_APPLICATION:  # R18: equal to the value, as it is now
            detention.bond_amount = rules.bond_amount(Mode.ON_APPLICATION, detention.total_value)
        if detention.bond_amount:
            MoneyEntry.objects.create(
                detention=detention,
                kind=K.BOND_RECEIVED,
                amount=detention.bond_amount,
                reference=reference[:100],
                on=today,
                actor=actor,
            )
    detention.detained_on = today
    return {"bond": str(detention.bond_amount), "detained_on": str(today)}


def _determine_infringing(detention, actor, today, reason, data):
    if detention.channel in PERSONAL_CHANNELS:
        exceeds = data.get("exceeds_personal_quantity")
        if exceeds is not True:
            raise InvalidInput(
                {
                    "exceeds_personal_quantity": (
                        "Luggage and postal items are infringing goods only beyond a reasonable "
                        "personal quantity (R26): confirm it, or determine not infringing."
                    )
                }
            )
        detention.exceeds_personal_quantity = True
    detention.determination = Determination.INFRINGING
    detention.determined_on = today
    return {"determination": "infringing"}


def _determine_not_infringing(detention, actor, today, reason, data):
    detention.determination = Determination.NOT_INFRINGING
    detention.determined_on = today
    return {"determination": "not_infringing"}


def _determine_undetermined(detention, actor, today, reason, data):
    detention.determination = Determination.UNDETERMINED
    detention.determined_on = today
    return {"determination": "undetermined"}


def _receive_court_notice(detention, actor, today, reason, data):
    running = _period_passed(detention, DeadlineKind.COURT_ORDER, today)
    if running is None:
        days = COURT_ORDER_DAYS[detention.mode]
        raise Conflict(
            f"No court assistance notice arrived within {days} working days of "
            "detention: the goods are to be released (R17, R19)."
        )
    court = (data.get("court") or "").strip()
    if not court:
        raise InvalidInput({"court": "Name the court and its notice number."})
    return {"court": court[:255], "court_order_due": str(running.due_date)}


def _release(detention, actor, today, reason, data):
    """R12: after the reply period without a reply or a bond; R17/R19: after the court
    order period without a court notice. Earlier releases use their own actions."""
    if detention.status == DetentionStatus.NOTIFIED or (
        detention.status == DetentionStatus.DETENTION_REQUESTED
    ):
        if detention.bond_source == BondSource.GENERAL_BOND:
            raise Conflict("The bond is secured by the general bond: detain the goods (R12).")
        running = _period_passed(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE, today)
        if running is not None:
            raise Conflict(
                f"The holder has until {running.due_date} to reply and provide the bond (R12).",
                due_date=str(running.due_date),
            )
        return {"ground": "no timely reply or no bond (R12)"}
    running = _period_passed(detention, DeadlineKind.COURT_ORDER, today)
    if running is not None:
        raise Conflict(
            f"A court assistance notice may still arrive until {running.due_date} (R17, R19).",
            due_date=str(running.due_date),
        )
    return {"ground": "no court assistance notice in time (R17, R19)"}


def _release_on_evidence(detention, actor, today, reason, data):
    return {"ground": "sufficient evidence of non-infringement (R22)"}


def _withdraw(detention, actor, today, reason, data):
    return {"ground": "withdrawn by the holder before determination (R22)"}


def _release_on_counter_bond(detention, actor, today, reason, data):
    """R21: patent cases only; the consignor's counter-bond equals the goods value."""
    if detention.ip_kind != "patent":
        raise Conflict("A counter-bond releases goods in patent cases only (R21).")
    amount = _money(data.get("counter_bond_amount"), "counter_bond_amount")
    if amount <= 0:
        raise InvalidInput({"counter_bond_amount": "A positive amount in CNY (R21)."})
    if amount != detention.total_value:
        raise InvalidInput(
            {
                "counter_bond_amount": f"Must equal the goods value, CNY "
                f"{detention.total_value} (R21)."
            }
        )
    MoneyEntry.objects.create(
        detention=detention,
        kind=K.COUNTER_BOND_RECEIVED,
        amount=detention.total_value,
        reference=(data.get("reference") or "")[:100],
        on=today,
        actor=actor,
    )
    return {"counter_bond": str(detention.total_value)}


def _confiscate(detention, actor, today, reason, data):
    """R23, R24: confiscation, and the penalty decision with its tier and fine."""
    tier = data.get("penalty_tier")
    if tier not in PenaltyTier.values:
        raise InvalidInput({"penalty_tier": f"One of {', '.join(PenaltyTier.values)} (R24)."})
    fine = _money(data.get("penalty_fine"), "penalty_fine", required=False) or Decimal("0.00")
    undeclared = data.get("undeclared_ip_fine")
    errors = {}
    if not rules.fine_fits_tier(tier, fine, detention.total_value):
        errors["penalty_fine"] = _tier_message(tier, detention.total_value)
    if undeclared is not None:
        undeclared = _money(undeclared, "undeclared_ip_fine")
        if not 0 <= undeclared <= rules.UNDECLARED_IP_FINE_CAP:
            errors["undeclared_ip_fine"] = "At most CNY 50,000 (R24)."
    criterion = None
    if tier == PenaltyTier.NONE:
        criterion = NoPenaltyCriterion.objects.filter(
            code=data.get("no_penalty_criterion") or "", is_active=True
        ).first()
        if criterion is None:
            errors["no_penalty_criterion"] = "Cite the no-penalty criterion that applies (R24)."
    minimum = campaign_selectors.penalty_floor(detention)  # priority enterprises
    if minimum and rules.TIER_ORDER.index(tier) < rules.TIER_ORDER.index(minimum):
        errors["penalty_tier"] = (
            f"At least '{minimum}': {detention.holder} is a priority enterprise of a "
            "campaign (R24)."
        )
    if errors:
        raise InvalidInput(errors)
    detention.penalty_tier = tier
    detention.penalty_fine = fine
    detention.undeclared_ip_fine = undeclared
    detention.no_penalty_criterion = criterion
    detention.confiscated_on = today
    return {
        "penalty_tier": tier,
        "penalty_fine": str(fine),
        "undeclared_ip_fine": str(undeclared) if undeclared is not None else None,
        "no_penalty_criterion": criterion.code if criterion else None,
    }


def _tier_message(tier: str, value: Decimal) -> str:
    """The tier's band in whole fen: a fine in fen is at least `low` (rounded up), below
    an exclusive bound (rounded up), at most an inclusive one (rounded down)."""
    if tier in (PenaltyTier.NONE, PenaltyTier.MITIGATED):
        return "This tier carries no fine (R24)."
    low, high = (value * share for share in rules.TIER_BANDS[tier])
    up = low.quantize(rules.FEN, rounding=ROUND_CEILING)
    below = high.quantize(rules.FEN, rounding=ROUND_CEILING)
    at_most = high.quantize(rules.FEN, rounding=ROUND_FLOOR)
    bands = {
        PenaltyTier.LIGHTER: f"from 0.01 to less than {below}",
        PenaltyTier.GENERAL: f"from {up} to less than {below}",
        PenaltyTier.HEAVIER: f"from {up} to {at_most}",
    }
    return f"The '{tier}' tier allows a fine {bands[tier]} on a value of {value} (R24)."


def _dispose(detention, actor, today, reason, data):
    """R23: donation, paid transfer to the holder, auction without the infringing
    features, destruction, in this order; a later choice says why."""
    method = data.get("disposal_method")
    if method not in DisposalMethod.values:
        raise InvalidInput({"disposal_method": f"One of {', '.join(DisposalMethod.values)}."})
    if rules.disposal_needs_reason(method) and not reason:
        raise InvalidInput(
            {"reason": "Say why the preferred methods of disposal were not possible (R23)."}
        )
    details = {"disposal_method": method}
    if method == DisposalMethod.AUCTION:
        errors = {}
        if data.get("features_removed") is not True:
            errors["features_removed"] = (
                "Goods are auctioned only without their infringing features (R23)."
            )
        imported_mark = detention.direction == "import" and detention.ip_kind == "trademark"
        if imported_mark and data.get("label_removal_only") is not False:
            errors["label_removal_only"] = (
                "For imported counterfeit trademark goods removing "
                "the label alone is not enough (R23)."
            )
        if imported_mark and data.get("holder_consulted") is not True:
            errors["holder_consulted"] = "Consult the rights holder before an auction (R23)."
        if errors:
            raise InvalidInput(errors)
        details.update(features_removed=True, holder_consulted=bool(data.get("holder_consulted")))
    detention.disposal_method = method
    detention.disposed_on = today
    return details


def _close(detention, actor, today, reason, data):
    """R27, R28: unpaid costs are deducted from the bond (or charged to the general bond's
    guarantor, R15); the rest of the bond is refunded; a counter-bond is returned."""
    balance = selectors.money_balance(detention)
    owed = balance["costs_owed"]
    if owed > 0:
        running = _period_passed(detention, DeadlineKind.COST_PAYMENT, today)
        if running is not None and running.status == Deadline.Status.OPEN:
            raise Conflict(
                f"The holder has until {running.due_date} to pay CNY {owed}; only then are "
                "the costs taken from the bond or the guarantor (R15, R27).",
                due_date=str(running.due_date),
            )
    entries = []
    if balance["general_bond_reserved"] > 0:
        # Release the case's own draw first: the guarantor's charge may need that room.
        release = recordals.general_bond_record(
            actor=actor,
            bond=detention.general_bond,
            kind=GeneralBondEntry.Kind.RELEASE,
            amount=balance["general_bond_reserved"],
            reference=detention.number,
            on=today,
        )
        entries.append(
            MoneyEntry(
                kind=K.GENERAL_BOND_RELEASED,
                amount=balance["general_bond_reserved"],
                general_bond_entry=release,
            )
        )
    if owed > 0:
        if detention.bond_source == BondSource.GENERAL_BOND:
            charge = recordals.general_bond_record(
                actor=actor,
                bond=detention.general_bond,
                kind=GeneralBondEntry.Kind.COST_CHARGE,
                amount=owed,
                reference=detention.number,
                on=today,
            )
            entries.append(MoneyEntry(kind=K.COST_DEDUCTED, amount=owed, general_bond_entry=charge))
        elif balance["bond_held"] >= owed:
            entries.append(MoneyEntry(kind=K.COST_DEDUCTED, amount=owed))
        else:
            raise Conflict(
                f"Costs of CNY {owed} exceed the bond held (CNY "
                f"{balance['bond_held']}): record the holder's payment first (R27)."
            )
    held = balance["bond_held"] - (owed if detention.bond_source != BondSource.GENERAL_BOND else 0)
    if held > 0:
        entries.append(MoneyEntry(kind=K.BOND_REFUNDED, amount=held))
    if balance["counter_bond_held"] > 0:
        entries.append(
            MoneyEntry(kind=K.COUNTER_BOND_RETURNED, amount=balance["counter_bond_held"])
        )
    for entry in entries:
        entry.detention, entry.on, entry.actor = detention, today, actor
    MoneyEntry.objects.bulk_create(entries)
    detention.closed_on = today
    return {entry.kind: str(entry.amount) for entry in entries}


def _nothing(detention, actor, today, reason, data):
    return {}


APPLY = {
    "request_detention": _request_detention,
    "decline": _decline,
    "detain": _detain,
    "determine_infringing": _determine_infringing,
    "determine_not_infringing": _determine_not_infringing,
    "determine_undetermined": _determine_undetermined,
    "receive_court_notice": _receive_court_notice,
    "release": _release,
    "release_on_evidence": _release_on_evidence,
    "withdraw": _withdraw,
    "release_on_counter_bond": _release_on_counter_bond,
    "confiscate": _confiscate,
    "dispose": _dispose,
    "close": _close,
    "reject": _nothing,
}
