"""The law as corrected in DOMAIN.md (issue 13): late bonds and the detention receipt (R12),
how filings arrive (R13), counter-bonds (R21), withdrawal and release on evidence (R22),
auctions (R23), the storage cap (R27), the refund's wait (R28), inspections (R20).
Each refused step changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import Conflict, InvalidInput, TransitionNotAllowed
from core.timezone import LEGAL_TZ
from deadlines.models import Deadline, Notification
from detentions import selectors, services
from detentions.models import Detention
from detentions.tests.factories import detained, ex_officio, step
from detentions.tests.test_services import deadline, snapshot

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
SERVED = "2025-09-26"  # Friday; the reply is due Tuesday 30 September (R13, R29)


def at(text: str) -> str:
    """An instant in Asia/Shanghai, as an officer records it."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LEGAL_TZ).isoformat()


# --- R12: the bond in place within the 3 working days; the detention receipt ------------------


def test_r12_a_case_bond_request_without_its_receipt_is_refused(officer, holder_user, mark):
    case = ex_officio(officer, mark, served_on=D(SERVED))
    before = snapshot(case)
    with pytest.raises(InvalidInput) as error:
        step(case, holder_user, "request_detention", "2025-09-29", bond_source="case_bond",
             bond_form="cash")  # fmt: skip
    assert "3 working days" in str(error.value.errors["bond_reference"])
    assert snapshot(case) == before


def test_r12_a_bond_arriving_after_the_reply_period_cannot_lead_to_detention(
    officer, holder_user, mark
):
    """The issue's example: served 2025-09-26 (due 30 Sep), a request on 29 Sep that came
    without its bond (as the old service allowed), the bond recorded on 20 Oct: detaining
    is refused; release is the only way on."""
    case = ex_officio(officer, mark, served_on=D(SERVED))
    step(case, holder_user, "request_detention", "2025-09-29", bond_source="case_bond",
         bond_form="cash", bond_reference="CASH-9")  # fmt: skip
    case.money.all().delete()  # the old service's request without a bond
    Detention.objects.filter(pk=case.pk).update(bond_reference="")
    before = snapshot(case)
    with pytest.raises(Conflict, match=r"not in place within the reply period \(to 2025-09-30\)"):
        step(case, officer, "detain", "2025-10-20", bond_reference="CASH-LATE")
    assert snapshot(case) == before
    step(case, officer, "release", "2025-10-20", reason="No bond within 3 working days (R12).")
    assert Detention.objects.get(pk=case.pk).status == "released"


def test_r12_a_bond_in_time_is_detained_not_released(officer, holder_user, mark):
    case = ex_officio(officer, mark, served_on=D(SERVED))
    step(case, holder_user, "request_detention", "2025-09-29", bond_source="case_bond",
         bond_form="guarantee", bond_reference="G-1")  # fmt: skip
    received = case.money.get()
    assert (received.kind, received.amount, received.on) == (
        "bond_received", Decimal("20000.00"), D("2025-09-29")
    )  # fmt: skip
    with pytest.raises(Conflict, match="detain the goods"):
        step(case, officer, "release", "2025-10-09", reason="?")
    step(case, officer, "detain", "2025-10-09")
    assert Detention.objects.get(pk=case.pk).status == "detained"


def test_r12_the_detention_receipt_is_served_and_recorded(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    before = snapshot(case)
    with pytest.raises(InvalidInput) as error:
        step(case, officer, "serve_receipt", "2025-09-30", served_to="shipper")
    assert set(error.value.errors) == {"receipt_number", "served_to"}
    assert snapshot(case) == before
    step(case, officer, "serve_receipt", "2025-09-30", receipt_number="KL-3100-2025-118",
         served_to="consignor")  # fmt: skip
    case.refresh_from_db()
    assert (case.status, case.receipt_number, case.receipt_served_on, case.receipt_served_to) == (
        "detained", "KL-3100-2025-118", D("2025-09-30"), "consignor"
    )  # fmt: skip
    assert case.events.filter(action="serve_receipt").count() == 1
    with pytest.raises(Conflict, match="served on 2025-09-30"):
        step(
            case, officer, "serve_receipt", "2025-10-08", receipt_number="X", served_to="consignee"
        )


# --- R13: how each filing arrived ------------------------------------------------------------


@pytest.mark.parametrize(
    "via, filed_at, in_time",
    [
        ("counter", "2025-09-30T17:15", True),
        ("counter", "2025-09-30T17:45", False),  # the counter closed at 17:30
        ("post", "2025-09-30T23:50", True),  # sent by 24:00 of the last day
        ("bank", "2025-09-30T23:59", True),
        ("post", "2025-10-09T08:00", False),  # the next working day
        ("counter", "2025-09-29T18:30", True),  # not the last day: hours do not matter
    ],
)
def test_r13_filings_by_post_and_bank_run_to_2400_at_the_counter_to_closing_time(
    officer, mark, via, filed_at, in_time
):
    case = ex_officio(officer, mark, served_on=D(SERVED))
    before = snapshot(case)
    do = lambda: step(case, officer, "request_detention", "2025-10-09",  # noqa: E731
                      bond_source="case_bond", bond_form="cash", bond_reference="C-1",
                      filed_via=via, filed_at=at(filed_at))  # fmt: skip
    if not in_time:
        with pytest.raises(Conflict, match="run out"):
            do()
        assert snapshot(case) == before
        return
    do()
    event = case.events.get(action="request_detention")
    assert (event.filed_via, event.filed_at.astimezone(LEGAL_TZ).isoformat()[:16]) == (
        via, filed_at
    )  # fmt: skip


def test_r13_the_counter_closes_when_the_office_says(officer, mark):
    office = officer.organisation
    office.counter_closes_at = dt.time(18, 0)
    office.save()
    case = ex_officio(officer, mark, served_on=D(SERVED))
    step(case, officer, "decline", "2025-09-30", reason="Parallel import, licensed",
         filed_via="counter", filed_at=at("2025-09-30T17:45"))  # fmt: skip
    assert Detention.objects.get(pk=case.pk).status == "released"


def test_r13_an_officer_says_how_a_paper_filing_arrived_the_holder_files_here(
    officer, holder_user, mark
):
    case = ex_officio(officer, mark, served_on=D(SERVED))
    before = snapshot(case)
    for data, field in (
        ({}, "filed_via"),
        ({"filed_via": "counter"}, "filed_at"),
        ({"filed_via": "post", "filed_at": at("2025-10-10T09:00")}, "filed_at"),  # after `on`
    ):
        with pytest.raises(InvalidInput) as error:
            step(case, officer, "decline", "2025-09-30", reason="No", **data)
        assert field in error.value.errors
    with pytest.raises(InvalidInput) as error:
        step(case, holder_user, "decline", "2025-09-30", reason="No", filed_via="post")
    assert "filed_via" in error.value.errors
    assert snapshot(case) == before
    step(case, holder_user, "decline", "2025-09-30", reason="Our licensee's goods")
    assert case.events.get(action="decline").filed_via == "online"


# --- R21: the patent counter-bond --------------------------------------------------------------


@pytest.fixture
def patent_case(officer, holder_user, patent_recordal):
    """An ex officio patent case, goods worth 64,000, detained on 2025-09-29."""
    return detained(officer, holder_user, patent_recordal, values=("64000.00",))


def test_r21_the_counter_bond_is_cash_equal_to_the_value_and_opens_the_court_filing_period(
    officer, holder_user, patent_case
):
    before = snapshot(patent_case)
    with pytest.raises(InvalidInput) as error:
        step(patent_case, officer, "release_on_counter_bond", "2025-10-13",
             counter_bond_amount="64000.00", counter_bond_form="guarantee")  # fmt: skip
    assert set(error.value.errors) == {"counter_bond_form", "reference"}
    assert snapshot(patent_case) == before
    step(patent_case, officer, "release_on_counter_bond", "2025-10-13",
         counter_bond_amount="64000.00", reference="DEP-1")  # fmt: skip
    case = Detention.objects.get(pk=patent_case.pk)
    assert (case.status, case.outcome) == ("counter_bond_held", "released")
    suit = deadline(case, "counter_bond_suit").get()
    assert (suit.status, suit.trigger_date, suit.count) == ("open", D("2025-10-13"), 30)
    assert suit.due_date == D("2025-11-24")  # 30 working days from 14 October
    told = Notification.objects.filter(user=holder_user, body__contains="2025-11-24")
    assert told.exists()  # the holder is told in writing, with the date
    assert selectors.money_balance(case)["counter_bond_held"] == Decimal("64000.00")


def test_r21_the_deposit_is_kept_until_the_filing_period_passes_without_a_suit(
    officer, patent_case
):
    step(patent_case, officer, "release_on_counter_bond", "2025-10-13",
         counter_bond_amount="64000.00", reference="DEP-1")  # fmt: skip
    before = snapshot(patent_case)
    with pytest.raises(Conflict, match="until 2025-11-24"):
        step(patent_case, officer, "close", "2025-11-24")
    assert snapshot(patent_case) == before
    with pytest.raises(Conflict, match="run out"):
        step(patent_case, officer, "record_suit", "2025-11-25", court="Ningbo IP Court",
             court_case_number="(2025)1", filed_via="post", filed_at=at("2025-11-25T10:00"))  # fmt: skip
    step(patent_case, officer, "close", "2025-11-25")
    case = Detention.objects.get(pk=patent_case.pk)
    returned = case.money.get(kind="counter_bond_returned")
    assert (case.status, returned.amount) == ("closed", Decimal("64000.00"))


def test_r21_a_suit_filed_in_time_keeps_the_deposit_until_the_court_decides(
    officer, holder_user, patent_case
):
    step(patent_case, officer, "release_on_counter_bond", "2025-10-13",
         counter_bond_amount="64000.00", reference="DEP-1")  # fmt: skip
    step(patent_case, holder_user, "record_suit", "2025-11-20",
         court="Ningbo Intermediate People's Court", court_case_number="(2025)浙02知民初311号")  # fmt: skip
    case = Detention.objects.get(pk=patent_case.pk)
    assert case.status == "suit_filed"
    assert deadline(case, "counter_bond_suit").get().status == "met"
    with pytest.raises(TransitionNotAllowed):
        step(case, officer, "close", "2026-03-02")
    before = snapshot(case)
    with pytest.raises(InvalidInput) as error:
        step(case, officer, "record_judgment", "2026-03-02", court_reference="J-1",
             paid_out="64000.01")  # fmt: skip
    assert "paid_out" in error.value.errors
    assert snapshot(case) == before
    step(case, officer, "record_judgment", "2026-03-02", court_reference="(2025)浙02知民初311号",
         paid_out="12000.00")  # fmt: skip
    money = dict(case.money.filter(kind__startswith="counter_bond_").values_list("kind", "amount"))
    assert money == {
        "counter_bond_received": Decimal("64000.00"),
        "counter_bond_paid_out": Decimal("12000.00"),
        "counter_bond_returned": Decimal("52000.00"),
    }
    assert Detention.objects.get(pk=case.pk).status == "released"


# --- R22: withdrawal and release on evidence after an undetermined finding ----------------------


@pytest.mark.parametrize("action", ["withdraw", "release_on_evidence"])
def test_r22_an_undetermined_finding_does_not_bar_withdrawal_or_release_on_evidence(
    officer, holder_user, mark, action
):
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_undetermined", "2025-11-10")
    actor = holder_user if action == "withdraw" else officer
    step(case, actor, action, "2025-11-12", reason="Settled with the consignor")
    case = Detention.objects.get(pk=case.pk)
    assert (case.status, case.outcome) == ("released", "released")
    assert deadline(case, "court_order").get().status == "cancelled"


def test_r22_no_withdrawal_once_goods_are_found_infringing(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_infringing", "2025-11-10")
    with pytest.raises(TransitionNotAllowed):
        step(case, holder_user, "withdraw", "2025-11-12", reason="Settled")


# --- R23: the holder is consulted before any auction -------------------------------------------


def test_r23_the_holder_is_consulted_before_any_auction_export_included(officer, holder_user, mark):
    case = detained(officer, holder_user, mark)  # an export
    step(case, officer, "determine_infringing", "2025-10-10")
    step(case, officer, "confiscate", "2025-10-13", penalty_tier="mitigated")
    before = snapshot(case)
    with pytest.raises(InvalidInput) as error:
        step(case, officer, "dispose", "2025-10-20", reason="No welfare use",
             disposal_method="auction", features_removed=True)  # fmt: skip
    assert "holder_consulted" in error.value.errors
    assert snapshot(case) == before
    step(case, officer, "dispose", "2025-10-20", reason="No welfare use",
         disposal_method="auction", features_removed=True, holder_consulted=True)  # fmt: skip


# --- R27: the storage cap counts from the service of the decision ------------------------------


def test_r27_storage_after_confiscation_is_capped_three_months_after_the_decision_is_served(
    officer, holder_user, mark
):
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_infringing", "2025-10-10")
    step(case, officer, "confiscate", "2025-10-13", penalty_tier="mitigated")
    step(case, officer, "serve_decision", "2025-11-03")
    charge = lambda to: services.detention_charge_costs(  # noqa: E731
        actor=officer, detention=case, cost_kind="storage", amount=Decimal("900.00"),
        period_from=D("2025-09-29"), period_to=D(to), on=D("2026-03-02"),
    )  # fmt: skip
    before = snapshot(case)
    with pytest.raises(InvalidInput, match="to 2026-02-03"):
        charge("2026-02-04")
    assert snapshot(case) == before
    charge("2026-02-03")  # beyond 2026-01-13, three months after the confiscation itself


# --- R28: the refund waits for the consignor's window ----------------------------------------


def test_r28_the_refund_waits_for_the_consignors_window_compensation_stays_possible(
    officer, holder_user, mark, settings
):
    settings.IPR_CONSIGNOR_COURT_WINDOW_DAYS = 15
    case = detained(officer, holder_user, mark)  # bond 20,000
    step(case, officer, "determine_not_infringing", "2025-10-10", reason="Genuine goods")
    before = snapshot(case)
    # 15 working days after release (Saturday 11 October 2025 was a make-up working day)
    with pytest.raises(Conflict, match="until 2025-10-30"):
        step(case, officer, "close", "2025-10-30")
    assert snapshot(case) == before
    services.detention_compensate_consignor(
        actor=officer, detention=case, amount=Decimal("5000.00"),
        court_reference="(2025)浙02民初77号", on=D("2025-10-30"),
    )  # fmt: skip
    step(case, officer, "close", "2025-10-31")
    refunded = case.money.get(kind="bond_refunded")
    assert refunded.amount == Decimal("15000.00")


def test_r28_infringing_goods_refund_without_waiting(officer, holder_user, mark, settings):
    settings.IPR_CONSIGNOR_COURT_WINDOW_DAYS = 200
    case = detained(officer, holder_user, mark)
    step(case, officer, "determine_infringing", "2025-10-10")
    step(case, officer, "confiscate", "2025-10-10", penalty_tier="mitigated")
    step(case, officer, "dispose", "2025-10-13", disposal_method="donation")
    step(case, officer, "close", "2025-10-14")
    assert Detention.objects.get(pk=case.pk).status == "closed"


# --- R20: both sides may inspect -----------------------------------------------------------


@pytest.mark.parametrize("party", ["holder", "consignor"])
def test_r20_the_holder_and_the_consignor_may_inspect_the_goods(officer, holder_user, mark, party):
    case = detained(officer, holder_user, mark)
    event = services.detention_record_inspection(
        actor=officer, detention=case, party=party, inspected_on=D("2025-10-08"),
        note="With customs' consent", on=D("2025-10-09"),
    )  # fmt: skip
    assert (event.action, event.data) == (
        "inspection", {"party": party, "inspected_on": "2025-10-08"}
    )  # fmt: skip


def test_r20_inspections_are_for_goods_customs_holds(officer, holder_user, mark):
    case = ex_officio(officer, mark)
    with pytest.raises(Conflict):
        services.detention_record_inspection(
            actor=officer, detention=case, party="holder", inspected_on=D("2025-09-29"),
            on=D("2025-09-29"),
        )  # fmt: skip
    case = detained(officer, holder_user, mark, declaration_number="3104202500099")
    with pytest.raises(InvalidInput) as error:
        services.detention_record_inspection(
            actor=officer, detention=case, party="buyer", inspected_on=D("2025-09-28"),
            on=D("2025-09-30"),
        )  # fmt: skip
    assert set(error.value.errors) == {"party", "inspected_on"}
    assert not Deadline.objects.filter(kind="inspection").exists()
