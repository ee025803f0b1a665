"""The deadline engine: open, close, move, cancel, suspend, resume, recompute."""

import datetime as dt

import pytest

from deadlines import services
from deadlines.models import CalendarDay, CalendarYear, Deadline, DeadlineKind, Reminder

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
REPLY = DeadlineKind.REPLY_TO_DETENTION_NOTICE


def open_reply(subject, parties, start="2025-09-26"):
    return services.deadline_open(
        subject=subject, kind=REPLY, trigger_date=D(start), count=3, parties=parties
    )


def test_r12_reply_deadline_is_three_working_days_from_the_day_after_service(
    subject, ningbo_parties
):
    deadline = open_reply(subject, ningbo_parties)
    assert deadline.due_date == D("2025-09-30")
    assert deadline.due_at == dt.datetime(2025, 9, 30, 16, 0, tzinfo=dt.UTC)  # 24:00 Shanghai
    assert deadline.office_id == ningbo_parties.office_id
    assert deadline.trail["makeup_workdays_counted"] == [["2025-09-28", "National Day"]]


def test_open_is_idempotent(subject, ningbo_parties):
    first = open_reply(subject, ningbo_parties)
    second = open_reply(subject, ningbo_parties)
    assert first.pk == second.pk
    assert Deadline.objects.count() == 1
    assert Reminder.objects.filter(deadline=first).count() == 3


def test_opening_with_new_terms_moves_the_open_deadline(subject, ningbo_parties):
    first = open_reply(subject, ningbo_parties)
    moved = open_reply(subject, ningbo_parties, start="2025-09-30")
    assert moved.pk == first.pk
    assert moved.due_date == D("2025-10-11")
    assert moved.trail["history"][-1]["event"] == "moved"


def test_reminder_schedule_follows_the_policy(subject, ningbo_parties):
    deadline = services.deadline_open(
        subject=subject, kind=REPLY, trigger_date=D("2030-09-27"), count=3, parties=ningbo_parties
    )
    steps = {
        step.split("@")[0]: send_at
        for step, send_at in deadline.reminders.values_list("step", "send_at")
    }
    assert set(steps) == {"at_open", "working_days_before_1", "due_morning"}
    # 2030 is not announced: weekends and the statutory National Day (Tue Oct 1 to Thu
    # Oct 3) are off (R29), so the period runs Mon Sep 30, Fri Oct 4, Mon Oct 7.
    assert (deadline.due_date, deadline.provisional) == (D("2030-10-07"), True)
    assert steps["due_morning"].isoformat() == "2030-10-07T01:00:00+00:00"  # 09:00 Shanghai
    assert steps["working_days_before_1"].isoformat() == "2030-10-04T01:00:00+00:00"


def test_steps_already_past_are_skipped_not_sent(subject, ningbo_parties):
    deadline = open_reply(subject, ningbo_parties, start="2025-01-24")
    statuses = {
        step.split("@")[0]: status
        for step, status in deadline.reminders.values_list("step", "status")
    }
    assert statuses == {
        "at_open": "scheduled",  # the notice itself goes out now
        "working_days_before_1": "skipped",
        "due_morning": "skipped",
    }


def test_close_and_cancel_are_idempotent_and_stop_reminders(subject, ningbo_parties):
    deadline = open_reply(subject, ningbo_parties, start="2030-01-07")
    closed = services.deadline_close(subject=subject, kind=REPLY, reason="holder replied")
    assert closed.status == "met" and closed.closed_at
    assert services.deadline_close(subject=subject, kind=REPLY) is None
    assert services.deadline_cancel(subject=subject, kind=REPLY) is None
    assert not deadline.reminders.filter(status="scheduled").exists()


def test_r5_suspension_stops_the_clock_and_resume_continues_it(subject, ningbo_parties):
    kind = DeadlineKind.RECORDAL_REVIEW
    deadline = services.deadline_open(
        subject=subject, kind=kind, trigger_date=D("2025-03-03"), count=30, parties=ningbo_parties
    )
    assert deadline.due_date == D("2025-04-15")  # 30 wd from Mon Mar 3, Qingmin Apr 4 off
    # Corrections requested on Fri Mar 14 after 9 working days (Mar 4-14).
    services.deadline_suspend(subject=subject, kind=kind, on=D("2025-03-14"), reason="correct")
    deadline.refresh_from_db()
    assert deadline.due_at is None
    assert deadline.trail["remaining_working_days"] == 21
    # Supplemented on Mon Apr 7: 21 working days run from Apr 8.
    services.deadline_resume(subject=subject, kind=kind, on=D("2025-04-07"), reason="done")
    deadline.refresh_from_db()
    assert deadline.suspended_on is None
    # Apr 8-30: 17 weekdays + Sun Apr 27 make-up = 18; May 1-5 off; May 6, 7, 8 = 21.
    assert deadline.due_date == D("2025-05-08")
    assert [e["event"] for e in deadline.trail["history"]] == ["suspended", "resumed", "moved"]


def enter_2027_spring_festival():
    """The 2027 notice as entered: the Spring Festival break runs Fri Feb 5 to Thu Feb 11
    (longer than the four statutory days)."""
    for day in ("2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"):
        CalendarDay.objects.create(date=D(day), kind="holiday", name="Spring Festival")
    CalendarYear.objects.create(year=2027, notice="State Council notice for 2027")


def test_r29_entering_a_year_recomputes_provisional_deadlines_and_tells_parties(
    subject, ningbo_parties, unannounced_2027
):
    deadline = services.deadline_open(
        subject=subject, kind=REPLY, trigger_date=D("2027-02-03"), count=3, parties=ningbo_parties
    )
    # Statutory days only: Thu Feb 4, Tue Feb 9, Wed Feb 10.
    assert (deadline.due_date, deadline.provisional) == (D("2027-02-10"), True)
    enter_2027_spring_festival()
    assert services.deadlines_recompute(years=[2027]) == 1
    deadline.refresh_from_db()
    # The notice: Thu Feb 4, Fri Feb 12, Mon Feb 15.
    assert (deadline.due_date, deadline.provisional) == (D("2027-02-15"), False)
    moved = deadline.reminders.get(step__startswith="moved")
    assert moved.status == "scheduled"
    # Recomputing again changes nothing and tells nobody twice.
    assert services.deadlines_recompute(years=[2027]) == 0
    assert deadline.reminders.filter(step__startswith="moved").count() == 1


def test_move_of_a_closed_deadline_is_a_conflict(subject, ningbo_parties):
    from core.errors import Conflict

    deadline = open_reply(subject, ningbo_parties)
    services.deadline_cancel(subject=subject, kind=REPLY)
    with pytest.raises(Conflict):
        services.deadline_move(deadline=deadline, reason="x", count=5)


def test_authorisation_grant_opens_its_expiry_deadline_and_revoke_cancels_it(parties):
    from accounts import services as accounts_services
    from core.demo_files import pdf_file

    authorisation = accounts_services.authorisation_grant(
        actor=parties["users"]["holder_a"],
        holder=parties["holder_a"],
        agency=parties["agency_old"],
        starts_on=D("2026-01-01"),
        ends_on=D("2027-06-30"),
        document=pdf_file("poa.pdf"),
    )
    deadline = Deadline.objects.get(kind=DeadlineKind.AUTHORISATION_EXPIRY)
    assert (deadline.due_date, deadline.holder_id) == (D("2027-06-30"), parties["holder_a"].pk)
    accounts_services.authorisation_revoke(
        actor=parties["users"]["holder_a"], authorisation=authorisation, reason="ended"
    )
    deadline.refresh_from_db()
    assert deadline.status == "cancelled"


def test_a_deadline_opened_late_still_warns_once(subject, ningbo_parties, monkeypatch):
    import datetime as dt

    from core.timezone import LEGAL_TZ

    now = dt.datetime(2026, 11, 21, 10, 0, tzinfo=LEGAL_TZ)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    deadline = services.deadline_open(
        subject=subject,
        kind=DeadlineKind.RECORDAL_EXPIRY,
        trigger_date=D("2016-12-10"),
        unit=Deadline.Unit.DATE,
        due_date=D("2026-12-10"),  # 19 days ahead: the 180-, 90- and 30-day steps are past
        parties=ningbo_parties,
    )
    steps = {r.step.split("@")[0]: (r.status, r.send_at) for r in deadline.reminders.all()}
    assert steps["days_before_30"] == ("scheduled", now)  # the latest past step, sent now
    assert steps["days_before_90"][0] == steps["days_before_180"][0] == "skipped"
    assert steps["days_before_7"][0] == "scheduled"


# --- R29: confirming a provisional date, and when a period is over -------------------------


@pytest.fixture
def provisional_reply(subject, ningbo_parties, unannounced_2027):
    """Served Tue 2026-12-29: due Mon 2027-01-04, provisional (2027 not entered)."""
    deadline = open_reply(subject, ningbo_parties, start="2026-12-29")
    assert (deadline.due_date, deadline.provisional) == (D("2027-01-04"), True)
    return deadline


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("ningbo", True), ("gacc", True), ("shenzhen", False), ("holder_a", False),
     ("agent_a", False)],
)  # fmt: skip
def test_r29_officers_of_the_handling_office_or_gacc_confirm_a_provisional_date(
    parties, provisional_reply, role, allowed
):
    from core.errors import NotPermitted

    actor = parties["users"][role]
    if not allowed:
        with pytest.raises(NotPermitted):
            services.deadline_confirm(actor=actor, deadline=provisional_reply)
        provisional_reply.refresh_from_db()
        assert (provisional_reply.confirmed_at, provisional_reply.confirmed_by) == (None, None)
        return
    confirmed = services.deadline_confirm(actor=actor, deadline=provisional_reply)
    assert confirmed.confirmed_by == actor and confirmed.confirmed_at is not None
    assert (confirmed.due_date, confirmed.provisional) == (D("2027-01-04"), True)
    assert confirmed.trail["history"][-1] | {"at": None} == {
        "at": None, "event": "confirmed", "by": actor.pk, "due_date": "2027-01-04"
    }  # fmt: skip
    # Confirming twice changes nothing.
    again = services.deadline_confirm(actor=parties["users"]["gacc"], deadline=confirmed)
    assert (again.confirmed_by, again.confirmed_at) == (actor, confirmed.confirmed_at)


def test_r29_only_a_provisional_date_of_a_deadline_still_in_use_is_confirmed(
    parties, subject, ningbo_parties, provisional_reply
):
    from core.errors import Conflict

    officer = parties["users"]["ningbo"]
    final = services.deadline_open(subject=subject, kind=DeadlineKind.RECORDAL_REVIEW,
                                   trigger_date=D("2026-11-02"), count=3, parties=ningbo_parties)  # fmt: skip
    with pytest.raises(Conflict):
        services.deadline_confirm(actor=officer, deadline=final)
    services.deadline_cancel(subject=subject, kind=REPLY, reason="withdrawn")
    with pytest.raises(Conflict):
        services.deadline_confirm(actor=officer, deadline=provisional_reply)
    provisional_reply.refresh_from_db()
    assert provisional_reply.confirmed_at is None


def test_r12_r29_a_met_provisional_date_can_still_be_confirmed(parties, subject, provisional_reply):
    # The holder replied in time; a release for want of a bond still hangs on the date.
    services.deadline_close(subject=subject, kind=REPLY, reason="request_detention")
    confirmed = services.deadline_confirm(
        actor=parties["users"]["ningbo"], deadline=provisional_reply
    )
    assert (confirmed.status, confirmed.confirmed_by) == ("met", parties["users"]["ningbo"])


def test_r29_a_confirmation_is_of_one_date_a_move_clears_it(parties, provisional_reply):
    services.deadline_confirm(actor=parties["users"]["ningbo"], deadline=provisional_reply)
    moved = services.deadline_move(deadline=provisional_reply, reason="corrected", count=4)
    assert (moved.due_date, moved.provisional) == (D("2027-01-05"), True)
    assert (moved.confirmed_at, moved.confirmed_by) == (None, None)


def test_r29_entering_the_year_makes_a_met_provisional_date_final(
    subject, ningbo_parties, unannounced_2027
):
    deadline = open_reply(subject, ningbo_parties, start="2027-02-03")
    services.deadline_close(subject=subject, kind=REPLY, reason="request_detention")
    enter_2027_spring_festival()
    assert services.deadlines_recompute(years=[2027]) == 0  # no open deadline moved
    deadline.refresh_from_db()
    assert (deadline.status, deadline.due_date, deadline.provisional) == (
        "met", D("2027-02-15"), False
    )  # fmt: skip
    assert deadline.trail["history"][-1]["event"] == "recomputed"
    assert not deadline.reminders.filter(step__startswith="moved").exists()


def test_r13_r29_when_a_period_is_over(parties, provisional_reply):
    from deadlines.selectors import PeriodState, period_state

    final = Deadline(due_date=D("2026-11-25"), provisional=False)
    assert period_state(final, D("2026-11-25")) is PeriodState.RUNNING  # its last day
    assert period_state(final, D("2026-11-26")) is PeriodState.PASSED
    assert period_state(provisional_reply, D("2027-01-04")) is PeriodState.RUNNING
    # Past the provisional date and unconfirmed: not over (R29).
    assert period_state(provisional_reply, D("2027-01-05")) is PeriodState.PASSED_UNCONFIRMED
    confirmed = services.deadline_confirm(
        actor=parties["users"]["ningbo"], deadline=provisional_reply
    )
    assert period_state(confirmed, D("2027-01-04")) is PeriodState.RUNNING
    assert period_state(confirmed, D("2027-01-05")) is PeriodState.PASSED
