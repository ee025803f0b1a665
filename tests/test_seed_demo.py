"""`seed_demo` creates the accounts of shared/CONTRACT.md and is idempotent."""

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Authorisation, User

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
        if model._meta.app_label not in {"sessions", "admin", "contenttypes", "auth", "authtoken"}
    }


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
    from recordals.models import Recordal, RecordalStatus

    call_command("seed_demo")
    assert set(Recordal.objects.values_list("status", flat=True)) == set(RecordalStatus.values)
    assert Recordal.objects.filter(holder__name_en="Nordkap Outdoor AG").count() == 4
    assert Recordal.objects.get(right_name__startswith="LABUBU").status == "approved"


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
    from deadlines.models import Deadline, Delivery, Escalation, Notification

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    open_kinds = set(Deadline.objects.filter(status="open").values_list("kind", flat=True))
    assert {"authorisation_expiry", "recordal_review", "recordal_expiry",
            "renewal_window_opens", "general_bond_expiry"} <= open_kinds  # fmt: skip
    missed = Deadline.objects.filter(status="missed")  # overdue, escalated to officers
    assert {"change_obligation", "renewal_decision"} <= set(missed.values_list("kind", flat=True))
    assert Escalation.objects.filter(deadline__in=missed).count() == missed.count()
    assert Delivery.objects.filter(status="sent").exists()
    holder_a = User.objects.get(username="holder.a")
    assert Notification.objects.filter(user=holder_a).exists()  # the 30-day expiry reminder
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert Deadline.objects.filter(status="missed").count() == missed.count()
