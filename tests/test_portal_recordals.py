"""The portal's recordal pages (issue 18, filing): the wizard per kind of right (R1), a draft
saved at every step, the review listing what is missing (R4) before Submit is enabled,
GACC's request for corrections with the review clock stopped and resumed (R5), the term
(R6), renewal in its window (R7), change applications and licensee edits (R8),
cancellation (R9); bad input shown as field errors with nothing changed (400), steps not
open now refused (409); who may open which recordal (a table: 404 for the others).

Legal dates are fixed: the tests run on Monday 2025-09-29 (time-machine), whatever today is."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.demo_files import pdf_bytes, png_bytes
from core.timezone import LEGAL_TZ
from deadlines.models import Deadline
from recordals import services
from recordals.models import Attachment, ChangeApplication, Recordal
from recordals.tests.factories import GOODS, approved, complete_draft, trademark

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
TODAY = dt.datetime(2025, 9, 29, 10, 0, tzinfo=LEGAL_TZ)


@pytest.fixture(autouse=True)
def on_a_fixed_day():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def users(parties):
    return parties["users"]


def signed_in(client, user):
    client.force_login(user)
    return client


# A complete 1x1 JPEG (JFIF, one quantisation table, arithmetic coding: 125 bytes).
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010101004800480000ffdb004300030202020203020202030303030406040404"
    "0404080606050609080a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f10"
    "1010ffc9000b080001000101011100ffcc000600101005ffda0008010100003f00d2cf20ffd9"
)


def jpeg_bytes() -> bytes:
    return JPEG


def upload(name, content, content_type):
    return SimpleUploadedFile(name, content, content_type)


def wizard(recordal, step):
    return reverse("portal:recordal_wizard", args=[recordal.pk, step])


def step_url(recordal, action):
    return reverse("portal:recordal_step", args=[recordal.pk, action])


def rows_post(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{key}": value for key, value in row.items()})
    return data


def snapshot(recordal):
    recordal = Recordal.objects.get(pk=recordal.pk)
    return (
        recordal.status,
        recordal.right_name,
        list(recordal.nice_classes),
        list(recordal.genuine_goods.values_list("name", "hs_code", "price_min", "price_max")),
        list(recordal.licensees.values_list("name", "role")),
        list(recordal.known_infringers.values_list("name", flat=True)),
        recordal.attachments.count(),
        recordal.events.count(),
        recordal.changes.count(),
    )


RIGHT = {
    "right_name": "LABUBU",
    "registration_number": "41234567",
    "registered": "on",
    "nice_classes": "28",
    "right_valid_from": "2020-06-14",
    "right_valid_until": "2030-06-13",
}


# --- the wizard, step by step (R1, R4) --------------------------------------------------------


def test_r2_an_agent_chooses_among_its_clients_only(client, users, parties):
    signed_in(client, users["agent_a"])
    response = client.get(reverse("portal:recordal_new"))
    assert response.status_code == 200
    holders = list(response.context["chooser"].fields["holder"].queryset)
    assert holders == [parties["holder_a"]]
    response = client.get(
        reverse("portal:recordal_new"), {"kind": "trademark", "holder": parties["holder_b"].pk}
    )
    assert response.status_code == 400  # holder B has not authorised agency A (R2, R3)
    assert response.context["right_form"] is None


def test_r1_r4_agent_files_a_trademark_through_every_step_of_the_wizard(client, users, parties):
    signed_in(client, users["agent_a"])
    new = reverse("portal:recordal_new")
    query = {"kind": "trademark", "holder": parties["holder_a"].pk}
    response = client.get(new, query)
    assert response.status_code == 200
    assert set(response.context["right_form"].fields) >= {"nice_classes", "is_madrid", "registered"}
    assert "patent_type" not in response.context["right_form"].fields
    # 1. the right: saving it creates the draft
    response = client.post(new, {**query, **RIGHT})
    recordal = Recordal.objects.get(registration_number="41234567")
    assert response["Location"] == wizard(recordal, "goods")
    assert (recordal.status, recordal.holder, recordal.filed_by_agency) == (
        "draft",
        parties["holder_a"],
        parties["agency_a"],
    )
    assert recordal.nice_classes == [28]
    # 2. genuine goods: HS code, origin, ports, features, price range
    goods = {
        "name": "Plush toys",
        "hs_code": "950300",
        "origin_country": "CN",
        "usual_ports": "Ningbo, Shanghai",
        "main_traders": "Pop Mart (Beijing) Trading",
        "features": "Holographic label",
        "price_min": "59.00",
        "price_max": "599.00",
    }
    response = client.post(wizard(recordal, "goods"), rows_post("goods", [goods]))
    assert response["Location"] == wizard(recordal, "licensees")
    # 3. licensees, 4. known infringers
    licensee = {"name": "Dongguan Toy Works", "role": "manufacturer", "country": "CN"}
    response = client.post(wizard(recordal, "licensees"), rows_post("licensees", [licensee]))
    assert response["Location"] == wizard(recordal, "infringers")
    infringer = {"name": "Yiwu Lucky Star", "country": "CN", "ports": "Ningbo"}
    response = client.post(wizard(recordal, "infringers"), rows_post("infringers", [infringer]))
    assert response["Location"] == wizard(recordal, "documents")
    # 5. documents: real PDF, PNG and JPEG bytes
    review = client.get(wizard(recordal, "review"))
    assert len(review.context["missing"]) == 3  # certificate, photos, power of attorney
    assert 'id="submit-application" disabled' in review.content.decode()
    for kind, name, content, content_type in (
        ("registration_certificate", "certificate.pdf", pdf_bytes(), "application/pdf"),
        ("power_of_attorney", "poa.pdf", pdf_bytes("Power of attorney"), "application/pdf"),
        ("goods_photo", "goods.png", png_bytes(), "image/png"),
        ("packaging_photo", "box.jpg", jpeg_bytes(), "image/jpeg"),
    ):
        response = client.post(
            wizard(recordal, "documents"),
            {"kind": kind, "file": upload(name, content, content_type)},
        )
        assert response.status_code == 302, response.content.decode()
    assert sorted(recordal.attachments.values_list("content_type", flat=True)) == [
        "application/pdf", "application/pdf", "image/jpeg", "image/png"
    ]  # fmt: skip
    # 6. review: nothing missing, Submit enabled; submitting sends it to GACC (R5)
    review = client.get(wizard(recordal, "review"))
    assert review.context["missing"] == []
    text = review.content.decode()
    assert 'id="submit-application">' in text and "Nothing is missing" in text
    response = client.post(step_url(recordal, "submit"))
    assert response["Location"] == reverse("portal:recordal", args=[recordal.pk])
    recordal.refresh_from_db()
    assert (recordal.status, recordal.submitted_on) == ("submitted", D("2025-09-29"))
    review_deadline = Deadline.objects.get(subject_id=recordal.pk, kind="recordal_review")
    assert review_deadline.status == "open"
    assert list(recordal.genuine_goods.values_list("name", "hs_code", "usual_ports")) == [
        ("Plush toys", "950300", "Ningbo, Shanghai")
    ]
    assert list(recordal.licensees.values_list("name", "role")) == [
        ("Dongguan Toy Works", "manufacturer")
    ]
    assert list(recordal.known_infringers.values_list("name", flat=True)) == ["Yiwu Lucky Star"]
    page = client.get(reverse("portal:recordal", args=[recordal.pk])).content.decode()
    assert "Clock running" in page and "Submitted" in page


@pytest.mark.parametrize(
    ("kind", "fields", "shown", "hidden"),
    [
        ("copyright", {"right_name": "LABUBU artwork", "work_type": "Fine art",
                       "registration_number": "国作登字-2019-F-00812345"},
         "work_type", "nice_classes"),
        ("patent", {"right_name": "Boot sole", "patent_type": "utility_model",
                    "registration_number": "ZL202220123456.1", "right_valid_from": "2022-01-01",
                    "right_valid_until": "2032-01-01"},
         "patent_type", "is_madrid"),
    ],
)  # fmt: skip
def test_r1_the_right_step_shows_the_fields_of_its_kind(
    client, users, parties, kind, fields, shown, hidden
):
    signed_in(client, users["holder_a"])
    query = {"kind": kind, "holder": parties["holder_a"].pk}
    form = client.get(reverse("portal:recordal_new"), query).context["right_form"]
    assert shown in form.fields and hidden not in form.fields
    response = client.post(reverse("portal:recordal_new"), {**query, **fields})
    assert response.status_code == 302
    recordal = Recordal.objects.get(right_name=fields["right_name"])
    assert recordal.kind == kind and recordal.filed_by_agency is None


def test_r1_a_madrid_mark_is_filed_again_for_another_class(client, users, parties):
    recordal = complete_draft(users["agent_a"], parties["holder_a"], registration_number="1612399",
                              nice_classes=[25], is_madrid=True)  # fmt: skip
    signed_in(client, users["agent_a"])
    page = client.get(reverse("portal:recordal", args=[recordal.pk])).content.decode()
    link = f"?kind=trademark&amp;holder={parties['holder_a'].pk}&amp;from={recordal.pk}"
    assert link in page
    query = {"kind": "trademark", "holder": parties["holder_a"].pk, "from": recordal.pk}
    form = client.get(reverse("portal:recordal_new"), query).context["right_form"]
    assert (form["registration_number"].value(), form["is_madrid"].value()) == ("1612399", True)
    assert form["nice_classes"].value() == ""  # the class is the one thing to fill in
    data = {key: value for key, value in query.items() if key != "from"}
    data.update(right_name=recordal.right_name, registration_number="1612399", is_madrid="on",
                registered="on", nice_classes="18")  # fmt: skip
    response = client.post(reverse("portal:recordal_new"), data)
    assert response.status_code == 302
    assert sorted(
        Recordal.objects.filter(registration_number="1612399").values_list("right_class", flat=True)
    ) == [18, 25]
    # A recordal the user does not see is not copied.
    signed_in(client, users["holder_b"])
    query["holder"] = parties["holder_b"].pk
    form = client.get(reverse("portal:recordal_new"), query).context["right_form"]
    assert form["registration_number"].value() is None


def test_r4_a_utility_model_needs_its_evaluation_report_before_submission(client, users, parties):
    signed_in(client, users["holder_a"])
    recordal = services.recordal_create_draft(
        actor=users["holder_a"], holder=parties["holder_a"], genuine_goods=GOODS,
        right={"kind": "patent", "right_name": "Boot sole", "patent_type": "utility_model",
               "registration_number": "ZL202220123456.1", "right_valid_from": D("2022-01-01"),
               "right_valid_until": D("2032-01-01")},
    )  # fmt: skip
    for kind, name, content in (
        ("registration_certificate", "c.pdf", pdf_bytes()),
        ("goods_photo", "g.png", png_bytes()),
    ):
        services.recordal_attach(
            actor=users["holder_a"], recordal=recordal, kind=kind,
            upload=upload(name, content, "application/octet-stream"),
        )  # fmt: skip
    missing = client.get(wizard(recordal, "review")).context["missing"]
    assert [m["message"] for m in missing] == [
        "Utility models and designs need a patent evaluation report (R4)."
    ]
    assert missing[0]["url"] == wizard(recordal, "documents")


# --- bad input: field errors, nothing changed (400) -------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nice_classes": "28, 41"}, "nice_classes", "service classes (35-45)"),
        ({"nice_classes": "28, x"}, "nice_classes", "Class numbers separated by commas"),
        ({"registration_number": "12AB"}, "registration_number", "Wrong format"),
        ({"registered": ""}, "registration_number", "Pending trademark applications"),
        ({"is_madrid": "on", "nice_classes": "25, 18"}, "nice_classes", "one class per recordal"),
        ({"right_valid_until": "2019-01-01"}, "right_valid_until", "must end after it starts"),
    ],
)
def test_r1_a_bad_right_is_shown_on_its_field_and_creates_no_draft(
    client, users, parties, changes, field, message
):
    signed_in(client, users["agent_a"])
    data = {"kind": "trademark", "holder": parties["holder_a"].pk, **RIGHT, **changes}
    response = client.post(reverse("portal:recordal_new"), data)
    assert response.status_code == 400
    errors = response.context["right_form"].errors
    assert message in " ".join(errors.get(field, [])), errors
    assert not Recordal.objects.exists()


def test_r1_a_bad_right_on_an_existing_draft_changes_nothing(client, users, parties):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    before = snapshot(recordal)
    signed_in(client, users["agent_a"])
    response = client.post(wizard(recordal, "right"), {**RIGHT, "nice_classes": "36"})
    assert response.status_code == 400
    assert "service classes" in " ".join(response.context["form"].errors["nice_classes"])
    assert snapshot(recordal) == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"name": "Toys", "hs_code": "95a"}, "An HS code has 4 to 10 digits."),
        ({"name": "Toys", "price_min": "100", "price_max": "50"}, "must not be below the lowest"),
        ({"name": "Toys", "origin_country": "XX"}, "ISO 3166-1"),
        ({"hs_code": "950300"}, "This field is required."),
    ],
)
def test_r4_a_bad_goods_row_is_shown_and_the_draft_keeps_its_goods(
    client, users, parties, row, message
):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    before = snapshot(recordal)
    signed_in(client, users["agent_a"])
    response = client.post(wizard(recordal, "goods"), rows_post("goods", [row]))
    assert response.status_code == 400
    assert message in str(response.context["formset"].errors)
    assert snapshot(recordal) == before


def test_r4_rows_can_be_removed_and_added(client, users, parties):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    signed_in(client, users["agent_a"])
    rows = [
        {"name": "Dongguan Toy Works", "role": "manufacturer", "country": "CN", "DELETE": "on"},
        {"name": "Shanghai Importer", "role": "importer", "country": "CN"},
    ]
    response = client.post(
        wizard(recordal, "licensees"), {**rows_post("licensees", rows, initial=1), "add_row": ""}
    )
    assert response["Location"] == wizard(recordal, "licensees")  # saved; one more row
    assert list(recordal.licensees.values_list("name", flat=True)) == ["Shanghai Importer"]


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        ("goods_photo", "photo.pdf", pdf_bytes(), "Only PNG, JPEG files are accepted."),
        ("registration_certificate", "x.pdf", b"<html>not a pdf</html>", "Only PDF, PNG, JPEG"),
        ("registration_certificate", "empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_r4_documents_are_checked_by_content(client, users, parties, kind, name, content, message):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    before = snapshot(recordal)
    signed_in(client, users["agent_a"])
    response = client.post(
        wizard(recordal, "documents"), {"kind": kind, "file": upload(name, content, "image/png")}
    )
    assert response.status_code == 400
    assert message in str(response.context["form"].errors)
    assert snapshot(recordal) == before


def test_r4_a_document_over_10_mb_is_refused(client, users, parties):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    before = snapshot(recordal)
    signed_in(client, users["agent_a"])
    big = pdf_bytes() + b"0" * (10 * 1024 * 1024)
    response = client.post(
        wizard(recordal, "documents"),
        {"kind": "other", "file": upload("big.pdf", big, "application/pdf")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file is larger than 10 MB."]
    assert snapshot(recordal) == before


def test_r4_submit_with_something_missing_is_refused_and_nothing_changes(client, users, parties):
    recordal = services.recordal_create_draft(
        actor=users["agent_a"], holder=parties["holder_a"], right=trademark()
    )
    before = snapshot(recordal)
    signed_in(client, users["agent_a"])
    response = client.post(step_url(recordal, "submit"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Describe at least one genuine product (R4)." in text
    assert "Attach the power of attorney (R3)." in text
    assert snapshot(recordal) == before


# --- steps not open now: 409, nothing changed ---------------------------------------------------


def test_409_a_submitted_application_is_not_edited_nor_submitted_again(client, users, parties):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    services.recordal_transition(actor=users["agent_a"], recordal=recordal, action="submit")
    before = snapshot(recordal)
    signed_in(client, users["agent_a"])
    response = client.post(wizard(recordal, "right"), {**RIGHT, "right_name": "LABUBU II"})
    assert response.status_code == 409
    assert "cannot be edited" in response.content.decode()
    response = client.post(step_url(recordal, "submit"))
    assert response.status_code == 409
    text = response.content.decode()
    assert "is not possible while the status is &#x27;Submitted&#x27;" in text
    assert 'id="step-form"' not in text  # no button for a step not open
    response = client.post(
        wizard(recordal, "documents"),
        {"kind": "goods_photo", "file": upload("g.png", png_bytes(), "image/png")},
    )
    assert response.status_code == 409
    assert snapshot(recordal) == before
    # The wizard is not offered: its pages send back to the recordal, saying why.
    response = client.get(wizard(recordal, "goods"))
    assert response["Location"] == reverse("portal:recordal", args=[recordal.pk])


def test_409_a_right_already_recorded_cannot_be_submitted_again(client, users, parties):
    approved(users["holder_a"], parties["holder_a"], users["gacc"])
    second = complete_draft(users["agent_a"], parties["holder_a"])
    before = snapshot(second)
    signed_in(client, users["agent_a"])
    response = client.post(step_url(second, "submit"))
    assert response.status_code == 409
    assert "already has a recordal pending or in force" in response.content.decode()
    assert snapshot(second) == before


def test_officers_steps_are_not_offered_to_the_holder_side(client, users, parties):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    services.recordal_transition(actor=users["agent_a"], recordal=recordal, action="submit")
    signed_in(client, users["agent_a"])
    response = client.get(step_url(recordal, "approve"))
    assert response.status_code == 302  # not offered: back to the recordal, with why
    response = client.post(step_url(recordal, "approve"))
    assert response.status_code in (403, 409)
    assert Recordal.objects.get(pk=recordal.pk).status == "submitted"
    assert client.get(step_url(recordal, "no-such-step")).status_code == 404
    assert client.get(wizard(recordal, "no-such-step")).status_code == 404


# --- corrections (R5) and the term (R6) ---------------------------------------------------------


def test_r5_gacc_asks_for_corrections_the_clock_stops_and_resumes_on_resubmission(
    client, users, parties
):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    on = D("2025-09-01")
    services.recordal_transition(actor=users["agent_a"], recordal=recordal, action="submit", on=on)
    services.recordal_transition(
        actor=users["gacc"], recordal=recordal, action="request_correction",
        reason="The packaging photos are black and white (R4).", on=D("2025-09-15"),
    )  # fmt: skip
    signed_in(client, users["agent_a"])
    page = client.get(reverse("portal:recordal", args=[recordal.pk]))
    text = page.content.decode()
    assert "GACC asks for corrections" in text
    assert "The packaging photos are black and white (R4)." in text
    assert "Clock stopped" in text and "Stopped on 2025-09-15" in text
    clock = page.context["clocks"][0]
    assert clock["stopped"] and clock["remaining"] == 20  # 10 of the 30 working days used
    # The agent corrects through the wizard and resubmits from the review.
    review = client.get(wizard(recordal, "review"))
    assert review.context["filing_step"].name == "correct"
    assert "The packaging photos are black and white" in review.content.decode()
    response = client.post(
        wizard(recordal, "documents"),
        {"kind": "packaging_photo", "file": upload("box.jpg", jpeg_bytes(), "image/jpeg")},
    )
    assert response.status_code == 302
    response = client.post(step_url(recordal, "correct"))
    assert response.status_code == 302
    recordal.refresh_from_db()
    assert recordal.status == "submitted"
    page = client.get(reverse("portal:recordal", args=[recordal.pk]))
    text = page.content.decode()
    assert "Clock running" in text and "Resumed on 2025-09-29 with 20 working days left" in text
    assert "GACC asks for corrections" not in text


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("holder_name", {"holder_name_en": "Pop Mart International"}),
        ("licensing", {"licensees-TOTAL_FORMS": "1", "licensees-INITIAL_FORMS": "0",
                       "licensees-0-name": "New Licensee", "licensees-0-role": "user",
                       "licensees-0-country": "CN"}),
        ("other", {}),
    ],
)  # fmt: skip
def test_r8_each_kind_of_change_has_its_form(client, users, parties, kind, fields):
    recordal = approved(users["agent_a"], parties["holder_a"], users["gacc"])
    signed_in(client, users["agent_a"])
    url = reverse("portal:recordal_change", args=[recordal.pk, kind])
    assert client.get(url).status_code == 200
    data = {"changed_on": "2025-09-20", "description": f"Change of {kind}", **fields}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    change = ChangeApplication.objects.get(recordal=recordal)
    assert (change.kind, change.status) == (kind, "pending")
    assert client.get(reverse("portal:recordal_change", args=[recordal.pk, "x"])).status_code == 404


def test_r8_changes_are_for_recordals_in_force_only(client, users, parties):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    signed_in(client, users["agent_a"])
    url = reverse("portal:recordal_change", args=[recordal.pk, "right"])
    response = client.post(
        url, {"changed_on": "2025-09-20", "description": "x", "right_valid_until": "2040-01-01"}
    )
    assert response.status_code == 409
    assert "Only a recordal in force can be changed" in response.content.decode()
    assert not ChangeApplication.objects.exists()


def test_r6_the_recordal_page_shows_the_number_and_the_term(client, users, parties):
    recordal = approved(users["agent_a"], parties["holder_a"], users["gacc"])
    signed_in(client, users["agent_a"])
    text = client.get(reverse("portal:recordal", args=[recordal.pk])).content.decode()
    assert recordal.number in text
    # Approved 2024-03-15: ten years would end 2034-03-14, the right ends 2030-06-13 (R6).
    assert "2024-03-15 &ndash; 2030-06-13" in text


# --- renewal (R7), changes and licensees (R8), cancellation (R9) --------------------------------


def test_r7_renewal_is_offered_in_its_window_only(client, users, parties):
    right = {"right_valid_from": D("2016-05-07"), "right_valid_until": D("2036-05-06")}
    recordal = approved(users["holder_a"], parties["holder_a"], users["gacc"],
                        on=D("2016-12-01"), **right)  # fmt: skip  # term to 2026-11-30
    signed_in(client, users["holder_a"])
    page = client.get(reverse("portal:recordal", args=[recordal.pk]))
    renewal = next(o for o in page.context["steps"] if o["step"].name == "request_renewal")
    assert renewal["not_now"] == "Renewal can be requested from 2026-05-30 to 2026-11-30 (R7)."
    response = client.post(step_url(recordal, "request_renewal"))
    assert response.status_code == 409
    assert Recordal.objects.get(pk=recordal.pk).status == "approved"
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, 0, tzinfo=LEGAL_TZ), tick=False):
        signed_in(client, users["holder_a"])  # a year on: a new session
        page = client.get(reverse("portal:recordal", args=[recordal.pk]))
        renewal = next(o for o in page.context["steps"] if o["step"].name == "request_renewal")
        assert renewal["not_now"] == ""
        assert client.get(step_url(recordal, "request_renewal")).status_code == 200
        response = client.post(step_url(recordal, "request_renewal"))
        assert response.status_code == 302
    assert Recordal.objects.get(pk=recordal.pk).status == "renewal_requested"


def test_r8_a_change_of_the_rights_validity_is_filed_with_its_new_date(client, users, parties):
    recordal = approved(users["agent_a"], parties["holder_a"], users["gacc"])
    signed_in(client, users["agent_a"])
    url = reverse("portal:recordal_change", args=[recordal.pk, "right"])
    assert "right_valid_until" in client.get(url).context["form"].fields
    before = snapshot(recordal)
    response = client.post(url, {"changed_on": "2025-09-20", "description": "Renewed at CNIPA"})
    assert response.status_code == 400  # no new validity (R8)
    assert response.context["form"].errors["right_valid_until"] == [
        "Give the right's new validity (R8)."
    ]
    response = client.post(url, {"changed_on": "2025-10-20", "description": "Renewed",
                                 "right_valid_until": "2040-06-13"})  # fmt: skip
    assert response.status_code == 400  # the change cannot be in the future
    assert snapshot(recordal) == before
    response = client.post(
        url,
        {"changed_on": "2025-09-20", "description": "Renewed at CNIPA to 2040",
         "right_valid_until": "2040-06-13"},
    )  # fmt: skip
    assert response.status_code == 302
    change = ChangeApplication.objects.get(recordal=recordal)
    assert (change.kind, change.status, change.details) == (
        "right", "pending", {"right_valid_until": "2040-06-13"},
    )  # fmt: skip
    response = client.post(
        url, {"changed_on": "2025-09-20", "description": "Again", "right_valid_until": "2041-01-01"}
    )
    assert response.status_code == 409  # a change of this kind is already pending
    assert ChangeApplication.objects.filter(recordal=recordal).count() == 1
    assert (
        "Renewed at CNIPA to 2040"
        in client.get(reverse("portal:recordal", args=[recordal.pk])).content.decode()
    )


def test_r8_a_change_of_the_goods_carries_the_goods_as_they_will_be(client, users, parties):
    recordal = approved(users["agent_a"], parties["holder_a"], users["gacc"])
    signed_in(client, users["agent_a"])
    url = reverse("portal:recordal_change", args=[recordal.pk, "goods"])
    rows = [{"name": "Plush toys", "hs_code": "950300"}, {"name": "Keychains", "hs_code": "7117"}]
    response = client.post(
        url,
        {"changed_on": "2025-09-20", "description": "Keychains added",
         **rows_post("genuine_goods", rows, initial=1)},
    )  # fmt: skip
    assert response.status_code == 302
    change = ChangeApplication.objects.get(recordal=recordal)
    assert [row["name"] for row in change.details["genuine_goods"]] == ["Plush toys", "Keychains"]
    assert recordal.genuine_goods.count() == 1  # until GACC approves


def test_r8_licensees_of_a_recordal_in_force_are_edited_freely(client, users, parties):
    recordal = approved(users["agent_a"], parties["holder_a"], users["gacc"])
    signed_in(client, users["agent_a"])
    url = reverse("portal:recordal_licensees", args=[recordal.pk])
    rows = [{"name": "Dongguan Toy Works", "role": "manufacturer", "country": "CN"},
            {"name": "Ningbo Exporter", "role": "exporter", "country": "CN",
             "valid_until": "2027-12-31"}]  # fmt: skip
    response = client.post(url, rows_post("licensees", rows, initial=1))
    assert response.status_code == 302
    assert list(recordal.licensees.values_list("name", "valid_until")) == [
        ("Dongguan Toy Works", None), ("Ningbo Exporter", D("2027-12-31")),
    ]  # fmt: skip
    response = client.post(url, rows_post("licensees", [{"name": "X", "role": "boss"}]))
    assert response.status_code == 400
    assert recordal.licensees.count() == 2


def test_r9_cancellation_needs_reasons_then_ends_the_recordal(client, users, parties):
    recordal = approved(users["agent_a"], parties["holder_a"], users["gacc"])
    signed_in(client, users["agent_a"])
    response = client.post(step_url(recordal, "cancel"), {"reason": " "})
    assert response.status_code == 400
    assert Recordal.objects.get(pk=recordal.pk).status == "approved"
    response = client.post(step_url(recordal, "cancel"), {"reason": "Assigned to a third party"})
    assert response.status_code == 302
    recordal.refresh_from_db()
    assert (recordal.status, recordal.ended_on) == ("cancelled", D("2025-09-29"))


# --- who may open which recordal ---------------------------------------------------------------


def all_urls(recordal, attachment):
    return [
        reverse("portal:recordal", args=[recordal.pk]),
        *(wizard(recordal, step) for step in ("right", "goods", "documents", "review")),
        step_url(recordal, "submit"),
        reverse("portal:recordal_document", args=[recordal.pk, attachment.pk]),
        reverse("portal:recordal_licensees", args=[recordal.pk]),
        reverse("portal:recordal_change", args=[recordal.pk, "right"]),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("holder_a", 200), ("agent_a", 200), ("holder_b", 404), ("agent_expired", 404)],
)
def test_permissions_who_opens_holder_as_recordal(client, users, parties, name, expected):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    attachment = recordal.attachments.first()
    before = snapshot(recordal)
    signed_in(client, users[name])
    for url in all_urls(recordal, attachment):
        response = client.get(url)
        status = 200 if response.status_code in (200, 302) else response.status_code
        assert status == expected, (url, response.status_code)
    response = client.post(wizard(recordal, "right"), {**RIGHT, "right_name": "Taken over"})
    assert response.status_code == (302 if expected == 200 else 404)
    if expected == 404:
        assert snapshot(recordal) == before
        assert (
            recordal.right_name not in client.get(reverse("portal:recordal_new")).content.decode()
        )


def test_anonymous_visitors_sign_in_and_officers_go_to_the_admin(client, users, parties):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    for url in (reverse("portal:recordal_new"), reverse("portal:recordal", args=[recordal.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    signed_in(client, users["gacc"])
    response = client.get(reverse("portal:recordal", args=[recordal.pk]))
    assert response["Location"] == reverse("admin:recordals_recordal_change", args=[recordal.pk])
    assert client.get(reverse("portal:recordal_new"))["Location"] == reverse("admin:index")


def test_a_document_is_served_to_the_holder_side_only(client, users, parties):
    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    attachment = recordal.attachments.get(kind=Attachment.Kind.GOODS_PHOTO)
    signed_in(client, users["holder_a"])
    response = client.get(reverse("portal:recordal_document", args=[recordal.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


# --- query budgets: a page does not grow with its rows ------------------------------------------


def test_the_recordal_page_and_the_review_do_not_grow_with_their_rows(client, users, parties):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    recordal = complete_draft(users["agent_a"], parties["holder_a"])
    signed_in(client, users["agent_a"])
    urls = [reverse("portal:recordal", args=[recordal.pk]), wizard(recordal, "review")]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    services.recordal_update(
        actor=users["agent_a"], recordal=recordal,
        genuine_goods=[{**GOODS[0], "name": f"Toy {n}"} for n in range(12)],
        licensees=[{"name": f"Licensee {n}", "role": "importer"} for n in range(12)],
    )  # fmt: skip
    for _ in range(5):
        services.recordal_attach(
            actor=users["agent_a"], recordal=recordal, kind="goods_photo",
            upload=upload("g.png", png_bytes(), "image/png"),
        )  # fmt: skip
    many = counts()
    print(f"queries: recordal page {many[0]}, review {many[1]}")  # noqa: T201
    assert many == few
    assert max(many) <= 15
