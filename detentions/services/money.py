"""Costs and their payment (R27), compensation of the consignor from the bond (R28).
Bonds themselves move with the steps of the lifecycle; every movement is a MoneyEntry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from accounts.models import User
from core.errors import Conflict, InvalidInput
from core.timezone import day_text, local_today
from deadlines import services as deadlines
from deadlines.models import DeadlineKind
from detentions import rules, selectors, workflow
from detentions.models import (
    Detention,
    Determination,
    MoneyEntry,
)
from detentions.services.common import (
    K,
    lock_for_officer,
    money_amount,
    write_event,
)


@transaction.atomic
def detention_charge_costs(
    *,
    actor: User,
    detention: Detention,
    cost_kind: str,
    amount: Decimal,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    reference: str = "",
    on: dt.date | None = None,
) -> MoneyEntry:
    """R27: storage, custody and disposal costs are the holder's. The holder has 10 working
    days from the notice to pay (R15), or the bond answers for them."""
    today = on or local_today()
    detention = lock_for_officer(actor, detention)
    if detention.status not in workflow.COSTS_STATES or detention.detained_on is None:
        raise Conflict(gettext("Costs arise only for detained goods, before the case is closed."))
    errors = {}
    if cost_kind not in MoneyEntry.CostKind.values:
        errors["cost_kind"] = gettext("One of %(kinds)s (R27).") % {
            "kinds": ", ".join(MoneyEntry.CostKind.values)
        }
    try:
        amount = money_amount(amount, "amount")
    except InvalidInput as error:
        errors.update(error.errors)
        amount = None
    if amount is not None and amount <= 0:
        errors["amount"] = gettext("A positive amount in CNY.")
    if period_from and period_to and period_to < period_from:
        errors["period_to"] = gettext("The period ends before it starts.")
    elif period_to and period_to > today:
        errors["period_to"] = gettext("Costs are charged for the actual period, not ahead (R27).")
    elif cost_kind == MoneyEntry.CostKind.STORAGE:
        overlapping = detention.money.filter(
            kind=K.COST_CHARGED,
            cost_kind=MoneyEntry.CostKind.STORAGE,
            period_from__lte=period_to or today,
            period_to__gte=period_from or today,
        )
        if period_from is None or period_to is None:
            errors["period_to"] = gettext("Storage is charged for a period: from and to, in order.")
        elif period_from < detention.detained_on:
            errors["period_from"] = gettext("Storage starts at detention.")
        elif detention.decision_served_on and period_to > rules.storage_limit(
            detention.decision_served_on
        ):
            errors["period_to"] = gettext(
                "After confiscation storage is charged for at most %(months)s months after the "
                "decision was served, to %(limit)s (R27)."
            ) % {
                "months": rules.STORAGE_AFTER_CONFISCATION_MONTHS,
                "limit": day_text(rules.storage_limit(detention.decision_served_on)),
            }
        elif overlapping.exists():
            errors["period_from"] = gettext("Storage for part of this period is already charged.")
    if errors:
        raise InvalidInput(errors)
    entry = MoneyEntry.objects.create(
        detention=detention,
        kind=K.COST_CHARGED,
        amount=rules.fen(amount),
        cost_kind=cost_kind,
        period_from=period_from,
        period_to=period_to,
        reference=reference[:100],
        on=today,
        actor=actor,
    )
    write_event(
        detention,
        "charge_costs",
        actor=actor,
        on=today,
        before=detention.status,
        data={"cost_kind": cost_kind, "amount": str(entry.amount)},
    )
    deadlines.deadline_open(
        subject=detention,
        kind=DeadlineKind.COST_PAYMENT,
        trigger_date=today,
        count=rules.COST_PAYMENT_DAYS,
    )
    return entry


@transaction.atomic
def detention_record_payment(
    *,
    actor: User,
    detention: Detention,
    amount: Decimal,
    reference: str = "",
    on: dt.date | None = None,
) -> MoneyEntry:
    """The holder paid costs directly; paid in full, the payment deadline is met."""
    today = on or local_today()
    detention = lock_for_officer(actor, detention)
    owed = selectors.money_balance(detention)["costs_owed"]
    amount = money_amount(amount, "amount")
    if amount <= 0:
        raise InvalidInput({"amount": gettext("A positive amount in CNY.")})
    if amount > owed:
        raise InvalidInput({"amount": gettext("Only CNY %(owed)s is owed.") % {"owed": owed}})
    entry = MoneyEntry.objects.create(
        detention=detention,
        kind=K.COST_PAID,
        amount=rules.fen(amount),
        reference=reference[:100],
        on=today,
        actor=actor,
    )
    write_event(
        detention,
        "record_payment",
        actor=actor,
        on=today,
        before=detention.status,
        data={"amount": str(entry.amount)},
    )
    if amount == owed:
        deadlines.deadline_close(subject=detention, kind=DeadlineKind.COST_PAYMENT, reason="paid")
    return entry


@transaction.atomic
def detention_compensate_consignor(
    *,
    actor: User,
    detention: Detention,
    amount: Decimal,
    court_reference: str,
    on: dt.date | None = None,
) -> MoneyEntry:
    """R28: on a court notice, when infringement is not established, the bond compensates
    the consignor instead of being refunded."""
    today = on or local_today()
    detention = lock_for_officer(actor, detention)
    if detention.status not in ("released", "court_ordered"):
        raise Conflict(
            gettext(
                "The bond compensates the consignor only once the goods are released "
                "or under a court's notice (R28)."
            )
        )
    if detention.determination == Determination.INFRINGING:
        raise Conflict(gettext("Infringement was established: the bond does not compensate (R28)."))
    if not court_reference.strip():
        raise InvalidInput({"court_reference": gettext("Cite the court's notice (R28).")})
    held = selectors.money_balance(detention)["bond_held"]
    amount = money_amount(amount, "amount")
    if amount <= 0 or amount > held:
        raise InvalidInput(
            {
                "amount": gettext("A positive amount up to the bond held, CNY %(held)s.")
                % {"held": held}
            }
        )
    entry = MoneyEntry.objects.create(
        detention=detention,
        kind=K.CONSIGNOR_COMPENSATED,
        amount=rules.fen(amount),
        reference=court_reference[:100],
        on=today,
        actor=actor,
    )
    write_event(
        detention,
        "compensate_consignor",
        actor=actor,
        on=today,
        before=detention.status,
        data={"amount": str(entry.amount), "court": court_reference[:100]},
    )
    return entry
