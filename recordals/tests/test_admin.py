"""The officers' admin: review queue, transitions generated from the table, timeline."""

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD
from recordals import services
from recordals.tests.factories import complete_draft

pytestmark = pytest.mark.django_db


def login(parties, role):
    client = Client()
    client.login(username=parties["users"][role].username, password=PASSWORD)
    return client


@pytest.fixture
def submitted(parties):
    user = parties["users"]["holder_a"]
    recordal = complete_draft(user, parties["holder_a"])
    return services.recordal_transition(actor=user, recordal=recordal, action="submit")


def test_review_queue_lists_submitted_recordals_with_their_review_deadline(parties, submitted):
    page = login(parties, "gacc").get("/admin/recordals/recordal/?queue=review&q=41234567")
    assert page.status_code == 200
    assert b"LABUBU" in page.content
    from django.utils.formats import date_format

    from deadlines.models import Deadline

    due = Deadline.objects.get(kind="recordal_review", subject_id=submitted.pk).due_date
    assert date_format(due).encode() in page.content


def test_gacc_sees_decision_buttons_from_the_table_and_rejects_with_reasons(parties, submitted):
    client = login(parties, "gacc")
    page = client.get(f"/admin/recordals/recordal/{submitted.pk}/change/")
    for action in (
        b"transition/approve/",
        b"transition/reject/",
        b"transition/request_correction/",
    ):
        assert action in page.content
    assert b"transition/submit/" not in page.content
    url = f"/admin/recordals/recordal/{submitted.pk}/transition/reject/"
    assert client.get(url).status_code == 200
    client.post(url, {"reason": ""})  # refused: reasons are required
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    client.post(url, {"reason": "Registration certificate illegible"})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decision_reason) == (
        "rejected", "Registration certificate illegible")  # fmt: skip
    timeline = client.get(f"/admin/recordals/recordal/{submitted.pk}/change/")
    assert b"Registration certificate illegible" in timeline.content


def test_district_officers_read_but_get_no_decision_buttons(parties, submitted):
    client = login(parties, "ningbo")
    page = client.get(f"/admin/recordals/recordal/{submitted.pk}/change/")
    assert page.status_code == 200
    assert b"transition/approve/" not in page.content
    client.post(f"/admin/recordals/recordal/{submitted.pk}/transition/approve/", {"reason": "x"})
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_r15_gacc_approves_a_general_bond_in_the_admin(parties):
    from decimal import Decimal

    from deadlines.models import Deadline
    from recordals.tests.factories import D, approved

    approved(parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"])
    bond = services.general_bond_submit(
        actor=parties["users"]["holder_a"], holder=parties["holder_a"], year=2025,
        amount=Decimal("300000.00"), previous_year_costs=Decimal("120000.00"),
        guarantor_bank="Bank of China", guarantee_number="BG-2025-001",
        issued_on=D("2025-01-10"), expires_on=D("2026-06-30"),
    )  # fmt: skip
    client = login(parties, "gacc")
    change_url = f"/admin/recordals/generalbond/{bond.pk}/change/"
    approve = f"/admin/recordals/generalbond/{bond.pk}/transition/approve_bond/"
    page = client.get(change_url).content.decode()
    assert f'href="{approve}"' in page and "Refuse the general bond" in page
    assert f'href="{approve}"' not in login(parties, "ningbo").get(change_url).content.decode()
    assert client.post(approve, {"reason": ""}).status_code == 302
    bond.refresh_from_db()
    assert bond.status == "approved" and bond.approved_on is not None
    assert Deadline.objects.filter(subject_id=bond.pk, kind="general_bond_expiry").exists()


def test_r8_gacc_decides_a_change_application_in_the_admin(parties):
    from recordals.tests.factories import D, approved

    holder = parties["users"]["holder_a"]
    recordal = approved(holder, parties["holder_a"], parties["users"]["gacc"])
    change = services.recordal_file_change(
        actor=holder, recordal=recordal, kind="holder_name", changed_on=D("2025-09-26"),
        description="Renamed", details={"holder_name_en": "Holder A Renamed"},
    )  # fmt: skip
    client = login(parties, "gacc")
    reject = f"/admin/recordals/changeapplication/{change.pk}/transition/reject_change/"
    assert (
        f'href="{reject}"'
        in client.get(f"/admin/recordals/changeapplication/{change.pk}/change/").content.decode()
    )
    page = client.post(reject, {"reason": ""})  # reasons required (R8)
    change.refresh_from_db()
    assert change.status == "pending"
    client.post(reject, {"reason": "The assignment is not registered yet."})
    change.refresh_from_db()
    assert (change.status, change.decision_reason) == (
        "rejected", "The assignment is not registered yet."
    )  # fmt: skip
    del page
