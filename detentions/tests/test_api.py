"""The detentions API: creation, generated action endpoints, redaction for the holder side,
filters, the bond quote, referrals, and query budgets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Port
from core.demo_files import pdf_bytes
from deadlines.models import Deadline
from detentions.models import Detention, DetentionDocument
from detentions.tests.factories import SHIPMENT, detained, ex_officio, step

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
URL = "/api/v1/detentions/"


def as_user(api, user):
    api.force_authenticate(user)
    return api


def payload(mark, **overrides):
    return {
        **SHIPMENT,
        "recordals": [mark.pk],
        "served_on": "2025-09-26",
        "goods_lines": [
            {
                "description": "Plush toys",
                "hs_code": "950300",
                "category": "toys",
                "quantity": 1200,
                "value": "15000.50",
                "recordal": mark.pk,
            },
            {
                "description": "Keychains",
                "hs_code": "731990",
                "category": "toys",
                "quantity": 800,
                "value": "4999.50",
            },
        ],
        **overrides,
    }


# --- the bond quote (CONTRACT.md) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "value", "bond"),
    [
        ("ex_officio", "19999.99", "19999.99"),
        ("ex_officio", "20000", "20000.00"),
        ("ex_officio", "100000", "50000.00"),
        ("ex_officio", "200000", "100000.00"),
        ("ex_officio", "370000", "100000.00"),
        ("on_application", "370000", "370000.00"),
    ],
)
def test_r14_r18_bond_quote_needs_no_login(api, mode, value, bond):
    response = api.get("/api/v1/bonds/quote/", {"mode": mode, "goods_value": value})
    assert response.status_code == 200
    assert response.json() == {"mode": mode, "goods_value": f"{Decimal(value):.2f}", "bond": bond}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"mode": "by_force", "goods_value": "1"}, "mode"),
        ({"goods_value": "1"}, "mode"),
        ({"mode": "ex_officio", "goods_value": "abc"}, "goods_value"),
        ({"mode": "ex_officio", "goods_value": "-5"}, "goods_value"),
        ({"mode": "ex_officio", "goods_value": "0"}, "goods_value"),
        ({"mode": "ex_officio", "goods_value": "1.005"}, "goods_value"),
        ({"mode": "ex_officio", "goods_value": "NaN"}, "goods_value"),
        ({"mode": "ex_officio", "goods_value": "Infinity"}, "goods_value"),
        ({"mode": "ex_officio", "goods_value": "1e30"}, "goods_value"),
        ({"mode": "ex_officio"}, "goods_value"),
    ],
)
def test_bond_quote_bad_input_is_a_400_with_the_field(api, params, field):
    response = api.get("/api/v1/bonds/quote/", params)
    assert response.status_code == 400
    assert field in response.json()


# --- opening cases -----------------------------------------------------------------------------


def test_r12_officer_opens_a_case_and_the_reply_deadline_runs(api, parties, mark):
    response = as_user(api, parties["users"]["ningbo"]).post(URL, payload(mark), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["mode"], body["total_items"], body["total_value"]) == (
        "notified",
        "ex_officio",
        2000,
        "20000.00",
    )
    assert body["open_deadlines"][0]["kind"] == "reply_to_detention_notice"
    assert body["open_deadlines"][0]["due_date"] == "2025-09-30"
    assert body["next_deadline_kind"] == "reply_to_detention_notice"
    # PIPL: the answer masks the personal particulars; the case's detail shows them.
    assert body["consignor_id_number"] == "91*************X1"
    detail = as_user(api, parties["users"]["ningbo"]).get(f"{URL}{body['id']}/").json()
    assert detail["consignor_id_number"] == SHIPMENT["consignor_id_number"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"goods_lines": []}, "goods_lines"),
        ({"recordals": []}, "recordals"),
        ({"origin_country": "China"}, "origin_country"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"served_on": "2999-01-01"}, "served_on"),
        ({"served_on": "2024-01-01"}, "recordals"),  # before the recordal was approved
    ],
)
def test_bad_case_input_is_a_400_and_creates_nothing(api, parties, mark, change, field):
    response = as_user(api, parties["users"]["ningbo"]).post(
        URL, payload(mark, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Detention.objects.count() == 0


def test_bad_goods_line_names_the_line(api, parties, mark):
    lines = payload(mark)["goods_lines"]
    lines[1]["hs_code"] = "12"
    response = as_user(api, parties["users"]["ningbo"]).post(
        URL, payload(mark, goods_lines=lines), format="json"
    )
    assert response.status_code == 400
    assert "hs_code" in response.json()["goods_lines"][1]


def test_r18_agent_applies_for_its_principal(api, parties):
    port = Port.objects.filter(office__customs_code="3100").first()
    body = {
        **SHIPMENT,
        "port": port.pk,
        "ip_kind": "trademark",
        "right_description": "SUNRISE word mark (not recorded)",
        "evidence": "Test buy",
        "expected_arrival": "Meishan, mid-October, by sea",
        "bond_form": "cash",
        "goods_lines": [
            {
                "description": "Caps",
                "hs_code": "650500",
                "category": "apparel",
                "quantity": 10,
                "value": "900.00",
            }
        ],
    }
    api = as_user(api, parties["users"]["agent_a"])
    response = api.post(URL + "apply/", {**body, "holder": parties["holder_a"].pk}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["bond_amount"]) == ("applied", "900.00")
    assert "consignor_id_number" not in response.json()  # the holder side's view
    response = api.post(URL + "apply/", {**body, "holder": parties["holder_b"].pk}, format="json")
    assert response.status_code == 403
    response = api.post(
        URL + "apply/", {**body, "evidence": "", "holder": parties["holder_a"].pk}, format="json"
    )
    assert response.status_code == 400 and "evidence" in response.json()


# --- actions -------------------------------------------------------------------------------------


def test_holder_replies_through_the_api_and_officer_detains_with_the_bond_document(
    api, parties, mark, monkeypatch
):
    for module in ("engine.workflow", "detentions.steps"):
        monkeypatch.setattr(f"{module}.local_today", lambda: D("2025-09-29"))
    case = ex_officio(parties["users"]["ningbo"], mark)
    holder = as_user(api, parties["users"]["holder_a"])
    response = holder.post(
        f"{URL}{case.pk}/request-detention/", {"bond_source": "case_bond"}, format="json"
    )
    assert response.status_code == 400 and "bond_form" in response.json()
    response = holder.post(  # R12: the bond must be in place with the request
        f"{URL}{case.pk}/request-detention/",
        {"bond_source": "case_bond", "bond_form": "cash"},
        format="json",
    )
    assert response.status_code == 400 and "bond_reference" in response.json()
    response = holder.post(
        f"{URL}{case.pk}/request-detention/",
        {"bond_source": "case_bond", "bond_form": "cash", "bond_reference": "CASH-2025-1"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "detention_requested"
    assert response.json()["allowed_actions"] == ["withdraw"]
    assert response.json()["events"][-1]["filed_via"] == "online"  # R13
    officer = as_user(api, parties["users"]["ningbo"])
    upload = SimpleUploadedFile("receipt.pdf", pdf_bytes(), "application/pdf")
    response = officer.post(
        f"{URL}{case.pk}/detain/",
        {"document": upload},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "detained"
    detain_event = body["events"][-1]
    assert detain_event["action"] == "detain" and len(detain_event["documents"]) == 1
    assert body["money_balance"]["bond_held"] == "20000.00"
    document = body["documents"][0]
    download = holder.get(f"{URL}{case.pk}/documents/{document['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_step_not_allowed_now_is_a_409_and_changes_nothing(api, parties, mark):
    case = ex_officio(parties["users"]["ningbo"], mark)
    before = Detention.objects.get(pk=case.pk).updated_at
    response = as_user(api, parties["users"]["ningbo"]).post(
        f"{URL}{case.pk}/confiscate/",
        {"penalty_tier": "general", "penalty_fine": "3000"},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["state"], body["action"]) == (
        "transition_not_allowed",
        "notified",
        "confiscate",
    )
    # The officer releases, or records the holder's paper reply (R12, R13).
    assert set(body["allowed_actions"]) == {"release", "request_detention", "decline"}
    assert Detention.objects.get(pk=case.pk).updated_at == before
    assert case.events.count() == 1


def test_holder_side_sees_no_personal_data_and_nothing_internal(api, parties, mark):
    officer = parties["users"]["ningbo"]
    case = detained(officer, parties["users"]["holder_a"], mark)
    Detention.objects.filter(pk=case.pk).update(internal_notes="Tip from informant 7")
    for internal in (True, False):
        as_user(api, officer).post(
            f"{URL}{case.pk}/documents/",
            {
                "kind": "other",
                "internal": internal,
                "title": f"internal={internal}",
                "file": SimpleUploadedFile("x.pdf", pdf_bytes(), "application/pdf"),
            },
            format="multipart",
        )
    hidden = DetentionDocument.objects.get(internal=True)
    officer_view = as_user(api, officer).get(f"{URL}{case.pk}/").json()
    assert officer_view["internal_notes"] == "Tip from informant 7"
    assert len(officer_view["documents"]) == 2
    for user in ("holder_a", "agent_a"):
        view = as_user(api, parties["users"][user]).get(f"{URL}{case.pk}/").json()
        for field in (
            "consignor_address",
            "consignor_contact",
            "consignor_id_number",
            "consignee_address",
            "internal_notes",
        ):
            assert field not in view
        assert (view["consignor_name"], view["consignor_country"]) == (
            SHIPMENT["consignor_name"],
            "CN",
        )
        assert [d["title"] for d in view["documents"]] == ["internal=False"]
        assert all(e["data"].get("document") != hidden.pk for e in view["events"])
        response = as_user(api, parties["users"][user]).get(
            f"{URL}{case.pk}/documents/{hidden.pk}/"
        )
        assert response.status_code == 404


def test_officer_endpoints_for_costs_payments_statements_compensation(api, parties, mark):
    officer = parties["users"]["ningbo"]
    case = detained(officer, parties["users"]["holder_a"], mark)
    api = as_user(api, officer)
    response = api.post(
        f"{URL}{case.pk}/costs/", {"cost_kind": "custody", "amount": "300.00"}, format="json"
    )
    assert response.status_code == 201
    response = api.post(f"{URL}{case.pk}/payments/", {"amount": "300.01"}, format="json")
    assert response.status_code == 400 and "amount" in response.json()
    response = api.post(f"{URL}{case.pk}/payments/", {"amount": "300.00"}, format="json")
    assert response.status_code == 201
    response = api.post(
        f"{URL}{case.pk}/statements/", {"statement": "Licensed goods"}, format="json"
    )
    assert response.status_code == 201
    response = api.post(
        f"{URL}{case.pk}/compensations/", {"amount": "1.00", "court_reference": "X"}, format="json"
    )
    assert response.status_code == 409  # the goods are still held


# --- filters and query budgets -----------------------------------------------------------------


def test_filters(api, parties, mark):
    officer = parties["users"]["ningbo"]
    notified = ex_officio(officer, mark, channel="postal", transport_mode="post")
    held = detained(officer, parties["users"]["holder_a"], mark, channel="express")
    api = as_user(api, parties["users"]["gacc"])

    def ids(**params):
        return {row["id"] for row in api.get(URL, params).json()["results"]}

    assert ids(status="notified") == {notified.pk}
    assert ids(status=["notified", "detained"]) == {notified.pk, held.pk}
    assert ids(channel="express") == {held.pk}
    assert ids(office=parties["ningbo"].pk) == {notified.pk, held.pk}
    assert ids(office=parties["shenzhen"].pk) == set()
    assert ids(holder=parties["holder_b"].pk) == set()
    assert ids(mode="on_application") == set()
    assert ids(ip_kind="trademark", direction="export") == {notified.pk, held.pk}
    assert ids(opened_after="2025-09-27") == set()
    assert ids(opened_before="2025-09-26") == {notified.pk, held.pk}
    # Both cases' deadlines lie in 2025: all are past due and unswept.
    assert ids(overdue="true") == {notified.pk, held.pk}
    Deadline.objects.update(due_at="2999-01-01T00:00:00Z")
    assert ids(overdue="true") == set()
    assert ids(overdue="false") == {notified.pk, held.pk}
    assert api.get(URL, {"status": "nonsense"}).status_code == 400


def test_list_and_detail_use_a_bounded_number_of_queries(
    api, parties, mark, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = parties["users"]["ningbo"]
    api = as_user(api, parties["users"]["gacc"])
    counts = []
    for extra in (2, 20):
        for _ in range(extra - Detention.objects.count()):
            case = detained(officer, parties["users"]["holder_a"], mark)
        with CaptureQueriesContext(connection) as captured:
            response = api.get(URL, {"page_size": 100})
        assert response.json()["count"] == extra
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(16):
        assert api.get(f"{URL}{case.pk}/").status_code == 200


# --- referrals (R25) -------------------------------------------------------------------------


def test_r25_referral_tracked_to_acceptance(api, parties, mark):
    officer = parties["users"]["ningbo"]
    case = detained(officer, parties["users"]["holder_a"], mark)
    step(case, officer, "determine_infringing", "2025-10-20")
    api = as_user(api, officer)
    response = api.post(
        "/api/v1/referrals/",
        {
            "detention": case.pk,
            "organ": "Ningbo PSB",
            "grounds": "Large-scale counterfeiting",
            "referred_on": "2025-10-22",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    referral = response.json()
    assert (referral["status"], referral["allowed_actions"]) == (
        "referred",
        ["accept", "decline", "return"],
    )
    again = api.post(
        "/api/v1/referrals/",
        {"detention": case.pk, "organ": "Other PSB", "grounds": "x"},
        format="json",
    )
    assert again.status_code == 409
    accept = f"/api/v1/referrals/{referral['id']}/accept/"
    assert api.post(accept, {}, format="json").status_code == 400  # police case number needed
    response = api.post(accept, {"police_case_number": "甬公刑2025-118"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["police_case_number"]) == (
        "accepted",
        "甬公刑2025-118",
    )
    assert api.post(accept, {"police_case_number": "again"}, format="json").status_code == 409
    holder_view = as_user(api, parties["users"]["holder_a"]).get("/api/v1/referrals/").json()
    assert [r["status"] for r in holder_view["results"]] == ["accepted"]
    assert as_user(api, parties["users"]["holder_b"]).get("/api/v1/referrals/").json()["count"] == 0


def test_r25_a_case_never_detained_cannot_be_referred(api, parties, mark):
    case = ex_officio(parties["users"]["ningbo"], mark)
    response = as_user(api, parties["users"]["ningbo"]).post(
        "/api/v1/referrals/",
        {"detention": case.pk, "organ": "PSB", "grounds": "x"},
        format="json",
    )
    assert response.status_code == 409
    response = as_user(api, parties["users"]["shenzhen"]).post(
        "/api/v1/referrals/",
        {"detention": case.pk, "organ": "PSB", "grounds": "x"},
        format="json",
    )
    assert response.status_code == 400 and "detention" in response.json()
