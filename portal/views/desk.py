"""My desk: what the holder side has to do, and soon. The notices awaiting a reply with
the time left (R12, R13), the other cases with a period running, unread notifications,
recordals in their renewal window (R7) and the general bond with what remains of it
(R15). An agent sees all this across the holders authorising it, with a client filter.

A bounded number of queries whatever the data: each list is one query (its first rows),
the working calendar is loaded once (deadlines.desk.calendar_for)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse

from accounts.scoping import acting_role, visible_to
from core.timezone import day_text, local_today
from deadlines import desk as deadlines_desk
from deadlines.models import Deadline, DeadlineKind, Notification
from detentions.models import Detention
from engine.timeline import money
from portal.views.cases import chosen_client, client_holders, holder_side
from recordals.models import GeneralBond, Recordal, RecordalStatus
from recordals.rules import RENEWAL_WINDOW_MONTHS, add_months

# The case periods besides the reply: the court orders, a suit after a counter-bond (R21),
# costs to pay (R27); the investigation is customs' own (R16) but ends the holder's wait.
OTHER_KINDS = (
    DeadlineKind.INVESTIGATION,
    DeadlineKind.COURT_ORDER,
    DeadlineKind.COUNTER_BOND_SUIT,
    DeadlineKind.COST_PAYMENT,
)
ROWS = 10  # the first rows of each list; the full lists are a click away


def _deadline_rows(request, deadlines):
    return [
        {
            "label": deadline.subject_label,
            "url": reverse("portal:case", args=[deadline.subject_id]),
            "holder": str(deadline.holder) if deadline.holder_id else "",
            "kind": deadline.get_kind_display(),
            "due": deadlines_desk.due_text(deadline.due_date, deadline.provisional),
            "left": deadlines_desk.time_left(request, deadline.due_date),
            "urgent": deadline.due_date <= local_today(),
        }
        for deadline in deadlines
    ]


@holder_side
def desk(request):
    user = request.user
    today = local_today()
    holders = list(client_holders(user))
    client = chosen_client(request, holders)
    holder_ids = [client.pk] if client else [h.pk for h in holders]

    case_deadlines = visible_to(
        user,
        Deadline.objects.filter(
            status=Deadline.Status.OPEN,
            subject_type=ContentType.objects.get_for_model(Detention),
            holder_id__in=holder_ids,
        ),
    ).select_related("holder")
    replies = list(
        case_deadlines.filter(kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE).order_by(
            "due_date", "id"
        )[: ROWS + 1]
    )
    others = list(
        case_deadlines.filter(kind__in=OTHER_KINDS).order_by("due_date", "id")[: ROWS + 1]
    )

    unread = Notification.objects.filter(user=user, read_at__isnull=True).order_by(
        "-created_at", "-id"
    )
    unread_rows = list(unread[: ROWS + 1])

    window_ends = add_months(today, RENEWAL_WINDOW_MONTHS)
    renewals = list(
        visible_to(user, Recordal.objects.all())
        .filter(
            holder_id__in=holder_ids,
            status=RecordalStatus.APPROVED,
            valid_until__gte=today,
            valid_until__lte=window_ends,
        )
        .select_related("holder")
        .order_by("valid_until", "id")[: ROWS + 1]
    )

    bonds = list(
        visible_to(user, GeneralBond.objects.all())
        .filter(holder_id__in=holder_ids, status=GeneralBond.Status.APPROVED, year=today.year)
        .select_related("holder")
        .annotate(called=Sum("entries__amount"))
        .order_by("holder__name_en", "-year")
    )
    context = {
        "holders": holders,
        "client": client,
        "is_agent": acting_role(user) == "agent",
        "replies": _deadline_rows(request, replies[:ROWS]),
        "replies_more": len(replies) > ROWS,
        "deadlines": _deadline_rows(request, others[:ROWS]),
        "deadlines_more": len(others) > ROWS,
        "unread": unread_rows[:ROWS],
        "unread_more": len(unread_rows) > ROWS,
        "renewals": [
            {
                "recordal": recordal,
                "holder": str(recordal.holder),
                "until": day_text(recordal.valid_until),
            }
            for recordal in renewals[:ROWS]
        ],
        "bonds": [
            {
                "bond": bond,
                "holder": str(bond.holder),
                "amount": money(bond.amount),
                "remaining": money(bond.amount - (bond.called or 0)),
                "covers_until": day_text(bond.covers_until),
                "expires_on": day_text(bond.expires_on),
            }
            for bond in bonds
        ],
    }
    return render(request, "portal/desk.html", context)
