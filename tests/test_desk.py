"""The admin's index is the officer's desk: each queue of work due, scoped to the officer,
a count, its first rows and a link to the list filtered to the same cases; the R29
warning for a year whose holiday notice is not entered; the apps below; a fixed number of
queries however many cases there are."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import PASSWORD
from campaigns.models import Campaign
from core.timezone import LEGAL_TZ
from deadlines import services as deadlines
from deadlines.calendar import WorkingCalendar
from deadlines.models import CalendarDay, CalendarYear, Deadline, DeadlineKind, Escalation
from detentions import services
from detentions.tests import conftest as case_fixtures
from detentions.tests.factories import ex_officio, step
from recordals import services as recordal_services
from recordals.tests.factories import complete_draft

pytestmark = pytest.mark.django_db
officer, holder_user, mark = case_fixtures.officer, case_fixtures.holder_user, case_fixtures.mark
D = dt.date.fromisoformat
TODAY = D("2025-12-10")  # a Wednesday: its week runs to Sunday 14 December
DESK = "/admin/"


def at_desk(day=TODAY):
    """The clock on `day`, 10:00 in Shanghai."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=LEGAL_TZ), tick=False)


def login(parties, role):
    client = Client()
    client.login(username=parties["users"][role].username, password=PASSWORD)
    return client


def detained_on(officer, holder_user, mark, day):
    """An ex officio case served the working day before `day` and detained on `day`."""
    calendar = WorkingCalendar.load()
    case = ex_officio(officer, mark, served_on=calendar.working_days_before(day, 1))
    step(case, holder_user, "request_detention", str(day), bond_source="case_bond",
         bond_form="cash", bond_reference="CASH-1")  # fmt: skip
    return step(case, officer, "detain", str(day))


@pytest.fixture
def desk_cases(parties, officer, holder_user, mark):
    """Ningbo's work on 2025-12-10: a reply awaited, an investigation due on Thursday (also
    owing costs), a court-order period ending on Monday 15 December, and one case whose
    periods are far off."""
    calendar = WorkingCalendar.load()
    reply = ex_officio(officer, mark, served_on=D("2025-12-09"))  # due Friday 12 December
    investigation = detained_on(
        officer, holder_user, mark, calendar.working_days_before(D("2025-12-11"), 30)
    )
    services.detention_charge_costs(
        actor=officer, detention=investigation, cost_kind="custody",
        amount=Decimal("1234.50"), on=TODAY,
    )  # fmt: skip
    court = detained_on(
        officer, holder_user, mark, calendar.working_days_before(D("2025-12-15"), 50)
    )
    step(court, officer, "determine_undetermined", "2025-11-20")
    far = detained_on(officer, holder_user, mark, D("2025-12-09"))
    return {"reply": reply, "investigation": investigation, "court": court, "far": far}


def queue(content: str, title: str) -> str:
    """The HTML of one queue on the desk, by its title."""
    start = content.index(f">{title}</a>")
    return content[start : content.index("</div>", start)]


def count_of(content: str, title: str) -> int:
    return int(re.search(r'class="desk-count[^"]*">(\d+)<', queue(content, title)).group(1))


def test_the_desk_shows_each_queue_with_its_count_first_rows_and_time_left(parties, desk_cases):
    with at_desk():
        page = login(parties, "ningbo").get(DESK)
    assert page.status_code == 200
    content = page.content.decode()
    reply = queue(content, "Awaiting the holder&#x27;s reply")
    assert count_of(content, "Awaiting the holder&#x27;s reply") == 1
    assert desk_cases["reply"].number in reply
    # R13: the period ends at 24:00 of its last day; Wed, Thu and Fri are left.
    assert "2025-12-12 24:00" in reply
    assert "3 working days left" in reply
    investigation = queue(content, "Investigations due this week")
    assert count_of(content, "Investigations due this week") == 1
    assert desk_cases["investigation"].number in investigation
    assert "2025-12-11 24:00" in investigation
    assert "2 working days left" in investigation
    assert desk_cases["far"].number not in investigation
    court = queue(content, "Court-order periods running out")
    assert count_of(content, "Court-order periods running out") == 1
    assert desk_cases["court"].number in court
    assert "2025-12-15 24:00" in court
    costs = queue(content, "Costs unpaid")
    assert count_of(content, "Costs unpaid") == 1
    assert desk_cases["investigation"].number in costs
    assert "CNY 1,234.50" in costs
    # The usual list of apps stays below the desk.
    assert content.index('id="desk-title"') < content.index('class="app-detentions')


@pytest.mark.parametrize(
    ("key", "case"),
    [("reply", "reply"), ("investigation", "investigation"), ("court_order", "court"),
     ("costs", "investigation")],
)  # fmt: skip
def test_each_queue_links_to_the_case_list_filtered_to_the_same_cases(
    parties, desk_cases, key, case
):
    client = login(parties, "ningbo")
    with at_desk():
        content = client.get(DESK).content.decode()
        assert f'href="/admin/detentions/detention/?queue={key}"' in content
        page = client.get(f"/admin/detentions/detention/?queue={key}")
    assert page.status_code == 200
    listed = set(re.findall(r"3100-2025-D\d+", page.content.decode()))
    assert listed == {desk_cases[case].number}


def test_a_district_officer_sees_its_own_office_only_gacc_sees_all_and_the_review_queue(
    parties, desk_cases
):
    holder = parties["users"]["holder_a"]
    recordal = complete_draft(holder, parties["holder_a"], registration_number="50000001")
    recordal_services.recordal_transition(
        actor=holder, recordal=recordal, action="submit", on=D("2025-12-01")
    )
    with at_desk():
        shenzhen = login(parties, "shenzhen").get(DESK).content.decode()
        gacc = login(parties, "gacc").get(DESK).content.decode()
        ningbo = login(parties, "ningbo").get(DESK).content.decode()
    assert count_of(shenzhen, "Awaiting the holder&#x27;s reply") == 0
    assert "No reply is awaited." in shenzhen
    assert count_of(gacc, "Awaiting the holder&#x27;s reply") == 1
    # Only GACC decides recordals (R5): the review queue is on its desk only.
    review = queue(gacc, "Recordals in GACC review")
    assert count_of(gacc, "Recordals in GACC review") == 1
    assert "LABUBU" in review
    assert "/admin/recordals/recordal/?queue=review" in gacc
    assert "Recordals in GACC review" not in ningbo


def test_open_escalations_and_running_re_tags_are_on_the_desk(parties, desk_cases):
    deadline = Deadline.objects.get(
        kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE, subject_id=desk_cases["reply"].pk
    )
    Escalation.objects.create(
        deadline=deadline, office=parties["ningbo"], action="No reply: release due (R12)"
    )
    Campaign.objects.create(
        code="LONGTENG-2025", name_en="Longteng 2025", name_zh="龙腾行动2025",
        kind="longteng", starts_on=D("2025-01-01"), ends_on=D("2025-12-31"),
        retag_status="running", retag_total=12000, retag_done=3000,
    )  # fmt: skip
    client = login(parties, "ningbo")
    with at_desk():
        content = client.get(DESK).content.decode()
        escalations = client.get("/admin/deadlines/escalation/?state=open")
        campaigns = client.get("/admin/campaigns/campaign/?retag=running")
    assert count_of(content, "Escalations open") == 1
    assert "No reply: release due (R12)" in queue(content, "Escalations open")
    assert "?state=open" in content
    assert count_of(content, "Campaign re-tags running") == 1
    retag = queue(content, "Campaign re-tags running")
    assert "LONGTENG-2025" in retag
    assert "3,000 / 12,000" in retag
    assert b"No reply: release due (R12)" in escalations.content
    assert b"LONGTENG-2025" in campaigns.content


def test_r29_the_desk_warns_of_a_year_whose_holiday_notice_is_not_entered(parties, desk_cases):
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    deadline = deadlines.deadline_open(
        subject=desk_cases["far"], kind=DeadlineKind.COST_PAYMENT,
        trigger_date=D("2026-12-29"), count=10,
    )  # fmt: skip
    assert deadline.provisional
    with at_desk():
        gacc = login(parties, "gacc").get(DESK).content.decode()
        ningbo = login(parties, "ningbo").get(DESK).content.decode()
        shenzhen = login(parties, "shenzhen").get(DESK).content.decode()
    warning = "1 open deadline runs into 2027, whose holiday notice is not yet entered"
    assert warning in gacc
    assert 'href="/admin/deadlines/calendarday/?year=2027"' in gacc
    assert 'href="/admin/deadlines/calendaryear/add/?year=2027"' in gacc
    # A district officer is told, and that GACC enters it; another office's date is not its.
    assert warning in ningbo
    assert "GACC enters the notice." in ningbo
    assert "/admin/deadlines/calendaryear/add/" not in ningbo
    assert "runs into 2027" not in shenzhen


def test_2026_is_not_warned_of_once_entered(parties, desk_cases):
    assert CalendarYear.objects.filter(year=2025).exists()
    with at_desk():
        content = login(parties, "gacc").get(DESK).content.decode()
    assert "holiday notice is not yet entered" not in content


@pytest.mark.parametrize("role", ["gacc", "ningbo"])
def test_the_desk_costs_the_same_few_queries_for_4_and_12_cases(
    parties, officer, holder_user, mark, desk_cases, role, django_assert_max_num_queries
):
    client = login(parties, role)
    with at_desk():
        client.get(DESK)  # warm the per-process caches (content types)
        with CaptureQueriesContext(connection) as few:
            assert client.get(DESK).status_code == 200
    for _ in range(4):
        ex_officio(officer, mark, served_on=D("2025-12-09"))
        detained_on(officer, holder_user, mark, D("2025-11-03"))
    with at_desk(), django_assert_max_num_queries(16) as many:  # +1: the detention requests
        page = client.get(DESK)
    assert page.status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many]
    assert count_of(page.content.decode(), "Awaiting the holder&#x27;s reply") == 5
