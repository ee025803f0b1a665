"""Officers keep the calendar in the admin; entering a year recomputes what it touches."""

import datetime as dt

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD
from deadlines import services
from deadlines.models import CalendarDay, DeadlineKind

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def login(parties, role):
    client = Client()
    client.login(username=parties["users"][role].username, password=PASSWORD)
    return client


def test_r29_gacc_enters_2027_in_the_admin_and_provisional_deadlines_become_final(
    parties, subject, ningbo_parties, django_capture_on_commit_callbacks, unannounced_2027
):
    deadline = services.deadline_open(
        subject=subject,
        kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE,
        trigger_date=D("2026-12-29"),
        count=3,
        parties=ningbo_parties,
    )
    # Provisional: New Year's Day is statutory; Mon Jan 4, 2027 is the third working day.
    assert (deadline.due_date, deadline.provisional) == (D("2027-01-04"), True)
    client = login(parties, "gacc")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/deadlines/calendarday/add/",
            {"jurisdiction": "CN", "date": "2027-01-01", "kind": "holiday", "name": "New Year"},
        )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=D("2027-01-01")).source == "manual"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/deadlines/calendaryear/add/",
            {"jurisdiction": "CN", "year": 2027, "notice": "国办发明电〔2026〕 (demo)",
             "source": "manual"},
        )  # fmt: skip
    assert response.status_code == 302
    deadline.refresh_from_db()
    # Entered, 2027 follows its rows only; the date stands and is final: nobody is told
    # of a move that did not happen.
    assert (deadline.due_date, deadline.provisional) == (D("2027-01-04"), False)
    assert deadline.trail["unannounced_years"] == []
    assert not deadline.reminders.filter(step__startswith="moved").exists()


@pytest.mark.parametrize(("role", "status"), [("gacc", 200), ("ningbo", 403), ("holder_a", 302)])
def test_only_gacc_edits_the_calendar(parties, role, status):
    response = login(parties, role).get("/admin/deadlines/calendarday/add/")
    assert response.status_code == status


@pytest.mark.parametrize(
    "page",
    ["calendarday", "calendaryear", "deadline", "delivery", "escalation"],
)
def test_officers_read_the_deadline_pages(parties, subject, ningbo_parties, page):
    services.deadline_open(
        subject=subject, kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE,
        trigger_date=D("2026-11-20"), count=3, parties=ningbo_parties,
    )  # fmt: skip
    assert login(parties, "ningbo").get(f"/admin/deadlines/{page}/").status_code == 200


@pytest.mark.parametrize(("role", "confirmed"), [("ningbo", True), ("shenzhen", False)])
def test_r29_an_officer_confirms_provisional_dates_in_the_admin(
    parties, subject, ningbo_parties, unannounced_2027, role, confirmed
):
    deadline = services.deadline_open(
        subject=subject, kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE,
        trigger_date=D("2026-12-29"), count=3, parties=ningbo_parties,
    )  # fmt: skip
    response = login(parties, role).post(
        "/admin/deadlines/deadline/",
        {"action": "confirm_provisional", "_selected_action": [deadline.pk]},
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.provisional is True
    assert (deadline.confirmed_by == parties["users"]["ningbo"]) is confirmed
