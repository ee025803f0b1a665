"""Defects found in review, each fixed and pinned here."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Port
from core.demo_files import pdf_bytes
from core.errors import Conflict, InvalidInput
from detentions import services
from detentions.models import Detention
from detentions.tests.factories import SHIPMENT, detained, ex_officio, lines, step
from detentions.tests.test_services import general_bond, snapshot  # noqa: F401

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
URL = "/api/v1/detentions/"


def test_a_total_beyond_the_money_column_is_a_400_not_a_500(api, parties, mark):
    api.force_authenticate(parties["users"]["ningbo"])
    huge = {
        "description": "x",
        "hs_code": "950300",
        "category": "toys",
        "quantity": 1,
        "value": "9999999999999999.99",
    }
    body = {
        **SHIPMENT,
        "recordals": [mark.pk],
        "served_on": "2025-09-26",
        "goods_lines": [huge, huge],
    }
    response = api.post(URL, body, format="json")
    assert response.status_code == 400 and "goods_lines" in response.json()
    assert Detention.objects.count() == 0


def test_a_long_chinese_file_name_is_stored(api, parties, mark):
    case = ex_officio(parties["users"]["ningbo"], mark)
    api.force_authenticate(parties["users"]["ningbo"])
    upload = SimpleUploadedFile("海关" * 45 + ".pdf", pdf_bytes(), "application/pdf")
    response = api.post(
        f"{URL}{case.pk}/documents/", {"kind": "other", "file": upload}, format="multipart"
    )
    assert response.status_code == 201
    assert case.documents.get().file.name.endswith(".pdf")


def test_an_application_without_a_holder_is_a_400(parties):
    with pytest.raises(InvalidInput) as error:
        services.detention_apply(
            actor=parties["users"]["gacc"],
            holder=None,
            port=Port.objects.filter(office__customs_code="3100").first(),
            shipment=SHIPMENT,
            goods_lines=lines(),
            ip_kind="trademark",
            right_description="Mark",
            evidence="x",
            expected_arrival="y",
            bond_form="cash",
        )
    assert "holder" in error.value.errors


def test_r15_r27_costs_reach_the_bond_only_after_the_10_working_days(
    officer,
    holder_user,
    mark,
    general_bond,  # noqa: F811
):
    case = ex_officio(officer, mark, values=("100000.00",))
    step(case, holder_user, "request_detention", "2025-09-29", bond_source="general_bond")
    step(case, officer, "detain", "2025-09-29")
    step(case, officer, "determine_not_infringing", "2025-10-10", reason="Genuine")
    services.detention_charge_costs(
        actor=officer,
        detention=case,
        cost_kind="custody",
        amount=Decimal("700.00"),
        on=D("2025-10-10"),
    )
    before = snapshot(case)
    with pytest.raises(Conflict, match="2025-10-23"):
        step(case, officer, "close", "2025-10-23")
    assert snapshot(case) == before
    assert not general_bond.entries.filter(kind="guarantor_call").exists()
    step(case, officer, "close", "2025-10-24")


def test_r27_cost_periods_are_real_and_never_charged_twice(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)

    def charge(kind, start, end, on="2025-11-03"):
        return services.detention_charge_costs(
            actor=officer,
            detention=case,
            cost_kind=kind,
            amount=Decimal("10.00"),
            period_from=D(start),
            period_to=D(end),
            on=D(on),
        )

    charge("storage", "2025-09-29", "2025-10-31")
    for kind, start, end in [
        ("storage", "2025-10-15", "2025-11-02"),  # overlaps
        ("storage", "2025-11-01", "2035-12-31"),  # the future
        ("custody", "2025-10-10", "2025-10-01"),
    ]:
        with pytest.raises(InvalidInput):
            charge(kind, start, end)
    charge("storage", "2025-11-01", "2025-11-03")
    assert case.money.filter(kind="cost_charged").count() == 2


def test_r18_officers_correct_the_goods_of_an_application(parties):
    case = services.detention_apply(
        actor=parties["users"]["holder_a"],
        holder=parties["holder_a"],
        port=Port.objects.filter(office__customs_code="3100").first(),
        shipment=SHIPMENT,
        goods_lines=lines("1000.00"),
        ip_kind="trademark",
        right_description="Mark",
        evidence="x",
        expected_arrival="y",
        bond_form="cash",
        on=D("2025-09-26"),
    )
    case = services.detention_update_goods(
        actor=parties["users"]["ningbo"],
        detention=case,
        goods_lines=lines("2500.00"),
        on=D("2025-09-29"),
    )
    assert (case.total_value, case.bond_amount) == (Decimal("2500.00"), Decimal("2500.00"))


def test_r21_a_zero_counter_bond_is_refused(officer, holder_user, patent_recordal):
    case = detained(officer, holder_user, patent_recordal, values=("0.00",))
    with pytest.raises(InvalidInput):
        step(case, officer, "release_on_counter_bond", "2025-10-10", counter_bond_amount="0")


def test_r25_outcomes_only_after_acceptance_and_no_police_number_on_a_decline(
    officer, holder_user, mark
):
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_infringing", "2025-10-20")
    referral = services.referral_create(
        actor=officer, detention=case, organ="PSB", grounds="Scale", referred_on=D("2025-10-21")
    )
    with pytest.raises(Conflict):
        services.referral_record_outcome(actor=officer, referral=referral, outcome="Convicted")
    referral = services.referral_transition(
        actor=officer,
        referral=referral,
        action="decline",
        reason="No crime",
        police_case_number="X-1",
        on=D("2025-10-22"),
    )
    assert (referral.status, referral.police_case_number, referral.outcome) == (
        "declined",
        "",
        "",
    )
