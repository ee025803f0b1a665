"""Deadline endpoints: the public working-day calculator, scoped deadline lists, personal
notifications, and the iCalendar feed."""

import datetime as dt
import re

import pytest

from accounts.parties import Parties
from core.timezone import LEGAL_TZ
from deadlines import services
from deadlines.models import Deadline, DeadlineKind, Notification

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


# --- GET /api/v1/workdays/add/ (shared/CONTRACT.md) -------------------------------------------


def test_workdays_add_contract(api):
    response = api.get("/api/v1/workdays/add/", {"start": "2025-09-30", "days": 3})
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("start", "days", "date", "provisional")} == {
        "start": "2025-09-30",
        "days": 3,
        "date": "2025-10-11",
        "provisional": False,
    }
    assert body["due_at"] == "2025-10-12T00:00:00+08:00"


def test_r29_workdays_add_flags_an_unannounced_year_and_skips_its_statutory_days(
    api, unannounced_2027
):
    body = api.get("/api/v1/workdays/add/", {"start": "2026-12-29", "days": 3}).json()
    assert (body["date"], body["provisional"], body["unannounced_years"]) == (
        "2027-01-04",
        True,
        [2027],
    )
    assert body["holidays_skipped"] == [["2027-01-01", "New Year's Day"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2025-02-30", "days": 3}, "start"),
        ({"start": "yesterday", "days": 3}, "start"),
        ({"start": "1850-01-01", "days": 3}, "start"),
        ({"start": "2025-09-30", "days": -1}, "days"),
        ({"start": "2025-09-30", "days": 100000}, "days"),
        ({"start": "2025-09-30", "days": "three"}, "days"),
        ({"days": 3}, "start"),
        ({"start": "2025-09-30"}, "days"),
    ],
)
def test_workdays_add_bad_input_is_400_with_field_errors(api, params, field):
    response = api.get("/api/v1/workdays/add/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_workdays_add_is_throttled(api, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public": "3/minute"})
    cache.clear()
    statuses = [
        api.get("/api/v1/workdays/add/", {"start": "2025-09-30", "days": 3}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


# --- /api/v1/deadlines/ ------------------------------------------------------------------------


@pytest.fixture
def deadlines(parties, time_machine):
    """One deadline per (holder, office) combination, notices served on Friday 2026-11-20
    and due on 2026-11-25; the clock stands at 2026-11-24, so none is overdue yet."""
    from accounts.tests.factories import AuthorisationFactory

    time_machine.move_to(dt.datetime(2026, 11, 24, 10, tzinfo=LEGAL_TZ), tick=False)

    made = {}
    for name, holder, office in [
        ("a_ningbo", "holder_a", "ningbo"),
        ("a_shenzhen", "holder_a", "shenzhen"),
        ("b_ningbo", "holder_b", "ningbo"),
        ("a_gacc", "holder_a", None),
    ]:
        made[name] = services.deadline_open(
            subject=AuthorisationFactory(),
            kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE,
            trigger_date=D("2026-11-20"),
            count=3,
            parties=Parties(
                parties[holder].pk, parties[office].pk if office else None, f"Case {name}"
            ),
        )
    return made


DEADLINE_TABLE = {
    "gacc": {"a_ningbo", "a_shenzhen", "b_ningbo", "a_gacc"},
    "ningbo": {"a_ningbo", "b_ningbo"},
    "shenzhen": {"a_shenzhen"},
    "holder_a": {"a_ningbo", "a_shenzhen", "a_gacc"},
    "holder_b": {"b_ningbo"},
    "agent_a": {"a_ningbo", "a_shenzhen", "a_gacc"},
    "agent_expired": set(),
}


@pytest.mark.parametrize("role", DEADLINE_TABLE)
def test_deadline_visibility_table(api, parties, deadlines, role):
    api.force_authenticate(parties["users"][role])
    listed = {row["id"] for row in api.get("/api/v1/deadlines/").json()["results"]}
    assert {name for name, d in deadlines.items() if d.pk in listed} == DEADLINE_TABLE[role]
    for name, deadline in deadlines.items():
        status = api.get(f"/api/v1/deadlines/{deadline.pk}/").status_code
        assert status == (200 if name in DEADLINE_TABLE[role] else 404)


def test_deadline_detail_shows_the_calculation_trail(api, parties, deadlines):
    api.force_authenticate(parties["users"]["holder_a"])
    body = api.get(f"/api/v1/deadlines/{deadlines['a_ningbo'].pk}/").json()
    assert body["due_date"] == "2026-11-25"
    assert body["trail"]["working_days"] == 3
    assert body["trail"]["weekend_days_skipped"] == 2
    assert {r["step"] for r in body["reminders"]} == {
        "at_open", "working_days_before_1@2026-11-25", "due_morning@2026-11-25"
    }  # fmt: skip


def test_deadline_filters(api, parties, deadlines):
    api.force_authenticate(parties["users"]["gacc"])
    services.deadline_close(subject=deadlines["a_gacc"].subject,
                            kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE)  # fmt: skip
    Deadline.objects.filter(pk=deadlines["b_ningbo"].pk).update(
        trigger_date=D("2019-12-27"),
        due_date=D("2020-01-02"),
        due_at=dt.datetime(2020, 1, 2, tzinfo=dt.UTC),
    )

    def ids(**params):
        rows = api.get("/api/v1/deadlines/", params).json()["results"]
        return {name for name, d in deadlines.items() if d.pk in {r["id"] for r in rows}}

    assert ids(status="met") == {"a_gacc"}
    assert ids(status="open", kind="reply_to_detention_notice") == {
        "a_ningbo", "a_shenzhen", "b_ningbo"}  # fmt: skip
    assert ids(overdue="true") == {"b_ningbo"}
    assert ids(overdue="false") == {"a_ningbo", "a_shenzhen", "a_gacc"}
    assert ids(due_before="2021-01-01") == {"b_ningbo"}
    assert ids(due_after="2026-11-25", status="open") == {"a_ningbo", "a_shenzhen"}
    assert api.get("/api/v1/deadlines/", {"due_before": "soon"}).status_code == 400
    assert api.get("/api/v1/deadlines/", {"status": "forgotten"}).status_code == 400


def test_deadline_list_query_count_does_not_grow_with_page_size(
    api, parties, deadlines, django_assert_max_num_queries
):
    api.force_authenticate(parties["users"]["agent_a"])
    with django_assert_max_num_queries(6):
        assert len(api.get("/api/v1/deadlines/", {"page_size": 500}).json()["results"]) == 3


@pytest.fixture
def provisional(parties, unannounced_2027):
    """Ningbo's reply deadline served Tue 2026-12-29: due Mon 2027-01-04, provisional."""
    from accounts.tests.factories import AuthorisationFactory

    return services.deadline_open(
        subject=AuthorisationFactory(), kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE,
        trigger_date=D("2026-12-29"), count=3,
        parties=Parties(parties["holder_a"].pk, parties["ningbo"].pk, "Case 2026-12-29"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("role", "status"),
    [("ningbo", 200), ("gacc", 200), ("holder_a", 403), ("agent_a", 403), ("shenzhen", 404)],
)
def test_r29_an_officer_confirms_a_provisional_deadline(api, parties, provisional, role, status):
    api.force_authenticate(parties["users"][role])
    response = api.post(f"/api/v1/deadlines/{provisional.pk}/confirm/")
    assert response.status_code == status
    provisional.refresh_from_db()
    if status == 200:
        body = response.json()
        assert (body["provisional"], body["confirmed_by"]) == (True, parties["users"][role].pk)
        assert body["confirmed_at"] is not None
        assert provisional.confirmed_by == parties["users"][role]
    else:
        assert (provisional.confirmed_at, provisional.confirmed_by) == (None, None)


def test_r29_confirming_a_final_or_cancelled_date_is_409(api, parties, deadlines, provisional):
    api.force_authenticate(parties["users"]["ningbo"])
    response = api.post(f"/api/v1/deadlines/{deadlines['a_ningbo'].pk}/confirm/")
    assert (response.status_code, response.json()["code"]) == (409, "conflict")
    services.deadline_cancel(subject=provisional.subject, kind=provisional.kind)
    assert api.post(f"/api/v1/deadlines/{provisional.pk}/confirm/").status_code == 409
    provisional.refresh_from_db()
    assert provisional.confirmed_at is None


# --- notifications -------------------------------------------------------------------------


def test_notifications_are_strictly_personal_and_can_be_marked_read(api, parties, deadlines):
    mine = Notification.objects.create(user=parties["users"]["ningbo"], title="For Ningbo")
    Notification.objects.create(user=parties["users"]["ningbo"], title="Second")
    theirs = Notification.objects.create(user=parties["users"]["holder_a"], title="For A")
    api.force_authenticate(parties["users"]["gacc"])  # GACC sees all cases, not all mail
    assert api.get("/api/v1/notifications/").json()["count"] == 0
    assert api.get(f"/api/v1/notifications/{mine.pk}/").status_code == 404
    api.force_authenticate(parties["users"]["ningbo"])
    assert api.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 2
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert api.post(f"/api/v1/notifications/{mine.pk}/read/").json()["is_read"] is True
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert api.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- escalations ---------------------------------------------------------------------------


def test_escalations_are_for_officers_of_the_office(api, parties, deadlines):
    from deadlines.models import Escalation

    escalation = Escalation.objects.create(
        deadline=deadlines["a_ningbo"], office=parties["ningbo"], holder=parties["holder_a"],
        action="No reply to the detention notice: release due (R12)",
    )  # fmt: skip
    url = f"/api/v1/escalations/{escalation.pk}/"
    for role, status in [("holder_a", 404), ("agent_a", 404), ("shenzhen", 404), ("ningbo", 200)]:
        api.force_authenticate(parties["users"][role])
        assert api.get(url).status_code == status
    assert api.post(f"{url}resolve/").status_code == 200
    assert api.post(f"{url}resolve/").status_code == 409


# --- iCalendar -----------------------------------------------------------------------------


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_ical_feed_is_valid_rfc5545_with_only_visible_deadlines(api, parties, deadlines):
    user = parties["users"]["holder_b"]
    response = api.get("/api/v1/deadlines.ics", {"token": user.calendar_token})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content.decode("utf-8")
    assert raw.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert raw.endswith("END:VCALENDAR\r\n")
    assert "\n" not in raw.replace("\r\n", "")  # CRLF only
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    lines = unfold(raw)
    assert lines.count("BEGIN:VEVENT") == 1
    assert f"UID:deadline-{deadlines['b_ningbo'].pk}@customs-ipr" in lines
    assert "DTSTART;VALUE=DATE:20261125" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    assert lines.count("BEGIN:VALARM") == lines.count("END:VALARM") == 1


def test_ical_folding_keeps_utf8_characters_whole(parties):
    from deadlines import ical

    line = "SUMMARY:" + "宁波海关梅山港拉布布侵权案件" * 4
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_ical_token_is_secret_and_rotatable(api, parties, deadlines):
    user = parties["users"]["agent_a"]
    assert api.get("/api/v1/deadlines.ics", {"token": "guess"}).status_code == 404
    assert api.get("/api/v1/deadlines.ics").status_code == 404
    old = user.calendar_token
    api.force_authenticate(user)
    assert api.get("/api/v1/deadlines/calendar/").json()["url"].endswith(f"token={old}")
    new_url = api.post("/api/v1/deadlines/calendar/rotate/").json()["url"]
    assert old not in new_url
    api.force_authenticate(None)
    assert api.get("/api/v1/deadlines.ics", {"token": old}).status_code == 404
    feed = api.get("/api/v1/deadlines.ics", {"token": new_url.split("token=")[1]})
    assert feed.status_code == 200
    assert feed.content.count(b"BEGIN:VEVENT") == 3
