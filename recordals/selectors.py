"""Reads about recordals shared by the API and the portal."""

from __future__ import annotations

import datetime as dt

from django.db.models import DateField, Func, QuerySet

from accounts.scoping import visible_to
from recordals import rules, search
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


def recordals_of(user) -> QuerySet:
    """The recordals `user` may see (accounts.scoping's one rule): a holder's own, an
    agent's authorised clients', everything for GACC. With what a list shows of each
    (holder, filing agency) and the day its renewal window opens (R7) as `renewal_opens`,
    to filter and sort on."""
    return with_renewal_window(
        visible_to(user, Recordal.objects.select_related("holder", "filed_by_agency"))
    )


def with_renewal_window(queryset: QuerySet) -> QuerySet:
    """R7: `renewal_opens`, RENEWAL_WINDOW_MONTHS before the term ends, computed by
    PostgreSQL as rules.renewal_window_opens computes it (a month without the day: its
    last day, 2027-08-31 -> 2027-02-28); None without a term."""
    months = int(rules.RENEWAL_WINDOW_MONTHS)
    opens = Func(
        "valid_until",
        template=f"((%(expressions)s - interval '{months} months')::date)",
        output_field=DateField(),
    )
    return queryset.annotate(renewal_opens=opens)
