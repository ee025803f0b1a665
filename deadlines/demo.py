"""Demo deadlines: upcoming, overdue and reminded. Relative to today, idempotent per day."""

import datetime as dt

from django.utils import timezone

from accounts.models import Authorisation, Organisation
from core.demo_files import pdf_file
from core.timezone import local_today
from deadlines import services
from deadlines.models import Deadline, DeadlineKind, Delivery


def seed(parties: dict) -> dict:
    today = local_today()
    holder_a, holder_b = parties["holders"]["A"], parties["holders"]["B"]
    agency_b = parties["agencies"]["B"]
    # Every authorisation carries its expiry deadline.
    for authorisation in Authorisation.objects.filter(revoked_at__isnull=True):
        services.deadline_open(
            subject=authorisation,
            kind=DeadlineKind.AUTHORISATION_EXPIRY,
            trigger_date=authorisation.starts_on,
            unit=Deadline.Unit.DATE,
            due_date=authorisation.ends_on,
        )
    # A short mandate of agency B for holder A (a customs filing): ends in 20 days, so
    # its 30-day reminder is due now. Agent A's own mandate is untouched.
    short, _ = Authorisation.objects.get_or_create(
        agency=agency_b,
        holder=holder_a,
        defaults={
            "starts_on": today - dt.timedelta(days=70),
            "ends_on": today + dt.timedelta(days=20),
            "document": pdf_file("power-of-attorney-short.pdf", "Power of attorney"),
            "document_content_type": "application/pdf",
            "notes": "Mandate for one customs filing.",
        },
    )
    if short.revoked_at is None:  # revoked since: its expiry deadline stays cancelled
        services.deadline_open(
            subject=short,
            kind=DeadlineKind.AUTHORISATION_EXPIRY,
            trigger_date=short.starts_on,
            unit=Deadline.Unit.DATE,
            due_date=short.ends_on,
        )
    # R8: holder B changed its registered address 60 days ago and has not applied to
    # change its recordals within 30 working days: overdue, escalated to GACC.
    if not Deadline.objects.filter(holder=holder_b, kind=DeadlineKind.CHANGE_OBLIGATION).exists():
        services.deadline_open(
            subject=Organisation.objects.get(pk=holder_b.pk),
            kind=DeadlineKind.CHANGE_OBLIGATION,
            trigger_date=today - dt.timedelta(days=60),
            count=30,
        )
    # R29: a provisional date that has passed counts only once an officer confirms it.
    # In the demo GACC confirms each one, so what is overdue is missed and escalated as
    # it would be in a year already announced.
    gacc = parties["users"]["officer.gacc"]
    passed = Deadline.objects.filter(
        status=Deadline.Status.OPEN,
        provisional=True,
        confirmed_at__isnull=True,
        due_at__lte=timezone.now(),
    )
    for deadline in passed:
        services.deadline_confirm(actor=gacc, deadline=deadline)
    # Send what is due now: the reminders go out through Celery once the change commits.
    return services.sweep().__dict__


UPCOMING = {
    DeadlineKind.AUTHORISATION_EXPIRY,
    DeadlineKind.RECORDAL_REVIEW,
    DeadlineKind.RECORDAL_EXPIRY,
    DeadlineKind.RENEWAL_WINDOW_OPENS,
    DeadlineKind.GENERAL_BOND_EXPIRY,
}
OVERDUE = {DeadlineKind.CHANGE_OBLIGATION, DeadlineKind.RENEWAL_DECISION}


def check() -> list[str]:
    """What the demo promises of its deadlines, today: upcoming ones of every kind of
    recordal and mandate, the two overdue ones escalated to GACC, reminders on their way."""
    problems = []
    open_kinds = set(Deadline.objects.filter(status="open").values_list("kind", flat=True))
    problems += [f"no upcoming {kind} deadline" for kind in sorted(UPCOMING - open_kinds)]
    missed = Deadline.objects.filter(status="missed", kind__in=OVERDUE)
    missed_kinds = set(missed.values_list("kind", flat=True))
    problems += [f"no overdue {kind} deadline" for kind in sorted(OVERDUE - missed_kinds)]
    problems += [f"{d} is overdue but not escalated" for d in missed.filter(escalation=None)]
    if not Delivery.objects.exists():
        problems.append("no reminder has been sent or queued")
    return problems
