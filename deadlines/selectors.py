"""Reads about deadlines and notifications."""

from __future__ import annotations

import datetime as dt
import enum

from django.db.models import QuerySet

from accounts.scoping import visible_to
from deadlines.models import Deadline


def deadlines_for(user) -> QuerySet:
    return visible_to(user, Deadline.objects.select_related("subject_type"))


def calendar_feed_deadlines(user, *, today: dt.date) -> QuerySet:
    """What a personal feed holds: open deadlines, and those closed in the last 90 days."""
    recent = today - dt.timedelta(days=90)
    return (
        deadlines_for(user)
        .filter(due_date__gte=recent)
        .exclude(status=Deadline.Status.CANCELLED)
        .order_by("due_date", "id")[:2000]
    )


class PeriodState(enum.Enum):
    RUNNING = "running"
    PASSED = "passed"
    # The provisional due date is behind us but nobody has confirmed it (R29).
    PASSED_UNCONFIRMED = "passed_unconfirmed"


def period_state(deadline: Deadline, today: dt.date) -> PeriodState:
    """Whether a deadline's period still runs on `today`, the one rule every service
    asks before refusing a late filing or taking a step that waits for a period to end.

    R13: the period runs through its last day (due_date). R29: a provisional due date,
    counted in a year whose holiday notice is not entered, is over only once an officer
    has confirmed it; entering the year recomputes the date and clears `provisional`."""
    if today <= deadline.due_date:
        return PeriodState.RUNNING
    if deadline.provisional and deadline.confirmed_at is None:
        return PeriodState.PASSED_UNCONFIRMED
    return PeriodState.PASSED
