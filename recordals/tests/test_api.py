"""Recordal endpoints: permissions as a table, bad input, public search (R11), query budgets."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.demo_files import pdf_bytes, png_bytes
from recordals.models import Recordal
from recordals.tests.factories import D, approved, complete_draft

pytestmark = pytest.mark.django_db

ROLES = ["gacc", "ningbo", "holder_a", "holder_b", "agent_a", "agent_expired"]


@pytest.fixture
def recs(parties):
    """An approved recordal and a draft of holder A, an approved one of holder B."""
    users = parties["users"]
    return {
        "a_approved": approved(users["holder_a"], parties["holder_a"], users["gacc"],
                               right_valid_until=D("2040-01-01")),
        "a_draft": complete_draft(users["agent_a"], parties["holder_a"],
                                  registration_number="22223333"),
    }  # fmt: skip


@pytest.fixture
def holder_b_recordal(parties):
    from accounts.tests.factories import AuthorisationFactory, IPAgencyFactory, UserFactory

    agent_b = UserFactory(organisation=AuthorisationFactory(
        holder=parties["holder_b"], agency=IPAgencyFactory()).agency)  # fmt: skip
    return approved(agent_b, parties["holder_b"], parties["users"]["gacc"],
                    registration_number="7654321")  # fmt: skip


READ_TABLE = {  # role → which recordals it may read
    "gacc": {"a_approved", "a_draft", "b_approved"},
    "ningbo": {"a_approved", "a_draft", "b_approved"},
    "holder_a": {"a_approved", "a_draft"},
    "holder_b": {"b_approved"},
    "agent_a": {"a_approved", "a_draft"},
    "agent_expired": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_recordal_read_table(api, parties, recs, holder_b_recordal, role):
    recs["b_approved"] = holder_b_recordal
    api.force_authenticate(parties["users"][role])
    listed = {row["id"] for row in api.get("/api/v1/recordals/").json()["results"]}
    names = {name for name, r in recs.items() if r.pk in listed}
    assert names == READ_TABLE[role]
    for name, recordal in recs.items():
        expected = 200 if name in READ_TABLE[role] else 404
        assert api.get(f"/api/v1/recordals/{recordal.pk}/").status_code == expected
        attachment = recordal.attachments.first()
        url = f"/api/v1/recordals/{recordal.pk}/attachments/{attachment.pk}/"
        assert api.get(url).status_code == expected


# role → expected status per write on holder A's recordals
WRITE_TABLE = {
    "gacc":          {"create": 403, "edit_draft": 403, "submit": 403, "approve": 200, "cancel": 200, "revoke": 200},
    "ningbo":        {"create": 403, "edit_draft": 403, "submit": 403, "approve": 403, "cancel": 403, "revoke": 403},
    "holder_a":      {"create": 201, "edit_draft": 200, "submit": 200, "approve": 403, "cancel": 200, "revoke": 403},
    "holder_b":      {"create": 403, "edit_draft": 404, "submit": 404, "approve": 404, "cancel": 404, "revoke": 404},
    "agent_a":       {"create": 201, "edit_draft": 200, "submit": 200, "approve": 403, "cancel": 200, "revoke": 403},
    "agent_expired": {"create": 403, "edit_draft": 404, "submit": 404, "approve": 404, "cancel": 404, "revoke": 404},
}  # fmt: skip


def new_right(number="31313131"):
    return {"kind": "trademark", "right_name": "MOLLY", "registration_number": number,
            "nice_classes": [28], "right_valid_from": "2020-01-01",
            "right_valid_until": "2035-01-01", "holder": None}  # fmt: skip


@pytest.mark.parametrize("role", list(WRITE_TABLE))
def test_recordal_write_table(api, parties, recs, role):
    expected = WRITE_TABLE[role]
    api.force_authenticate(parties["users"][role])
    draft, live = recs["a_draft"], recs["a_approved"]
    before = Recordal.objects.count()
    body = {**new_right(), "holder": parties["holder_a"].pk}
    response = api.post("/api/v1/recordals/", body, format="json")
    assert response.status_code == expected["create"], response.json()
    assert Recordal.objects.count() == before + (expected["create"] == 201)

    response = api.patch(f"/api/v1/recordals/{draft.pk}/", {"right_name": "LABUBU II"},
                         format="json")  # fmt: skip
    assert response.status_code == expected["edit_draft"]
    draft.refresh_from_db()
    assert (draft.right_name == "LABUBU II") == (expected["edit_draft"] == 200)

    response = api.post(f"/api/v1/recordals/{draft.pk}/submit/")
    assert response.status_code == expected["submit"]
    draft.refresh_from_db()
    assert draft.status == ("submitted" if expected["submit"] == 200 else "draft")

    if expected["submit"] != 200:  # give GACC something to approve
        from recordals import services

        services.recordal_transition(actor=parties["users"]["holder_a"], recordal=draft,
                                     action="submit")  # fmt: skip
    assert api.post(f"/api/v1/recordals/{draft.pk}/approve/").status_code == expected["approve"]

    for action in ("revoke", "cancel"):
        response = api.post(f"/api/v1/recordals/{live.pk}/{action}/", {"reason": "because"})
        live.refresh_from_db()
        if response.status_code == 200:
            assert live.status in ("revoked", "cancelled")
            break
        assert response.status_code == expected[action]
        assert live.status == "approved"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"registration_number": "ABC-12"}, "registration_number"),
        ({"nice_classes": [46]}, "nice_classes"),
        ({"kind": "utility"}, "kind"),
        ({"right_valid_from": "2030-01-01", "right_valid_until": "2020-01-01"},
         "right_valid_until"),
        ({"right_valid_until": "not-a-date"}, "right_valid_until"),
        ({"registered": False}, "registration_number"),
        ({"genuine_goods": [{"name": "Toys", "hs_code": "95A3"}]}, "genuine_goods"),
    ],
)  # fmt: skip
def test_bad_recordal_input_is_400_with_the_field_and_creates_nothing(api, parties, body, field):
    api.force_authenticate(parties["users"]["holder_a"])
    response = api.post("/api/v1/recordals/", {**new_right(), **body,
                                               "holder": parties["holder_a"].pk}, format="json")  # fmt: skip
    assert response.status_code == 400
    assert field in response.json()
    assert not Recordal.objects.exists()


def test_a_second_live_recordal_of_the_same_right_is_409(api, parties, recs):
    api.force_authenticate(parties["users"]["holder_a"])
    draft = complete_draft(parties["users"]["holder_a"], parties["holder_a"])  # same 41234567
    response = api.post(f"/api/v1/recordals/{draft.pk}/submit/")
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_renewal_outside_the_window_is_409_and_changes_nothing(api, parties, recs):
    api.force_authenticate(parties["users"]["holder_a"])
    live = recs["a_approved"]
    response = api.post(f"/api/v1/recordals/{live.pk}/request-renewal/")
    assert response.status_code == 409
    assert response.json()["window_opens"] == "2033-09-14"
    live.refresh_from_db()
    assert live.status == "approved"


def test_a_transition_not_allowed_now_is_409_with_the_allowed_actions(api, parties, recs):
    api.force_authenticate(parties["users"]["gacc"])
    response = api.post(f"/api/v1/recordals/{recs['a_approved'].pk}/approve/")
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["state"], body["action"]) == (
        "transition_not_allowed", "approved", "approve")  # fmt: skip
    assert body["allowed_actions"] == ["cancel", "revoke"]


def test_detail_shows_the_timeline_open_deadlines_and_allowed_actions(api, parties, recs):
    api.force_authenticate(parties["users"]["agent_a"])
    body = api.get(f"/api/v1/recordals/{recs['a_approved'].pk}/").json()
    assert [e["action"] for e in body["events"]] == ["create", "submit", "approve"]
    assert {d["kind"] for d in body["open_deadlines"]} == {"recordal_expiry",
                                                          "renewal_window_opens"}  # fmt: skip
    assert body["allowed_actions"] == ["request_renewal", "cancel"]
    assert body["known_infringers"] == [{"name": "Fake Toys Trading", "role": "", "country": "CN",
                                         "ports": "", "features": "", "price": ""}]  # fmt: skip


def test_attachments_upload_checks_content_and_kind(api, parties, recs):
    api.force_authenticate(parties["users"]["agent_a"])
    url = f"/api/v1/recordals/{recs['a_draft'].pk}/attachments/"
    ok = api.post(url, {"kind": "packaging_photo",
                        "file": SimpleUploadedFile("p.png", png_bytes(), "image/png")},
                  format="multipart")  # fmt: skip
    assert ok.status_code == 201
    bad = api.post(url, {"kind": "packaging_photo",
                         "file": SimpleUploadedFile("p.png", pdf_bytes(), "image/png")},
                   format="multipart")  # fmt: skip
    assert bad.status_code == 400 and "file" in bad.json()
    wrong_state = api.post(f"/api/v1/recordals/{recs['a_approved'].pk}/attachments/",
                           {"kind": "other", "file": SimpleUploadedFile("x.pdf", pdf_bytes())},
                           format="multipart")  # fmt: skip
    assert wrong_state.status_code == 409


def test_r11_public_search_is_redacted_and_finds_latin_chinese_and_numbers(api, parties, recs,
                                                                         holder_b_recordal):  # fmt: skip
    def search(q):
        response = api.get("/api/v1/public/recordals/", {"q": q})
        assert response.status_code == 200
        return response.json()

    body = search("labu")  # prefix of the mark
    assert body["count"] == 2 and {r["holder_name"] for r in body["results"]} == {"Holder A",
                                                                                "Holder B"}  # fmt: skip
    row = body["results"][0]
    assert set(row) == {"id", "number", "kind", "status", "holder_name", "holder_name_zh",
                        "holder_country", "right_name", "registration_number", "nice_classes",
                        "approved_goods", "valid_from", "valid_until"}  # fmt: skip
    assert search("41234567")["count"] == 1
    assert search("plush")["count"] == 2  # approved goods
    assert search("权利人")["count"] == 2  # Chinese holder names, as a phrase
    assert search("利权")["count"] == 0  # the same characters out of order do not match
    assert search("权利人999")["count"] == 0
    assert search("")["count"] == 2  # drafts are never public
    assert search("'; drop table --")["count"] == 0


def test_recordal_list_query_count_is_bounded(api, parties, django_assert_max_num_queries):
    users = parties["users"]
    for n in range(12):
        complete_draft(users["holder_a"], parties["holder_a"], registration_number=f"{5000000 + n}")
    api.force_authenticate(users["agent_a"])
    with django_assert_max_num_queries(6):
        assert len(api.get("/api/v1/recordals/", {"page_size": 100}).json()["results"]) == 12
    with django_assert_max_num_queries(6):
        api.get("/api/v1/public/recordals/", {"page_size": 100})


# --- R1 service marks, R8 changes, R9 the bar after revocation -------------------------------


@pytest.mark.parametrize(("classes", "named"), [([41], "41"), ([9, 35, 45], "35, 45")])
def test_r1_service_marks_are_400_naming_the_service_classes(api, parties, classes, named):
    api.force_authenticate(parties["users"]["holder_a"])
    response = api.post("/api/v1/recordals/", {**new_right(), "nice_classes": classes,
                                               "holder": parties["holder_a"].pk}, format="json")  # fmt: skip
    assert response.status_code == 400
    (message,) = response.json()["nice_classes"]
    assert f"Class(es) {named} are service classes" in message and "(R1)" in message
    assert not Recordal.objects.exists()


def test_r9_resubmitting_a_revoked_right_within_the_bar_is_409(api, parties, recs, settings):
    from recordals import services

    settings.IPR_REVOCATION_BAR_DAYS = 365
    users = parties["users"]
    revoked = services.recordal_transition(actor=users["gacc"], recordal=recs["a_approved"],
                                           action="revoke", reason="Untruthful")  # fmt: skip
    again = complete_draft(users["holder_a"], parties["holder_a"])  # the same trademark
    api.force_authenticate(users["holder_a"])
    response = api.post(f"/api/v1/recordals/{again.pk}/submit/")
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["revoked_on"]) == ("conflict", str(revoked.ended_on))
    assert body["barred_until"] == str(revoked.ended_on + dt.timedelta(days=365))
    assert "(R9)" in body["detail"]
    again.refresh_from_db()
    assert (again.status, again.events.count()) == ("draft", 1)


def test_r8_a_change_of_the_right_through_the_api(api, parties):
    users = parties["users"]
    capped = approved(users["holder_a"], parties["holder_a"], users["gacc"],
                      right_valid_until=D("2030-05-01"))  # fmt: skip
    url = f"/api/v1/recordals/{capped.pk}/changes/"
    body = {"kind": "right", "changed_on": "2025-06-02", "description": "Renewed at CNIPA"}
    api.force_authenticate(users["agent_a"])
    missing = api.post(url, body, format="json")
    assert missing.status_code == 400 and "right_valid_until" in missing.json()
    assert not capped.changes.exists()
    filed = api.post(url, {**body, "right_valid_until": "2040-05-01"}, format="json")
    assert filed.status_code == 201, filed.json()
    assert (filed.json()["kind"], filed.json()["details"]) == (
        "right", {"right_valid_until": "2040-05-01"})  # fmt: skip

    api.force_authenticate(users["gacc"])
    decided = api.post(f"{url}{filed.json()['id']}/decide/", {"approve": True}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    detail = api.get(f"/api/v1/recordals/{capped.pk}/").json()
    assert (detail["right_valid_until"], detail["valid_from"], detail["valid_until"]) == (
        "2040-05-01", "2024-03-15", "2034-03-14")  # fmt: skip


def test_r8_holder_name_goods_and_licensing_changes_through_the_api(api, parties, recs):
    users = parties["users"]
    live = recs["a_approved"]
    url = f"/api/v1/recordals/{live.pk}/changes/"
    base = {"changed_on": "2025-06-02", "description": "changed"}
    api.force_authenticate(users["holder_a"])
    filed = [
        api.post(url, {**base, "kind": "holder_name", "holder_name_en": "Pop Mart Intl",
                       "holder_name_zh": "泡泡玛特国际"}, format="json"),
        api.post(url, {**base, "kind": "goods", "genuine_goods": [
            {"name": "Blind boxes", "hs_code": "950300", "price_min": "69.00"}]}, format="json"),
        api.post(url, {**base, "kind": "licensing", "licensees": [
            {"name": "Yiwu Trading", "role": "exporter", "valid_until": "2029-12-31"}]},
            format="json"),
    ]  # fmt: skip
    assert [response.status_code for response in filed] == [201, 201, 201]
    wrong = api.post(url, {**base, "kind": "holder_name", "licensees": []}, format="json")
    assert wrong.status_code == 400 and set(wrong.json()) == {"holder_name_en", "licensees"}

    api.force_authenticate(users["gacc"])
    for response in filed:
        decide = f"{url}{response.json()['id']}/decide/"
        assert api.post(decide, {"approve": True}, format="json").status_code == 200
    detail = api.get(f"/api/v1/recordals/{live.pk}/").json()
    assert (detail["holder_name"], detail["holder_name_zh"]) == ("Pop Mart Intl", "泡泡玛特国际")
    assert [(g["name"], g["price_min"]) for g in detail["genuine_goods"]] == [
        ("Blind boxes", "69.00")]  # fmt: skip
    assert detail["licensees"] == [{"name": "Yiwu Trading", "role": "exporter", "country": "CN",
                                    "valid_until": "2029-12-31"}]  # fmt: skip
    api.force_authenticate(None)
    public = api.get("/api/v1/public/recordals/", {"q": "泡泡玛特"}).json()
    assert [(r["id"], r["holder_name"]) for r in public["results"]] == [(live.pk, "Pop Mart Intl")]
