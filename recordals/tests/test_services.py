"""Every recordal rule (R1-R10) and general bond rule (R15), at the service level."""

import datetime as dt
import functools
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotPermitted, TransitionNotAllowed
from core.timezone import LEGAL_TZ
from deadlines.models import Deadline
from recordals import services
from recordals.models import ChangeApplication, Recordal, RecordalEvent
from recordals.tests.factories import (
    GOODS,
    D,
    approved,
    complete_draft,
    pdf,
    png,
    renewal_requested,
    trademark,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder_user(parties):
    return parties["users"]["holder_a"]


@pytest.fixture
def gacc(parties):
    return parties["users"]["gacc"]


def on_day(day: str):
    """The clock on `day` (10:00 Asia/Shanghai) unless it is already later: steps cannot be
    dated in the future, and the timeline keeps the order they were taken in."""
    moved = dt.datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=LEGAL_TZ)
    return time_machine.travel(max(moved, timezone.now()))


def snapshot(recordal):
    recordal.refresh_from_db()
    return (
        recordal.status,
        recordal.valid_until,
        RecordalEvent.objects.filter(recordal=recordal).count(),
    )


# --- R1 recordable rights ----------------------------------------------------------------


def test_r1_pending_trademark_application_is_refused(holder_user, parties):
    with pytest.raises(InvalidInput) as error:
        services.recordal_create_draft(
            actor=holder_user, holder=parties["holder_a"], right=trademark(), registered=False
        )
    assert "registration_number" in error.value.errors
    assert not Recordal.objects.exists()


@pytest.mark.parametrize(
    ("right", "field"),
    [
        ({"nice_classes": [46]}, "nice_classes"),
        ({"nice_classes": [0]}, "nice_classes"),
        ({"nice_classes": []}, "nice_classes"),
        ({"registration_number": "TM-12"}, "registration_number"),
        ({"registration_number": ""}, "registration_number"),
        ({"kind": "utility"}, "kind"),
        ({"right_name": " "}, "right_name"),
        ({"right_valid_until": D("2019-01-01")}, "right_valid_until"),
        ({"is_madrid": True, "nice_classes": [9, 28]}, "nice_classes"),
    ],
)
def test_r1_r4_bad_particulars_are_refused_with_the_field(holder_user, parties, right, field):
    with pytest.raises(InvalidInput) as error:
        services.recordal_create_draft(
            actor=holder_user, holder=parties["holder_a"], right=trademark(**right)
        )
    assert field in error.value.errors
    assert not Recordal.objects.exists()


def test_r1_patent_numbers_and_types(holder_user, parties):
    right = {
        "kind": "patent",
        "right_name": "Folding stroller",
        "patent_type": "design",
        "registration_number": "ZL202030123456.7",
        "right_valid_from": D("2020-05-01"),
        "right_valid_until": D("2035-04-30"),
    }
    recordal = services.recordal_create_draft(
        actor=holder_user, holder=parties["holder_a"], right=right
    )
    assert recordal.registration_number == "ZL202030123456.7"
    with pytest.raises(InvalidInput):
        services.recordal_create_draft(
            actor=holder_user,
            holder=parties["holder_a"],
            right={**right, "registration_number": "2020301234"},
        )


def test_r1_one_live_recordal_per_right_and_per_class_for_madrid(holder_user, gacc, parties):
    approved(
        holder_user,
        parties["holder_a"],
        gacc,
        is_madrid=True,
        nice_classes=[28],
        registration_number="1612345",
    )
    other_class = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        is_madrid=True,
        nice_classes=[9],
        registration_number="1612345",
    )
    assert other_class.status == "approved"
    same_class = complete_draft(
        holder_user,
        parties["holder_a"],
        is_madrid=True,
        nice_classes=[28],
        registration_number="1612345",
    )
    with pytest.raises(Conflict):
        services.recordal_transition(actor=holder_user, recordal=same_class, action="submit")
    assert snapshot(same_class)[0] == "draft"


@pytest.mark.parametrize(
    ("right", "named"),
    [
        ({"nice_classes": [35]}, "35"),
        ({"nice_classes": [41, 45]}, "41, 45"),
        ({"nice_classes": [43], "is_madrid": True, "registration_number": "1612345"}, "43"),
        ({"nice_classes": [9, 28, 35, 41]}, "35, 41"),  # goods and services: name the services
    ],
)
def test_r1_service_marks_are_refused_naming_the_service_classes(
    holder_user, parties, right, named
):
    with pytest.raises(InvalidInput) as error:
        services.recordal_create_draft(
            actor=holder_user, holder=parties["holder_a"], right=trademark(**right)
        )
    (message,) = error.value.errors["nice_classes"]
    assert f"Class(es) {named} are service classes (35-45)" in message
    assert "(R1)" in message
    assert not Recordal.objects.exists()


def test_r1_a_mark_recorded_for_its_goods_classes_only_is_accepted(holder_user, parties):
    recordal = services.recordal_create_draft(
        actor=holder_user, holder=parties["holder_a"], right=trademark(nice_classes=[28, 9, 34])
    )
    assert recordal.nice_classes == [9, 28, 34]


def test_r1_service_classes_cannot_be_added_to_a_draft(holder_user, parties):
    draft = complete_draft(holder_user, parties["holder_a"])
    before = snapshot(draft)
    with pytest.raises(InvalidInput) as error:
        services.recordal_update(
            actor=holder_user, recordal=draft, right={"nice_classes": [28, 35]}
        )
    assert "nice_classes" in error.value.errors
    draft.refresh_from_db()
    assert draft.nice_classes == [28]
    assert snapshot(draft) == before


def test_r1_the_database_itself_refuses_a_second_live_recordal(holder_user, gacc, parties):
    first = approved(holder_user, parties["holder_a"], gacc)
    second = complete_draft(holder_user, parties["holder_a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Recordal.objects.filter(pk=second.pk).update(status="submitted")
    assert first.status == "approved"


# --- R2, R3 who files --------------------------------------------------------------------


def test_r2_only_the_holder_or_its_agent_files(parties):
    for role in ("holder_b", "agent_expired", "ningbo"):
        with pytest.raises(NotPermitted):
            services.recordal_create_draft(
                actor=parties["users"][role], holder=parties["holder_a"], right=trademark()
            )
    with pytest.raises(InvalidInput):
        services.recordal_create_draft(
            actor=parties["users"]["agent_a"], holder=parties["agency_a"], right=trademark()
        )
    recordal = services.recordal_create_draft(
        actor=parties["users"]["agent_a"], holder=parties["holder_a"], right=trademark()
    )
    assert recordal.filed_by_agency_id == parties["agency_a"].pk


def test_r3_a_foreign_holder_submits_through_a_domestic_agent(parties):
    from accounts.tests.factories import AuthorisationFactory, IPAgencyFactory, UserFactory

    holder_b = parties["holder_b"]  # Germany
    recordal = complete_draft(parties["users"]["holder_b"], holder_b, registration_number="7654321")
    with pytest.raises(InvalidInput) as error:
        services.recordal_transition(
            actor=parties["users"]["holder_b"], recordal=recordal, action="submit"
        )
    assert "R3" in error.value.errors["holder"][0]
    agent = UserFactory(
        organisation=AuthorisationFactory(holder=holder_b, agency=IPAgencyFactory()).agency
    )
    services.recordal_attach(actor=agent, recordal=recordal, kind="power_of_attorney", upload=pdf())
    submitted = services.recordal_transition(actor=agent, recordal=recordal, action="submit")
    assert submitted.status == "submitted"


# --- R4 content ----------------------------------------------------------------------------


def test_r4_an_incomplete_application_cannot_be_submitted(holder_user, parties):
    recordal = services.recordal_create_draft(
        actor=holder_user, holder=parties["holder_a"], right=trademark()
    )
    with pytest.raises(InvalidInput) as error:
        services.recordal_transition(actor=holder_user, recordal=recordal, action="submit")
    assert set(error.value.errors) == {"genuine_goods", "attachments"}
    assert snapshot(recordal)[0] == "draft"


def test_r4_utility_models_and_designs_need_an_evaluation_report(holder_user, parties):
    right = {
        "kind": "patent",
        "right_name": "Hinge",
        "patent_type": "utility_model",
        "registration_number": "ZL202120123456.X",
        "right_valid_from": D("2021-01-01"),
        "right_valid_until": D("2030-12-31"),
    }
    recordal = services.recordal_create_draft(
        actor=holder_user, holder=parties["holder_a"], right=right, genuine_goods=GOODS
    )
    for kind, upload in (("registration_certificate", pdf()), ("goods_photo", png())):
        services.recordal_attach(actor=holder_user, recordal=recordal, kind=kind, upload=upload)
    with pytest.raises(InvalidInput) as error:
        services.recordal_transition(actor=holder_user, recordal=recordal, action="submit")
    assert "evaluation report" in " ".join(error.value.errors["attachments"])
    services.recordal_attach(
        actor=holder_user, recordal=recordal, kind="evaluation_report", upload=pdf()
    )
    assert (
        services.recordal_transition(actor=holder_user, recordal=recordal, action="submit").status
        == "submitted"
    )


@pytest.mark.parametrize(
    ("kind", "upload"),
    [
        (
            "registration_certificate",
            SimpleUploadedFile("x.pdf", b"MZ\x90 not a pdf", "application/pdf"),
        ),
        ("goods_photo", SimpleUploadedFile("x.png", b"%PDF-1.4 a pdf, not a photo", "image/png")),
        (
            "registration_certificate",
            SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf"),
        ),
        ("registration_certificate", SimpleUploadedFile("empty.pdf", b"", "application/pdf")),
    ],
)
def test_r4_attachments_are_checked_by_content_and_size(holder_user, parties, kind, upload):
    recordal = services.recordal_create_draft(
        actor=holder_user, holder=parties["holder_a"], right=trademark()
    )
    with pytest.raises(InvalidInput) as error:
        services.recordal_attach(actor=holder_user, recordal=recordal, kind=kind, upload=upload)
    assert "file" in error.value.errors
    assert not recordal.attachments.exists()


# --- R5 review -------------------------------------------------------------------------------


def test_r5_submission_opens_a_30_working_day_review(holder_user, parties):
    recordal = complete_draft(holder_user, parties["holder_a"])
    services.recordal_transition(
        actor=holder_user, recordal=recordal, action="submit", on=D("2025-09-15")
    )
    review = Deadline.objects.get(kind="recordal_review", subject_id=recordal.pk)
    # Sep 16-30: 11 weekdays + Sun 28 make-up = 12; Oct 1-8 off; Oct 9-10 (2), Sat 11 (1),
    # Oct 13-31 (15) = 30 → Fri Oct 31.
    assert review.due_date == D("2025-10-31")
    assert review.office_id is None  # GACC reviews: its officers are reminded


def test_r5_corrections_stop_the_review_clock(holder_user, gacc, parties):
    recordal = complete_draft(holder_user, parties["holder_a"])
    services.recordal_transition(
        actor=holder_user, recordal=recordal, action="submit", on=D("2025-03-03")
    )
    services.recordal_transition(
        actor=gacc,
        recordal=recordal,
        action="request_correction",
        reason="Photo of packaging unreadable",
        on=D("2025-03-14"),
    )
    review = Deadline.objects.get(kind="recordal_review", subject_id=recordal.pk)
    assert review.suspended_on == D("2025-03-14") and review.due_at is None
    services.recordal_transition(
        actor=holder_user, recordal=recordal, action="correct", on=D("2025-04-07")
    )
    review.refresh_from_db()
    assert review.due_date == D("2025-05-08")  # 21 working days left, from Apr 8


def test_r5_refusal_needs_written_reasons_and_changes_nothing_without(holder_user, gacc, parties):
    recordal = complete_draft(holder_user, parties["holder_a"])
    services.recordal_transition(actor=holder_user, recordal=recordal, action="submit")
    before = snapshot(recordal)
    with pytest.raises(InvalidInput):
        services.recordal_transition(actor=gacc, recordal=recordal, action="reject", reason="")
    assert snapshot(recordal) == before
    rejected = services.recordal_transition(
        actor=gacc,
        recordal=recordal,
        action="reject",
        reason="The applicant is not the holder (R2).",
    )
    assert rejected.status == "rejected"
    assert Deadline.objects.get(kind="recordal_review").status == "met"


def test_r5_a_right_that_expired_before_approval_cannot_be_approved(holder_user, gacc, parties):
    recordal = complete_draft(holder_user, parties["holder_a"], right_valid_until=D("2024-05-01"))
    services.recordal_transition(
        actor=holder_user, recordal=recordal, action="submit", on=D("2024-03-01")
    )
    before = snapshot(recordal)
    with pytest.raises(InvalidInput) as error:
        services.recordal_transition(
            actor=gacc, recordal=recordal, action="approve", on=D("2024-06-01")
        )
    assert "right_valid_until" in error.value.errors
    assert snapshot(recordal) == before


# --- R6 validity -----------------------------------------------------------------------------


def test_r6_valid_ten_years_from_approval(holder_user, gacc, parties):
    recordal = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2024-03-15"),
        right_valid_until=D("2040-01-01"),
    )
    assert (recordal.valid_from, recordal.valid_until) == (D("2024-03-15"), D("2034-03-14"))
    assert recordal.number.startswith("T2024-")
    expiry = Deadline.objects.get(kind="recordal_expiry", subject_id=recordal.pk)
    assert expiry.due_date == D("2034-03-14")


def test_r6_approved_on_29_february_is_valid_to_28_february_ten_years_later(
    holder_user, gacc, parties
):
    recordal = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2024-02-29"),
        right_valid_until=D("2040-01-01"),
    )
    assert (recordal.valid_from, recordal.valid_until) == (D("2024-02-29"), D("2034-02-28"))
    expiry = Deadline.objects.get(kind="recordal_expiry", subject_id=recordal.pk)
    assert expiry.due_date == D("2034-02-28")
    assert in_force(recordal, "2034-02-28", "2034-03-01") == [True, False]


def test_r6_never_beyond_the_rights_own_validity(holder_user, gacc, parties):
    recordal = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2024-03-15"),
        right_valid_until=D("2030-06-13"),
    )
    assert recordal.valid_until == D("2030-06-13")


# --- R7 renewal and expiry ---------------------------------------------------------------------


def test_r7_renewal_outside_the_window_is_refused_and_changes_nothing(holder_user, gacc, parties):
    recordal = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2024-03-15"),
        right_valid_until=D("2040-01-01"),
    )
    before = snapshot(recordal)
    with on_day("2033-09-13"), pytest.raises(Conflict) as error:
        services.recordal_transition(
            actor=holder_user, recordal=recordal, action="request_renewal", on=D("2033-09-13")
        )
    assert error.value.context["window_opens"] == "2033-09-14"
    assert snapshot(recordal) == before


def test_r7_renewal_in_the_window_gives_a_new_ten_year_term(holder_user, gacc, parties):
    recordal = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2024-03-15"),
        right_valid_until=D("2050-01-01"),
    )
    with on_day("2033-09-14"):
        services.recordal_transition(
            actor=holder_user, recordal=recordal, action="request_renewal", on=D("2033-09-14")
        )
    decision = Deadline.objects.get(kind="renewal_decision", subject_id=recordal.pk)
    assert decision.count == 10
    with on_day("2033-09-20"):
        renewed = services.recordal_transition(
            actor=gacc, recordal=recordal, action="approve_renewal", on=D("2033-09-20")
        )
    assert (renewed.valid_from, renewed.valid_until) == (D("2034-03-15"), D("2044-03-14"))
    assert Deadline.objects.get(kind="recordal_expiry", status="open").due_date == D("2044-03-14")


def test_r7_a_renewed_term_starting_on_29_february_ends_on_28_february(holder_user, gacc, parties):
    recordal = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2018-02-28"),
        right_valid_from=D("2017-06-01"),
        right_valid_until=D("2047-05-31"),
    )
    # A term ending 2028-02-28 (this one ends 2028-02-27; one day later, as a term capped by
    # its right and then followed by it would, R8), renewed: it starts on 29 February.
    Recordal.objects.filter(pk=recordal.pk).update(valid_until=D("2028-02-28"))
    with on_day("2027-12-08"):
        services.recordal_transition(
            actor=holder_user, recordal=recordal, action="request_renewal", on=D("2027-12-01")
        )
        renewed = services.recordal_transition(
            actor=gacc, recordal=recordal, action="approve_renewal", on=D("2027-12-08")
        )
    assert (renewed.valid_from, renewed.valid_until) == (D("2028-02-29"), D("2038-02-28"))
    assert renewed.events.last().data == {
        "previous_valid_until": "2028-02-28",
        "valid_until": "2038-02-28",
    }


def test_r7_renewal_when_the_right_ends_with_the_term_is_refused(holder_user, gacc, parties):
    recordal = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2024-03-15"),
        right_valid_until=D("2030-06-13"),
    )
    with on_day("2030-01-02"), pytest.raises(Conflict):
        services.recordal_transition(
            actor=holder_user, recordal=recordal, action="request_renewal", on=D("2030-01-02")
        )


def test_r7_recordals_expire_when_the_term_ends_or_the_right_lapses(holder_user, gacc, parties):
    ends = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2024-03-15"),
        right_valid_until=D("2040-01-01"),
    )
    lapses = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2024-03-15"),
        registration_number="5555555",
        right_valid_until=D("2040-01-01"),
    )
    Recordal.objects.filter(pk=lapses.pk).update(right_valid_until=D("2026-01-01"))
    assert services.recordals_expire_due(today=D("2026-06-01")) == 1
    with on_day("2034-03-15"):
        assert services.recordals_expire_due(today=D("2034-03-15")) == 1
    with on_day("2034-03-16"):
        assert services.recordals_expire_due(today=D("2034-03-16")) == 0
    ends.refresh_from_db(), lapses.refresh_from_db()
    assert (ends.status, lapses.status) == ("expired", "expired")
    assert lapses.events.last().data == {"cause": "the right lapsed"}


@pytest.fixture
def renewal_pending(holder_user, gacc, parties):
    recordal = renewal_requested(holder_user, parties["holder_a"], gacc)
    assert recordal.valid_until == D("2026-11-30")
    return recordal


def in_force(recordal, *days):
    return [Recordal.objects.in_force_on(D(day)).filter(pk=recordal.pk).exists() for day in days]


def test_r7_renewal_requested_in_time_keeps_the_recordal_in_force_until_approved(
    renewal_pending, gacc
):
    recordal = renewal_pending
    for day in ("2026-12-01", "2026-12-10", "2026-12-21"):  # the daily run finds nothing
        with on_day(day):
            assert services.recordals_expire_due(today=D(day)) == 0
    recordal.refresh_from_db()
    assert (recordal.status, recordal.ended_on) == ("renewal_requested", None)
    assert in_force(recordal, "2026-11-30", "2026-12-01", "2026-12-21") == [True] * 3
    # GACC approves three weeks after the term ended.
    with on_day("2026-12-21"):
        renewed = services.recordal_transition(
            actor=gacc, recordal=recordal, action="approve_renewal", on=D("2026-12-21")
        )
    assert (renewed.status, renewed.valid_from, renewed.valid_until) == (
        "approved",
        D("2026-12-01"),  # the day after expiry, not the decision's day
        D("2036-05-06"),  # ten years, capped by the right (R6)
    )
    assert in_force(renewed, "2016-12-01", "2026-11-30", "2026-12-01", "2026-12-11") == [True] * 4
    assert in_force(renewed, "2016-11-30", "2036-05-07") == [False, False]
    assert renewed.events.last().on == D("2026-12-21")


def test_r7_the_overdue_renewal_decision_is_still_escalated(renewal_pending):
    from deadlines.models import Escalation
    from deadlines.services import sweep

    decision = Deadline.objects.get(kind="renewal_decision", subject_id=renewal_pending.pk)
    assert decision.due_date == D("2026-09-15")  # 10 working days (R7)
    sweep(now=dt.datetime(2026, 12, 10, 9, tzinfo=dt.UTC))
    decision.refresh_from_db()
    assert decision.status == "missed"
    assert Escalation.objects.get(deadline=decision).action == "Renewal decision overdue (R7)"
    renewal_pending.refresh_from_db()
    assert renewal_pending.status == "renewal_requested"


def test_r7_renewal_refused_after_the_term_ended_lapses_on_the_decision_date(renewal_pending, gacc):
    with on_day("2026-12-21"):
        refused = services.recordal_transition(
            actor=gacc,
            recordal=renewal_pending,
            action="reject_renewal",
            reason="The genuine-goods photos no longer show the products sold (R7).",
            on=D("2026-12-21"),
        )
    assert (refused.status, refused.ended_on, refused.valid_until) == (
        "expired",
        D("2026-12-21"),
        D("2026-11-30"),
    )
    assert in_force(refused, "2026-12-01", "2026-12-21", "2026-12-22") == [True, True, False]
    assert refused.events.last().data == {"lapsed_on": "2026-12-21"}
    open_kinds = Deadline.objects.filter(subject_id=refused.pk, status="open")
    assert not open_kinds.filter(kind__in=("recordal_expiry", "renewal_window_opens")).exists()


def test_r7_renewal_refused_before_the_term_ends_runs_to_the_term_end(renewal_pending, gacc):
    refused = services.recordal_transition(
        actor=gacc,
        recordal=renewal_pending,
        action="reject_renewal",
        reason="Incomplete renewal documents (R7).",
        on=D("2026-09-10"),
    )
    assert (refused.status, refused.ended_on) == ("approved", None)
    assert services.recordals_expire_due(today=D("2026-11-30")) == 0
    assert services.recordals_expire_due(today=D("2026-12-01")) == 1
    refused.refresh_from_db()
    assert (refused.status, refused.ended_on) == ("expired", D("2026-11-30"))  # the later date
    assert in_force(refused, "2026-11-30", "2026-12-01") == [True, False]


def test_r7_a_pending_renewal_does_not_outlive_the_right(renewal_pending):
    Recordal.objects.filter(pk=renewal_pending.pk).update(right_valid_until=D("2026-12-31"))
    with on_day("2026-12-31"):
        assert services.recordals_expire_due(today=D("2026-12-31")) == 0
    with on_day("2027-01-01"):
        assert services.recordals_expire_due(today=D("2027-01-01")) == 1
    renewal_pending.refresh_from_db()
    assert (renewal_pending.status, renewal_pending.ended_on) == ("expired", D("2026-12-31"))
    assert renewal_pending.events.last().data == {"cause": "the right lapsed"}


def test_r7_ended_recordals_keep_the_last_day_they_were_in_force(holder_user, gacc, parties):
    """Validity, not today's status: a cancelled or expired recordal still answers which
    days it protected (a case of 2024 finds the right in force in 2024)."""
    cancelled = approved(holder_user, parties["holder_a"], gacc, on=D("2021-02-01"))
    services.recordal_transition(
        actor=holder_user,
        recordal=cancelled,
        action="cancel",
        reason="Assigned to a third party (R9).",
        on=D("2025-03-03"),
    )
    expired = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2014-10-08"),
        registration_number="30123456",
        right_valid_from=D("2014-05-01"),
        right_valid_until=D("2034-04-30"),
    )
    services.recordals_expire_due(today=D("2026-12-01"))
    cancelled.refresh_from_db(), expired.refresh_from_db()
    assert (cancelled.status, cancelled.ended_on) == ("cancelled", D("2025-03-03"))
    assert (expired.status, expired.ended_on) == ("expired", D("2024-10-07"))
    assert in_force(cancelled, "2024-02-19", "2025-03-03", "2025-03-04") == [True, True, False]
    assert in_force(expired, "2024-02-19", "2024-10-07", "2024-10-08") == [True, True, False]


# --- R8 changes ------------------------------------------------------------------------------


def test_r8_gacc_notes_a_change_and_the_holder_has_30_working_days(holder_user, gacc, parties):
    recordal = approved(holder_user, parties["holder_a"], gacc)
    obligation = services.recordal_note_change(
        actor=gacc, recordal=recordal, changed_on=D("2025-09-26"), reason="Trademark assigned"
    )
    assert (obligation.kind, obligation.due_date) == ("change_obligation", D("2025-11-13"))
    change = services.recordal_file_change(
        actor=holder_user,
        recordal=recordal,
        kind="holder_name",
        changed_on=D("2025-09-26"),
        description="Renamed after assignment",
        details={"holder_name_en": "Holder A Renamed"},
    )
    obligation.refresh_from_db()
    assert obligation.status == "met"
    services.recordal_decide_change(actor=gacc, change=change, approve=True)
    with pytest.raises(Conflict):
        services.recordal_decide_change(actor=gacc, change=change, approve=False, reason="x")


def test_r8_licensees_are_edited_freely_goods_only_by_change(holder_user, gacc, parties):
    recordal = approved(holder_user, parties["holder_a"], gacc)
    services.recordal_update(
        actor=holder_user,
        recordal=recordal,
        licensees=[{"name": "New Licensee", "role": "exporter"}],
    )
    assert list(recordal.licensees.values_list("name", flat=True)) == ["New Licensee"]
    with pytest.raises(Conflict):
        services.recordal_update(
            actor=holder_user, recordal=recordal, genuine_goods=[{"name": "Something else"}]
        )
    with pytest.raises(Conflict):
        services.recordal_update(actor=holder_user, recordal=recordal, right={"right_name": "X"})


def file_change(actor, recordal, kind, **details):
    return services.recordal_file_change(
        actor=actor,
        recordal=recordal,
        kind=kind,
        changed_on=D("2025-06-02"),
        description=f"{kind} changed",
        details=details,
    )


def test_r8_a_change_of_the_right_recomputes_the_term_capped_by_the_new_validity(
    holder_user, gacc, parties
):
    """The trademark was renewed at CNIPA to 2040: the recordal capped by its 2030 expiry
    follows it, ten years from approval (Measures Art 13)."""
    recordal = approved(
        holder_user,
        parties["holder_a"],
        gacc,
        on=D("2024-03-15"),
        right_valid_until=D("2030-05-01"),
    )
    assert recordal.valid_until == D("2030-05-01")
    change = file_change(holder_user, recordal, "right", right_valid_until=D("2040-05-01"))
    assert change.details == {"right_valid_until": "2040-05-01"}
    recordal.refresh_from_db()
    assert (recordal.right_valid_until, recordal.valid_until) == (D("2030-05-01"), D("2030-05-01"))

    services.recordal_decide_change(actor=gacc, change=change, approve=True, on=D("2025-06-10"))
    recordal.refresh_from_db()
    assert (recordal.right_valid_until, recordal.valid_from, recordal.valid_until) == (
        D("2040-05-01"),
        D("2024-03-15"),
        D("2034-03-14"),
    )
    expiry = Deadline.objects.get(kind="recordal_expiry", subject_id=recordal.pk, status="open")
    assert expiry.due_date == D("2034-03-14")
    window = Deadline.objects.get(
        kind="renewal_window_opens", subject_id=recordal.pk, status="open"
    )
    assert window.due_date == D("2033-09-14")
    event = recordal.events.last()
    assert (event.action, event.on) == ("approve_change", D("2025-06-10"))
    assert event.data == {
        "change": change.pk,
        "kind": "right",
        "previous": {"right_valid_until": "2030-05-01", "valid_until": "2030-05-01"},
        "right_valid_until": "2040-05-01",
        "valid_until": "2034-03-14",
    }
    assert in_force(recordal, "2030-05-02", "2034-03-14", "2034-03-15") == [True, True, False]


def test_r8_a_change_of_the_right_of_a_renewed_recordal_counts_from_the_current_term(
    holder_user, gacc, parties
):
    """POP MART's renewed term (from 2026-12-01) was capped by the trademark's 2036 expiry;
    renewed at CNIPA to 2046, the current term runs ten years from its own start."""
    recordal = renewal_requested(holder_user, parties["holder_a"], gacc)
    recordal = services.recordal_transition(
        actor=gacc, recordal=recordal, action="approve_renewal", on=D("2026-09-10")
    )
    assert (recordal.valid_from, recordal.valid_until) == (D("2026-12-01"), D("2036-05-06"))
    change = file_change(holder_user, recordal, "right", right_valid_until="2046-05-06")
    services.recordal_decide_change(actor=gacc, change=change, approve=True, on=D("2026-09-20"))
    recordal.refresh_from_db()
    assert (recordal.valid_from, recordal.valid_until) == (D("2026-12-01"), D("2036-11-30"))


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({}, "right_valid_until"),
        ({"right_valid_until": "2030-13-01"}, "right_valid_until"),
        ({"right_valid_until": "2030-06-13"}, "right_valid_until"),  # the validity it has
        ({"right_valid_until": "2020-01-01"}, "right_valid_until"),  # before the right began
        ({"right_valid_until": "2024-03-14"}, "right_valid_until"),  # before the term began
        ({"right_valid_until": "2040-01-01", "licensees": []}, "licensees"),
    ],
)
def test_r8_a_change_of_the_right_needs_a_sound_new_validity(
    holder_user, gacc, parties, details, field
):
    recordal = approved(holder_user, parties["holder_a"], gacc, on=D("2024-03-15"))
    before = snapshot(recordal)
    with pytest.raises(InvalidInput) as error:
        file_change(holder_user, recordal, "right", **details)
    assert field in error.value.errors
    assert not ChangeApplication.objects.exists()
    assert snapshot(recordal) == before


def test_r8_a_refused_change_of_the_right_changes_nothing(holder_user, gacc, parties):
    recordal = approved(holder_user, parties["holder_a"], gacc, right_valid_until=D("2030-05-01"))
    change = file_change(holder_user, recordal, "right", right_valid_until="2040-05-01")
    with pytest.raises(InvalidInput):
        services.recordal_decide_change(actor=gacc, change=change, approve=False)
    services.recordal_decide_change(
        actor=gacc, change=change, approve=False, reason="No CNIPA renewal certificate."
    )
    recordal.refresh_from_db()
    assert (recordal.right_valid_until, recordal.valid_until) == (D("2030-05-01"), D("2030-05-01"))
    assert Deadline.objects.get(kind="recordal_expiry", status="open").due_date == D("2030-05-01")


def test_r8_a_change_is_not_applied_to_a_recordal_no_longer_in_force(holder_user, gacc, parties):
    recordal = approved(holder_user, parties["holder_a"], gacc, right_valid_until=D("2030-05-01"))
    change = file_change(holder_user, recordal, "right", right_valid_until="2040-05-01")
    services.recordal_transition(
        actor=holder_user, recordal=recordal, action="cancel", reason="Assigned (R9)."
    )
    before = snapshot(recordal)
    with pytest.raises(Conflict):
        services.recordal_decide_change(actor=gacc, change=change, approve=True)
    change.refresh_from_db()
    assert change.status == "pending"
    recordal.refresh_from_db()
    assert recordal.right_valid_until == D("2030-05-01")
    assert snapshot(recordal) == before


def test_r8_an_approved_holder_name_change_renames_the_recordal(holder_user, gacc, parties):
    """The recordal shows the name GACC approved; the holder's own organisation (shared by
    its other recordals and its users) keeps its name."""
    holder = parties["holder_a"]
    recordal = approved(holder_user, holder, gacc)
    other = approved(holder_user, holder, gacc, registration_number="5555555")
    change = file_change(
        holder_user,
        recordal,
        "holder_name",
        holder_name_en=" Pop Mart International ",
        holder_name_zh="泡泡玛特国际",
    )
    recordal.refresh_from_db()
    assert recordal.holder_name_en == "Holder A"  # not before GACC approves
    services.recordal_decide_change(actor=gacc, change=change, approve=True)
    recordal.refresh_from_db(), other.refresh_from_db(), holder.refresh_from_db()
    assert (recordal.holder_name_en, recordal.holder_name_zh) == (
        "Pop Mart International",
        "泡泡玛特国际",
    )
    assert (other.holder_name_en, holder.name_en) == ("Holder A", "Holder A")
    assert recordal.events.last().data["new"] == {
        "holder_name_en": "Pop Mart International",
        "holder_name_zh": "泡泡玛特国际",
    }


def test_r8_an_approved_licensing_change_replaces_the_licensees(holder_user, gacc, parties):
    recordal = approved(holder_user, parties["holder_a"], gacc)
    assert list(recordal.licensees.values_list("name", flat=True)) == ["Dongguan Toy Works"]
    change = file_change(
        holder_user,
        recordal,
        "licensing",
        licensees=[
            {"name": "Shenzhen Toy Exports", "role": "exporter", "valid_until": D("2029-12-31")},
            {"name": "Yiwu Trading", "role": "user", "country": "CN"},
        ],
    )
    assert recordal.licensees.count() == 1  # applied only once GACC approves
    services.recordal_decide_change(actor=gacc, change=change, approve=True)
    assert sorted(recordal.licensees.values_list("name", "role", "valid_until")) == [
        ("Shenzhen Toy Exports", "exporter", D("2029-12-31")),
        ("Yiwu Trading", "user", None),
    ]
    ended = file_change(holder_user, recordal, "licensing", licensees=[])  # all licences ended
    services.recordal_decide_change(actor=gacc, change=ended, approve=True)
    assert not recordal.licensees.exists()


def test_r8_an_approved_goods_change_replaces_the_approved_goods(holder_user, gacc, parties):
    recordal = approved(holder_user, parties["holder_a"], gacc)
    change = file_change(
        holder_user,
        recordal,
        "goods",
        genuine_goods=[{"name": "Blind boxes", "hs_code": "950300", "price_min": Decimal("69")}],
    )
    assert change.details["genuine_goods"] == [
        {"name": "Blind boxes", "hs_code": "950300", "price_min": "69"}
    ]
    services.recordal_decide_change(actor=gacc, change=change, approve=True)
    assert list(recordal.genuine_goods.values_list("name", "price_min")) == [
        ("Blind boxes", Decimal("69.00"))
    ]


@pytest.mark.parametrize(
    ("kind", "details", "field"),
    [
        ("holder_name", {}, "holder_name_en"),
        ("holder_name", {"holder_name_en": "  "}, "holder_name_en"),
        ("holder_name", {"holder_name_en": "Holder A"}, "holder_name_en"),  # no change
        ("holder_name", {"holder_name_en": "X", "genuine_goods": []}, "genuine_goods"),
        ("goods", {}, "genuine_goods"),
        ("goods", {"genuine_goods": []}, "genuine_goods"),
        ("goods", {"genuine_goods": [{"name": "Toys", "hs_code": "95A3"}]}, "genuine_goods"),
        ("goods", {"genuine_goods": [{"name": "Toys", "colour": "red"}]}, "genuine_goods"),
        ("licensing", {}, "licensees"),
        ("licensing", {"licensees": [{"name": "X", "role": "owner"}]}, "licensees"),
        ("licensing", {"licensees": "Shenzhen Toy Exports"}, "licensees"),
    ],
)
def test_r8_a_change_carries_its_new_particulars(holder_user, gacc, parties, kind, details, field):
    recordal = approved(holder_user, parties["holder_a"], gacc)
    with pytest.raises(InvalidInput) as error:
        file_change(holder_user, recordal, kind, **details)
    assert field in error.value.errors
    assert not ChangeApplication.objects.exists()


# --- R9 cancellation and revocation --------------------------------------------------------------


def test_r9_cancellation_and_revocation_need_reasons_and_the_right_role(holder_user, gacc, parties):
    recordal = approved(holder_user, parties["holder_a"], gacc)
    with pytest.raises(NotPermitted):
        services.recordal_transition(
            actor=holder_user, recordal=recordal, action="revoke", reason="x"
        )
    with pytest.raises(InvalidInput):
        services.recordal_transition(actor=holder_user, recordal=recordal, action="cancel")
    cancelled = services.recordal_transition(
        actor=holder_user,
        recordal=recordal,
        action="cancel",
        reason="Right assigned to a third party",
    )
    assert cancelled.status == "cancelled"
    assert not Deadline.objects.filter(subject_id=recordal.pk, status="open").exists()
    with pytest.raises(TransitionNotAllowed):
        services.recordal_transition(actor=gacc, recordal=recordal, action="revoke", reason="x")


def test_r9_revocation_by_gacc_for_untruthful_information(holder_user, gacc, parties):
    recordal = approved(holder_user, parties["holder_a"], gacc)
    revoked = services.recordal_transition(
        actor=gacc,
        recordal=recordal,
        action="revoke",
        reason="Untruthful genuine-goods information",
    )
    assert revoked.status == "revoked"
    assert list(revoked.events.values_list("action", flat=True)) == [
        "create",
        "submit",
        "approve",
        "revoke",
    ]


def revoked(holder_user, gacc, parties, on="2025-03-03", **right):
    recordal = approved(holder_user, parties["holder_a"], gacc, on=D("2024-03-15"), **right)
    return services.recordal_transition(
        actor=gacc, recordal=recordal, action="revoke", reason="Untruthful", on=D(on)
    )


def test_r9_a_revoked_right_is_not_recorded_again_within_a_year(holder_user, gacc, parties):
    assert revoked(holder_user, gacc, parties).ended_on == D("2025-03-03")
    again = complete_draft(holder_user, parties["holder_a"])  # the same trademark
    before = snapshot(again)
    with pytest.raises(Conflict) as error:
        services.recordal_transition(
            actor=holder_user, recordal=again, action="submit", on=D("2026-03-03")
        )
    assert "(R9)" in error.value.message
    assert error.value.context == {"revoked_on": "2025-03-03", "barred_until": "2026-03-03"}
    assert snapshot(again) == before
    assert not Deadline.objects.filter(kind="recordal_review", subject_id=again.pk).exists()
    submitted = services.recordal_transition(
        actor=holder_user, recordal=again, action="submit", on=D("2026-03-04")
    )
    assert submitted.status == "submitted"


@pytest.mark.parametrize(
    ("bar_days", "submitted_on", "refused"),
    [
        (30, "2025-04-02", True),
        (30, "2025-04-03", False),
        (0, "2025-03-03", False),  # no bar at all
        (730, "2027-03-03", True),
    ],
)
def test_r9_the_bar_after_revocation_is_configurable(
    settings, holder_user, gacc, parties, bar_days, submitted_on, refused
):
    settings.IPR_REVOCATION_BAR_DAYS = bar_days
    revoked(holder_user, gacc, parties, right_valid_until=D("2040-01-01"))
    again = complete_draft(holder_user, parties["holder_a"], right_valid_until=D("2040-01-01"))
    submit = functools.partial(
        services.recordal_transition,
        actor=holder_user,
        recordal=again,
        action="submit",
        on=D(submitted_on),
    )
    with on_day(submitted_on):
        if refused:
            with pytest.raises(Conflict):
                submit()
            assert snapshot(again)[0] == "draft"
        else:
            assert submit().status == "submitted"


def test_r9_the_bar_is_for_the_same_right_after_a_revocation_only(holder_user, gacc, parties):
    madrid = {"is_madrid": True, "registration_number": "1612345"}
    revoked(holder_user, gacc, parties, nice_classes=[28], **madrid)
    other_class = complete_draft(holder_user, parties["holder_a"], nice_classes=[9], **madrid)
    other_mark = complete_draft(holder_user, parties["holder_a"], registration_number="5555555")
    cancelled = approved(holder_user, parties["holder_a"], gacc, registration_number="6666666")
    services.recordal_transition(
        actor=holder_user, recordal=cancelled, action="cancel", reason="x", on=D("2025-03-03")
    )
    after_cancel = complete_draft(holder_user, parties["holder_a"], registration_number="6666666")
    for draft in (other_class, other_mark, after_cancel):
        submitted = services.recordal_transition(
            actor=holder_user, recordal=draft, action="submit", on=D("2025-03-04")
        )
        assert submitted.status == "submitted"


def test_transitions_not_allowed_now_change_nothing(holder_user, gacc, parties):
    recordal = complete_draft(holder_user, parties["holder_a"])
    before = snapshot(recordal)
    for actor, action in (
        (gacc, "approve"),
        (holder_user, "request_renewal"),
        (holder_user, "correct"),
        (holder_user, "cancel"),
    ):
        with pytest.raises(TransitionNotAllowed):
            services.recordal_transition(actor=actor, recordal=recordal, action=action, reason="r")
    assert snapshot(recordal) == before


# --- R10 no fee ------------------------------------------------------------------------------


def test_r10_no_fee_is_charged_anywhere_in_the_lifecycle(holder_user, gacc, parties):
    recordal = approved(holder_user, parties["holder_a"], gacc)
    assert recordal.status == "approved"
    assert not [f.name for f in Recordal._meta.fields if "fee" in f.name]


# --- R15 general bonds -------------------------------------------------------------------------


def bond_kwargs(holder, **overrides):
    values = {
        "holder": holder,
        "year": 2025,
        "amount": Decimal("300000.00"),
        "previous_year_costs": Decimal("120000.00"),
        "guarantor_bank": "Bank of China",
        "guarantee_number": "BG-2025-001",
        "issued_on": D("2025-01-10"),
        "expires_on": D("2026-06-30"),
    }
    return {**values, **overrides}


def test_r15_general_bond_minimum_and_dates(holder_user, gacc, parties):
    holder = parties["holder_a"]
    approved(holder_user, holder, gacc)
    with pytest.raises(InvalidInput) as error:
        services.general_bond_submit(
            actor=holder_user,
            **bond_kwargs(
                holder,
                amount=Decimal("250000.00"),
                previous_year_costs=Decimal("260000.00"),
                expires_on=D("2025-12-31"),
            ),
        )
    assert set(error.value.errors) == {"amount", "expires_on"}
    assert "260,000.00" in error.value.errors["amount"][0]
    bond = services.general_bond_submit(actor=holder_user, **bond_kwargs(holder))
    assert bond.covers_until == D("2025-12-31")


def test_r15_general_bonds_are_for_trademark_holders(holder_user, parties):
    with pytest.raises(InvalidInput) as error:
        services.general_bond_submit(actor=holder_user, **bond_kwargs(parties["holder_a"]))
    assert "holder" in error.value.errors


def test_r15_guarantor_calls_reduce_what_remains_with_one_low_remaining_warning(
    holder_user, gacc, parties
):
    from deadlines.models import Notification

    holder = parties["holder_a"]
    approved(holder_user, holder, gacc)
    bond = services.general_bond_submit(actor=holder_user, **bond_kwargs(holder))
    services.general_bond_decide(actor=gacc, bond=bond, approve=True, on=D("2025-01-15"))
    assert Deadline.objects.get(kind="general_bond_expiry").due_date == D("2026-06-30")
    call = services.general_bond_call  # R15, R27: only the guarantor's calls for costs
    call(actor=gacc, bond=bond, amount=Decimal("200000.00"), reference="D1", on=D("2025-04-01"))
    assert services.general_bond_balance(bond) == {
        "amount": Decimal("300000.00"),
        "called": Decimal("200000.00"),
        "remaining": Decimal("100000.00"),
    }
    assert not Notification.objects.filter(title__startswith="General bond 2025").exists()
    call(actor=gacc, bond=bond, amount=Decimal("45000.50"), reference="D2", on=D("2025-05-02"))
    assert services.general_bond_balance(bond)["remaining"] == Decimal("54999.50")
    # Below 20% remaining: the holder side is warned, once.
    assert Notification.objects.filter(title__startswith="General bond 2025").count() == 2
    with pytest.raises(Conflict, match="remains of the guarantee"):
        call(actor=gacc, bond=bond, amount=Decimal("55000.00"), on=D("2025-06-02"))
    with pytest.raises(Conflict, match="2026-06-30"):  # the guarantee's own validity
        call(actor=gacc, bond=bond, amount=Decimal("1.00"), on=D("2026-07-01"))
    call(actor=gacc, bond=bond, amount=Decimal("1.00"), on=D("2026-06-30"))
    assert Notification.objects.filter(title__startswith="General bond 2025").count() == 2
    assert set(bond.entries.values_list("kind", flat=True)) == {"guarantor_call"}
