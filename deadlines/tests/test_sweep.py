"""The sweep and sending: every reminder goes out once per recipient, never twice, and
nothing due is lost (eager tasks here; a real worker in test_celery_reminders.py)."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.test import Client

from accounts.tests.factories import PASSWORD
from deadlines import services
from deadlines.models import Deadline, DeadlineKind, Delivery, Escalation, Notification

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
REPLY = DeadlineKind.REPLY_TO_DETENTION_NOTICE

# holder contacts (2) + holder A user + agent A user + Ningbo officer, by email: 5;
# the three users in-app: 3. The expired agency hears nothing.
EMAILS = 5
IN_APP = 3


@pytest.fixture
def reply(subject, ningbo_parties, parties):
    # Served Fri 2030-11-22, a year not announced: due Wed 2030-11-27, provisional. Ningbo's
    # officer confirms the date, so that its passing counts (R29).
    deadline = services.deadline_open(
        subject=subject, kind=REPLY, trigger_date=D("2030-11-22"), count=3, parties=ningbo_parties
    )
    return services.deadline_confirm(actor=parties["users"]["ningbo"], deadline=deadline)


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks, monkeypatch):
    """Sweep and send as if the clock read `now`."""

    def run(now):
        monkeypatch.setattr("django.utils.timezone.now", lambda: now)
        with django_capture_on_commit_callbacks(execute=True):
            return services.sweep(now=now)

    return run


def test_r12_notice_reminder_reaches_holder_contacts_agents_and_officers(
    reply, parties, at, run_sweep
):
    result = run_sweep(at("2030-11-22T10:00"))
    assert (result.reminders_expanded, result.deliveries_created) == (1, EMAILS + IN_APP)
    assert len(mail.outbox) == EMAILS
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "legal@a.example" in recipients and "backup@a.example" in recipients
    assert parties["users"]["agent_expired"].email not in recipients
    assert parties["users"]["shenzhen"].email not in recipients
    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert notified == {parties["users"][r].pk for r in ("holder_a", "agent_a", "ningbo")}
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<delivery-")


def test_a_second_sweep_sends_nothing_more(reply, at, run_sweep):
    run_sweep(at("2030-11-22T10:00"))
    result = run_sweep(at("2030-11-22T10:01"))
    assert (result.reminders_expanded, result.deliveries_created) == (0, 0)
    assert len(mail.outbox) == EMAILS
    assert Notification.objects.count() == IN_APP


def test_after_a_day_of_downtime_each_missed_reminder_goes_out_once(reply, at, run_sweep):
    # Down from before the notice until the morning of the due day: three steps are due.
    result = run_sweep(at("2030-11-27T12:00"))
    assert result.reminders_expanded == 3
    assert len(mail.outbox) == 3 * EMAILS
    assert Delivery.objects.filter(status="sent").count() == 3 * (EMAILS + IN_APP)
    for minute in range(1, 4):  # the sweeps that follow find nothing new
        run_sweep(at(f"2030-11-27T12:0{minute}"))
    assert len(mail.outbox) == 3 * EMAILS


def test_r12_missed_reply_escalates_to_officers_once(reply, at, run_sweep):
    run_sweep(at("2030-11-27T12:00"))
    mail.outbox.clear()
    result = run_sweep(at("2030-11-28T00:00"))  # 24:00
    reply.refresh_from_db()
    assert result.deadlines_closed == 1
    assert reply.status == "missed"
    escalation = Escalation.objects.get(deadline=reply)
    assert escalation.action == "No reply to the detention notice: release due (R12)"
    assert escalation.office_id == reply.office_id
    assert len(mail.outbox) == EMAILS
    assert all(m.subject.startswith("[Customs IPR] Missed:") for m in mail.outbox)
    run_sweep(at("2030-11-28T00:05"))
    assert Escalation.objects.count() == 1
    assert len(mail.outbox) == EMAILS


def test_a_deadline_met_in_time_is_not_escalated(reply, at, run_sweep):
    services.deadline_close(subject=reply.subject, kind=REPLY, reason="holder replied")
    run_sweep(at("2030-11-30T00:00"))
    reply.refresh_from_db()
    assert reply.status == "met"
    assert not Escalation.objects.exists()


def test_an_informational_date_becomes_met_not_missed(subject, ningbo_parties, at, run_sweep):
    deadline = services.deadline_open(
        subject=subject,
        kind=DeadlineKind.RENEWAL_WINDOW_OPENS,
        trigger_date=D("2030-01-01"),
        unit=Deadline.Unit.DATE,
        due_date=D("2030-06-01"),
        parties=ningbo_parties,
    )
    run_sweep(at("2030-06-02T08:00"))
    deadline.refresh_from_db()
    assert deadline.status == "met"
    assert not Escalation.objects.exists()


def test_failed_sends_retry_with_backoff_then_end_failed(reply, at, monkeypatch, run_sweep):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    now = at("2030-11-22T10:00")
    run_sweep(now)
    email = Delivery.objects.filter(channel="email").first()
    assert (email.status, email.attempts) == ("pending", 1)
    assert email.next_attempt_at == now + dt.timedelta(minutes=1)
    assert "SMTPServerDisconnected" in email.last_error
    assert Delivery.objects.filter(channel="in_app", status="sent").count() == IN_APP
    # Backoff 1, 5, 15, 60 minutes; the fifth failure is final.
    for minutes in (1, 6, 21, 81):
        run_sweep(now + dt.timedelta(minutes=minutes, seconds=1))
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", 5)
    assert Delivery.objects.filter(status="failed").count() == EMAILS


def test_failed_deliveries_are_visible_to_officers_and_can_be_retried(
    reply, at, parties, monkeypatch, run_sweep
):
    run_sweep(at("2030-11-22T10:00"))
    failed = Delivery.objects.filter(channel="email").first()
    Delivery.objects.filter(pk=failed.pk).update(status="failed", last_error="SMTP 550")
    client = Client()
    client.login(username=parties["users"]["ningbo"].username, password=PASSWORD)
    page = client.get("/admin/deadlines/delivery/?status__exact=failed")
    assert page.status_code == 200
    assert b"SMTP 550" in page.content
    response = client.post(
        "/admin/deadlines/delivery/",
        {"action": "retry", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)


def test_a_lost_task_is_queued_again_after_the_requeue_window(
    reply, at, settings, monkeypatch, run_sweep
):
    settings.DEADLINES_REQUEUE_AFTER_SECONDS = 120
    from deadlines.tasks import send_delivery

    send_now = send_delivery.delay
    queued = []
    monkeypatch.setattr("deadlines.tasks.send_delivery.delay", queued.append)
    now = at("2030-11-22T10:00")
    run_sweep(now)
    assert len(queued) == EMAILS + IN_APP  # queued, then lost: nothing was sent
    run_sweep(now + dt.timedelta(seconds=60))
    assert len(queued) == EMAILS + IN_APP  # still inside the window: not queued twice
    monkeypatch.setattr("deadlines.tasks.send_delivery.delay", send_now)
    run_sweep(now + dt.timedelta(seconds=121))
    assert Delivery.objects.filter(status="sent").count() == EMAILS + IN_APP
    assert len(mail.outbox) == EMAILS


def test_sending_a_delivery_twice_sends_once(reply, at, run_sweep):
    run_sweep(at("2030-11-22T10:00"))
    delivery = Delivery.objects.filter(channel="email").first()
    assert services.delivery_send(delivery_id=delivery.pk) == "sent"
    assert len(mail.outbox) == EMAILS


# --- R29: a provisional date passed unconfirmed is not missed ------------------------------


@pytest.fixture
def provisional_reply(subject, ningbo_parties, unannounced_2027):
    """Served Tue 2026-12-29: due Mon 2027-01-04 (New Year's Day is statutory), provisional."""
    return services.deadline_open(
        subject=subject, kind=REPLY, trigger_date=D("2026-12-29"), count=3, parties=ningbo_parties
    )


def test_r29_an_unconfirmed_provisional_date_is_not_missed_officers_are_asked_once(
    provisional_reply, at, run_sweep
):
    result = run_sweep(at("2027-01-05T00:00"))  # 24:00 of the provisional last day
    provisional_reply.refresh_from_db()
    assert (result.deadlines_closed, result.confirmations_requested) == (0, 1)
    assert provisional_reply.status == "open"
    escalation = Escalation.objects.get(deadline=provisional_reply)
    assert escalation.action == (
        "Provisional due date 2027-01-04 has passed: confirm it, or enter the year's "
        "holiday notice (R29)."
    )
    assert (escalation.office_id, escalation.resolved_at) == (provisional_reply.office_id, None)
    assert not provisional_reply.reminders.filter(step="missed").exists()
    result = run_sweep(at("2027-01-05T00:05"))
    assert (result.deadlines_closed, result.confirmations_requested) == (0, 0)
    assert Escalation.objects.count() == 1


def test_r12_r29_once_confirmed_the_passed_date_is_missed_and_release_is_due(
    provisional_reply, parties, at, run_sweep
):
    run_sweep(at("2027-01-05T00:00"))
    officer = parties["users"]["ningbo"]
    services.deadline_confirm(actor=officer, deadline=provisional_reply)
    escalation = Escalation.objects.get(deadline=provisional_reply)
    assert escalation.resolved_by == officer  # the request to confirm is done
    mail.outbox.clear()
    result = run_sweep(at("2027-01-05T09:00"))
    provisional_reply.refresh_from_db()
    assert (result.deadlines_closed, provisional_reply.status) == (1, "missed")
    escalation.refresh_from_db()  # the same task, now the one the miss calls for
    assert escalation.action == "No reply to the detention notice: release due (R12)"
    assert (escalation.resolved_at, escalation.resolved_by) == (None, None)
    assert all(m.subject.startswith("[Customs IPR] Missed:") for m in mail.outbox)


def test_r29_entering_the_year_answers_the_request_and_the_final_date_is_missed(
    provisional_reply, at, run_sweep
):
    from deadlines.models import CalendarDay, CalendarYear

    run_sweep(at("2027-01-05T00:00"))
    CalendarDay.objects.create(date=D("2027-01-01"), kind="holiday", name="New Year's Day")
    CalendarYear.objects.create(year=2027)
    services.deadlines_recompute(years=[2027])
    provisional_reply.refresh_from_db()
    assert (provisional_reply.due_date, provisional_reply.provisional) == (D("2027-01-04"), False)
    assert Escalation.objects.get(deadline=provisional_reply).resolved_at is not None
    run_sweep(at("2027-01-05T00:10"))
    provisional_reply.refresh_from_db()
    assert provisional_reply.status == "missed"
    escalation = Escalation.objects.get(deadline=provisional_reply)
    assert (escalation.action, escalation.resolved_at) == (
        "No reply to the detention notice: release due (R12)", None
    )  # fmt: skip
