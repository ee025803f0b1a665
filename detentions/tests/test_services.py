"""The detention rules R12-R28 through the services, with their deadlines and money."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from accounts.models import Port
from core.errors import Conflict, InvalidInput, NotPermitted, TransitionNotAllowed
from core.timezone import LEGAL_TZ
from deadlines.models import Deadline, Escalation
from deadlines.services import sweep
from detentions import selectors, services
from detentions.models import Detention, DetentionEvent, MoneyEntry
from detentions.tests.factories import SHIPMENT, detained, ex_officio, lines, pdf, step
from recordals.models import GeneralBondEntry
from recordals.services import (
    general_bond_balance,
    general_bond_decide,
    general_bond_submit,
    recordal_transition,
    recordals_expire_due,
)
from recordals.tests.factories import approved, renewal_requested

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def deadline(case, kind):
    return Deadline.objects.filter(subject_id=case.pk, subject_type__model="detention", kind=kind)


def snapshot(case):
    case = Detention.objects.get(pk=case.pk)
    return (
        {f.attname: getattr(case, f.attname) for f in Detention._meta.concrete_fields},
        case.events.count(),
        case.money.count(),
        list(Deadline.objects.filter(subject_id=case.pk).values_list("kind", "status", "due_date")),
    )


# --- R12, R13: the notice and the 3-working-day reply ---------------------------------------


def test_r12_notice_opens_the_reply_deadline_counted_from_the_day_after_service(officer, mark):
    case = ex_officio(officer, mark, served_on=D("2025-09-26"))  # a Friday
    assert case.status == "notified" and case.mode == "ex_officio"
    assert case.number.startswith("3100-2025-D")
    assert (case.total_items, case.total_value) == (100, Decimal("30000.00"))
    reply = deadline(case, "reply_to_detention_notice").get()
    # R13, R29: Sat 27 is off, Sun 28 is a make-up working day, then Mon 29, Tue 30.
    assert reply.due_date == D("2025-09-30")
    assert reply.due_at.isoformat() == "2025-09-30T16:00:00+00:00"  # 24:00 Asia/Shanghai
    event = case.events.get()
    assert (event.action, event.to_status, event.data["bond_if_detained"]) == (
        "serve_notice",
        "notified",
        "20000.00",
    )


def test_r12_only_recorded_rights_in_force_are_detained_ex_officio(officer, mark):
    with pytest.raises(InvalidInput) as error:
        ex_officio(officer, mark, served_on=D("2024-03-14"))  # the day before approval
    assert "recordals" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        services.detention_open_ex_officio(
            actor=officer,
            office=officer.organisation,
            shipment=SHIPMENT,
            recordals=[],
            goods_lines=lines(),
            served_on=D("2025-09-26"),
        )
    assert error.value.errors["recordals"] == ["Ex officio detention needs a recorded right (R12)."]
    assert Detention.objects.count() == 0


def test_r7_r12_ex_officio_protection_continues_while_a_renewal_awaits_decision(officer, parties):
    """A renewal requested in time keeps the recordal in force past its term until GACC
    decides (R7): new cases on it are opened meanwhile; an expired one opens none."""
    holder_user, gacc = parties["users"]["holder_a"], parties["users"]["gacc"]
    pending = renewal_requested(holder_user, parties["holder_a"], gacc)
    lapsed = approved(holder_user, parties["holder_a"], gacc, on=D("2016-12-01"),
                      registration_number="16543299", right_valid_from=D("2016-05-07"),
                      right_valid_until=D("2036-05-06"))  # fmt: skip
    with time_machine.travel(dt.datetime(2026, 12, 10, 9, tzinfo=LEGAL_TZ)):
        recordals_expire_due()
        case = ex_officio(officer, pending, served_on=D("2026-12-10"))
        with pytest.raises(InvalidInput) as error:
            ex_officio(officer, lapsed, served_on=D("2026-12-10"), declaration_number="3104202609")
    assert list(case.recordals.all()) == [pending]
    assert error.value.errors["recordals"] == [
        f"Recordal {lapsed.number} is not in force on 2026-12-10."
    ]
    assert Detention.objects.count() == 1


def test_r12_a_past_case_finds_the_rights_in_force_on_its_own_date(officer, parties):
    """Validity, not today's status: renewed since (new term from 2026-12-01) or expired
    since, a recordal protected the goods of a notice served in 2024."""
    holder_user, gacc = parties["users"]["holder_a"], parties["users"]["gacc"]
    renewed = renewal_requested(holder_user, parties["holder_a"], gacc)
    recordal_transition(actor=gacc, recordal=renewed, action="approve_renewal",
                        on=D("2026-09-14"))  # fmt: skip
    expired = approved(holder_user, parties["holder_a"], gacc, on=D("2014-10-08"),
                       registration_number="30123456", right_valid_from=D("2014-05-01"),
                       right_valid_until=D("2034-04-30"))  # fmt: skip
    recordals_expire_due(today=D("2026-12-01"))
    renewed.refresh_from_db()
    assert renewed.valid_from == D("2026-12-01")
    assert ex_officio(officer, renewed, served_on=D("2024-02-19")).opened_on == D("2024-02-19")
    ex_officio(officer, expired, served_on=D("2024-02-19"), declaration_number="310420240009")
    with pytest.raises(InvalidInput):
        ex_officio(officer, expired, served_on=D("2024-10-08"), declaration_number="3104202400010")


def test_r12_district_officers_open_cases_of_their_own_office_only(parties, mark):
    with pytest.raises(NotPermitted):
        ex_officio(parties["users"]["shenzhen"], mark)
    with pytest.raises(NotPermitted):
        ex_officio(parties["users"]["holder_a"], mark)
    assert Detention.objects.count() == 0


def test_r12_port_must_belong_to_the_office(officer, mark):
    shenzhen_port = Port.objects.filter(office__customs_code="5300").first()
    with pytest.raises(InvalidInput) as error:
        services.detention_open_ex_officio(
            actor=officer,
            port=shenzhen_port,
            shipment=SHIPMENT,
            recordals=[mark],
            goods_lines=lines(),
            served_on=D("2025-09-26"),
        )
    assert "port" in error.value.errors


def test_r12_holder_requests_detention_with_a_case_bond_in_time(officer, holder_user, mark):
    case = ex_officio(officer, mark)
    step(
        case,
        holder_user,
        "request_detention",
        "2025-09-30",
        bond_source="case_bond",
        bond_form="guarantee",
        bond_reference="BOC-G-77",
    )
    case.refresh_from_db()
    assert case.status == "detention_requested"
    assert (case.bond_amount, case.bond_source, case.bond_form) == (
        Decimal("20000.00"),
        "case_bond",
        "guarantee",
    )
    assert deadline(case, "reply_to_detention_notice").get().status == "met"


def test_r12_a_reply_after_the_period_is_refused_and_changes_nothing(officer, holder_user, mark):
    case = ex_officio(officer, mark)
    before = snapshot(case)
    with pytest.raises(Conflict, match="R12"):
        step(
            case,
            holder_user,
            "request_detention",
            "2025-10-09",
            bond_source="case_bond",
            bond_form="cash",
        )
    assert snapshot(case) == before


def test_r12_holder_declines_with_reasons_and_the_goods_are_released(officer, holder_user, mark):
    case = ex_officio(officer, mark)
    with pytest.raises(InvalidInput):
        step(case, holder_user, "decline", "2025-09-29")
    step(case, holder_user, "decline", "2025-09-29", reason="Parallel import, genuine goods")
    case.refresh_from_db()
    assert case.status == "released"
    assert deadline(case, "reply_to_detention_notice").get().status == "met"


def test_r12_no_timely_reply_release_only_after_the_period(officer, mark):
    case = ex_officio(officer, mark)
    with pytest.raises(Conflict, match="2025-09-30"):
        step(case, officer, "release", "2025-09-30", reason="No reply")
    sweep(now=dt.datetime(2025, 10, 1, 9, tzinfo=LEGAL_TZ))  # the beat's run after the due day
    assert deadline(case, "reply_to_detention_notice").get().status == "missed"
    assert Escalation.objects.get().action.startswith("No reply to the detention notice")
    step(case, officer, "release", "2025-10-09", reason="No reply within 3 working days")
    case.refresh_from_db()
    assert case.status == "released"
    assert Escalation.objects.get().resolved_by == officer  # the escalation is dealt with


def test_r12_no_reply_means_release_after_the_period(officer, holder_user, mark):
    case = ex_officio(officer, mark)
    with pytest.raises(Conflict):
        step(case, officer, "release", "2025-09-30", reason="No reply")
    step(case, officer, "release", "2025-10-09", reason="No reply, no bond")
    assert Detention.objects.get(pk=case.pk).status == "released"


# --- R14, R15: the bond ----------------------------------------------------------------------


def test_r14_bond_follows_the_tier_of_the_goods_value(officer, holder_user, mark):
    case = detained(officer, holder_user, mark, values=("250000.00", "120000.00"))
    assert case.total_value == Decimal("370000.00")
    assert case.bond_amount == Decimal("100000.00")
    received = case.money.get()
    assert (received.kind, received.amount) == ("bond_received", Decimal("100000.00"))


@pytest.fixture
def general_bond(parties, mark):
    gacc = parties["users"]["gacc"]
    bond = general_bond_submit(
        actor=parties["users"]["holder_a"],
        holder=parties["holder_a"],
        year=2025,
        amount=Decimal("200000.00"),
        previous_year_costs=Decimal("0"),
        guarantor_bank="Bank of China",
        guarantee_number="GB-1",
        issued_on=D("2025-01-02"),
        expires_on=D("2026-06-30"),
    )
    return general_bond_decide(actor=gacc, bond=bond, approve=True, on=D("2025-01-10"))


def test_r15_general_bond_needs_no_per_case_bond_however_many_cases(
    officer, holder_user, mark, general_bond
):
    """The issue's example: a 200,000 general bond and three ex officio cases of 300,000
    each (R14 would ask 100,000 per case): all three are requested and detained with no
    per-case bond, and nothing is drawn from the guarantee (GACC Announcement 2006 No. 31)."""
    cases = [ex_officio(officer, mark, values=("300000.00",)) for _ in range(3)]
    for case in cases:
        step(case, holder_user, "request_detention", "2025-09-29", bond_source="general_bond")
        step(case, officer, "detain", "2025-09-30")  # no receipt needed: the bond covers it
    for case in Detention.objects.filter(pk__in=[c.pk for c in cases]):
        assert (case.status, case.bond_source, case.general_bond_id, case.bond_amount) == (
            "detained", "general_bond", general_bond.pk, None,
        )  # fmt: skip
        assert not case.money.exists()
    assert general_bond_balance(general_bond) == {
        "amount": Decimal("200000.00"), "called": Decimal("0.00"), "remaining": Decimal("200000.00")
    }  # fmt: skip
    assert not general_bond.entries.exists()


def test_r15_the_general_bond_covers_requests_from_approval_to_31_december(
    officer, holder_user, mark, general_bond
):
    """Approved 2025-01-10, covering 2025: a notice served before approval, or in the next
    year, needs a bond of its own."""
    early = ex_officio(officer, mark, served_on=D("2025-01-06"))
    late = ex_officio(officer, mark, served_on=D("2025-12-31"), declaration_number="31042026001")
    for case, day in ((early, "2025-01-07"), (late, "2026-01-04")):  # 4 Jan 2026 is a workday
        before = snapshot(case)
        with pytest.raises(Conflict, match="no general bond covering"):
            step(case, holder_user, "request_detention", day, bond_source="general_bond")
        assert snapshot(case) == before


def test_r15_general_bond_is_for_trademarks_only(
    officer, holder_user, copyright_recordal, general_bond
):
    case = ex_officio(officer, copyright_recordal)
    before = snapshot(case)
    with pytest.raises(InvalidInput, match="trademarks only"):
        step(case, holder_user, "request_detention", "2025-09-29", bond_source="general_bond")
    assert snapshot(case) == before


# --- R16, R17: investigation and court order ---------------------------------------------------


def test_r16_detention_opens_the_30_working_day_investigation(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    investigation = deadline(case, "investigation").get()
    # From 2025-09-29: the National Day holiday (1-8 October) is not counted.
    assert (investigation.trigger_date, investigation.due_date) == (
        D("2025-09-29"),
        D("2025-11-17"),
    )
    step(case, officer, "determine_infringing", "2025-10-20")
    assert deadline(case, "investigation").get().status == "met"
    case.refresh_from_db()
    assert (case.determination, case.determined_on) == ("infringing", D("2025-10-20"))


def test_r16_not_infringing_releases_with_reasons(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_not_infringing", "2025-10-20", reason="Consignor proved licence")
    case.refresh_from_db()
    assert (case.status, case.determination) == ("released", "not_infringing")


def test_r17_undetermined_court_order_window_is_50_working_days_of_detention(
    officer, holder_user, mark
):
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_undetermined", "2025-11-10")
    court = deadline(case, "court_order").get()
    assert (court.trigger_date, court.due_date) == (D("2025-09-29"), D("2025-12-15"))
    before = snapshot(case)
    with pytest.raises(Conflict, match="2025-12-15"):
        step(case, officer, "release", "2025-12-15", reason="No court notice")
    assert snapshot(case) == before
    step(case, officer, "release", "2025-12-16", reason="No court notice within 50 working days")
    assert Detention.objects.get(pk=case.pk).status == "released"


def test_r17_court_notice_in_time_holds_the_goods(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_undetermined", "2025-11-10")
    with pytest.raises(InvalidInput):
        step(case, officer, "receive_court_notice", "2025-12-01")
    step(case, officer, "receive_court_notice", "2025-12-01", court="Ningbo IP Court (2025)浙02")
    case.refresh_from_db()
    assert case.status == "court_ordered"
    assert deadline(case, "court_order").get().status == "met"


def test_r17_a_late_court_notice_is_refused(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_undetermined", "2025-11-10")
    with pytest.raises(Conflict, match="R17"):
        step(case, officer, "receive_court_notice", "2025-12-16", court="Ningbo IP Court")


# --- R18, R19: on application ----------------------------------------------------------------


def apply(actor, holder, **overrides):
    values = {
        "port": Port.objects.filter(office__customs_code="3100").order_by("pk").first(),
        "shipment": SHIPMENT,
        "goods_lines": lines("45000.50"),
        "ip_kind": "trademark",
        "right_description": "SUNRISE word mark, reg. 12345678 (not recorded)",
        "evidence": "Test purchase report",
        "expected_arrival": "Meishan, early Oct, MV Ever Ace",
        "bond_form": "cash",
        "on": D("2025-09-26"),
    }
    return services.detention_apply(actor=actor, holder=holder, **{**values, **overrides})


def test_r18_an_incomplete_application_is_refused_with_what_is_missing(parties):
    with pytest.raises(InvalidInput) as error:
        apply(
            parties["users"]["agent_a"],
            parties["holder_a"],
            port=None,
            evidence="",
            expected_arrival="",
            bond_form="",
            right_description="",
        )
    assert set(error.value.errors) == {
        "port",
        "evidence",
        "expected_arrival",
        "bond_form",
        "right_description",
    }
    assert Detention.objects.count() == 0


def test_r18_any_right_recorded_or_not_with_a_bond_equal_to_the_value(parties, officer):
    case = apply(parties["users"]["agent_a"], parties["holder_a"])
    assert (case.status, case.mode, case.bond_amount) == (
        "applied",
        "on_application",
        Decimal("45000.50"),
    )
    assert case.office.customs_code == "3100"
    with pytest.raises(NotPermitted):
        apply(parties["users"]["agent_a"], parties["holder_b"])  # not its principal
    step(case, officer, "detain", "2025-09-29", bond_reference="CASH-9")
    assert case.money.get().amount == Decimal("45000.50")


def test_r18_officers_reject_an_application_in_writing(parties, officer):
    case = apply(parties["users"]["holder_a"], parties["holder_a"])
    with pytest.raises(InvalidInput):
        step(case, officer, "reject", "2025-09-29")
    step(case, officer, "reject", "2025-09-29", reason="No evidence of the right's validity")
    assert Detention.objects.get(pk=case.pk).status == "rejected"


def test_r19_released_if_no_court_notice_within_20_working_days(parties, officer):
    case = apply(parties["users"]["holder_a"], parties["holder_a"])
    step(case, officer, "detain", "2025-09-29", bond_reference="CASH-9")
    court = deadline(case, "court_order").get()
    assert court.due_date == D("2025-11-03")  # 20 working days, National Day skipped
    assert not deadline(case, "investigation").exists()  # R19: customs does not investigate
    with pytest.raises(Conflict):
        step(case, officer, "release", "2025-11-03", reason="No court notice")
    step(case, officer, "release", "2025-11-04", reason="No court notice within 20 working days")
    assert Detention.objects.get(pk=case.pk).status == "released"


# --- R20-R22: the consignor, counter-bonds, release ---------------------------------------------


def test_r20_consignor_statement_is_recorded_on_the_timeline(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    services.detention_record_statement(
        actor=officer,
        detention=case,
        statement="Goods made under licence no. 42",
        document=pdf("statement.pdf"),
        inspected_on=D("2025-10-10"),
        on=D("2025-10-10"),
    )
    event = case.events.get(action="consignor_statement")
    assert event.reason == "Goods made under licence no. 42"
    assert event.documents.get().kind == "consignor_statement"


def test_r21_counter_bond_releases_patent_goods_only(officer, holder_user, mark, patent_recordal):
    trademark_case = detained(officer, holder_user, mark)
    with pytest.raises(Conflict, match="R21"):
        step(
            trademark_case,
            officer,
            "release_on_counter_bond",
            "2025-10-10",
            counter_bond_amount="30000.00",
        )
    case = detained(officer, holder_user, patent_recordal)
    with pytest.raises(InvalidInput):
        step(case, officer, "release_on_counter_bond", "2025-10-10", counter_bond_amount="1",
             reference="D-1")  # fmt: skip
    step(case, officer, "release_on_counter_bond", "2025-10-10", counter_bond_amount="30000.00",
         reference="D-1")  # fmt: skip
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("counter_bond_held", "released")
    assert selectors.money_balance(case)["counter_bond_held"] == Decimal("30000.00")


def test_r22_holder_withdraws_before_determination_not_after(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    step(case, holder_user, "withdraw", "2025-10-10", reason="Settled with the exporter")
    assert Detention.objects.get(pk=case.pk).status == "released"
    assert deadline(case, "investigation").get().status == "cancelled"
    other = detained(officer, holder_user, mark)
    step(other, officer, "determine_infringing", "2025-10-10")
    before = snapshot(other)
    with pytest.raises(TransitionNotAllowed):
        step(other, holder_user, "withdraw", "2025-10-11", reason="Too late")
    assert snapshot(other) == before


# --- R23, R24: confiscation, penalty, disposal --------------------------------------------------


def infringing(officer, holder_user, mark, **kw):
    case = detained(officer, holder_user, mark, **kw)
    return step(case, officer, "determine_infringing", "2025-10-20")


def test_r24_penalty_within_its_tier_and_never_above_30_percent(officer, holder_user, mark):
    case = infringing(officer, holder_user, mark, values=("370000.00",))
    before = snapshot(case)
    with pytest.raises(InvalidInput) as error:
        step(
            case,
            officer,
            "confiscate",
            "2025-10-21",
            penalty_tier="heavier",
            penalty_fine="111000.01",
        )
    assert "from 74000.00 to 111000.00" in error.value.errors["penalty_fine"][0]
    assert rules_message("general", "1000.04") == "from 100.01 to less than 200.01"
    assert snapshot(case) == before
    step(case, officer, "confiscate", "2025-10-21", penalty_tier="general", penalty_fine="55500")
    case.refresh_from_db()
    assert (case.status, case.penalty_tier, case.penalty_fine, case.confiscated_on) == (
        "confiscated",
        "general",
        Decimal("55500.00"),
        D("2025-10-21"),
    )


def test_r24_the_database_holds_the_30_percent_ceiling(officer, holder_user, mark):
    from django.db import IntegrityError, transaction

    case = infringing(officer, holder_user, mark)
    with pytest.raises(IntegrityError), transaction.atomic():
        Detention.objects.filter(pk=case.pk).update(penalty_fine=Decimal("9000.01"))


def test_r24_no_penalty_cites_a_criterion_kept_as_data(officer, holder_user, mark):
    case = infringing(officer, holder_user, mark)
    with pytest.raises(InvalidInput) as error:
        step(case, officer, "confiscate", "2025-10-21", penalty_tier="none")
    assert "no_penalty_criterion" in error.value.errors
    step(
        case,
        officer,
        "confiscate",
        "2025-10-21",
        penalty_tier="none",
        no_penalty_criterion="first-minor",
    )
    case.refresh_from_db()
    assert (case.penalty_tier, case.penalty_fine, case.no_penalty_criterion.code) == (
        "none",
        Decimal("0.00"),
        "first-minor",
    )


def test_r24_undeclared_ip_status_fine_is_capped_at_50000(officer, holder_user, mark):
    case = infringing(officer, holder_user, mark)
    with pytest.raises(InvalidInput) as error:
        step(
            case,
            officer,
            "confiscate",
            "2025-10-21",
            penalty_tier="mitigated",
            undeclared_ip_fine="50000.01",
        )
    assert "undeclared_ip_fine" in error.value.errors
    step(
        case,
        officer,
        "confiscate",
        "2025-10-21",
        penalty_tier="mitigated",
        undeclared_ip_fine="50000",
    )


def test_r23_disposal_order_of_preference(officer, holder_user, mark):
    case = infringing(officer, holder_user, mark, direction="import")
    step(case, officer, "confiscate", "2025-10-21", penalty_tier="mitigated")
    with pytest.raises(InvalidInput) as error:
        step(case, officer, "dispose", "2025-11-01", disposal_method="destruction")
    assert "reason" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        step(
            case,
            officer,
            "dispose",
            "2025-11-01",
            reason="No charity wants them",
            disposal_method="auction",
            features_removed=True,
            label_removal_only=True,
        )
    assert set(error.value.errors) == {"label_removal_only", "holder_consulted"}
    step(
        case,
        officer,
        "dispose",
        "2025-11-01",
        reason="No charity wants them",
        disposal_method="auction",
        features_removed=True,
        label_removal_only=False,
        holder_consulted=True,
    )
    case.refresh_from_db()
    assert (case.status, case.disposal_method) == ("disposed", "auction")


def test_r23_donation_needs_no_reason(officer, holder_user, mark):
    case = infringing(officer, holder_user, mark)
    step(case, officer, "confiscate", "2025-10-21", penalty_tier="mitigated")
    step(case, officer, "dispose", "2025-11-01", disposal_method="donation")
    assert Detention.objects.get(pk=case.pk).status == "disposed"


# --- R26: personal quantities --------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["passenger_luggage", "postal"])
def test_r26_personal_items_infringe_only_beyond_a_reasonable_quantity(
    officer, holder_user, mark, channel
):
    case = detained(officer, holder_user, mark, channel=channel, transport_mode="air")
    before = snapshot(case)
    with pytest.raises(InvalidInput) as error:
        step(case, officer, "determine_infringing", "2025-10-10")
    assert "exceeds_personal_quantity" in error.value.errors
    with pytest.raises(InvalidInput):
        step(case, officer, "determine_infringing", "2025-10-10", exceeds_personal_quantity=False)
    assert snapshot(case) == before
    step(case, officer, "determine_infringing", "2025-10-10", exceeds_personal_quantity=True)
    assert Detention.objects.get(pk=case.pk).exceeds_personal_quantity is True


def test_r26_does_not_apply_to_trade_channels(officer, holder_user, mark):
    case = detained(officer, holder_user, mark, channel="express")
    step(case, officer, "determine_infringing", "2025-10-10")


# --- R27, R28: costs, refund, the money trail ---------------------------------------------------


def test_r27_costs_open_a_10_working_day_payment_deadline(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    services.detention_charge_costs(
        actor=officer,
        detention=case,
        cost_kind="storage",
        amount=Decimal("1234.56"),
        period_from=D("2025-09-29"),
        period_to=D("2025-10-31"),
        on=D("2025-11-03"),
    )
    payment = deadline(case, "cost_payment").get()
    assert payment.due_date == D("2025-11-17")
    services.detention_record_payment(
        actor=officer, detention=case, amount=Decimal("1234.56"), on=D("2025-11-05")
    )
    assert deadline(case, "cost_payment").get().status == "met"


def test_r27_storage_after_confiscation_at_most_three_months(officer, holder_user, mark):
    case = infringing(officer, holder_user, mark)
    step(case, officer, "confiscate", "2025-10-21", penalty_tier="mitigated",
         decision_served=True)  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        services.detention_charge_costs(
            actor=officer,
            detention=case,
            cost_kind="storage",
            amount=Decimal("100"),
            period_from=D("2025-09-29"),
            period_to=D("2026-01-22"),
            on=D("2026-01-22"),
        )
    assert "2026-01-21" in error.value.errors["period_to"][0]
    assert not case.money.filter(kind="cost_charged").exists()


def test_r27_r28_unpaid_costs_come_out_of_the_bond_and_the_rest_is_refunded(
    officer, holder_user, mark
):
    case = infringing(officer, holder_user, mark, values=("100000.00",))  # bond 50,000
    step(case, officer, "confiscate", "2025-10-21", penalty_tier="lighter", penalty_fine="5000")
    for kind, amount in (("storage", "3210.55"), ("disposal", "800.10")):
        services.detention_charge_costs(
            actor=officer,
            detention=case,
            cost_kind=kind,
            amount=Decimal(amount),
            period_from=D("2025-09-29"),
            period_to=D("2025-11-30"),
            on=D("2025-12-01"),
        )
    services.detention_record_payment(
        actor=officer, detention=case, amount=Decimal("1000.00"), on=D("2025-12-02")
    )
    step(case, officer, "dispose", "2025-12-03", disposal_method="donation")
    step(case, officer, "close", "2025-12-16")
    trail = {(e.kind, e.amount) for e in case.money.all()}
    assert trail == {
        ("bond_received", Decimal("50000.00")),
        ("cost_charged", Decimal("3210.55")),
        ("cost_charged", Decimal("800.10")),
        ("cost_paid", Decimal("1000.00")),
        ("cost_deducted", Decimal("3010.65")),
        ("bond_refunded", Decimal("46989.35")),
    }
    # To the cent: what came in went out, and nothing is owed.
    assert Decimal("50000.00") == Decimal("3010.65") + Decimal("46989.35")
    balance = selectors.money_balance(case)
    assert (balance["bond_held"], balance["costs_owed"]) == (Decimal("0.00"), Decimal("0.00"))
    assert deadline(case, "cost_payment").get().status == "met"
    assert Detention.objects.get(pk=case.pk).closed_on == D("2025-12-16")


def test_r27_costs_beyond_the_bond_block_closing(officer, holder_user, mark, settings):
    settings.IPR_CONSIGNOR_COURT_WINDOW_DAYS = 0  # the refund's wait is R28's test
    case = detained(officer, holder_user, mark, values=("100.00",))  # bond 100.00
    step(case, officer, "determine_not_infringing", "2025-10-10", reason="Licensed")
    services.detention_charge_costs(
        actor=officer,
        detention=case,
        cost_kind="custody",
        amount=Decimal("150.00"),
        on=D("2025-10-10"),
    )
    before = snapshot(case)
    with pytest.raises(Conflict, match="2025-10-23"):  # the holder's 10 working days first
        step(case, officer, "close", "2025-10-20")
    with pytest.raises(Conflict, match="exceed the bond"):
        step(case, officer, "close", "2025-10-24")
    assert snapshot(case) == before


def test_r15_r27_the_guarantor_is_called_for_unpaid_costs(officer, holder_user, mark, general_bond):
    case = ex_officio(officer, mark, values=("100000.00",))
    step(case, holder_user, "request_detention", "2025-09-29", bond_source="general_bond")
    step(case, officer, "detain", "2025-09-29")
    step(case, officer, "determine_infringing", "2025-10-10")
    step(case, officer, "confiscate", "2025-10-10", penalty_tier="mitigated")
    step(case, officer, "dispose", "2025-10-13", disposal_method="donation")
    services.detention_charge_costs(
        actor=officer,
        detention=case,
        cost_kind="storage",
        amount=Decimal("700.00"),
        period_from=D("2025-09-29"),
        period_to=D("2025-10-10"),
        on=D("2025-10-10"),
    )
    step(case, officer, "close", "2025-10-27")  # unpaid 10 working days after the notice
    call = general_bond.entries.get()
    assert (call.kind, call.amount, call.reference, call.on) == (
        GeneralBondEntry.Kind.GUARANTOR_CALL, Decimal("700.00"), case.number, D("2025-10-27")
    )  # fmt: skip
    assert general_bond_balance(general_bond)["remaining"] == Decimal("199300.00")
    balance = selectors.money_balance(case)
    assert (balance["costs_owed"], balance["costs_called_from_guarantor"]) == (0, Decimal("700"))


def test_r28_bond_compensates_the_consignor_on_a_court_notice(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)  # bond 20,000
    step(case, officer, "determine_undetermined", "2025-11-10")
    step(case, officer, "receive_court_notice", "2025-11-20", court="Ningbo Intermediate Court")
    with pytest.raises(InvalidInput):
        services.detention_compensate_consignor(
            actor=officer,
            detention=case,
            amount=Decimal("20000.01"),
            court_reference="(2025)浙02民初1号",
        )
    services.detention_compensate_consignor(
        actor=officer,
        detention=case,
        amount=Decimal("12500.00"),
        court_reference="(2025)浙02民初1号",
        on=D("2025-11-21"),
    )
    step(case, officer, "close", "2026-01-10")
    refunded = case.money.get(kind="bond_refunded")
    assert refunded.amount == Decimal("7500.00")


# --- the timeline ------------------------------------------------------------------------------


def test_every_step_is_an_event_with_who_when_from_to_why(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_not_infringing", "2025-10-10", reason="Licensed goods")
    events = list(
        DetentionEvent.objects.filter(detention=case).values_list(
            "action", "from_status", "to_status", "actor__username", "on"
        )
    )
    assert events == [
        ("serve_notice", "", "notified", officer.username, D("2025-09-26")),
        (
            "request_detention",
            "notified",
            "detention_requested",
            holder_user.username,
            D("2025-09-29"),
        ),
        ("detain", "detention_requested", "detained", officer.username, D("2025-09-29")),
        ("determine_not_infringing", "detained", "released", officer.username, D("2025-10-10")),
    ]


def test_goods_are_fixed_once_the_bond_is_set(officer, holder_user, mark):
    case = ex_officio(officer, mark)
    services.detention_update_goods(
        actor=officer, detention=case, goods_lines=lines("10000.00", "15000.00"), on=D("2025-09-27")
    )
    case.refresh_from_db()
    assert (case.total_items, case.total_value) == (200, Decimal("25000.00"))
    step(
        case,
        holder_user,
        "request_detention",
        "2025-09-29",
        bond_source="case_bond",
        bond_form="cash",
        bond_reference="CASH-2",
    )
    with pytest.raises(Conflict):
        services.detention_update_goods(actor=officer, detention=case, goods_lines=lines("1"))


def test_money_entries_are_positive_in_the_database(officer, holder_user, mark):
    from django.db import IntegrityError, transaction

    case = detained(officer, holder_user, mark)
    with pytest.raises(IntegrityError), transaction.atomic():
        MoneyEntry.objects.create(
            detention=case, kind="bond_refunded", amount=Decimal("-1"), on=D("2025-10-01")
        )


def test_r16_parties_are_told_of_each_step(parties, officer, holder_user, mark):
    from deadlines.models import Notification

    case = detained(officer, holder_user, mark)
    Notification.objects.all().delete()
    step(case, officer, "determine_infringing", "2025-10-20")
    told = set(Notification.objects.values_list("user__username", "title"))
    title = f"{case.number}: Determine: infringing"
    assert told == {(holder_user.username, title), (parties["users"]["agent_a"].username, title)}


@pytest.mark.parametrize("fine", ["abc", "NaN", "1.001", "-5"])
def test_r24_a_fine_that_is_not_an_amount_is_a_field_error(officer, holder_user, mark, fine):
    case = infringing(officer, holder_user, mark)
    before = snapshot(case)
    with pytest.raises(InvalidInput) as error:
        step(case, officer, "confiscate", "2025-10-21", penalty_tier="lighter", penalty_fine=fine)
    assert "penalty_fine" in error.value.errors
    assert snapshot(case) == before


def test_r27_payments_are_exact_amounts_to_the_fen(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    services.detention_charge_costs(
        actor=officer,
        detention=case,
        cost_kind="custody",
        amount=Decimal("1200.00"),
        on=D("2025-10-10"),
    )
    with pytest.raises(InvalidInput):
        services.detention_record_payment(
            actor=officer, detention=case, amount=Decimal("1199.995"), on=D("2025-10-11")
        )
    services.detention_record_payment(
        actor=officer, detention=case, amount=Decimal("1200.00"), on=D("2025-10-11")
    )
    assert deadline(case, "cost_payment").get().status == "met"


def rules_message(tier, value):
    from detentions.steps import tier_message

    text = tier_message(tier, Decimal(value))
    return text.split("fine ", 1)[1].split(" on a value")[0]


def test_r15_the_guarantor_answers_only_up_to_what_remains_of_the_guarantee(
    officer, holder_user, mark, general_bond, parties
):
    """Calls on the guarantor reduce what remains; costs beyond it are the holder's to pay
    first, and the refused close changes nothing. Below 20% remaining the holder is warned."""
    from recordals.services import general_bond_call

    general_bond_call(actor=parties["users"]["gacc"], bond=general_bond,
                      amount=Decimal("199600.00"), reference="earlier cases", on=D("2025-06-02"))  # fmt: skip
    general_bond.refresh_from_db()
    assert general_bond.low_balance_warned_at is not None
    case = ex_officio(officer, mark, values=("300000.00",))
    step(case, holder_user, "request_detention", "2025-09-29", bond_source="general_bond")
    step(case, officer, "detain", "2025-09-29")
    step(case, officer, "determine_not_infringing", "2025-10-10", reason="Licensed")
    services.detention_charge_costs(
        actor=officer, detention=case, cost_kind="custody", amount=Decimal("500.00"),
        on=D("2025-10-10"),
    )  # fmt: skip
    before = snapshot(case)
    with pytest.raises(Conflict, match=r"Only CNY 400\.00 remains"):
        step(case, officer, "close", "2025-12-01")
    assert snapshot(case) == before
    assert general_bond_balance(general_bond)["remaining"] == Decimal("400.00")
    services.detention_record_payment(
        actor=officer, detention=case, amount=Decimal("100.00"), on=D("2025-12-01")
    )
    step(case, officer, "close", "2025-12-01")
    assert general_bond_balance(general_bond)["remaining"] == Decimal("0.00")


def test_steps_keep_their_order_and_are_never_in_the_future(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    before = snapshot(case)
    with pytest.raises(InvalidInput) as error:
        step(case, officer, "determine_infringing", "2025-09-28")  # before the detention
    assert "on" in error.value.errors
    with pytest.raises(InvalidInput):
        step(case, officer, "determine_infringing", "2999-01-01")
    assert snapshot(case) == before


def test_r25_referral_decisions_are_dated_between_referral_and_today(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_infringing", "2025-10-20")
    referral = services.referral_create(
        actor=officer,
        detention=case,
        organ="Ningbo PSB",
        grounds="Commercial scale",
        referred_on=D("2025-10-22"),
    )
    for on in ("2025-10-21", "2999-01-01"):
        with pytest.raises(InvalidInput):
            services.referral_transition(
                actor=officer,
                referral=referral,
                action="accept",
                police_case_number="X-1",
                on=D(on),
            )
    referral.refresh_from_db()
    assert referral.status == "referred"


def test_r13_r29_reply_period_skips_national_day_and_counts_the_make_up_saturday(officer, mark):
    case = ex_officio(officer, mark, served_on=D("2025-09-30"))
    reply = deadline(case, "reply_to_detention_notice").get()
    # 1-8 October are holidays; Thu 9 and Fri 10 count, Sat 11 is a make-up working day.
    assert reply.due_date == D("2025-10-11")
    assert reply.due_at.isoformat() == "2025-10-11T16:00:00+00:00"


# --- R29: a provisional reply period, counted in a year not yet announced -------------------


@pytest.fixture
def unannounced_2027(db):
    """2027 before its State Council notice: whatever chinesecalendar knows of it is removed."""
    from deadlines.models import CalendarDay, CalendarYear

    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()


def on_day(day: str):
    """The clock on a day (10:00 Asia/Shanghai): steps cannot be dated in the future."""
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=LEGAL_TZ))


def served_2026_12_29(officer, mark):
    with on_day("2026-12-29"):
        return ex_officio(officer, mark, served_on=D("2026-12-29"))


BOND = {"bond_source": "case_bond", "bond_form": "cash", "bond_reference": "CASH-1"}


def test_r12_r13_r29_a_reply_period_into_an_unannounced_year_skips_new_years_day(
    officer, holder_user, mark, unannounced_2027
):
    """Weekends only, the reply would be due Fri 2027-01-01, New Year's Day. Counting the
    statutory holidays of the unannounced year: Wed 30, Thu 31, Mon 4 January."""
    case = served_2026_12_29(officer, mark)
    reply = deadline(case, "reply_to_detention_notice").get()
    assert (reply.due_date, reply.provisional) == (D("2027-01-04"), True)
    assert reply.trail["statutory_holidays_skipped"] == [["2027-01-01", "New Year's Day"]]
    before = snapshot(case)
    with on_day("2027-01-02"), pytest.raises(Conflict, match="2027-01-04"):
        step(case, officer, "release", "2027-01-02", reason="No reply")
    assert snapshot(case) == before
    with on_day("2027-01-04"):
        step(case, holder_user, "request_detention", "2027-01-04", **BOND)
    case.refresh_from_db()
    assert case.status == "detention_requested"
    assert deadline(case, "reply_to_detention_notice").get().status == "met"


def test_r12_r29_an_unconfirmed_provisional_date_neither_releases_nor_refuses_a_reply(
    officer, holder_user, mark, unannounced_2027
):
    case = served_2026_12_29(officer, mark)
    before = snapshot(case)
    with on_day("2027-01-05"):
        with pytest.raises(Conflict):
            step(case, officer, "release", "2027-01-05", reason="No reply")
        assert snapshot(case) == before
        sweep(now=dt.datetime(2027, 1, 5, 9, tzinfo=LEGAL_TZ))
        reply = deadline(case, "reply_to_detention_notice").get()
        assert reply.status == "open"  # not missed: officers are asked to confirm
        assert Escalation.objects.get(deadline=reply).action.startswith(
            "Provisional due date 2027-01-04 has passed"
        )
        step(case, holder_user, "request_detention", "2027-01-05", **BOND)
    case.refresh_from_db()
    assert case.status == "detention_requested"
    assert Escalation.objects.get().resolved_at is not None


def test_r12_r29_once_an_officer_confirms_the_date_a_late_reply_is_refused_and_release_due(
    officer, holder_user, mark, unannounced_2027
):
    from deadlines.services import deadline_confirm

    case = served_2026_12_29(officer, mark)
    with on_day("2027-01-05"):
        deadline_confirm(actor=officer, deadline=deadline(case, "reply_to_detention_notice").get())
        before = snapshot(case)
        with pytest.raises(Conflict, match="R12"):
            step(case, holder_user, "request_detention", "2027-01-05", **BOND)
        assert snapshot(case) == before
        step(case, officer, "release", "2027-01-05", reason="No reply within 3 working days")
    case.refresh_from_db()
    assert case.status == "released"
