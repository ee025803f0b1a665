"""Reads about detentions: the money trail's balances and the querysets the API and the
admin list from. Scoping is not here: every caller passes its queryset through
accounts.scoping.visible_to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from deadlines.models import Deadline
from detentions.models import Detention, MoneyEntry

K = MoneyEntry.Kind
ZERO = Decimal("0.00")


# The sums behind the balances: name -> (entry kinds, from the general bond's guarantor
# (True), from the case's own bond (False) or either (None)).
MONEY_SUMS = {
    "received": ((K.BOND_RECEIVED,), None),
    "charged": ((K.COST_CHARGED,), None),
    "paid": ((K.COST_PAID,), None),
    "deducted_case": ((K.COST_DEDUCTED,), False),
    "deducted_general": ((K.COST_DEDUCTED,), True),
    "compensated": ((K.CONSIGNOR_COMPENSATED,), None),
    "refunded": ((K.BOND_REFUNDED,), None),
    "counter_in": ((K.COUNTER_BOND_RECEIVED,), None),
    "counter_out": ((K.COUNTER_BOND_RETURNED, K.COUNTER_BOND_PAID_OUT), None),
}


def money_balance(detention: Detention, *, entries=None) -> dict[str, Decimal]:
    """The case's balances (see MoneyEntry): in one aggregate query, or summed from
    `entries`, the case's entries a caller has already read (the API's detail shows
    them beside the balances: no second query, issue 21)."""
    if entries is not None:
        sums = dict.fromkeys(MONEY_SUMS, ZERO)
        for entry in entries:
            for name, (kinds, general) in MONEY_SUMS.items():
                if entry.kind in kinds and (
                    general is None or general == (entry.general_bond_entry_id is not None)
                ):
                    sums[name] += entry.amount
        return _balances(sums)

    def total(kinds, general):
        extra = {} if general is None else {"general_bond_entry__isnull": not general}
        return Coalesce(
            Sum("amount", filter=Q(kind__in=kinds, **extra)),
            ZERO,
            output_field=DecimalField(max_digits=18, decimal_places=2),
        )

    sums = MoneyEntry.objects.filter(detention=detention).aggregate(
        **{name: total(kinds, general) for name, (kinds, general) in MONEY_SUMS.items()}
    )
    return _balances(sums)


def _balances(sums: dict[str, Decimal]) -> dict[str, Decimal]:
    deducted = sums["deducted_case"] + sums["deducted_general"]
    return {
        "bond_held": sums["received"]
        - sums["deducted_case"]
        - sums["compensated"]
        - sums["refunded"],
        "costs_called_from_guarantor": sums["deducted_general"],
        "costs_charged": sums["charged"],
        "costs_paid": sums["paid"],
        "costs_deducted": deducted,
        "costs_owed": sums["charged"] - sums["paid"] - deducted,
        "consignor_compensated": sums["compensated"],
        "bond_refunded": sums["refunded"],
        "counter_bond_held": sums["counter_in"] - sums["counter_out"],
    }


def _detention_deadlines() -> QuerySet:
    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Detention),
        subject_id=OuterRef("pk"),
        status=Deadline.Status.OPEN,
    )


def with_next_deadline(queryset: QuerySet) -> QuerySet:
    """Annotate each case with its next open deadline (due instant and kind), one query."""
    upcoming = _detention_deadlines().order_by("due_at", "pk")
    return queryset.annotate(
        next_deadline_at=Subquery(upcoming.values("due_at")[:1]),
        next_deadline_kind=Subquery(upcoming.values("kind")[:1]),
    )


def attach_next_deadlines(cases: list[Detention]) -> list[Detention]:
    """Set `next_deadline_at` and `next_deadline_kind` on a page of cases, from one query
    for the whole page (the list's rows need no subquery each; issue 21). The same values
    as `with_next_deadline`: the open deadline due soonest (the lowest id on a tie)."""
    if not cases:
        return cases
    upcoming = (
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Detention),
            subject_id__in=[case.pk for case in cases],
            status=Deadline.Status.OPEN,
        )
        .order_by("subject_id", "due_at", "pk")
        .distinct("subject_id")
        .values_list("subject_id", "due_at", "kind")
    )
    found = {subject_id: (due_at, kind) for subject_id, due_at, kind in upcoming}
    for case in cases:
        case.next_deadline_at, case.next_deadline_kind = found.get(case.pk, (None, None))
    return cases


def attach_open_deadlines(detention: Detention) -> Detention:
    """Set a case's open deadlines (`open_deadline_list`, as `open_deadlines` orders them)
    and from them its next deadline (`next_deadline_at`, `next_deadline_kind`: the same
    as `with_next_deadline`, due soonest, no due instant last, the lowest id on a tie).
    One query for a case's detail in place of two subqueries and a query (issue 21)."""
    deadlines = list(open_deadlines(detention.pk))
    nearest = min(deadlines, key=lambda d: (d.due_at is None, d.due_at, d.pk), default=None)
    detention.open_deadline_list = deadlines
    detention.next_deadline_at = nearest.due_at if nearest else None
    detention.next_deadline_kind = nearest.kind if nearest else None
    return detention


def having_open_deadline(queryset: QuerySet, kind: str, *, due_by: dt.date | None = None):
    """Cases with an open deadline of `kind` (ending on or before `due_by`). A case has at
    most one open deadline of a kind, so counting cases counts deadlines."""
    deadline = _detention_deadlines().filter(kind=kind)
    if due_by is not None:
        deadline = deadline.filter(due_date__lte=due_by)
    return queryset.filter(Exists(deadline))


def with_costs_owed(queryset: QuerySet) -> QuerySet:
    """Annotate each case with the costs it owes (R27): charged, less paid, less deducted
    from a bond or called from the general bond's guarantor; as in `money_balance`."""
    signed = Case(
        When(kind=K.COST_CHARGED, then=F("amount")),
        When(kind__in=[K.COST_PAID, K.COST_DEDUCTED], then=-F("amount")),
        default=ZERO,
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )
    owed = (
        MoneyEntry.objects.filter(detention=OuterRef("pk"))
        .order_by()
        .values("detention")
        .annotate(owed=Sum(signed))
        .values("owed")
    )
    return queryset.annotate(
        costs_owed=Coalesce(
            Subquery(owed), ZERO, output_field=DecimalField(max_digits=18, decimal_places=2)
        )
    )


def costs_unpaid(queryset: QuerySet) -> QuerySet:
    return with_costs_owed(queryset).filter(costs_owed__gt=0)


def overdue(queryset: QuerySet, flag: bool) -> QuerySet:
    """Cases with an open deadline whose due instant has passed (not yet swept) or a
    missed one nobody has dealt with (an unresolved escalation)."""
    late = _detention_deadlines().filter(due_at__lt=timezone.now())
    missed = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Detention),
        subject_id=OuterRef("pk"),
        status=Deadline.Status.MISSED,
        escalation__resolved_at__isnull=True,
        escalation__isnull=False,
    )
    condition = Q(Exists(late)) | Q(Exists(missed))
    return queryset.filter(condition) if flag else queryset.exclude(condition)


def open_deadlines(detention_id: int) -> QuerySet:
    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Detention),
        subject_id=detention_id,
        status=Deadline.Status.OPEN,
    ).order_by("due_at")


def latest_deadline(detention: Detention, kind: str) -> Deadline | None:
    """The most recent deadline of `kind` on the case, open or not."""
    return (
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Detention),
            subject_id=detention.pk,
            kind=kind,
        )
        .exclude(status=Deadline.Status.CANCELLED)
        .order_by("-opened_at", "-id")
        .first()
    )
