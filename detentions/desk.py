"""The cases' part of the officer's desk (core/admin_site.py): the holder's replies
awaited (R12), the investigations due this week (R16), the court-order periods running out
(R17, R19) and the costs unpaid (R27): the periods in one query, the costs in another (each
queue's count and first rows); each opens the case list filtered to the same cases by
`CaseQueueFilter`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import visible_to
from core.admin_site import DESK_ROWS, DeskQueue, DeskRow, DeskSection, count_and_first
from core.i18n import in_reader_language
from core.timezone import local_today
from deadlines import desk as deadlines_desk
from deadlines.models import Deadline, DeadlineKind
from detentions import selectors
from detentions.models import Detention
from engine.timeline import money

COURT_ORDER_WARNING_DAYS = 10  # calendar days before a court-order period ends


def end_of_week(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


@dataclass(frozen=True)
class CaseQueue:
    key: str  # the case list's filter value (?queue=<key>)
    title: str
    empty: str
    kind: str = ""  # a queue of cases with an open deadline of this kind ...
    due_by: Callable[[dt.date], dt.date] | None = None  # ... ending by then (today ->)
    status: str = ""  # ... or of cases in this state

    def select(self, queryset: QuerySet, today: dt.date) -> QuerySet:
        """The queue's cases, as the case list shows them."""
        if self.status:
            return queryset.filter(status=self.status).order_by("opened_on", "id")
        if not self.kind:  # the money: cases owing costs (R27)
            return selectors.costs_unpaid(queryset).order_by(F("costs_owed").desc(), "id")
        due = self.due_by(today) if self.due_by else None
        return selectors.having_open_deadline(queryset, self.kind, due_by=due)

    def deadlines(self, today: dt.date) -> Q:
        """The same queue as its cases' open deadlines (one per case and kind)."""
        due = {"due_date__lte": self.due_by(today)} if self.due_by else {}
        return Q(kind=self.kind, **due)


CASE_QUEUES = {
    queue.key: queue
    for queue in (
        CaseQueue(
            "reply", _("Awaiting the holder's reply"), _("No reply is awaited."),
            DeadlineKind.REPLY_TO_DETENTION_NOTICE,
        ),
        CaseQueue(
            "investigation", _("Investigations due this week"),
            _("No investigation is due this week."), DeadlineKind.INVESTIGATION, end_of_week,
        ),
        CaseQueue(
            "court_order", _("Court-order periods running out"),
            _("No court-order period ends within 10 days."), DeadlineKind.COURT_ORDER,
            lambda today: today + dt.timedelta(days=COURT_ORDER_WARNING_DAYS),
        ),
        CaseQueue(
            "requested", _("Detention requested: check the bond and detain"),
            _("No detention request awaits you."), status="detention_requested",
        ),
        CaseQueue("costs", _("Costs unpaid"), _("No case owes costs.")),
    )
}  # fmt: skip
PERIOD_QUEUES = ("reply", "investigation", "court_order")


class CaseQueueFilter(admin.SimpleListFilter):
    """The case list narrowed to one of the desk's queues."""

    title = _("work due")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(queue.key, queue.title) for queue in CASE_QUEUES.values()]

    def queryset(self, request, queryset):
        queue = CASE_QUEUES.get(self.value() or "")
        if queue is None:
            return queryset
        return queue.select(queryset, local_today())


def holder_name(holder) -> str:
    """The holder in the reader's language."""
    return in_reader_language(holder.name_en, holder.name_zh) if holder else "-"


def queue_url(key: str) -> str:
    return f"{reverse('admin:detentions_detention_changelist')}?queue={key}"


def case_url(pk) -> str:
    return reverse("admin:detentions_detention_change", args=[pk])


def period_queues(request):
    """The three queues of periods in one query: the cases' open deadlines, each queue's
    total and first rows taken by window functions over the deadline's kind."""
    today = local_today()
    queues = [CASE_QUEUES[key] for key in PERIOD_QUEUES]
    wanted = Q(pk__in=[])
    for queue in queues:
        wanted |= queue.deadlines(today)
    by_kind = F("kind")
    deadlines = (
        visible_to(
            request.user,
            Deadline.objects.filter(
                wanted,
                status=Deadline.Status.OPEN,
                subject_type=ContentType.objects.get_for_model(Detention),
            ),
        )
        .select_related("holder")
        .annotate(
            queue_total=Window(Count("pk"), partition_by=[by_kind]),
            queue_rank=Window(
                RowNumber(), partition_by=[by_kind], order_by=[F("due_date").asc(), F("id").asc()]
            ),
        )
        .filter(queue_rank__lte=DESK_ROWS)
        .order_by("kind", "queue_rank")
    )
    rows: dict[str, list[Deadline]] = {}
    for deadline in deadlines:
        rows.setdefault(deadline.kind, []).append(deadline)
    for queue in queues:
        first = rows.get(queue.kind, [])
        yield DeskQueue(
            title=queue.title,
            count=first[0].queue_total if first else 0,
            url=queue_url(queue.key),
            columns=(_("Rights holder"), _("Due"), _("Time left")),
            rows=tuple(
                DeskRow(
                    label=deadline.subject_label,
                    url=case_url(deadline.subject_id),
                    details=(
                        holder_name(deadline.holder),
                        deadlines_desk.due_text(deadline.due_date, deadline.provisional),
                        deadlines_desk.time_left(request, deadline.due_date),
                    ),
                )
                for deadline in first
            ),
            empty=queue.empty,
        )


def costs_queue(request):
    queue = CASE_QUEUES["costs"]
    cases = visible_to(request.user, Detention.objects.select_related("holder"))
    count, rows = count_and_first(queue.select(cases, local_today()))
    yield DeskQueue(
        title=queue.title,
        count=count,
        url=queue_url(queue.key),
        columns=(_("Rights holder"), _("Owed")),
        rows=tuple(
            DeskRow(
                case.number, case_url(case.pk), (holder_name(case.holder), money(case.costs_owed))
            )
            for case in rows
        ),
        empty=queue.empty,
    )


def requested_queue(request):
    """The holder side asked for detention (R12, R15, the portal or the API): the officer
    checks the bond and detains."""
    queue = CASE_QUEUES["requested"]
    cases = visible_to(request.user, Detention.objects.select_related("holder"))
    count, rows = count_and_first(queue.select(cases, local_today()))
    yield DeskQueue(
        title=queue.title,
        count=count,
        url=queue_url(queue.key),
        columns=(_("Rights holder"), _("Bond")),
        rows=tuple(
            DeskRow(
                case.number,
                case_url(case.pk),
                (holder_name(case.holder), case.get_bond_source_display() or "-"),
            )
            for case in rows
        ),
        empty=queue.empty,
    )


# The periods first, then the requests to detain, then (after the escalations) the money.
admin.site.register_desk(DeskSection("detentions.periods", 10, period_queues))
admin.site.register_desk(DeskSection("detentions.requested", 15, requested_queue))
admin.site.register_desk(DeskSection("detentions.costs", 50, costs_queue))
