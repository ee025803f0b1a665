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
