"""The portal's detentions: who sees which case (holder A/B, agent A, anonymous, officers),
the holder-side steps as forms through the workflow engine (R12-R15, R20, R22), refusals
shown on the form with nothing changed, documents, and the list's filters."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.timezone import LEGAL_TZ
from deadlines.models import Deadline, Notification
from detentions.models import Detention, DetentionDocument
from detentions.tests.factories import detained, ex_officio, pdf, step
from portal.tests import casework
from portal.tests.casework import signed_in

pytestmark = pytest.mark.django_db
case, mark, users = casework.case, casework.mark, casework.users  # the fixtures

# The notice is served on Friday 2025-09-26: the reply is due Tuesday 2025-09-30 24:00 (R13).
IN_TIME = dt.datetime(2025, 9, 29, 10, 0, tzinfo=LEGAL_TZ)
TOO_LATE = dt.datetime(2025, 10, 9, 10, 0, tzinfo=LEGAL_TZ)


client_for = signed_in


def snapshot(case):
    case = Detention.objects.get(pk=case.pk)
    return (
        case.status,
        case.bond_source,
        case.events.count(),
        case.documents.count(),
        list(Deadline.objects.filter(subject_id=case.pk).values_list("kind", "status")),
    )


# --- who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["holder_a", "agent_a"])
def test_r1_the_holder_and_its_agent_see_the_case(client, users, case, name):
    client_for(client, users[name])
    response = client.get(reverse("portal:case", args=[case.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert case.number in text
    assert "Yiwu Bright Trading Co." in text  # the consignor, as the notice discloses it
    assert "88 Futian Road" not in text  # not the personal particulars officers see
    assert "91330782MA2XXXXX1" not in text


@pytest.mark.parametrize("name", ["holder_b", "agent_expired"])
def test_r1_another_holder_or_an_ended_agent_gets_the_404_page(client, users, case, name):
    client_for(client, users[name])
    for url in (
        reverse("portal:case", args=[case.pk]),
        reverse("portal:case_step", args=[case.pk, "decline"]),
        reverse("portal:case_document_add", args=[case.pk]),
        reverse("portal:case_inspection", args=[case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.content.decode()
    assert case.number not in client.get(reverse("portal:cases")).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, case):
    for url in (
        reverse("portal:cases"),
        reverse("portal:case", args=[case.pk]),
        reverse("portal:case_step", args=[case.pk, "decline"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_officers_following_a_case_link_land_on_the_case_in_the_admin(client, users, case):
    client_for(client, users["ningbo"])
    response = client.get(reverse("portal:case", args=[case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:detentions_detention_change", args=[case.pk])
    assert client.get(reverse("portal:cases"))["Location"] == reverse("admin:index")


def test_the_list_shows_my_cases_only_and_filters_them(client, users, case, parties, mark):
    other = ex_officio(users["ningbo"], mark, declaration_number="310420250009999999")
    step(other, users["holder_a"], "decline", "2025-09-29", reason="Genuine goods")
    client_for(client, users["holder_a"])
    text = client.get(reverse("portal:cases")).content.decode()
    assert case.number in text and other.number in text
    text = client.get(reverse("portal:cases"), {"status": "released"}).content.decode()
    assert other.number in text and case.number not in text
    text = client.get(reverse("portal:cases"), {"q": "9999999"}).content.decode()
    assert other.number in text and case.number not in text
    response = client.get(reverse("portal:cases"), {"status": "nonsense", "page": "x"})
    assert response.status_code == 200  # a bad filter is shown, not a 500
    assert "Select a valid choice" in response.content.decode()


# --- the steps ------------------------------------------------------------------------------


def test_only_the_steps_allowed_now_are_offered(client, users, case):
    client_for(client, users["holder_a"])
    text = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert reverse("portal:case_step", args=[case.pk, "request_detention"]) in text
    assert reverse("portal:case_step", args=[case.pk, "decline"]) in text
    assert reverse("portal:case_step", args=[case.pk, "withdraw"]) not in text  # R22: later
    assert reverse("portal:case_step", args=[case.pk, "detain"]) not in text  # officers'
    response = client.get(reverse("portal:case_step", args=[case.pk, "detain"]))
    assert response.status_code == 302  # not offered: back to the case, with why


def test_r12_r14_the_reply_form_shows_the_bond_and_requests_detention(client, users, case):
    client_for(client, users["holder_a"])
    url = reverse("portal:case_step", args=[case.pk, "request_detention"])
    with time_machine.travel(IN_TIME, tick=False):
        page = client.get(url).content.decode()
        assert "CNY 20,000.00" in page  # R14 on goods worth CNY 30,000
        assert 'name="filed_via"' not in page  # filed here, online (R13)
        response = client.post(
            url,
            {
                "bond_source": "case_bond",
                "bond_form": "guarantee",
                "bond_reference": "BOC-G-77",
                "document": pdf("guarantee.pdf"),
            },
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.bond_source, case.bond_reference) == (
        "detention_requested",
        "case_bond",
        "BOC-G-77",
    )
    assert case.documents.filter(kind=DetentionDocument.Kind.REPLY).count() == 1
    # The office is told (R12).
    assert Notification.objects.filter(user=users["ningbo"]).exists()


def test_r12_bad_input_is_shown_on_the_form_and_changes_nothing(client, users, case):
    client_for(client, users["agent_a"])
    url = reverse("portal:case_step", args=[case.pk, "request_detention"])
    before = snapshot(case)
    with time_machine.travel(IN_TIME, tick=False):
        response = client.post(url, {"bond_source": "case_bond"})  # no form of the bond
        assert response.status_code == 400
        assert "Cash or guarantee (R14)." in response.content.decode()
        response = client.post(url, {"bond_source": "case_bond", "bond_form": "cash"})
        assert response.status_code == 400  # no receipt number: the step says so
        assert "R12, R14" in response.content.decode()
        response = client.post(url, {"bond_source": "nonsense"})
        assert response.status_code == 400
    assert snapshot(case) == before


def test_r12_a_late_reply_shows_the_reason_and_changes_nothing(client, users, case):
    client_for(client, users["holder_a"])
    before = snapshot(case)
    with time_machine.travel(TOO_LATE, tick=False):
        response = client.post(
            reverse("portal:case_step", args=[case.pk, "request_detention"]),
            {"bond_source": "case_bond", "bond_form": "cash", "bond_reference": "C-1"},
        )
    assert response.status_code == 409
    assert "3 working days to reply have run out" in response.content.decode()
    assert snapshot(case) == before


def test_r15_the_general_bond_is_refused_without_one_and_nothing_changes(client, users, case):
    client_for(client, users["holder_a"])
    before = snapshot(case)
    with time_machine.travel(IN_TIME, tick=False):
        response = client.post(
            reverse("portal:case_step", args=[case.pk, "request_detention"]),
            {"bond_source": "general_bond"},
        )
    assert response.status_code == 409
    assert "no general bond covering this request (R15)" in response.content.decode()
    assert snapshot(case) == before


def test_r12_declining_needs_reasons_then_releases(client, users, case):
    client_for(client, users["agent_a"])
    url = reverse("portal:case_step", args=[case.pk, "decline"])
    before = snapshot(case)
    with time_machine.travel(IN_TIME, tick=False):
        response = client.post(url, {"reason": "  "})
        assert response.status_code == 400
        assert "Give your reasons." in response.content.decode()
        assert snapshot(case) == before
        response = client.post(url, {"reason": "Genuine goods, parallel import"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "released"
    assert case.events.get(action="decline").reason == "Genuine goods, parallel import"


def test_r22_r20_withdraw_and_inspection_on_a_detained_case(client, users, parties, mark):
    case = detained(users["ningbo"], users["holder_a"], mark)
    client_for(client, users["holder_a"])
    text = client.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert reverse("portal:case_step", args=[case.pk, "withdraw"]) in text
    assert reverse("portal:case_inspection", args=[case.pk]) in text
    response = client.post(
        reverse("portal:case_inspection", args=[case.pk]), {"note": "Any weekday morning"}
    )
    assert response.status_code == 302
    assert case.events.filter(action="inspection_requested").exists()
    assert Notification.objects.filter(
        user=users["ningbo"], title__contains="inspect the goods"
    ).exists()
    response = client.post(
        reverse("portal:case_step", args=[case.pk, "withdraw"]),
        {"reason": "Settled with the consignor"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "released"
    # Released: goods are no longer held, so no inspection (R20), and nothing changes.
    response = client.post(reverse("portal:case_inspection", args=[case.pk]), {"note": ""})
    assert response.status_code == 400
    assert "only while customs holds them (R20)" in response.content.decode()


def test_r17_upload_a_court_notice_and_download_it(client, users, case):
    client_for(client, users["holder_a"])
    url = reverse("portal:case_document_add", args=[case.pk])
    response = client.post(url, {"kind": "court_notice", "title": "Court notice", "file": pdf()})
    assert response.status_code == 302
    document = case.documents.get(kind="court_notice")
    download = client.get(reverse("portal:case_document", args=[case.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    # Bad input: no file, a kind the holder side may not add.
    response = client.post(url, {"kind": "penalty_decision"})
    assert response.status_code == 400
    assert case.documents.count() == 1
    client_for(client, users["holder_b"])
    response = client.get(reverse("portal:case_document", args=[case.pk, document.pk]))
    assert response.status_code == 404


def test_customs_only_documents_are_not_served_to_the_holder(client, users, case):
    internal = DetentionDocument.objects.create(
        detention=case,
        kind="other",
        title="Internal",
        file=pdf("internal.pdf"),
        content_type="application/pdf",
        size=10,
        internal=True,
    )
    client_for(client, users["holder_a"])
    assert "Internal" not in client.get(reverse("portal:case", args=[case.pk])).content.decode()
    response = client.get(reverse("portal:case_document", args=[case.pk, internal.pk]))
    assert response.status_code == 404


def test_r20_only_the_holder_side_asks_to_inspect(users, parties, mark):
    from core.errors import NotPermitted
    from detentions import services

    case = detained(users["ningbo"], users["holder_a"], mark)
    events = case.events.count()
    for user in (users["ningbo"], users["holder_b"], users["agent_expired"]):
        with pytest.raises(NotPermitted):
            services.detention_request_inspection(actor=user, detention=case, note="")
    assert case.events.count() == events
