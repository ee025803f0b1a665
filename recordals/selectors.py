"""Reads about recordals shared by the API and the portal."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from recordals import search
from recordals.models import Recordal

MAX_QUERY_CHARS = 200


def public_recordals(text: str, *, today: dt.date) -> QuerySet:
    """R11: the public search — recordals in force on `today` matching the words (holder,
    mark or work, registration number, approved goods), newest approval first. What of
    them may be shown is the callers' to limit (no contacts, licensees, infringers or
    attachments): the API's PublicRecordalSerializer and the portal's search page."""
    queryset = (
        Recordal.objects.in_force_on(today)
        .select_related("holder")
        .prefetch_related("genuine_goods")
        .order_by("-approved_on", "-id")
    )
    text = (text or "")[:MAX_QUERY_CHARS]
    if text.strip():
        tsquery = search.query(text)
        queryset = queryset.filter(search_vector=tsquery) if tsquery else queryset.none()
    return queryset
