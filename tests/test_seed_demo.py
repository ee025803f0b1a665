"""`seed_demo` creates the accounts of shared/CONTRACT.md, is idempotent, and tells the
same story on any day: loaded with the clock moved over the next years, each time followed
by the demo's own checks (`seed_demo --check`)."""

import datetime as dt
import io

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Authorisation, User
from core.timezone import LEGAL_TZ, local_today
from recordals.models import Recordal

pytestmark = pytest.mark.django_db

CONTRACT_ACCOUNTS = {
    "officer.gacc": "gacc_officer",
    "officer.ningbo": "district_officer",
    "officer.shenzhen": "district_officer",
    "holder.a": "holder",
    "holder.b": "holder",
    "agent.a": "agent",
}


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes", "auth", "tokens"}
    }


# The days a demo can go wrong on: a term's end, holidays, a year not yet announced by the
# State Council (R29: 2027 onwards is counted provisionally), a leap day, a year's end.
ANY_DAY = {
    "2026-12-01": "the day after POP MART's first term ended (renewed in time, R7)",
    "2027-01-01": "New Year's Day of a year whose holiday notice is not out",
    "2027-02-06": "Spring Festival 2027",
    "2027-12-31": "31 December",
    "2028-01-26": "Spring Festival 2028",
    "2028-02-29": "a leap day",
    "2029-02-13": "Spring Festival 2029",
    "2029-11-30": "three years on",
    "2032-03-01": "the day after the NORDKAP recordals' first term (2032-02-29, R6) ended",
    "2034-03-15": "the day after LABUBU's first term ended (renewed in 2033)",
}


@pytest.mark.parametrize("day", ANY_DAY, ids=list(ANY_DAY))
def test_the_demo_holds_on_any_day(day):
    morning = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9), tzinfo=LEGAL_TZ)
    with time_machine.travel(morning, tick=True):
        call_command("seed_demo", "--check", stdout=io.StringIO())  # raises naming what failed
        assert local_today() == dt.date.fromisoformat(day)


def test_seed_demo_check_names_what_does_not_hold():
    call_command("seed_demo")
    agent = User.objects.get(username="agent.a")
    agent.set_unusable_password()
    agent.save()
    Authorisation.objects.filter(agency__users__username="agent.a").update(
        ends_on=dt.date(2025, 12, 31)
    )
    Recordal.objects.filter(right_name="THE MONSTERS").update(status="approved")
    with pytest.raises(CommandError) as error:
        call_command("seed_demo", "--check", stdout=io.StringIO())
    problems = str(error.value).splitlines()[1:]
    assert problems[:2] == [
        "- agent.a cannot sign in with the demo password",
        "- agent.a does not act for holder A, and holder A only, today",
    ]
    assert "- THE MONSTERS' renewal is not awaiting an overdue decision (R7)" in problems


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = row_counts()
    passwords = dict(User.objects.values_list("username", "password"))
    call_command("seed_demo")
    assert row_counts() == first
    assert dict(User.objects.values_list("username", "password")) == passwords


def test_contract_accounts_have_their_roles_and_obtain_tokens(api):
    call_command("seed_demo")
    for username, role in CONTRACT_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.role == role
        response = api.post(
            "/api/v1/auth/token/", {"username": username, "password": DEMO_PASSWORD}, format="json"
        )
        assert response.status_code == 200, username
        assert response.json()["token"]


def test_demo_recordals_cover_every_state_for_both_holders():
    from recordals import demo

    call_command("seed_demo")
    assert demo.check() == []  # every state; none in force past its term but by R7
    assert Recordal.objects.filter(holder__name_en="Nordkap Outdoor AG").count() == 4
    assert Recordal.objects.get(right_name__startswith="LABUBU").status == "approved"
    popmart = Recordal.objects.get(right_name="POP MART")  # renewed in time (R7)
    assert (popmart.approved_on, popmart.valid_from, popmart.valid_until) == (
        dt.date(2016, 12, 1),
        dt.date(2026, 12, 1),
        dt.date(2036, 5, 6),
    )


def test_agent_a_is_authorised_for_holder_a_only():
    call_command("seed_demo")
    agent = User.objects.get(username="agent.a")
    holder_a = User.objects.get(username="holder.a").organisation
    holder_b = User.objects.get(username="holder.b").organisation
    active = Authorisation.objects.active().filter(agency=agent.organisation)
    assert list(active.values_list("holder_id", flat=True)) == [holder_a.pk]
    assert holder_a.pk != holder_b.pk
    assert User.objects.get(username="officer.ningbo").organisation.name_en == "Ningbo Customs"


def test_demo_shows_upcoming_and_overdue_deadlines_and_sent_reminders(
    django_capture_on_commit_callbacks,
):
    from deadlines import demo
    from deadlines.models import Deadline, Delivery, Notification

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert demo.check() == []  # upcoming deadlines of each kind, two overdue and escalated
    missed = Deadline.objects.filter(status="missed")
    assert Delivery.objects.filter(status="sent").exists()
    holder_a = User.objects.get(username="holder.a")
    assert Notification.objects.filter(user=holder_a).exists()  # the 30-day expiry reminder
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert Deadline.objects.filter(status="missed").count() == missed.count()
