"""The officers' case admin: the list by next deadline within a query budget, the scoping
rule, and transitions drawn from the case's own table with the input each action needs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Port
from accounts.tests.factories import PASSWORD
from deadlines.models import Deadline
from detentions import services
from detentions.models import Detention, NoPenaltyCriterion, Referral
from detentions.tests.factories import SHIPMENT, detained, ex_officio, lines, pdf
from recordals import services as recordal_services
from recordals.tests.factories import complete_draft

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
CASES = "/admin/detentions/detention/"


def login(parties, role):
    client = Client()
    client.login(username=parties["users"][role].username, password=PASSWORD)
    return client


def snapshot(case):
    """Everything a refused transition must leave as it was."""
    case = Detention.objects.get(pk=case.pk)
    return (
        {f.attname: getattr(case, f.attname) for f in Detention._meta.concrete_fields},
        case.events.count(),
        case.money.count(),
        case.documents.count(),
        list(Deadline.objects.filter(subject_id=case.pk).values_list("kind", "status")),
    )


def shenzhen_case(parties, recordal):
    officer = parties["users"]["shenzhen"]
    return services.detention_open_ex_officio(
        actor=officer,
        port=Port.objects.filter(office=officer.organisation).order_by("pk").first(),
        shipment=SHIPMENT,
        recordals=[recordal],
        goods_lines=lines(),
        served_on=D("2025-09-26"),
    )


def on_application(parties, recordal):
    ningbo = parties["ningbo"]
    return services.detention_apply(
        actor=parties["users"]["holder_a"],
        holder=parties["holder_a"],
        port=Port.objects.filter(office=ningbo).order_by("pk").first(),
        shipment=SHIPMENT,
        goods_lines=lines("12000.00"),
        recordals=[recordal],
        evidence="Test purchase of 2025-09-01",
        expected_arrival="Meishan port, October 2025, by sea",
        bond_form="cash",
    )


# --- the list ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["gacc", "ningbo"])
def test_the_case_list_costs_the_same_queries_for_10_and_30_cases(
    parties, officer, holder_user, mark, role, django_assert_max_num_queries
):
    for n in range(10):
        if n % 2:
            detained(officer, holder_user, mark)
        else:
            ex_officio(officer, mark)
    client = login(parties, role)
    client.get(CASES)  # warm the per-process caches (content types)
    with CaptureQueriesContext(connection) as ten:
        page = client.get(CASES)
    assert page.status_code == 200
    assert len(ten) <= 10  # session, user, counts, filter choices, the page: no N+1
    assert page.content.count(b"3100-2025-D") >= 10
    for _ in range(20):
        ex_officio(officer, mark)
    with django_assert_max_num_queries(len(ten)) as thirty:
        page = client.get(CASES)
    assert page.status_code == 200
    assert len(thirty) == len(ten), [q["sql"][:150] for q in thirty]
    numbers = Detention.objects.values_list("number", flat=True)
    assert all(number.encode() in page.content for number in numbers)
    # The next deadline, in legal time (R13): a detained case's investigation (R16).
    assert b"Investigation decision: 2025-" in page.content
    assert b"Reply to detention notice: 2025-09-30 24:00" in page.content


def test_the_list_sorts_by_next_deadline_and_searches_the_consignor(parties, officer, mark):
    early = ex_officio(officer, mark, served_on=D("2025-09-26"))
    late = ex_officio(officer, mark, served_on=D("2025-10-20"), consignor_name="Ningbo Late Co.")
    client = login(parties, "ningbo")
    content = client.get(CASES).content.decode()  # soonest deadline first by default
    assert content.index(early.number) < content.index(late.number)
    column = admin.site._registry[Detention].list_display.index("next_deadline")
    page = client.get(f"{CASES}?o=-{column}")
    assert page.status_code == 200
    content = page.content.decode()
    assert content.index(late.number) < content.index(early.number)
    page = client.get(f"{CASES}?q=Late")
    assert late.number.encode() in page.content
    assert early.number.encode() not in page.content


# --- who sees which case ----------------------------------------------------------------------


def test_district_officers_list_and_open_only_their_office_cases(parties, officer, mark):
    ningbo_case = ex_officio(officer, mark)
    shenzhen = shenzhen_case(parties, mark)
    client = login(parties, "ningbo")
    page = client.get(CASES)
    assert ningbo_case.number.encode() in page.content
    assert shenzhen.number.encode() not in page.content
    response = client.get(f"{CASES}{shenzhen.pk}/change/")
    assert response.status_code in (302, 404)
    assert shenzhen.number.encode() not in client.get(response.url).content
    assert client.get(f"{CASES}{shenzhen.pk}/transition/release/").status_code == 404
    before = snapshot(shenzhen)
    assert (
        client.post(f"{CASES}{shenzhen.pk}/transition/release/", {"reason": "x"}).status_code == 404
    )
    assert snapshot(shenzhen) == before
    gacc = login(parties, "gacc")
    assert gacc.get(f"{CASES}{shenzhen.pk}/change/").status_code == 200


@pytest.mark.parametrize("role", ["holder_a", "agent_a"])
def test_holder_side_users_are_sent_to_the_admin_login(parties, officer, mark, role):
    case = ex_officio(officer, mark)
    for url in (CASES, f"{CASES}{case.pk}/change/", f"{CASES}{case.pk}/transition/release/"):
        response = login(parties, role).get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


# --- transitions from the case's own table ----------------------------------------------------


def test_buttons_come_from_the_case_mode_and_the_officer_role(parties, officer, mark):
    notified = ex_officio(officer, mark)
    applied = on_application(parties, mark)
    client = login(parties, "ningbo")
    page = client.get(f"{CASES}{notified.pk}/change/").content
    assert b"transition/release/" in page
    # The holder's reply, when it arrives on paper, is recorded by the officer (R12, R13).
    assert b"transition/request_detention/" in page and b"transition/decline/" in page
    assert b"transition/reject/" not in page  # on application only (R18)
    assert b"transition/detain/" not in page  # not from "notified"
    page = client.get(f"{CASES}{applied.pk}/change/").content
    assert b"transition/detain/" in page and b"transition/reject/" in page
    assert b"transition/release_on_evidence/" not in page  # only once detained
    # An action of the other table is refused and changes nothing.
    before = snapshot(notified)
    client.post(f"{CASES}{notified.pk}/transition/reject/", {"reason": "Incomplete"})
    assert snapshot(notified) == before


def test_r12_r13_officer_records_a_reply_handed_in_at_the_counter(parties, mark):
    """The holder's reply came on paper to the Ningbo counter on its last day: in time
    before 17:30, late after; the officer says how and when it arrived."""
    case = ex_officio(parties["users"]["ningbo"], mark)  # served 2025-09-26, due 30 Sep
    client = login(parties, "ningbo")
    url = f"{CASES}{case.pk}/transition/request_detention/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="filed_via"' in page.content and b'name="filed_at"' in page.content
    reply = {"reason": "", "bond_source": "case_bond", "bond_form": "cash",
             "bond_reference": "NB-CASH-0930", "filed_via": "counter"}  # fmt: skip
    before = snapshot(case)
    page = client.post(url, {**reply, "filed_at": "2025-09-30 17:40"}, follow=True)
    assert b"run out" in page.content  # a step not allowed now: back to the case, told why
    assert snapshot(case) == before
    response = client.post(url, {**reply, "filed_at": "2025-09-30 17:20"})
    assert response.status_code == 302
    case.refresh_from_db()
    event = case.events.get(action="request_detention")
    assert (case.status, event.filed_via, event.actor.username) == (
        "detention_requested", "counter", parties["users"]["ningbo"].username
    )  # fmt: skip


def test_r18_officer_detains_an_application_with_the_bond_reference(parties, mark):
    case = on_application(parties, mark)
    client = login(parties, "ningbo")
    url = f"{CASES}{case.pk}/transition/detain/"
    page = client.get(url)
    assert page.status_code == 200 and b'name="bond_reference"' in page.content
    before = snapshot(case)
    page = client.post(url, {"reason": "", "bond_reference": ""})
    assert page.status_code == 200  # shown again, with the service's error on the field
    assert b"Record the receipt or guarantee number" in page.content
    assert snapshot(case) == before
    client.post(url, {"reason": "", "bond_reference": "CASH-2025-0042"})
    case.refresh_from_db()
    assert (case.status, case.bond_reference, case.bond_amount) == (
        "detained",
        "CASH-2025-0042",
        Decimal("12000.00"),
    )
    assert list(case.money.values_list("kind", "amount")) == [
        ("bond_received", Decimal("12000.00"))
    ]


def test_r24_determine_infringing_then_confiscate_with_tier_and_fine(
    parties, officer, holder_user, mark
):
    case = detained(officer, holder_user, mark)  # goods value 30,000
    client = login(parties, "ningbo")
    page = client.get(f"{CASES}{case.pk}/change/").content
    for action in (b"determine_infringing", b"determine_not_infringing", b"determine_undetermined"):
        assert b"transition/" + action + b"/" in page
    assert b"transition/confiscate/" not in page
    form = client.get(f"{CASES}{case.pk}/transition/determine_infringing/")
    assert b"exceeds_personal_quantity" not in form.content  # general trade: R26 not in play
    response = client.post(
        f"{CASES}{case.pk}/transition/determine_infringing/",
        {"reason": "Counterfeit LABUBU marks", "document": pdf("determination.pdf")},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.determination) == ("infringing", "infringing")
    assert list(case.documents.values_list("kind", "title")) == [
        ("notice", "Determine: infringing")
    ]
    url = f"{CASES}{case.pk}/transition/confiscate/"
    page = client.get(url)
    assert b'name="penalty_tier"' in page.content and b'name="penalty_fine"' in page.content
    assert b"general: 3000.00 to 6000.00" in page.content  # the tier bands on this value
    response = client.post(url, {"reason": "", "penalty_tier": "general", "penalty_fine": "4500"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.penalty_tier, case.penalty_fine, case.undeclared_ip_fine) == (
        "confiscated",
        "general",
        Decimal("4500.00"),
        None,
    )
    event = case.events.get(action="confiscate")
    assert event.data == {
        "penalty_tier": "general",
        "penalty_fine": "4500.00",
        "undeclared_ip_fine": None,
        "no_penalty_criterion": None,
    }
    timeline = client.get(f"{CASES}{case.pk}/change/")
    assert b"Counterfeit LABUBU marks" in timeline.content
    assert b"transition/dispose/" in timeline.content


def test_r24_a_fine_outside_the_tier_is_shown_on_its_field_and_changes_nothing(
    parties, officer, holder_user, mark
):
    case = detained(officer, holder_user, mark)
    services.detention_transition(actor=officer, detention=case, action="determine_infringing")
    client = login(parties, "ningbo")
    url = f"{CASES}{case.pk}/transition/confiscate/"
    before = snapshot(case)
    page = client.post(url, {"reason": "Repeat", "penalty_tier": "lighter", "penalty_fine": "9000"})
    assert page.status_code == 200
    message = "The &#x27;lighter&#x27; tier allows a fine from 0.01 to less than 3000.00 on a value of 30000.00 (R24)."
    assert message.encode() in page.content
    assert b"Fine (CNY) (penalty_fine): The" in page.content  # the message names the field
    assert b"Repeat</textarea>" in page.content  # the officer's reasons are kept
    assert snapshot(case) == before
    # Not a number at all: the form refuses it before the service is called.
    page = client.post(url, {"penalty_tier": "general", "penalty_fine": "a lot"})
    assert page.status_code == 200 and b"Enter a number." in page.content
    # Over the 50,000 cap for not declaring IP status.
    page = client.post(
        url, {"penalty_tier": "general", "penalty_fine": "4500", "undeclared_ip_fine": "50000.01"}
    )
    assert b"At most CNY 50,000 (R24)." in page.content
    assert snapshot(case) == before


def test_r24_no_penalty_cites_a_criterion_by_code(parties, officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    services.detention_transition(actor=officer, detention=case, action="determine_infringing")
    client = login(parties, "ningbo")
    url = f"{CASES}{case.pk}/transition/confiscate/"
    before = snapshot(case)
    page = client.post(url, {"penalty_tier": "none"})
    assert b"Cite the no-penalty criterion that applies (R24)." in page.content
    assert snapshot(case) == before
    client.post(url, {"penalty_tier": "none", "no_penalty_criterion": "first-minor"})
    case.refresh_from_db()
    assert (case.status, case.penalty_fine, case.no_penalty_criterion.code) == (
        "confiscated",
        Decimal("0.00"),
        "first-minor",
    )


def test_r26_postal_items_are_infringing_only_when_the_officer_confirms_the_quantity(
    parties, officer, holder_user, mark
):
    case = detained(officer, holder_user, mark, channel="postal", transport_mode="post")
    client = login(parties, "ningbo")
    url = f"{CASES}{case.pk}/transition/determine_infringing/"
    assert b'name="exceeds_personal_quantity"' in client.get(url).content
    before = snapshot(case)
    page = client.post(url, {"reason": ""})
    assert b"beyond a reasonable personal quantity (R26)" in page.content
    assert snapshot(case) == before
    client.post(url, {"reason": "", "exceeds_personal_quantity": "on"})
    case.refresh_from_db()
    assert (case.status, case.exceeds_personal_quantity) == ("infringing", True)


def test_r23_auction_of_imported_marks_needs_each_answer(parties, officer, holder_user, mark):
    case = detained(officer, holder_user, mark, direction="import")
    for action, data in (
        ("determine_infringing", {}),
        ("confiscate", {"penalty_tier": "mitigated"}),
    ):
        services.detention_transition(actor=officer, detention=case, action=action, data=data)
    client = login(parties, "ningbo")
    url = f"{CASES}{case.pk}/transition/dispose/"
    before = snapshot(case)
    page = client.post(
        url,
        {
            "reason": "No charity takes them",
            "disposal_method": "auction",
            "features_removed": "on",
            "label_removal_only": "unknown",
        },
    )
    assert b"removing the label alone is not enough" in page.content
    assert b"Consult the rights holder before any auction (R23)." in page.content
    assert snapshot(case) == before
    client.post(
        url,
        {
            "reason": "No charity takes them",
            "disposal_method": "auction",
            "features_removed": "on",
            "label_removal_only": "false",
            "holder_consulted": "on",
        },
    )
    case.refresh_from_db()
    assert (case.status, case.disposal_method) == ("disposed", "auction")


def test_the_change_page_shows_the_money_balance(parties, officer, holder_user, mark):
    case = detained(officer, holder_user, mark)
    page = login(parties, "ningbo").get(f"{CASES}{case.pk}/change/")
    assert page.status_code == 200
    assert b"<th>Bond held</th><td>CNY 20,000.00</td>" in page.content
    assert b"CASH-1" in page.content  # the money trail's bond receipt


def test_every_case_field_is_on_the_change_page():
    model_admin = admin.site._registry[Detention]
    shown = {name for _title, options in model_admin.fieldsets for name in options["fields"]}
    fields = {f.name for f in Detention._meta.get_fields() if f.concrete and f.name != "id"}
    assert fields - shown == set()


def test_r27_officer_charges_storage_and_records_the_holder_payment(
    parties, officer, holder_user, mark
):
    case = detained(officer, holder_user, mark)  # detained 2025-09-29
    client = login(parties, "ningbo")
    page = client.get(f"{CASES}{case.pk}/change/").content
    url = f"{CASES}{case.pk}/operation/charge_costs/"
    pay = f"{CASES}{case.pk}/operation/record_payment/"
    assert f'href="{url}"'.encode() in page and pay.encode() not in page  # absolute links
    assert client.get(url).status_code == 200
    storage = {"cost_kind": "storage", "amount": "1200", "period_from": "2025-09-29"}
    before = snapshot(case)
    page = client.post(url, {**storage, "period_to": "2025-09-01"})
    assert page.status_code == 200
    assert b"The period ends before it starts." in page.content
    assert snapshot(case) == before
    response = client.post(url, {**storage, "period_to": "2025-10-31", "reference": "WH-77"})
    assert response.status_code == 302
    entry = case.money.get(kind="cost_charged")
    assert (entry.cost_kind, entry.amount, entry.period_to, entry.reference) == (
        "storage",
        Decimal("1200.00"),
        D("2025-10-31"),
        "WH-77",
    )
    assert f'href="{pay}"'.encode() in client.get(f"{CASES}{case.pk}/change/").content
    before = snapshot(case)
    page = client.post(pay, {"amount": "1500"})
    assert b"Only CNY 1200.00 is owed." in page.content
    assert snapshot(case) == before
    client.post(pay, {"amount": "1200", "reference": "BANK-9"})
    payment = Deadline.objects.get(subject_id=case.pk, kind="cost_payment")
    assert payment.status == "met"
    assert list(case.money.values_list("kind", "amount")) == [
        ("bond_received", Decimal("20000.00")),
        ("cost_charged", Decimal("1200.00")),
        ("cost_paid", Decimal("1200.00")),
    ]
    # Another office's officer cannot reach the case's money at all.
    shenzhen = login(parties, "shenzhen")
    assert shenzhen.post(url, {**storage, "period_to": "2025-10-31"}).status_code == 404
    assert case.money.count() == 3


# --- referrals (R25) and no-penalty criteria (R24) --------------------------------------------


def test_r25_referral_accepted_through_the_admin_needs_the_police_case_number(
    parties, officer, holder_user, mark
):
    case = detained(officer, holder_user, mark)
    referral = services.referral_create(
        actor=officer, detention=case, organ="Ningbo PSB", grounds="Large scale counterfeiting"
    )
    client = login(parties, "ningbo")
    page = client.get(f"/admin/detentions/referral/{referral.pk}/change/")
    assert b"transition/accept/" in page.content and b"transition/refer_again/" not in page.content
    url = f"/admin/detentions/referral/{referral.pk}/transition/accept/"
    page = client.post(url, {"reason": ""})
    assert page.status_code == 200 and b"This field is required." in page.content
    referral.refresh_from_db()
    assert referral.status == "referred"
    client.post(url, {"reason": "", "police_case_number": "NBGA-2025-0815"})
    referral.refresh_from_db()
    assert (referral.status, referral.police_case_number) == ("accepted", "NBGA-2025-0815")
    assert list(referral.events.values_list("action", flat=True)) == ["refer", "accept"]
    assert b"NBGA-2025-0815" in client.get(f"{CASES}{case.pk}/change/").content
    shenzhen = login(parties, "shenzhen")
    assert (
        shenzhen.get(f"/admin/detentions/referral/{referral.pk}/transition/return/").status_code
        == 404
    )
    assert Referral.objects.get(pk=referral.pk).status == "accepted"


@pytest.mark.parametrize(
    ("role", "add", "change", "listing"),
    [("gacc", 200, 200, 200), ("ningbo", 403, 200, 200), ("holder_a", 302, 302, 302)],
)
def test_r24_gacc_keeps_the_no_penalty_criteria_districts_read_them(
    parties, role, add, change, listing
):
    criterion = NoPenaltyCriterion.objects.get(code="first-minor")
    client = login(parties, role)
    assert client.get("/admin/detentions/nopenaltycriterion/").status_code == listing
    assert client.get("/admin/detentions/nopenaltycriterion/add/").status_code == add
    page = client.get(f"/admin/detentions/nopenaltycriterion/{criterion.pk}/change/")
    assert page.status_code == change
    response = client.post(
        f"/admin/detentions/nopenaltycriterion/{criterion.pk}/change/",
        {"code": "first-minor", "description": "Edited", "is_active": "on"},
    )
    edited = NoPenaltyCriterion.objects.get(pk=criterion.pk).description == "Edited"
    assert edited is (role == "gacc"), response.status_code


# --- the shared mixin keeps the recordal admin working ----------------------------------------


def test_recordal_transitions_still_work_and_name_the_missing_field(parties):
    user = parties["users"]["holder_a"]
    recordal = complete_draft(user, parties["holder_a"])
    recordal = recordal_services.recordal_transition(actor=user, recordal=recordal, action="submit")
    client = login(parties, "gacc")
    url = f"/admin/recordals/recordal/{recordal.pk}/transition/reject/"
    page = client.get(url)
    assert page.status_code == 200 and b'name="reason"' in page.content
    response = client.post(url, {"reason": ""}, follow=True)
    assert b"Reason: Give the reasons" in response.content
    recordal.refresh_from_db()
    assert recordal.status == "submitted"
    client.post(url, {"reason": "Registration certificate illegible"})
    recordal.refresh_from_db()
    assert (recordal.status, recordal.decision_reason) == (
        "rejected",
        "Registration certificate illegible",
    )


# --- the desk's buttons: only what is possible now, and why not yet -----------------------------


def test_r12_release_is_shown_not_yet_with_the_reply_periods_end_and_refused_by_its_link(
    parties, officer, mark
):
    import time_machine

    from core.timezone import LEGAL_TZ

    case = ex_officio(officer, mark)  # served 2025-09-26: the holder replies until 09-30
    client = login(parties, "ningbo")
    with time_machine.travel(dt.datetime(2025, 9, 29, 10, tzinfo=LEGAL_TZ)):
        page = client.get(f"{CASES}{case.pk}/change/").content.decode()
        release = f"{CASES}{case.pk}/transition/release/"
        assert f'href="{release}"' in page and 'aria-disabled="true"' in page
        assert "Not yet: Release" in page and "2025-09-30" in page
        response = client.get(release, follow=True)
        assert "2025-09-30" in response.content.decode()
    assert Detention.objects.get(pk=case.pk).status == "notified"
    page = client.get(f"{CASES}{case.pk}/change/").content.decode()  # today: long passed
    assert "Not yet: Release" not in page


def test_r20_r25_officers_record_a_statement_a_document_and_a_referral_in_the_admin(
    parties, officer, holder_user, mark
):
    case = detained(officer, holder_user, mark)
    client = login(parties, "ningbo")
    page = client.get(f"{CASES}{case.pk}/change/").content.decode()
    statement = f"{CASES}{case.pk}/operation/record_statement/"
    document = f"{CASES}{case.pk}/operation/add_document/"
    refer = f"{CASES}{case.pk}/operation/refer/"
    for url in (statement, document, refer):
        assert f'href="{url}"' in page
    before = snapshot(case)
    assert client.post(statement, {"statement": " "}).status_code == 200  # required
    assert snapshot(case) == before
    response = client.post(
        statement, {"statement": "The consignor says the goods are genuine parallel imports."}
    )
    assert response.status_code == 302
    assert case.events.filter(action="consignor_statement").exists()
    response = client.post(
        document, {"kind": "evidence", "title": "Photos of the goods", "file": pdf()}
    )
    assert response.status_code == 302
    assert case.documents.filter(title="Photos of the goods").exists()
    response = client.post(
        refer, {"organ": "Ningbo PSB economic crime unit", "grounds": "Large-scale counterfeit"}
    )
    assert response.status_code == 302
    referral = Referral.objects.get(detention=case)
    assert referral.status == "referred"
    page = client.get(f"{CASES}{case.pk}/change/").content.decode()
    assert f'href="{refer}"' not in page  # one live referral at a time


def test_r12_a_district_officer_opens_an_ex_officio_case_in_the_admin(parties, mark):
    client = login(parties, "ningbo")
    page = client.get(CASES).content.decode()
    url = f"{CASES}open/"
    assert f'href="{url}"' in page
    form = client.get(url)
    assert form.status_code == 200 and b"shipment-consignor_name" in form.content
    post = {
        "recordal_numbers": mark.number,
        "served_on": "",
        **{f"shipment-{k}": v for k, v in SHIPMENT.items()},
        "goods-TOTAL_FORMS": "2",
        "goods-INITIAL_FORMS": "0",
        "goods-MIN_NUM_FORMS": "1",
        "goods-MAX_NUM_FORMS": "1000",
        "goods-0-description": "Plush toys bearing the mark",
        "goods-0-hs_code": "950300",
        "goods-0-category": "toys",
        "goods-0-quantity": "500",
        "goods-0-unit": "pieces",
        "goods-0-value": "12000.00",
    }
    count = Detention.objects.count()
    page = client.post(url, {**post, "recordal_numbers": "T9999-000001"})
    assert page.status_code == 200 and b"No such recordal" in page.content
    assert Detention.objects.count() == count
    response = client.post(url, post)
    assert response.status_code == 302
    case = Detention.objects.latest("pk")
    assert response["Location"] == f"{CASES}{case.pk}/change/"
    assert (case.status, case.office.customs_code, case.total_value) == (
        "notified", "3100", Decimal("12000.00"),
    )  # fmt: skip
    assert Deadline.objects.filter(subject_id=case.pk, kind="reply_to_detention_notice").exists()
