"""The recordals' part of the officer's desk (core/admin_site.py): applications waiting for
GACC's review, soonest review deadline first (R5), for the officers who decide them."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import acting_role, visible_to
from core.admin_site import DeskQueue, DeskRow, DeskSection, count_and_first
from core.i18n import in_reader_language
from deadlines import desk as deadlines_desk
from deadlines.models import Deadline, DeadlineKind
from recordals.models import Recordal, RecordalStatus
from recordals.workflow import RECORDAL_WORKFLOW


def in_review(queryset):
    """Submitted recordals with their review deadline's last day, soonest first."""
    review = Deadline.objects.filter(
        subject_type__model="recordal",
        subject_type__app_label="recordals",
        subject_id=OuterRef("pk"),
        status=Deadline.Status.OPEN,
        kind=DeadlineKind.RECORDAL_REVIEW,
    )
    return (
        queryset.filter(status=RecordalStatus.SUBMITTED)
        .annotate(
            review_due_date=Subquery(review.values("due_date")[:1]),
            review_provisional=Subquery(review.values("provisional")[:1]),
        )
        .order_by(F("review_due_date").asc(nulls_last=True), "id")
    )


def review_queue(request):
    # Only those who may decide a submitted recordal see the queue (GACC, R5).
    if not RECORDAL_WORKFLOW.allowed(RecordalStatus.SUBMITTED, acting_role(request.user)):
        return
    queryset = in_review(visible_to(request.user, Recordal.objects.select_related("holder")))
    count, rows = count_and_first(queryset)
    yield DeskQueue(
        title=_("Recordals in GACC review"),
        count=count,
        url=f"{reverse('admin:recordals_recordal_changelist')}?queue=review",
        columns=(_("Rights holder"), _("Review due"), _("Time left")),
        rows=tuple(
            DeskRow(
                label=recordal.right_name,
                url=reverse("admin:recordals_recordal_change", args=[recordal.pk]),
                details=(
                    in_reader_language(recordal.holder_name_en, recordal.holder_name_zh),
                    deadlines_desk.due_text(recordal.review_due_date, recordal.review_provisional),
                    deadlines_desk.time_left(request, recordal.review_due_date),
                ),
            )
            for recordal in rows
        ),
        empty=_("No recordal waits for review."),
    )


admin.site.register_desk(DeskSection("recordals.review", 60, review_queue))
