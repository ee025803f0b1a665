"""My desk (R7, R12, R13, R15): notices awaiting a reply with the time left in working days
and the legal end of the period, the other periods, unread notifications, recordals in
their renewal window, the general bond and what remains of it; an agent's clients."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import AuthorisationFactory
from core.timezone import LEGAL_TZ
from deadlines.models import Notification
from detentions.tests.factories import ex_officio
from portal.tests import casework
from portal.tests.casework import signed_in
from recordals.services import general_bond_decide, general_bond_submit
from recordals.tests.factories import approved

pytestmark = pytest.mark.django_db
case, mark, users = casework.case, casework.mark, casework.users  # the fixtures
D = dt.date.fromisoformat
MONDAY = dt.datetime(2025, 9, 29, 10, 0, tzinfo=LEGAL_TZ)


def test_r12_r13_a_notice_awaiting_my_reply_with_the_working_days_left(client, users, case):
    signed_in(client, users["holder_a"])
    with time_machine.travel(MONDAY, tick=False):
        response = client.get(reverse("portal:desk"))
    assert response.status_code == 200
    text = response.content.decode()
    assert case.number in text
    assert "2 working days left" in text  # Monday and Tuesday
    assert "2025-09-30 24:00" in text  # the period ends at 24:00 of its last day (R13)
    assert reverse("portal:case", args=[case.pk]) in text


def test_r12_another_holder_sees_nothing_of_it(client, users, case):
    signed_in(client, users["holder_b"])
    with time_machine.travel(MONDAY, tick=False):
        text = client.get(reverse("portal:desk")).content.decode()
    assert case.number not in text
    assert "No notice awaits your reply." in text


def test_an_agent_sees_every_client_and_filters_by_one(client, users, parties, case):
    AuthorisationFactory(agency=parties["agency_a"], holder=parties["holder_b"])
    mark_b = approved(  # a foreign holder files through its agent (R3)
        users["agent_a"], parties["holder_b"], users["gacc"], registration_number="99887766"
    )
    case_b = ex_officio(users["ningbo"], mark_b)
    signed_in(client, users["agent_a"])
    with time_machine.travel(MONDAY, tick=False):
        text = client.get(reverse("portal:desk")).content.decode()
        assert case.number in text and case_b.number in text
        assert 'id="client-filter"' in text
        text = client.get(reverse("portal:desk"), {"client": parties["holder_b"].pk}).content
        text = text.decode()
        assert case_b.number in text and case.number not in text
        # A client that is not the agent's is ignored, not trusted.
        other = client.get(reverse("portal:desk"), {"client": "999999"}).content.decode()
        assert case.number in other and case_b.number in other


def test_unread_notifications_are_counted(client, users):
    Notification.objects.create(user=users["holder_a"], title="Detained: bond received")
    Notification.objects.create(user=users["holder_b"], title="Not yours")
    signed_in(client, users["holder_a"])
    text = client.get(reverse("portal:desk")).content.decode()
    assert "Detained: bond received" in text and "Not yours" not in text


def test_r7_recordals_in_their_renewal_window(client, users, mark):
    signed_in(client, users["holder_a"])
    with time_machine.travel(dt.datetime(2025, 9, 29, tzinfo=LEGAL_TZ), tick=False):
        assert mark.number not in client.get(reverse("portal:desk")).content.decode()
    opens = mark.valid_until - dt.timedelta(days=30)
    with time_machine.travel(dt.datetime.combine(opens, dt.time(10), LEGAL_TZ), tick=False):
        signed_in(client, users["holder_a"])  # a session of that day
        text = client.get(reverse("portal:desk")).content.decode()
    assert mark.number in text


def test_r15_the_general_bond_and_what_remains(client, users, parties, mark):
    bond = general_bond_submit(
        actor=users["holder_a"],
        holder=parties["holder_a"],
        year=2025,
        amount=Decimal("200000.00"),
        previous_year_costs=Decimal("0"),
        guarantor_bank="Bank of China",
        guarantee_number="GB-1",
        issued_on=D("2025-01-02"),
        expires_on=D("2026-06-30"),
    )
    general_bond_decide(actor=users["gacc"], bond=bond, approve=True, on=D("2025-01-10"))
    bond.entries.create(amount=Decimal("1500.00"), reference="CALL-1")
    signed_in(client, users["holder_a"])
    with time_machine.travel(MONDAY, tick=False):
        text = client.get(reverse("portal:desk")).content.decode()
    assert "GB-1" in text
    assert "198,500.00" in text


def test_anonymous_visitors_sign_in_first_and_officers_go_to_the_admin(client, users):
    response = client.get(reverse("portal:desk"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    signed_in(client, users["gacc"])
    assert client.get(reverse("portal:desk"))["Location"] == reverse("admin:index")
