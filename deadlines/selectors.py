"""Reads about deadlines and notifications."""

from __future__ import annotations

import datetime as dt

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
