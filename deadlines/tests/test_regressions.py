"""Defects found in review of the deadline engine, each pinned by a test."""

import datetime as dt

import pytest
from django.core import mail

from accounts.tests.factories import AuthorisationFactory, UserFactory
from deadlines import services
from deadlines.models import (
    CalendarChange,
    CalendarDay,
    CalendarYear,
    Deadline,
    DeadlineKind,
    Delivery,
    Reminder,
)

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
REPLY = DeadlineKind.REPLY_TO_DETENTION_NOTICE


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks, monkeypatch):
    def run(now):
        monkeypatch.setattr("django.utils.timezone.now", lambda: now)
        with django_capture_on_commit_callbacks(execute=True):
            return services.sweep(now=now)

    return run


def test_another_agencys_power_of_attorney_is_not_shown_or_sent_to_agent_a(
    api, parties, at, run_sweep
):
    other = AuthorisationFactory(holder=parties["holder_a"], ends_on=D("2030-12-31"))
    other_agent = UserFactory(organisation=other.agency)
    deadline = services.deadline_open(
        subject=other, kind=DeadlineKind.AUTHORISATION_EXPIRY, trigger_date=other.starts_on,
        unit=Deadline.Unit.DATE, due_date=other.ends_on,
    )  # fmt: skip
    api.force_authenticate(parties["users"]["agent_a"])
    assert api.get(f"/api/v1/deadlines/{deadline.pk}/").status_code == 404
    api.force_authenticate(other_agent)
    assert api.get(f"/api/v1/deadlines/{deadline.pk}/").status_code == 200
    run_sweep(at("2030-12-01T10:00"))  # the 30-day reminder
    recipients = {m.to[0] for m in mail.outbox}
    assert other_agent.email in recipients
    assert parties["users"]["agent_a"].email not in recipients


def test_a_calendar_token_with_a_nul_byte_is_404_not_500(api):
    assert api.get("/api/v1/deadlines.ics", {"token": "abc\x00def"}).status_code == 404


@pytest.fixture
def pending_email(subject, ningbo_parties, at, run_sweep, monkeypatch):
    services.deadline_open(subject=subject, kind=REPLY, trigger_date=D("2030-09-27"), count=3,
                           parties=ningbo_parties)  # fmt: skip
    monkeypatch.setattr("deadlines.tasks.send_delivery.delay", lambda pk: None)
    run_sweep(at("2030-09-27T10:00"))
    monkeypatch.undo()
    return Delivery.objects.filter(channel="email").first()


def test_any_failure_of_the_channel_counts_as_an_attempt(pending_email, at, monkeypatch):
    def explode(self, fail_silently=False):
        raise RuntimeError("template blew up")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", explode)
    now = at("2030-09-27T10:00")
    for minutes in (0, 1, 6, 21, 81):
        services.delivery_send(delivery_id=pending_email.pk,
                               now=now + dt.timedelta(minutes=minutes, seconds=1))  # fmt: skip
    pending_email.refresh_from_db()
    assert (pending_email.status, pending_email.attempts) == ("failed", 5)
    assert "RuntimeError" in pending_email.last_error


def test_a_duplicate_task_during_the_backoff_waits(pending_email, at, monkeypatch):
    def refuse(self, fail_silently=False):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    now = at("2030-09-27T10:00")
    services.delivery_send(delivery_id=pending_email.pk, now=now)
    assert services.delivery_send(delivery_id=pending_email.pk, now=now) == "not_due"
    pending_email.refresh_from_db()
    assert pending_email.attempts == 1


def test_a_reminder_is_not_sent_after_its_deadline_was_met(pending_email, subject):
    services.deadline_close(subject=subject, kind=REPLY, reason="holder replied")
    now = pending_email.next_attempt_at
    assert services.delivery_send(delivery_id=pending_email.pk, now=now) == "cancelled"
    assert mail.outbox == []


def test_reminders_of_a_closed_deadline_are_not_expanded(subject, ningbo_parties, at, run_sweep):
    deadline = services.deadline_open(subject=subject, kind=REPLY, trigger_date=D("2030-09-27"),
                                      count=3, parties=ningbo_parties)  # fmt: skip
    Deadline.objects.filter(pk=deadline.pk).update(status="met", closed_at=at("2030-09-27T09:00"))
    result = run_sweep(at("2030-09-27T10:00"))
    assert (result.reminders_expanded, result.deliveries_created) == (0, 0)
    assert deadline.reminders.get(step="at_open").status == "cancelled"


def test_a_calendar_change_whose_task_was_lost_is_processed_by_the_sweep(
    subject, ningbo_parties, at, run_sweep
):
    deadline = services.deadline_open(subject=subject, kind=REPLY, trigger_date=D("2026-12-29"),
                                      count=3, parties=ningbo_parties)  # fmt: skip
    CalendarDay.objects.create(date=D("2027-01-01"), kind="holiday", name="New Year")
    CalendarYear.objects.create(year=2027)
    services.calendar_changed(jurisdiction="CN", years=[2027])  # its task is never run
    assert CalendarChange.objects.filter(processed_at__isnull=True).count() == 1
    run_sweep(at("2026-12-29T10:00"))
    deadline.refresh_from_db()
    assert (deadline.due_date, deadline.provisional) == (D("2027-01-04"), False)
    assert not CalendarChange.objects.filter(processed_at__isnull=True).exists()


def test_reseeding_reports_corrected_days_in_announced_years():
    from deadlines.reference import load_chinesecalendar

    CalendarDay.objects.filter(date=D("2025-10-08")).update(kind="workday", name="wrong")
    result = load_chinesecalendar(CalendarDay, CalendarYear)
    assert result["changed_years"] == [2025]
    assert CalendarDay.objects.get(date=D("2025-10-08")).kind == "holiday"


def test_reopening_with_the_original_terms_after_a_suspension_changes_nothing(
    subject, ningbo_parties
):
    kind = DeadlineKind.RECORDAL_REVIEW
    terms = {"subject": subject, "kind": kind, "trigger_date": D("2025-03-03"), "count": 30,
             "parties": ningbo_parties}  # fmt: skip
    services.deadline_open(**terms)
    services.deadline_suspend(subject=subject, kind=kind, on=D("2025-03-14"), reason="c")
    resumed = services.deadline_resume(subject=subject, kind=kind, on=D("2025-04-07"), reason="r")
    again = services.deadline_open(**terms)
    assert again.due_date == resumed.due_date == D("2025-05-08")
    assert not again.reminders.filter(step__startswith="moved").exists()


def test_each_moved_notice_names_its_own_dates(subject, ningbo_parties, at, run_sweep):
    deadline = services.deadline_open(subject=subject, kind=REPLY, trigger_date=D("2030-11-22"),
                                      count=3, parties=ningbo_parties)  # fmt: skip
    services.deadline_move(deadline=deadline, reason="first", count=5)
    services.deadline_move(deadline=deadline, reason="second", count=7)
    run_sweep(at("2030-11-22T10:00"))
    bodies = {m.body for m in mail.outbox if "moved" in m.subject.lower()}
    assert any("2030-11-27 to 2030-11-29" in b and "first" in b for b in bodies)
    assert any("2030-11-29 to 2030-12-03" in b and "second" in b for b in bodies)


def test_moving_a_deadline_later_rearms_its_reminders(subject, ningbo_parties, at, run_sweep):
    deadline = services.deadline_open(subject=subject, kind=REPLY, trigger_date=D("2030-11-22"),
                                      count=3, parties=ningbo_parties)  # fmt: skip
    run_sweep(at("2030-11-27T12:00"))  # every reminder for Nov 27 has gone out
    services.deadline_move(deadline=deadline, reason="court extended", count=8)  # → Dec 4
    scheduled = set(deadline.reminders.filter(status="scheduled").values_list("step", flat=True))
    assert {"working_days_before_1@2030-12-04", "due_morning@2030-12-04"} <= scheduled
    assert Reminder.objects.filter(deadline=deadline, step="at_open").count() == 1
