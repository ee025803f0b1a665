"""The deadline engine: open, close, move, cancel, suspend and resume deadlines; confirm a
provisional date (R29); keep the calendar; and the sweep that turns due reminders into
deliveries and sends them.

Every function is idempotent: calling it again with the same arguments changes nothing.
Recordals and detentions call these with their own subject (deadlines/subjects.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import operator
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.parties import Parties
from accounts.scoping import acting_role, may_act
from core.errors import Conflict, InvalidInput, NotPermitted
from core.timezone import LEGAL_TZ, end_of_day
from deadlines.calendar import WorkingCalendar
from deadlines.messages import compose, email_subject
from deadlines.models import (
    CalendarChange,
    CalendarDay,
    CalendarYear,
    Deadline,
    Delivery,
    Escalation,
    Notification,
    Reminder,
)
from deadlines.policies import CONFIRMATION_REQUEST, MISSED_STEP, MOVED_STEP_PREFIX, POLICIES
from deadlines.reference import load_chinesecalendar
from deadlines.subjects import RecipientResolver

logger = logging.getLogger(__name__)

REMINDER_HOUR = dt.time(9, 0)
MAX_ATTEMPTS = 5
BACKOFF_MINUTES = (1, 5, 15, 60)
SWEEP_BATCH = 1000

# Reasons kept in English on the deadline (close_reason, the trail) and translated where
# they are shown (deadlines/admin.py, deadlines/messages.py).
TERMS_CHANGED = gettext_noop("terms changed")
DUE_DATE_PASSED = gettext_noop("due date passed")
CALENDAR_CHANGED = gettext_noop(
    "The working-day calendar changed (holiday notice entered or edited)."
)


# --- computing a due date -----------------------------------------------------------------


def _compute(deadline: Deadline, calendar: WorkingCalendar, explicit_due: dt.date | None = None):
    """Fill due_date, due_at, provisional and trail from trigger_date / unit / count."""
    if deadline.unit == Deadline.Unit.WORKING_DAYS:
        computation = calendar.add_working_days(deadline.trigger_date, deadline.count)
        deadline.due_date = computation.date
        deadline.provisional = computation.provisional
        trail = computation.trail()
    elif deadline.unit == Deadline.Unit.CALENDAR_DAYS:
        deadline.due_date = deadline.trigger_date + dt.timedelta(days=deadline.count)
        deadline.provisional = False
        trail = {
            "rule": gettext_noop("calendar days from the trigger date"),
            "days": deadline.count,
        }
    else:
        deadline.due_date = explicit_due or deadline.due_date
        deadline.provisional = False
        trail = {"rule": gettext_noop("fixed date")}
    trail["due_date"] = deadline.due_date.isoformat()
    kept = {k: v for k, v in (deadline.trail or {}).items() if k in ("history", "requested")}
    deadline.trail = {**trail, "history": [], **kept}
    deadline.due_at = None if deadline.suspended_on else end_of_day(deadline.due_date)


def _step_time(step: tuple, deadline: Deadline, calendar: WorkingCalendar, now) -> dt.datetime:
    kind = step[0]
    if kind == "at_open":
        return now
    if kind == "working_days_before":
        day = calendar.working_days_before(deadline.due_date, step[1])
    elif kind == "days_before":
        day = deadline.due_date - dt.timedelta(days=step[1])
    elif kind == "due_morning":
        day = deadline.due_date
    else:
        raise ValueError(f"unknown reminder step {step!r}")
    return dt.datetime.combine(day, REMINDER_HOUR, tzinfo=LEGAL_TZ)


def step_code(step: tuple, due_date: dt.date | None = None) -> str:
    """'due_morning@2026-11-25': reminders belong to one due date, so moving a deadline
    schedules fresh ones. The notice at opening is sent once, whatever the moves."""
    code = "_".join(str(part) for part in step)
    return code if step[0] == "at_open" or due_date is None else f"{code}@{due_date.isoformat()}"


def _schedule(deadline: Deadline, calendar: WorkingCalendar, now) -> None:
    """Create the reminders for the current due date and cancel those still waiting for an
    earlier one. A step already past is skipped, except that a deadline opened late
    still warns once: without an at-open step, the latest past step goes out now."""
    existing = {r.step: r for r in deadline.reminders.all()} if deadline.pk else {}
    steps = POLICIES[deadline.kind].steps
    times = {step_code(s, deadline.due_date): _step_time(s, deadline, calendar, now) for s in steps}
    stale = [
        r.pk for code, r in existing.items()
        if "@" in code and code not in times and r.status == Reminder.Status.SCHEDULED
    ]  # fmt: skip
    Reminder.objects.filter(pk__in=stale).update(status=Reminder.Status.CANCELLED)
    past = [code for code in times if code != "at_open" and times[code] < now]
    catch_up = None
    first_time = not any("@" in code or code == "at_open" for code in existing)
    if first_time and past and not any(step[0] == "at_open" for step in steps):
        catch_up = max(past, key=lambda code: times[code])
    for code, send_at in times.items():
        reminder = existing.get(code)
        if reminder and reminder.status == Reminder.Status.EXPANDED:
            continue
        status = Reminder.Status.SCHEDULED
        if code == catch_up:
            send_at = now
        elif code in past:
            status = Reminder.Status.SKIPPED
        if deadline.suspended_on:
            status = Reminder.Status.CANCELLED
        if reminder is None:
            if code == "at_open" and existing:
                continue  # moves never re-send the opening notice
            Reminder.objects.create(deadline=deadline, step=code, send_at=send_at, status=status)
        elif (reminder.send_at, reminder.status) != (send_at, status):
            reminder.send_at, reminder.status = send_at, status
            reminder.save(update_fields=["send_at", "status"])


def _history(deadline: Deadline, event: str, **details) -> None:
    entry = {"at": timezone.now().isoformat(), "event": event, **details}
    deadline.trail.setdefault("history", []).append(entry)


# --- opening and closing --------------------------------------------------------------------


def _subject_key(subject) -> tuple[ContentType, int]:
    return ContentType.objects.get_for_model(subject, for_concrete_model=True), subject.pk


def open_deadline_for(subject, kind: str) -> Deadline | None:
    content_type, pk = _subject_key(subject)
    return Deadline.objects.filter(
        subject_type=content_type, subject_id=pk, kind=kind, status=Deadline.Status.OPEN
    ).first()


@transaction.atomic
def deadline_open(
    *,
    subject,
    kind: str,
    trigger_date: dt.date,
    unit: str = Deadline.Unit.WORKING_DAYS,
    count: int = 0,
    due_date: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
    parties: Parties | None = None,
) -> Deadline:
    """Open the deadline of `kind` on `subject`, or return the open one if it already
    matches; an open one with other terms is moved to the new terms. `parties` defaults
    to `subject.deadline_parties()`."""
    if kind not in POLICIES:
        raise InvalidInput({"kind": _("Unknown deadline kind '%(kind)s'.") % {"kind": kind}})
    if unit == Deadline.Unit.DATE and due_date is None:
        raise InvalidInput({"due_date": _("A fixed-date deadline needs its date.")})
    calendar = calendar or WorkingCalendar.load()
    content_type, pk = _subject_key(subject)
    requested = {
        "trigger_date": trigger_date.isoformat(), "unit": unit, "count": count,
        "due_date": due_date.isoformat() if due_date else None,
    }  # fmt: skip
    existing = (
        Deadline.objects.select_for_update()
        .filter(subject_type=content_type, subject_id=pk, kind=kind, status=Deadline.Status.OPEN)
        .first()
    )
    if existing:
        # The same terms as first requested: nothing to do, even if a suspension has
        # since shifted the stored trigger and count.
        if existing.trail.get("requested") == requested:
            return existing
        existing.trail["requested"] = requested
        return _move(existing, calendar, trigger_date, unit, count, due_date, TERMS_CHANGED)
    parties = parties or subject.deadline_parties()
    deadline = Deadline(
        subject_type=content_type,
        subject_id=pk,
        subject_label=parties.label[:255],
        holder_id=parties.holder_id,
        office_id=parties.office_id,
        agency_id=parties.agency_id,
        kind=kind,
        trigger_date=trigger_date,
        unit=unit,
        count=count,
        due_date=due_date or trigger_date,
        trail={"requested": requested},
    )
    _compute(deadline, calendar, explicit_due=due_date)
    try:
        with transaction.atomic():  # two concurrent opens: the second reads the first
            deadline.save()
    except IntegrityError:
        return Deadline.objects.get(
            subject_type=content_type, subject_id=pk, kind=kind, status=Deadline.Status.OPEN
        )
    _schedule(deadline, calendar, timezone.now())
    return deadline


def _close(subject, kind: str, status: str, reason: str) -> Deadline | None:
    content_type, pk = _subject_key(subject)
    deadline = (
        Deadline.objects.select_for_update()
        .filter(subject_type=content_type, subject_id=pk, kind=kind, status=Deadline.Status.OPEN)
        .first()
    )
    if deadline is None:
        return None
    deadline.status = status
    deadline.closed_at = timezone.now()
    deadline.close_reason = reason[:255]
    deadline.save(update_fields=["status", "closed_at", "close_reason"])
    deadline.reminders.filter(status=Reminder.Status.SCHEDULED).update(
        status=Reminder.Status.CANCELLED
    )
    return deadline


@transaction.atomic
def deadline_close(*, subject, kind: str, reason: str = "") -> Deadline | None:
    """The obligation was met (e.g. the holder replied). No open deadline: nothing to do."""
    return _close(subject, kind, Deadline.Status.MET, reason)


@transaction.atomic
def deadline_cancel(*, subject, kind: str, reason: str = "") -> Deadline | None:
    """The deadline no longer applies (e.g. the case was withdrawn)."""
    return _close(subject, kind, Deadline.Status.CANCELLED, reason)


def _move(deadline, calendar, trigger_date, unit, count, due_date, reason, notify=True):
    previous = deadline.due_date
    deadline.trigger_date, deadline.unit, deadline.count = trigger_date, unit, count
    _compute(deadline, calendar, explicit_due=due_date)
    if deadline.due_date != previous:
        _history(deadline, "moved", previous=previous.isoformat(),
                 new=deadline.due_date.isoformat(), reason=reason)  # fmt: skip
        # R29: an officer confirmed the date that was, not the new one.
        deadline.confirmed_at = deadline.confirmed_by = None
    deadline.save()
    now = timezone.now()
    _schedule(deadline, calendar, now)
    if not _awaits_confirmation(deadline, now):
        _resolve_confirmation_request(deadline, actor=None, now=now)
    if notify and deadline.due_date != previous:
        # One "moved" notice per distinct new date: unique step name per move.
        Reminder.objects.get_or_create(
            deadline=deadline,
            step=f"{MOVED_STEP_PREFIX}_{previous.isoformat()}_{deadline.due_date.isoformat()}",
            defaults={"send_at": now},
        )
    return deadline


@transaction.atomic
def deadline_move(
    *,
    deadline: Deadline,
    reason: str,
    trigger_date: dt.date | None = None,
    count: int | None = None,
    due_date: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.status != Deadline.Status.OPEN:
        raise Conflict(
            _("The deadline is %(status)s; only open deadlines move.")
            % {"status": str(deadline.get_status_display()).lower()}
        )
    return _move(
        deadline,
        calendar or WorkingCalendar.load(deadline.jurisdiction),
        trigger_date or deadline.trigger_date,
        deadline.unit,
        deadline.count if count is None else count,
        due_date,
        reason,
    )


@transaction.atomic
def deadline_suspend(*, subject, kind: str, on: dt.date, reason: str) -> Deadline | None:
    """Stop the clock (R5: time the applicant spends supplementing documents does not count)."""
    deadline = open_deadline_for(subject, kind)
    if deadline is None:
        return None
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.status != Deadline.Status.OPEN or deadline.suspended_on:
        return deadline
    if deadline.unit != Deadline.Unit.WORKING_DAYS:
        raise InvalidInput({"kind": _("Only working-day periods can be suspended.")})
    calendar = WorkingCalendar.load(deadline.jurisdiction)
    used = calendar.working_days_between(deadline.trigger_date, on)
    deadline.suspended_on = on
    deadline.trail["remaining_working_days"] = max(deadline.count - used, 0)
    _history(deadline, "suspended", on=on.isoformat(), used=used, reason=reason)
    deadline.due_at = None
    deadline.save(update_fields=["suspended_on", "trail", "due_at"])
    deadline.reminders.filter(status=Reminder.Status.SCHEDULED).update(
        status=Reminder.Status.CANCELLED
    )
    return deadline


@transaction.atomic
def deadline_resume(*, subject, kind: str, on: dt.date, reason: str) -> Deadline | None:
    """Restart the clock: the remaining working days run from the day after `on`."""
    deadline = open_deadline_for(subject, kind)
    if deadline is None:
        return None
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.status != Deadline.Status.OPEN or not deadline.suspended_on:
        return deadline
    calendar = WorkingCalendar.load(deadline.jurisdiction)
    remaining = deadline.trail.get("remaining_working_days", deadline.count)
    _history(deadline, "resumed", on=on.isoformat(), remaining=remaining, reason=reason)
    deadline.suspended_on = None
    return _move(deadline, calendar, on, deadline.unit, remaining, None, reason, notify=False)


# --- confirming a provisional date (R29) ----------------------------------------------------

OFFICER_ROLES = ("gacc_officer", "district_officer")


def _awaits_confirmation(deadline: Deadline, now) -> bool:
    """An open provisional date that has passed and that no officer has confirmed."""
    return (
        deadline.status == Deadline.Status.OPEN
        and deadline.provisional
        and deadline.confirmed_at is None
        and deadline.due_at is not None
        and deadline.due_at <= now
    )


def _resolve_confirmation_request(deadline: Deadline, *, actor, now) -> None:
    # An open deadline's only escalation is the request to confirm its date: a missed
    # deadline's escalation is raised when the deadline closes.
    if deadline.status == Deadline.Status.OPEN:
        Escalation.objects.filter(deadline=deadline, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=actor
        )


@transaction.atomic
def deadline_confirm(*, actor, deadline: Deadline) -> Deadline:
    """An officer confirms a provisional due date (R29), having checked it against what
    is known of the year: from then on its passing counts, so a filing after it is late
    and the release it makes due may go ahead. Without a confirmation only entering the
    year's notice (deadlines_recompute) makes the date final.

    A met or missed deadline may be confirmed too: a later step can still hang on its date
    (R12: goods are released for want of a bond after a reply in time). Confirming twice
    changes nothing."""
    role = acting_role(actor)
    if role not in OFFICER_ROLES:
        raise NotPermitted(_("Only customs officers confirm a provisional due date (R29)."))
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    may_act(actor, deadline)  # a district officer: its own office's deadlines
    if deadline.status == Deadline.Status.CANCELLED:
        raise Conflict(_("The deadline is cancelled: there is no date to confirm."))
    if not deadline.provisional:
        raise Conflict(_("The due date is final, not provisional: there is nothing to confirm."))
    if deadline.confirmed_at is not None:
        return deadline
    now = timezone.now()
    deadline.confirmed_at, deadline.confirmed_by = now, actor
    _history(deadline, "confirmed", by=actor.pk, due_date=deadline.due_date.isoformat())
    deadline.save(update_fields=["confirmed_at", "confirmed_by", "trail"])
    _resolve_confirmation_request(deadline, actor=actor, now=now)
    return deadline


# --- the calendar ---------------------------------------------------------------------------


@transaction.atomic
def calendar_seed(*, jurisdiction: str = "CN") -> dict:
    """Load every year `chinesecalendar` covers (officers' manual rows are kept), then
    recompute the open deadlines of every year whose days changed."""
    result = load_chinesecalendar(CalendarDay, CalendarYear, jurisdiction)
    calendar_changed(jurisdiction=jurisdiction, years=result["changed_years"])
    return result


def calendar_changed(*, jurisdiction: str, years) -> None:
    """Record the years whose calendar changed, in the caller's transaction, and ask for
    their deadlines to be recomputed. The record survives a lost task: every sweep
    processes what is still pending."""
    from deadlines.tasks import recompute_deadlines

    years = sorted({int(y) for y in years or ()})
    if not years:
        return
    CalendarChange.objects.bulk_create(
        CalendarChange(jurisdiction=jurisdiction, year=year) for year in years
    )
    transaction.on_commit(recompute_deadlines.delay)


def calendar_changes_process() -> int:
    """Recompute the open deadlines of every pending calendar change; returns how many
    deadlines moved. Concurrent runs split the work (SKIP LOCKED)."""
    with transaction.atomic():
        pending = list(
            CalendarChange.objects.select_for_update(skip_locked=True).filter(
                processed_at__isnull=True
            )
        )
        if not pending:
            return 0
        years: dict[str, set[int]] = {}
        for change in pending:
            years.setdefault(change.jurisdiction, set()).add(change.year)
        moved = sum(
            deadlines_recompute(jurisdiction=j, years=sorted(ys)) for j, ys in years.items()
        )
        CalendarChange.objects.filter(pk__in=[c.pk for c in pending]).update(
            processed_at=timezone.now()
        )
    return moved


def deadlines_recompute(*, jurisdiction: str = "CN", years: list[int] | None = None) -> int:
    """Recompute every open working-day deadline whose period touches `years` (all open
    provisional ones when `years` is None). Where a date moves, the parties are told.
    Closed deadlines still provisional get their final date too (R29)."""
    calendar = WorkingCalendar.load(jurisdiction)
    candidates = Deadline.objects.filter(
        jurisdiction=jurisdiction, status=Deadline.Status.OPEN, unit=Deadline.Unit.WORKING_DAYS
    )
    span = Q()  # every year
    if years:
        overlaps = (
            Q(trigger_date__lte=dt.date(y, 12, 31), due_date__gte=dt.date(y, 1, 1)) for y in years
        )
        span = reduce(operator.or_, overlaps)
        candidates = candidates.filter(span | Q(provisional=True))
    else:
        candidates = candidates.filter(provisional=True)
    _recompute_closed_provisional(calendar, jurisdiction, span)
    moved = 0
    for pk in candidates.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            deadline = Deadline.objects.select_for_update().get(pk=pk)
            if deadline.status != Deadline.Status.OPEN or deadline.suspended_on:
                continue
            before = (deadline.due_date, deadline.provisional)
            _move(deadline, calendar, deadline.trigger_date, deadline.unit, deadline.count,
                  None, CALENDAR_CHANGED)  # fmt: skip
            if (deadline.due_date, deadline.provisional) != before:
                moved += 1
    return moved


def _recompute_closed_provisional(calendar: WorkingCalendar, jurisdiction: str, span: Q) -> None:
    """A met or missed deadline keeps its status, but a later step may still hang on its
    date (R12: a release for want of a bond after a reply in time): once its years are
    entered, its date becomes final too (R29). Nobody is told: the deadline is closed."""
    closed = Deadline.objects.filter(
        jurisdiction=jurisdiction,
        unit=Deadline.Unit.WORKING_DAYS,
        provisional=True,
        status__in=(Deadline.Status.MET, Deadline.Status.MISSED),
        suspended_on__isnull=True,
    ).filter(span)
    for pk in closed.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            deadline = Deadline.objects.select_for_update().get(pk=pk)
            previous = deadline.due_date
            _compute(deadline, calendar)
            if deadline.provisional:
                continue  # still crosses a year not entered: left as it was
            _history(deadline, "recomputed", previous=previous.isoformat(),
                     new=deadline.due_date.isoformat())  # fmt: skip
            deadline.save(update_fields=["due_date", "due_at", "provisional", "trail"])


# --- the sweep ------------------------------------------------------------------------------


@dataclass
class SweepResult:
    deadlines_closed: int = 0
    confirmations_requested: int = 0
    reminders_expanded: int = 0
    deliveries_created: int = 0
    deliveries_queued: int = 0


def sweep(*, now: dt.datetime | None = None, batch: int = SWEEP_BATCH) -> SweepResult:
    """One pass: close deadlines that ran out, expand due reminders into deliveries, and
    queue every pending delivery that is due and not already queued recently.

    Safe to run concurrently (rows are claimed with SKIP LOCKED and deliveries are unique)
    and after any outage (everything due is found by time, once)."""
    now = now or timezone.now()
    result = SweepResult()
    calendar_changes_process()  # a calendar change whose task was lost is not forgotten
    while True:
        closed = _close_due_deadlines(now, batch)
        result.deadlines_closed += closed
        if closed < batch:
            break
    while True:
        asked = _ask_to_confirm_provisional(now, batch)
        result.confirmations_requested += asked
        if asked < batch:
            break
    resolver = RecipientResolver()
    while True:
        expanded, created = _expand_due_reminders(now, batch, resolver)
        result.reminders_expanded += expanded
        result.deliveries_created += created
        if expanded < batch:
            break
    while True:
        queued = _queue_due_deliveries(now, batch)
        result.deliveries_queued += queued
        if queued < batch:
            break
    return result


def due_reminders(now, batch=SWEEP_BATCH):
    """The set-based, indexed selection of reminders due (reminder_due_idx)."""
    return Reminder.objects.filter(status=Reminder.Status.SCHEDULED, send_at__lte=now).order_by(
        "send_at"
    )[:batch]


def _escalate(rows) -> None:
    """Raise (or raise again) one escalation per deadline. A deadline has one: the request
    to confirm its provisional date (R29) becomes the task its miss calls for."""
    Escalation.objects.bulk_create(
        [Escalation(deadline_id=pk, office_id=office, holder_id=holder, action=action)
         for pk, office, holder, action in rows],
        update_conflicts=True,
        unique_fields=["deadline"],
        update_fields=["office", "holder", "action", "created_at", "resolved_at", "resolved_by"],
    )  # fmt: skip


@transaction.atomic
def _close_due_deadlines(now, batch) -> int:
    """Set-based: lock a batch of run-out deadlines, mark them met or missed per policy,
    raise the escalations and queue the "missed" notices, in a handful of statements.

    A provisional date no officer has confirmed closes nothing (R29): see
    _ask_to_confirm_provisional."""
    rows = list(
        Deadline.objects.select_for_update(skip_locked=True)
        .filter(status=Deadline.Status.OPEN, due_at__lte=now)
        .exclude(provisional=True, confirmed_at__isnull=True)
        .order_by("due_at")
        .values_list("pk", "kind", "office_id", "holder_id")[:batch]
    )
    if not rows:
        return 0
    met = [pk for pk, kind, *_ in rows if POLICIES[kind].at_due == "met"]
    missed = [(pk, kind, office, holder) for pk, kind, office, holder in rows if pk not in met]
    closing = {"closed_at": now, "close_reason": DUE_DATE_PASSED}
    Deadline.objects.filter(pk__in=met).update(status=Deadline.Status.MET, **closing)
    Deadline.objects.filter(pk__in=[m[0] for m in missed]).update(
        status=Deadline.Status.MISSED, **closing
    )
    Reminder.objects.filter(
        deadline_id__in=[row[0] for row in rows], status=Reminder.Status.SCHEDULED
    ).update(status=Reminder.Status.SKIPPED)
    with translation.override("en"):  # stored in English, shown in the reader's language
        _escalate(
            [(pk, office, holder, str(POLICIES[kind].escalation))
             for pk, kind, office, holder in missed if POLICIES[kind].escalation]
        )  # fmt: skip
    Reminder.objects.bulk_create(
        [Reminder(deadline_id=pk, step=MISSED_STEP, send_at=now) for pk, *_ in missed],
        ignore_conflicts=True,
    )
    return len(rows)


@transaction.atomic
def _ask_to_confirm_provisional(now, batch) -> int:
    """R29: a provisional date passed unconfirmed leaves its deadline open, and the
    handling office's officers get one open escalation asking them to confirm the date
    (or to enter the year's notice). Run again, it finds those already asked; a request
    marked resolved while the date is still unconfirmed is raised again."""
    asked = Escalation.objects.filter(deadline=OuterRef("pk"), resolved_at__isnull=True)
    rows = list(
        Deadline.objects.select_for_update(skip_locked=True)
        .filter(
            status=Deadline.Status.OPEN,
            due_at__lte=now,
            provisional=True,
            confirmed_at__isnull=True,
        )
        .exclude(Exists(asked))
        .order_by("due_at")
        .values_list("pk", "office_id", "holder_id", "due_date")[:batch]
    )
    with translation.override("en"):  # stored in English, shown in the reader's language
        _escalate([(pk, office, holder, str(CONFIRMATION_REQUEST) % {"date": due})
                   for pk, office, holder, due in rows])  # fmt: skip
    return len(rows)


@transaction.atomic
def _expand_due_reminders(now, batch, resolver: RecipientResolver) -> tuple[int, int]:
    reminders = list(
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("deadline")
        .filter(status=Reminder.Status.SCHEDULED, send_at__lte=now)
        .order_by("send_at")[:batch]
    )
    resolver.prime(
        [r.deadline.holder_id for r in reminders], [r.deadline.office_id for r in reminders]
    )
    deliveries, obsolete = [], []
    for reminder in reminders:
        deadline = reminder.deadline
        if not _still_relevant(deadline, reminder.step):
            obsolete.append(reminder.pk)
            continue
        groups = POLICIES[deadline.kind].recipients
        if reminder.step == MISSED_STEP:
            groups = tuple({*groups, "officers"})
        for recipient in resolver.resolve(
            holder_id=deadline.holder_id, office_id=deadline.office_id, groups=groups,
            agency_id=deadline.agency_id,
        ):  # fmt: skip
            deliveries.append(
                Delivery(
                    reminder=reminder,
                    channel=recipient.channel,
                    address=recipient.address,
                    user_id=recipient.user_id,
                    language=recipient.language or "",
                    next_attempt_at=now,
                )
            )
    created = Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    Reminder.objects.filter(pk__in=[r.pk for r in reminders if r.pk not in obsolete]).update(
        status=Reminder.Status.EXPANDED, expanded_at=now
    )
    Reminder.objects.filter(pk__in=obsolete).update(status=Reminder.Status.CANCELLED)
    return len(reminders) - len(obsolete), len(created)


def _still_relevant(deadline: Deadline, step: str) -> bool:
    """A reminder of a deadline met or cancelled meanwhile is not sent; the notices of a
    miss or a move are."""
    return (
        deadline.status == Deadline.Status.OPEN
        or step == MISSED_STEP
        or step.startswith(MOVED_STEP_PREFIX)
    )


def requeue_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "DEADLINES_REQUEUE_AFTER_SECONDS", 120))


@transaction.atomic
def _queue_due_deliveries(now, batch) -> int:
    """Queue pending deliveries that are due and not queued within `requeue_after`: new
    ones, retries whose backoff is over, and any whose task was lost (Redis flushed,
    worker killed). Sending is idempotent, so a second task for one delivery is harmless."""
    from deadlines.tasks import send_delivery

    stale = now - requeue_after()
    ids = list(
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    if ids:
        Delivery.objects.filter(pk__in=ids).update(queued_at=now)

        def enqueue():
            for pk in ids:
                send_delivery.delay(pk)

        transaction.on_commit(enqueue)
    return len(ids)


# --- sending --------------------------------------------------------------------------------


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> str:
    """Send one delivery at most once: the row is locked, re-checked and marked sent in the
    same transaction as the in-app notification. For email, the Message-ID is derived from
    the delivery, so a resend after a crash between SMTP and commit is recognisable.

    Any failure of the send itself is recorded as an attempt (a savepoint keeps the
    transaction usable), so a poison message ends `failed` instead of looping."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("reminder__deadline", "user")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "missing"
        if delivery.status != Delivery.Status.PENDING:
            return delivery.status
        if delivery.next_attempt_at > now:
            return "not_due"  # a duplicate task arrived during the backoff: wait for it
        deadline = delivery.reminder.deadline
        if not _still_relevant(deadline, delivery.reminder.step):
            delivery.status = Delivery.Status.CANCELLED
            delivery.save(update_fields=["status"])
            return delivery.status
        language = delivery.language or (
            delivery.user.preferred_language if delivery.user_id else ""
        )
        subject, body = compose(deadline, delivery.reminder.step, language)
        delivery.attempts += 1
        try:
            with transaction.atomic():
                _deliver(delivery, deadline, subject, body, language)
        except Exception as exc:  # any failure of the channel counts as an attempt
            return _record_failure(delivery, exc, now)
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = now
        delivery.last_error = ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return delivery.status


def _deliver(delivery: Delivery, deadline: Deadline, subject: str, body: str, language) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        EmailMessage(
            subject=email_subject(subject, language),
            body=body,
            to=[delivery.address],
            headers={"Message-ID": f"<delivery-{delivery.pk}@customs-ipr>"},
        ).send(fail_silently=False)
    else:
        Notification.objects.create(
            user_id=delivery.user_id, deadline=deadline, delivery=delivery,
            title=subject[:255], body=body,
        )  # fmt: skip


def _record_failure(delivery: Delivery, exc: Exception, now) -> str:
    delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    delivery.queued_at = None
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
    else:
        wait = BACKOFF_MINUTES[min(delivery.attempts, len(BACKOFF_MINUTES)) - 1]
        delivery.next_attempt_at = now + dt.timedelta(minutes=wait)
    delivery.save(
        update_fields=["attempts", "last_error", "queued_at", "status", "next_attempt_at"]
    )
    logger.warning("delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts,
                   delivery.last_error)  # fmt: skip
    return delivery.status


@transaction.atomic
def delivery_retry(*, delivery: Delivery) -> Delivery:
    """An officer retries a failed delivery now."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != Delivery.Status.FAILED:
        raise Conflict(_("Only failed deliveries can be retried."))
    delivery.status = Delivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.queued_at = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "queued_at"])
    return delivery


@transaction.atomic
def escalation_resolve(*, escalation: Escalation, actor) -> Escalation:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.resolved_at:
        raise Conflict(_("This escalation is already resolved."))
    escalation.resolved_at = timezone.now()
    escalation.resolved_by = actor
    escalation.save(update_fields=["resolved_at", "resolved_by"])
    return escalation


@transaction.atomic
def notification_mark_read(*, user, ids: list[int] | None = None) -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
