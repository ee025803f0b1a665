"""The rules of each detention step (R12-R28): its guard, which refuses it now (409), and
its effect, which makes its changes and returns what the event records. The tables in
detentions/workflow.py name these functions; engine.workflow performs them; `CaseRecord`
says how a case is locked, recorded and announced."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from accounts.scoping import acting_role
from core.errors import Conflict, InvalidInput
from core.timezone import LEGAL_TZ, day_text, local_today
from deadlines.calendar import add_working_days
from deadlines.models import Deadline, DeadlineKind
from deadlines.selectors import PeriodState, period_state
from detentions import hooks, rules, selectors
from detentions.models import (
    PERSONAL_CHANNELS,
    BondForm,
    BondSource,
    Detention,
    DetentionDocument,
    DetentionEvent,
    DetentionStatus,
    Determination,
    DisposalMethod,
    FilingChannel,
    Mode,
    MoneyEntry,
    NoPenaltyCriterion,
    PenaltyTier,
    Referral,
    ReferralEvent,
    ReleaseGround,
)
from detentions.services.common import (
    K,
    attach_document,
    notify_other_side,
)
from engine.workflow import Binding
from recordals import services as recordals


class CaseRecord(Binding):
    """A detention case: locked with its office and holder; each step an event on its
    timeline, with the filing's channel (R13) and the document served; the other side
    told in writing."""

    model = Detention
    event_model = DetentionEvent
    related = ("office", "holder")

    def check_date(self, detention, on: dt.date) -> None:
        last = detention.events.order_by("-on").values_list("on", flat=True).first()
        if last and on < last:
            raise InvalidInput(
                {
                    "on": gettext("The case's last step is dated %(last)s: steps keep their order.")
                    % {"last": day_text(last)}
                }
            )

    def record(self, detention, step, *, actor, on, before, reason, data, document):
        filing = data.pop("_filing", None)
        if filing is not None:  # R13: how the filing arrived, kept on the event
            data["filed_via"] = filing["via"]
        event = super().record(
            detention, step, actor=actor, on=on, before=before, reason=reason, data=data,
            document=None,
        )  # fmt: skip
        if filing is not None:
            event.filed_via, event.filed_at = filing["via"], filing["at"]
            event.save(update_fields=["filed_via", "filed_at"])
        if document is not None:
            attach_document(
                detention,
                document,
                kind=step.document or DetentionDocument.Kind.OTHER,
                actor=actor,
                event=event,
                title=str(step.label),
            )

    def after(self, detention, step, *, actor, role, on, reason, opened) -> None:
        def compose():  # in each recipient's language (the reason stays as written)
            told = [
                str(step.notice).format(due=day_text(d.due_date)) for d in opened if step.notice
            ]
            return f"{detention.number}: {step.label}", " ".join([reason, *told]).strip()

        notify_other_side(detention, role, compose)


# --- periods the steps open ---------------------------------------------------------------


def detained_on(detention, on: dt.date) -> dt.date:
    return detention.detained_on


def court_order_days(detention) -> int:
    return rules.COURT_ORDER_DAYS[detention.mode]  # R17: 50, R19: 20 working days of detention


def counter_bond_suit_days(detention) -> int:
    return settings.IPR_COUNTER_BOND_SUIT_DAYS  # R21, from the day after the holder is told


# --- the steps ------------------------------------------------------------------------------


def running_period(detention: Detention, kind: str, today: dt.date) -> Deadline | None:
    """The deadline of `kind` if its period is still running on `today`, else None.
    A provisional due date that no officer has confirmed has not passed (R29)."""
    deadline = selectors.latest_deadline(detention, kind)
    if deadline is not None and period_state(deadline, today) is not PeriodState.PASSED:
        return deadline
    return None


def how_filed(detention, actor, today, data) -> dict:
    """R13: how a holder-side filing arrived and when. Through this service it arrives when
    it is made; an officer recording a filing says how it came: by post or bank transfer
    (the moment it was sent) or at the counter (the moment it was handed in)."""
    via = data.get("filed_via") or ""
    online = via in ("", FilingChannel.ONLINE)
    if acting_role(actor) in ("holder", "agent"):
        if not online:
            raise InvalidInput(
                {"filed_via": gettext("Filings made here arrive through this service.")}
            )
        now = timezone.now()
        at = now if today == local_today() else None
        return {"via": FilingChannel.ONLINE, "at": at, "on": today}
    if via not in (FilingChannel.POST, FilingChannel.BANK, FilingChannel.COUNTER):
        raise InvalidInput(
            {"filed_via": gettext("How the filing arrived: post, bank or counter (R13).")}
        )
    at = parse_datetime(str(data.get("filed_at") or ""))
    if at is None:
        raise InvalidInput(
            {"filed_at": gettext("When it was sent (post, bank) or handed in (counter), e.g. "
                                 "2025-09-30T16:45 (R13).")}
        )  # fmt: skip
    if timezone.is_naive(at):
        at = at.replace(tzinfo=LEGAL_TZ)
    on = at.astimezone(LEGAL_TZ).date()
    if on > today or on < detention.opened_on:
        raise InvalidInput(
            {
                "filed_at": gettext("Between the case's opening (%(opened)s) and %(today)s.")
                % {"opened": day_text(detention.opened_on), "today": day_text(today)}
            }
        )
    return {"via": via, "at": at, "on": on}


def filed_in_time(detention, kind: str, filing: dict) -> Deadline | None:
    """R13: the period's deadline if the filing is in time, else None. By post, bank or
    through this service a filing is in time until 24:00 of the last day; at the counter,
    until the office's counter closes that day."""
    running = running_period(detention, kind, filing["on"])
    if running is None or filing["via"] != FilingChannel.COUNTER:
        return running
    closes = detention.office.counter_closes_at
    handed_in = filing["at"].astimezone(LEGAL_TZ).time()
    if filing["on"] == running.due_date and closes and handed_in > closes:
        return None
    return running


def bond_in_time(detention: Detention) -> bool:
    """R12: the bond must be in place within the 3 working days of the notice (Reg Art 16):
    a general bond covering the request, or a case bond received within the period."""
    if detention.bond_source == BondSource.GENERAL_BOND:
        return True
    received = detention.money.filter(kind=K.BOND_RECEIVED).order_by("on").first()
    if received is None:
        return detention.bond_amount == 0 and bool(detention.bond_reference)
    return (
        running_period(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE, received.on) is not None
    )


def request_detention(detention, actor, today, reason, data):
    """R12: in time (R13), the holder asks for detention with the bond in place: R14's
    amount posted for this case, or no per-case bond at all under its general bond (R15,
    trademarks only, from the bond's approval to 31 December)."""
    filing = how_filed(detention, actor, today, data)
    running = filed_in_time(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE, filing)
    if running is None:
        raise Conflict(
            gettext(
                "The 3 working days to reply have run out: the goods are to be released (R12, R13)."
            )
        )
    source = data["bond_source"]
    detention.bond_source = source
    details = {"bond_source": source, "reply_due": str(running.due_date), "_filing": filing}
    if source == BondSource.GENERAL_BOND:
        if detention.ip_kind != "trademark":
            raise InvalidInput(
                {"bond_source": gettext("A general bond covers trademarks only (R15).")}
            )
        bond = recordals.general_bond_covering(detention.holder_id, filing["on"])
        if bond is None:
            raise Conflict(
                gettext(
                    "The holder has no general bond covering this request (R15): post a bond "
                    "for this case."
                )
            )
        detention.general_bond = bond
        detention.bond_amount = None  # R15: no per-case bond, however many cases
        detention.bond_form = BondForm.GUARANTEE
        detention.bond_reference = bond.guarantee_number
        return {**details, "general_bond": bond.guarantee_number}
    if not (data.get("bond_reference") or "").strip():
        amount = rules.bond_amount(Mode.EX_OFFICIO, detention.total_value)
        raise InvalidInput(
            {"bond_reference": gettext(
                "The receipt or guarantee number of the CNY %(amount)s bond: it must be in "
                "place within the 3 working days (R12, R14).") % {"amount": amount}}
        )  # fmt: skip
    detention.bond_form = data["bond_form"]
    receive_bond(detention, actor, filing["on"], data, Mode.EX_OFFICIO, rule="R12")
    amount = detention.bond_amount
    return {**details, "bond": str(amount)}


def decline(detention, actor, today, reason, data):
    filing = how_filed(detention, actor, today, data)
    if filed_in_time(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE, filing) is None:
        raise Conflict(gettext("The reply period has run out (R12, R13)."))
    return {"_filing": filing}


def detain(detention, actor, today, reason, data):
    """The bond must be secured: ex officio, in place within the reply period (R12, Reg
    Art 16), or covered by the general bond (R15); on application, equal to the goods
    value (R18), received now."""
    if detention.mode == Mode.EX_OFFICIO:
        unsecured = detention.bond_source != BondSource.GENERAL_BOND and not (
            detention.money.filter(kind=K.BOND_RECEIVED).exists()
        )
        if unsecured:  # a request the old service took without its bond: received now
            receive_bond(detention, actor, today, data, Mode.EX_OFFICIO, rule="R12")
        if not bond_in_time(detention):
            due = selectors.latest_deadline(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE)
            if due:
                message = gettext(
                    "The bond was not in place within the reply period (to %(due)s): the goods "
                    "cannot be detained; release them (R12)."
                ) % {"due": day_text(due.due_date)}
            else:
                message = gettext(
                    "The bond was not in place within the reply period: the goods cannot be "
                    "detained; release them (R12)."
                )
            raise Conflict(message)
    else:
        receive_bond(detention, actor, today, data, Mode.ON_APPLICATION, rule="R18")
    detention.detained_on = today
    bond = str(detention.bond_amount) if detention.bond_amount is not None else None
    return {"bond": bond, "bond_source": detention.bond_source, "detained_on": str(today)}


def receive_bond(detention, actor, on: dt.date, data, mode: str, *, rule: str) -> None:
    """The bond for this case, R14's or R18's amount, received on `on` with its receipt or
    guarantee number (a bond of 0 for goods not yet valued is recorded by number only)."""
    reference = (data.get("bond_reference") or detention.bond_reference or "").strip()
    if not reference:
        raise InvalidInput(
            {
                "bond_reference": gettext(
                    "Record the receipt or guarantee number of the bond (%(rule)s)."
                )
                % {"rule": rule}
            }
        )
    detention.bond_reference = reference[:100]
    detention.bond_amount = rules.bond_amount(mode, detention.total_value)
    if detention.bond_amount > 0:
        MoneyEntry.objects.create(
            detention=detention,
            kind=K.BOND_RECEIVED,
            amount=detention.bond_amount,
            reference=reference[:100],
            on=on,
            actor=actor,
        )


def receipt_not_yet_served(detention, today) -> None:
    if detention.receipt_served_on:
        raise Conflict(
            gettext("The detention receipt was served on %(on)s.")
            % {"on": day_text(detention.receipt_served_on)}
        )


def serve_receipt(detention, actor, today, reason, data):
    """R12, R18: customs serves the detention receipt (扣留凭单) on the consignor or consignee."""
    number, party = data["receipt_number"].strip(), data["served_to"]
    detention.receipt_number = number
    detention.receipt_served_to = party
    detention.receipt_served_on = today
    return {"receipt_number": number, "served_to": party}


def determine_infringing(detention, actor, today, reason, data):
    if detention.channel in PERSONAL_CHANNELS:
        exceeds = data.get("exceeds_personal_quantity")
        if exceeds is not True:
            raise InvalidInput(
                {
                    "exceeds_personal_quantity": gettext(
                        "Luggage and postal items are infringing goods only beyond a reasonable "
                        "personal quantity (R26): confirm it, or determine not infringing."
                    )
                }
            )
        detention.exceeds_personal_quantity = True
    detention.determination = Determination.INFRINGING
    detention.determined_on = today
    return {"determination": "infringing"}


def determine_not_infringing(detention, actor, today, reason, data):
    detention.determination = Determination.NOT_INFRINGING
    detention.determined_on = today
    return {"determination": "not_infringing"}


def determine_undetermined(detention, actor, today, reason, data):
    detention.determination = Determination.UNDETERMINED
    detention.determined_on = today
    return {"determination": "undetermined"}


def court_order_period_runs(detention, today) -> None:
    """R17, R19: a court's assistance notice counts only within the period."""
    if running_period(detention, DeadlineKind.COURT_ORDER, today) is None:
        days = rules.COURT_ORDER_DAYS[detention.mode]
        raise Conflict(
            gettext(
                "No court assistance notice arrived within %(days)s working days of "
                "detention: the goods are to be released (R17, R19)."
            )
            % {"days": days}
        )


def receive_court_notice(detention, actor, today, reason, data):
    running = running_period(detention, DeadlineKind.COURT_ORDER, today)
    return {"court": data["court"].strip(), "court_order_due": str(running.due_date)}


def release_due(detention, today) -> None:
    """R12: after the reply period without a reply or without the bond in place in time;
    R17/R19: after the court order period without a court notice. Earlier releases use
    their own steps."""
    if detention.status in (DetentionStatus.NOTIFIED, DetentionStatus.DETENTION_REQUESTED):
        if detention.status == DetentionStatus.DETENTION_REQUESTED and bond_in_time(detention):
            raise Conflict(gettext("The bond was in place in time: detain the goods (R12, R15)."))
        running = running_period(detention, DeadlineKind.REPLY_TO_DETENTION_NOTICE, today)
        if running is not None:
            refuse_before_the_end(running, today)
            raise Conflict(
                gettext("The holder has until %(due)s to reply and provide the bond (R12).")
                % {"due": day_text(running.due_date)},
                due_date=str(running.due_date),
            )
        return
    running = running_period(detention, DeadlineKind.COURT_ORDER, today)
    if running is not None:
        refuse_before_the_end(running, today)
        raise Conflict(
            gettext("A court assistance notice may still arrive until %(due)s (R17, R19).")
            % {"due": day_text(running.due_date)},
            due_date=str(running.due_date),
        )


def release(detention, actor, today, reason, data):
    if detention.status in (DetentionStatus.NOTIFIED, DetentionStatus.DETENTION_REQUESTED):
        return {"ground": ReleaseGround.NO_TIMELY_REPLY.value}
    return {"ground": ReleaseGround.NO_COURT_NOTICE.value}


def refuse_before_the_end(deadline: Deadline, today: dt.date) -> None:
    """R29: a passed due date that is provisional (its year's holiday notice not entered)
    releases nothing until an officer confirms it."""
    if today > deadline.due_date:
        raise Conflict(
            gettext(
                "The due date %(due)s is provisional: the State Council has not announced "
                "that year's holidays. Confirm the date (or enter the year) before releasing "
                "the goods (R29)."
            )
            % {"due": day_text(deadline.due_date)},
            due_date=str(deadline.due_date),
            deadline=deadline.pk,
        )


def release_on_evidence(detention, actor, today, reason, data):
    return {"ground": ReleaseGround.EVIDENCE.value}


def withdraw(detention, actor, today, reason, data):
    """R22: the holder withdraws before customs has found the goods infringing (an
    undetermined finding does not bar it)."""
    return {
        "ground": ReleaseGround.WITHDRAWN.value,
        "_filing": how_filed(detention, actor, today, data),
    }


def patent_case(detention, today) -> None:
    if detention.ip_kind != "patent":
        raise Conflict(gettext("A counter-bond releases goods in patent cases only (R21)."))


def release_on_counter_bond(detention, actor, today, reason, data):
    """R21: patent cases only; the consignor's cash deposit equal to the goods value
    releases the goods. The holder is told and has a period to file the court's acceptance
    of its lawsuit; the deposit is kept until then (see close, record_judgment)."""
    if data["counter_bond_amount"] != detention.total_value:
        raise InvalidInput(
            {"counter_bond_amount": gettext("Must equal the goods value, CNY %(value)s (R21).")
                                    % {"value": detention.total_value}}
        )  # fmt: skip
    reference = data["reference"].strip()
    MoneyEntry.objects.create(
        detention=detention,
        kind=K.COUNTER_BOND_RECEIVED,
        amount=detention.total_value,
        reference=reference[:100],
        on=today,
        actor=actor,
    )
    return {"counter_bond": str(detention.total_value), "counter_bond_form": BondForm.CASH}


def record_suit(detention, actor, today, reason, data):
    """R21: the holder files the court's acceptance of its lawsuit within the period (R13)."""
    filing = how_filed(detention, actor, today, data)
    if filed_in_time(detention, DeadlineKind.COUNTER_BOND_SUIT, filing) is None:
        raise Conflict(
            gettext(
                "The period to file the court's acceptance has run out: the deposit goes back "
                "to the consignor (R21, R13)."
            )
        )
    return {"court": data["court"].strip(), "court_case_number": data["court_case_number"].strip(),
            "_filing": filing}  # fmt: skip


def record_judgment(detention, actor, today, reason, data):
    """R21: once the court decides, the deposit goes where it says: paid out (to the
    holder, as the court orders) and the rest returned to the consignor."""
    held = selectors.money_balance(detention)["counter_bond_held"]
    reference = data["court_reference"].strip()
    paid_out = data.get("paid_out") or Decimal("0.00")
    if paid_out > held:
        raise InvalidInput(
            {"paid_out": gettext("At most the deposit held, CNY %(held)s (R21).") % {"held": held}}
        )
    entries = []
    if paid_out > 0:
        entries.append(MoneyEntry(kind=K.COUNTER_BOND_PAID_OUT, amount=paid_out))
    if held - paid_out > 0:
        entries.append(MoneyEntry(kind=K.COUNTER_BOND_RETURNED, amount=held - paid_out))
    for entry in entries:
        entry.detention, entry.on, entry.actor = detention, today, actor
        entry.reference = reference[:100]
    MoneyEntry.objects.bulk_create(entries)
    return {"court_reference": reference[:100], "paid_out": str(paid_out),
            "returned": str(held - paid_out)}  # fmt: skip


def confiscate(detention, actor, today, reason, data):
    """R23, R24: confiscation, and the penalty decision with its tier and fine."""
    tier = data["penalty_tier"]
    fine = data.get("penalty_fine") or Decimal("0.00")
    undeclared = data.get("undeclared_ip_fine")
    errors = {}
    if not rules.fine_fits_tier(tier, fine, detention.total_value):
        errors["penalty_fine"] = tier_message(tier, detention.total_value)
    if undeclared is not None and undeclared > rules.UNDECLARED_IP_FINE_CAP:
        errors["undeclared_ip_fine"] = gettext("At most CNY 50,000 (R24).")
    criterion = None
    if tier == PenaltyTier.NONE:
        criterion = NoPenaltyCriterion.objects.filter(
            code=data.get("no_penalty_criterion") or "", is_active=True
        ).first()
        if criterion is None:
            errors["no_penalty_criterion"] = gettext(
                "Cite the no-penalty criterion that applies (R24)."
            )
    minimum = hooks.penalty_floor(detention)  # e.g. a campaign's priority enterprise
    if minimum and rules.TIER_ORDER.index(tier) < rules.TIER_ORDER.index(minimum):
        errors["penalty_tier"] = gettext(
            "At least '%(minimum)s': %(holder)s is a priority enterprise of a campaign (R24)."
        ) % {"minimum": minimum, "holder": detention.holder}
    if errors:
        raise InvalidInput(errors)
    detention.penalty_tier = tier
    detention.penalty_fine = fine
    detention.undeclared_ip_fine = undeclared
    detention.no_penalty_criterion = criterion
    detention.confiscated_on = today
    if data.get("decision_served") is True:  # R27: served the day it is decided
        detention.decision_served_on = today
    served = {"decision_served_on": str(today)} if detention.decision_served_on else {}
    return {
        **served,
        "penalty_tier": tier,
        "penalty_fine": str(fine),
        "undeclared_ip_fine": str(undeclared) if undeclared is not None else None,
        "no_penalty_criterion": criterion.code if criterion else None,
    }


def tier_message(tier: str, value: Decimal) -> str:
    """The tier's band in whole fen: a fine in fen is at least `low` (rounded up), below
    an exclusive bound (rounded up), at most an inclusive one (rounded down)."""
    if tier in (PenaltyTier.NONE, PenaltyTier.MITIGATED):
        return gettext("This tier carries no fine (R24).")
    low, high = (value * share for share in rules.TIER_BANDS[tier])
    up = low.quantize(rules.FEN, rounding=ROUND_CEILING)
    below = high.quantize(rules.FEN, rounding=ROUND_CEILING)
    at_most = high.quantize(rules.FEN, rounding=ROUND_FLOOR)
    bands = {
        PenaltyTier.LIGHTER: gettext("from 0.01 to less than %(below)s"),
        PenaltyTier.GENERAL: gettext("from %(up)s to less than %(below)s"),
        PenaltyTier.HEAVIER: gettext("from %(up)s to %(at_most)s"),
    }
    band = bands[tier] % {"up": up, "below": below, "at_most": at_most}
    return gettext("The '%(tier)s' tier allows a fine %(band)s on a value of %(value)s (R24).") % {
        "tier": tier,
        "band": band,
        "value": value,
    }


def decision_not_yet_served(detention, today) -> None:
    if detention.decision_served_on:
        raise Conflict(
            gettext("The decision was served on %(on)s.")
            % {"on": day_text(detention.decision_served_on)}
        )


def serve_decision(detention, actor, today, reason, data):
    """R23, R27: the day the penalty decision is served starts the storage cap."""
    detention.decision_served_on = today
    return {"decision_served_on": str(today)}


def dispose(detention, actor, today, reason, data):
    """R23: donation, paid transfer to the holder, auction without the infringing
    features, destruction, in this order; a later choice says why."""
    method = data["disposal_method"]
    if rules.disposal_needs_reason(method) and not reason:
        raise InvalidInput(
            {
                "reason": gettext(
                    "Say why the preferred methods of disposal were not possible (R23)."
                )
            }
        )
    details = {"disposal_method": method}
    if method == DisposalMethod.AUCTION:
        errors = {}
        if data.get("features_removed") is not True:
            errors["features_removed"] = gettext(
                "Goods are auctioned only without their infringing features (R23)."
            )
        imported_mark = detention.direction == "import" and detention.ip_kind == "trademark"
        if imported_mark and data.get("label_removal_only") is not False:
            errors["label_removal_only"] = gettext(
                "For imported counterfeit trademark goods removing "
                "the label alone is not enough (R23)."
            )
        if data.get("holder_consulted") is not True:  # any right, either direction
            errors["holder_consulted"] = gettext(
                "Consult the rights holder before any auction (R23)."
            )
        if errors:
            raise InvalidInput(errors)
        details.update(features_removed=True, holder_consulted=True)
    detention.disposal_method = method
    detention.disposed_on = today
    return details


def close_due(detention, today) -> None:
    """A case closes once the holder's time to pay costs (R27), the holder's time to sue
    against a counter-bond (R21) and the consignor's window to claim on the bond (R28)
    have passed."""
    balance = selectors.money_balance(detention)
    owed = balance["costs_owed"]
    if owed > 0:
        running = running_period(detention, DeadlineKind.COST_PAYMENT, today)
        if running is not None and running.status == Deadline.Status.OPEN:
            raise Conflict(
                gettext(
                    "The holder has until %(due)s to pay CNY %(owed)s; only then are the costs "
                    "taken from the bond or the guarantor (R15, R27)."
                )
                % {"due": day_text(running.due_date), "owed": owed},
                due_date=str(running.due_date),
            )
    if detention.status == DetentionStatus.COUNTER_BOND_HELD:
        running = running_period(detention, DeadlineKind.COUNTER_BOND_SUIT, today)
        if running is not None:
            raise Conflict(
                gettext(
                    "The holder may file the court's acceptance of its lawsuit until %(due)s: "
                    "the deposit is kept until then (R21)."
                )
                % {"due": day_text(running.due_date)},
                due_date=str(running.due_date),
            )
    if balance["bond_held"] > 0 and consignor_may_claim(detention):
        window_end = consignor_window_end(detention)
        if today <= window_end:
            raise Conflict(
                gettext(
                    "Infringement was not established: the consignor may obtain a court notice "
                    "for compensation from the bond until %(end)s; the bond is refunded after "
                    "that (R28)."
                )
                % {"end": day_text(window_end)},
                due_date=str(window_end),
            )


def close(detention, actor, today, reason, data):
    """R27, R28, R21: unpaid costs are deducted from the bond, or the general bond's
    guarantor is called for them (R15); the rest of the bond is refunded; a counter-bond
    goes back when no lawsuit was filed in time (R21)."""
    balance = selectors.money_balance(detention)
    owed = balance["costs_owed"]
    entries = []
    if owed > 0:
        if detention.bond_source == BondSource.GENERAL_BOND:
            remaining = recordals.general_bond_balance(detention.general_bond)["remaining"]
            if owed > remaining:
                raise Conflict(
                    gettext(
                        "Only CNY %(remaining)s remains of the general bond's guarantee: record "
                        "the holder's payment of the other CNY %(rest)s first (R15, R27)."
                    )
                    % {"remaining": remaining, "rest": owed - remaining}
                )
            call = recordals.general_bond_call(
                actor=actor,
                bond=detention.general_bond,
                amount=owed,
                reference=detention.number,
                on=today,
            )
            entries.append(MoneyEntry(kind=K.COST_DEDUCTED, amount=owed, general_bond_entry=call))
        elif balance["bond_held"] >= owed:
            entries.append(MoneyEntry(kind=K.COST_DEDUCTED, amount=owed))
        else:
            raise Conflict(
                gettext(
                    "Costs of CNY %(owed)s exceed the bond held (CNY %(held)s): record the "
                    "holder's payment first (R27)."
                )
                % {"owed": owed, "held": balance["bond_held"]}
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


def consignor_may_claim(detention: Detention) -> bool:
    """R28: released goods whose infringement was not established (not infringing,
    undetermined, withdrawn, no court notice): the bond may compensate the consignor."""
    return (
        detention.status in (DetentionStatus.RELEASED, DetentionStatus.COUNTER_BOND_HELD)
        and detention.determination != Determination.INFRINGING
        and detention.detained_on is not None
    )


def consignor_window_end(detention: Detention) -> dt.date:
    """R28: the last day of the consignor's window (configurable), counted in working days
    from the day after release."""
    released_on = (
        (
            detention.events.filter(to_status__in=("released", "counter_bond_held"))
            .exclude(from_status__in=("released", "counter_bond_held"))
            .order_by("-on")
            .values_list("on", flat=True)
            .first()
        )
        or detention.determined_on
        or detention.detained_on
    )
    return add_working_days(released_on, settings.IPR_CONSIGNOR_COURT_WINDOW_DAYS).date


# --- referrals to public security (R25) ----------------------------------------------------


class ReferralRecord(Binding):
    """A referral: dated between its referral and today; each step an event."""

    model = Referral
    event_model = ReferralEvent
    related = ("detention",)

    def check_date(self, referral, on: dt.date) -> None:
        if on < referral.referred_on:
            raise InvalidInput(
                {
                    "on": gettext("Between the referral (%(on)s) and today, not outside.")
                    % {"on": day_text(referral.referred_on)}
                }
            )


def referral_decided(referral, actor, today, reason, data):
    """Public security accepted (with its case number), declined or returned the case."""
    referral.decided_on = today
    if data.get("police_case_number"):
        referral.police_case_number = data["police_case_number"].strip()[:60]
    if (data.get("outcome") or "").strip():
        referral.outcome = data["outcome"].strip()
    return {}


def no_other_live_referral(referral, today) -> None:
    if (
        referral.detention.referrals.filter(status__in=("referred", "accepted"))
        .exclude(pk=referral.pk)
        .exists()
    ):
        raise Conflict(gettext("This case already has a live referral."))


def referred_again(referral, actor, today, reason, data):
    referral.decided_on = None
    referral.referred_on = today
    if (data.get("outcome") or "").strip():
        referral.outcome = data["outcome"].strip()
    return {}
