"""The rest of the recordal permission table: every endpoint and action not covered in
test_api.py, for each role against holder A's objects (own for holder A, authorised for
agent A, foreign for holder B and the expired agency). Refusals change nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.demo_files import png_bytes
from core.timezone import local_today
from recordals import services
from recordals.models import ChangeApplication, GeneralBond, Recordal
from recordals.tests.factories import approved, complete_draft

pytestmark = pytest.mark.django_db

HOLDER_SIDE = {
    "gacc": 403,
    "ningbo": 403,
    "holder_a": 200,
    "holder_b": 404,
    "agent_a": 200,
    "agent_expired": 404,
}
GACC_ONLY = {
    "gacc": 200,
    "ningbo": 403,
    "holder_a": 403,
    "holder_b": 404,
    "agent_a": 403,
    "agent_expired": 404,
}
READ = {
    "gacc": 200,
    "ningbo": 200,
    "holder_a": 200,
    "holder_b": 404,
    "agent_a": 200,
    "agent_expired": 404,
}
OFFICERS = {
    "gacc": 201,
    "ningbo": 201,
    "holder_a": 403,
    "holder_b": 404,
    "agent_a": 403,
    "agent_expired": 404,
}
FILE_BOND = {
    "gacc": 403,
    "ningbo": 403,
    "holder_a": 201,
    "holder_b": 403,
    "agent_a": 201,
    "agent_expired": 403,
}


def created(table):
    return {role: (201 if code == 200 else code) for role, code in table.items()}


def in_state(parties, state):
    """A recordal of holder A in `state`; approved ones expire in 29 days (renewable)."""
    holder_user, gacc = parties["users"]["holder_a"], parties["users"]["gacc"]
    if state in ("approved", "renewal_requested"):
        on = local_today() - dt.timedelta(days=3652 - 30)
        recordal = approved(
            holder_user, parties["holder_a"], gacc, on=on, right_valid_until=dt.date(2050, 1, 1)
        )
        if state == "renewal_requested":
            recordal = services.recordal_transition(
                actor=holder_user, recordal=recordal, action="request_renewal"
            )
        return recordal
    recordal = complete_draft(holder_user, parties["holder_a"])
    recordal = services.recordal_transition(actor=holder_user, recordal=recordal, action="submit")
    if state == "needs_correction":
        recordal = services.recordal_transition(
            actor=gacc, recordal=recordal, action="request_correction", reason="photos"
        )
    return recordal


# (name, state of holder A's recordal, method, path, body, expected by role, changed?)
ACTIONS = [
    (
        "request-correction",
        "submitted",
        "request-correction/",
        {"reason": "unclear"},
        GACC_ONLY,
        lambda r: r.status == "needs_correction",
    ),
    (
        "reject",
        "submitted",
        "reject/",
        {"reason": "not the holder"},
        GACC_ONLY,
        lambda r: r.status == "rejected",
    ),
    ("correct", "needs_correction", "correct/", {}, HOLDER_SIDE, lambda r: r.status == "submitted"),
    (
        "request-renewal",
        "approved",
        "request-renewal/",
        {},
        HOLDER_SIDE,
        lambda r: r.status == "renewal_requested",
    ),
    (
        "approve-renewal",
        "renewal_requested",
        "approve-renewal/",
        {},
        GACC_ONLY,
        lambda r: r.status == "approved",
    ),
    (
        "reject-renewal",
        "renewal_requested",
        "reject-renewal/",
        {"reason": "late"},
        GACC_ONLY,
        lambda r: r.status == "approved",
    ),
    (
        "note-change",
        "approved",
        "note-change/",
        {"changed_on": "2026-11-02", "reason": "assigned"},
        created(GACC_ONLY),
        lambda r: r.events.filter(action="note_change").exists(),
    ),
    (
        "file-change",
        "approved",
        "changes/",
        {
            "kind": "holder_name",
            "changed_on": "2026-11-02",
            "description": "renamed",
            "holder_name_en": "Holder A Renamed",
        },
        created(HOLDER_SIDE),
        lambda r: r.changes.exists(),
    ),
]


@pytest.mark.parametrize("role", list(HOLDER_SIDE))
@pytest.mark.parametrize(
    ("name", "state", "path", "body", "table", "changed"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_recordal_action_table(api, parties, role, name, state, path, body, table, changed):
    recordal = in_state(parties, state)
    events = recordal.events.count()
    api.force_authenticate(parties["users"][role])
    response = api.post(f"/api/v1/recordals/{recordal.pk}/{path}", body, format="json")
    assert response.status_code == table[role], response.content
    recordal = Recordal.objects.get(pk=recordal.pk)
    if response.status_code in (200, 201):
        assert changed(recordal)
    else:
        assert recordal.status == state
        assert recordal.events.count() == events
        assert not recordal.changes.exists()


@pytest.mark.parametrize("role", list(HOLDER_SIDE))
def test_attachment_upload_and_change_decision_table(api, parties, role):
    draft = complete_draft(
        parties["users"]["holder_a"], parties["holder_a"], registration_number="88887777"
    )
    api.force_authenticate(parties["users"][role])
    before = draft.attachments.count()
    upload = api.post(
        f"/api/v1/recordals/{draft.pk}/attachments/",
        {"kind": "packaging_photo", "file": SimpleUploadedFile("p.png", png_bytes(), "image/png")},
        format="multipart",
    )
    assert upload.status_code == created(HOLDER_SIDE)[role]
    assert draft.attachments.count() == before + (upload.status_code == 201)

    live = in_state(parties, "approved")
    change = services.recordal_file_change(
        actor=parties["users"]["holder_a"],
        recordal=live,
        kind="goods",
        changed_on=dt.date(2026, 11, 2),
        description="new goods",
        details={"genuine_goods": [{"name": "Blind boxes", "hs_code": "950300"}]},
    )
    response = api.post(
        f"/api/v1/recordals/{live.pk}/changes/{change.pk}/decide/", {"approve": True}, format="json"
    )
    assert response.status_code == GACC_ONLY[role]
    change.refresh_from_db()
    assert (change.status == ChangeApplication.Status.APPROVED) == (response.status_code == 200)


@pytest.mark.parametrize("role", list(HOLDER_SIDE))
def test_general_bond_table(api, parties, role):
    holder_user, gacc = parties["users"]["holder_a"], parties["users"]["gacc"]
    approved(holder_user, parties["holder_a"], gacc, right_valid_until=dt.date(2050, 1, 1))
    year = local_today().year
    terms = {
        "year": year,
        "amount": "300000.00",
        "previous_year_costs": "0",
        "guarantor_bank": "ICBC",
        "guarantee_number": "G-1",
        "issued_on": f"{year}-01-05",
        "expires_on": f"{year + 1}-06-30",
    }
    bond = services.general_bond_submit(
        actor=holder_user,
        holder=parties["holder_a"],
        year=year - 1,
        amount=Decimal("300000.00"),
        previous_year_costs=Decimal(0),
        guarantor_bank="ICBC",
        guarantee_number="G-0",
        issued_on=dt.date(year - 1, 1, 5),
        expires_on=dt.date(year + 1, 6, 30),  # still valid: its guarantor can be called (R15)
    )
    api.force_authenticate(parties["users"][role])
    assert api.get(f"/api/v1/general-bonds/{bond.pk}/").status_code == READ[role]
    listed = api.get("/api/v1/general-bonds/").json()["results"]
    assert (bond.pk in {b["id"] for b in listed}) == (READ[role] == 200)

    count = GeneralBond.objects.count()
    response = api.post(
        "/api/v1/general-bonds/", {**terms, "holder": parties["holder_a"].pk}, format="json"
    )
    assert response.status_code == FILE_BOND[role], response.content
    assert GeneralBond.objects.count() == count + (response.status_code == 201)

    response = api.post(
        f"/api/v1/general-bonds/{bond.pk}/decide/", {"approve": True}, format="json"
    )
    assert response.status_code == GACC_ONLY[role]
    bond.refresh_from_db()
    assert (bond.status == "approved") == (response.status_code == 200)
    if bond.status != "approved":
        services.general_bond_decide(
            actor=gacc, bond=bond, approve=True, on=dt.date(year - 1, 1, 10)
        )
    entries = bond.entries.count()
    response = api.post(
        f"/api/v1/general-bonds/{bond.pk}/entries/",
        {"amount": "1000.00", "reference": "storage"},
        format="json",
    )
    assert response.status_code == OFFICERS[role]
    assert bond.entries.count() == entries + (response.status_code == 201)
