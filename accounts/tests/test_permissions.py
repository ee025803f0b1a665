"""Who sees what, as a table: each role against own, authorised and foreign organisations
(accounts/scoping.py). Unseen objects answer 404, never 403."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Authorisation
from core.demo_files import pdf_bytes

pytestmark = pytest.mark.django_db

# role → organisations it may see among (holder_a, holder_b, agency_a, agency_old, ningbo)
ORGANISATION_TABLE = {
    "gacc":          {"holder_a", "holder_b", "agency_a", "agency_old", "ningbo"},
    "ningbo":        {"holder_a", "holder_b", "agency_a", "agency_old", "ningbo"},
    "shenzhen":      {"holder_a", "holder_b", "agency_a", "agency_old", "ningbo"},
    "holder_a":      {"holder_a", "agency_a", "agency_old", "ningbo"},
    "holder_b":      {"holder_b", "ningbo"},
    "agent_a":       {"holder_a", "agency_a", "ningbo"},
    "agent_expired": {"agency_old", "ningbo"},
}  # fmt: skip

# role → authorisations it may see among (auth_a, auth_old)
AUTHORISATION_TABLE = {
    "gacc": {"auth_a", "auth_old"},
    "ningbo": {"auth_a", "auth_old"},
    "shenzhen": {"auth_a", "auth_old"},
    "holder_a": {"auth_a", "auth_old"},
    "holder_b": set(),
    "agent_a": {"auth_a"},
    "agent_expired": {"auth_old"},
}


@pytest.mark.parametrize("role", ORGANISATION_TABLE)
@pytest.mark.parametrize("target", ["holder_a", "holder_b", "agency_a", "agency_old", "ningbo"])
def test_organisation_detail_visibility(api, parties, role, target):
    api.force_authenticate(parties["users"][role])
    response = api.get(f"/api/v1/organisations/{parties[target].pk}/")
    expected = 200 if target in ORGANISATION_TABLE[role] else 404
    assert response.status_code == expected


@pytest.mark.parametrize("role", ORGANISATION_TABLE)
def test_organisation_list_matches_table(api, parties, role):
    api.force_authenticate(parties["users"][role])
    response = api.get("/api/v1/organisations/", {"page_size": 500})
    seen = {row["id"] for row in response.json()["results"]}
    named = {"holder_a", "holder_b", "agency_a", "agency_old", "ningbo"}
    assert {name for name in named if parties[name].pk in seen} == ORGANISATION_TABLE[role]


@pytest.mark.parametrize("role", AUTHORISATION_TABLE)
@pytest.mark.parametrize("target", ["auth_a", "auth_old"])
def test_authorisation_detail_and_document_visibility(api, parties, role, target):
    api.force_authenticate(parties["users"][role])
    pk = parties[target].pk
    expected = 200 if target in AUTHORISATION_TABLE[role] else 404
    assert api.get(f"/api/v1/authorisations/{pk}/").status_code == expected
    document = api.get(f"/api/v1/authorisations/{pk}/document/")
    assert document.status_code == expected
    if expected == 200:
        assert b"".join(document.streaming_content).startswith(b"%PDF-")


def test_anonymous_sees_nothing(api, parties):
    assert api.get("/api/v1/organisations/").status_code == 401
    assert api.get(f"/api/v1/authorisations/{parties['auth_a'].pk}/").status_code == 401


# role → status of: PATCH own org, PATCH holder_a, grant for holder_a, revoke auth_a
WRITE_TABLE = {
    "gacc":          {"patch_holder_a": 403, "grant_for_holder_a": 201, "revoke_auth_a": 200},
    "ningbo":        {"patch_holder_a": 403, "grant_for_holder_a": 403, "revoke_auth_a": 403},
    "holder_a":      {"patch_holder_a": 200, "grant_for_holder_a": 201, "revoke_auth_a": 200},
    "holder_b":      {"patch_holder_a": 404, "grant_for_holder_a": 403, "revoke_auth_a": 404},
    "agent_a":       {"patch_holder_a": 403, "grant_for_holder_a": 403, "revoke_auth_a": 403},
    "agent_expired": {"patch_holder_a": 404, "grant_for_holder_a": 403, "revoke_auth_a": 404},
}  # fmt: skip


@pytest.mark.parametrize("role", WRITE_TABLE)
def test_write_permissions(api, parties, role):
    api.force_authenticate(parties["users"][role])
    expected = WRITE_TABLE[role]
    holder_a = parties["holder_a"]

    response = api.patch(
        f"/api/v1/organisations/{holder_a.pk}/", {"address": "New address"}, format="json"
    )
    assert response.status_code == expected["patch_holder_a"]
    holder_a.refresh_from_db()
    assert (holder_a.address == "New address") == (expected["patch_holder_a"] == 200)

    other_agency = parties["agency_old"]
    before = Authorisation.objects.count()
    response = api.post(
        "/api/v1/authorisations/",
        {
            "agency": other_agency.pk,
            "holder": holder_a.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "document": SimpleUploadedFile("poa.pdf", pdf_bytes(), "application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == expected["grant_for_holder_a"]
    assert Authorisation.objects.count() == before + (1 if response.status_code == 201 else 0)

    response = api.post(
        f"/api/v1/authorisations/{parties['auth_a'].pk}/revoke/", {"reason": "Mandate ended"}
    )
    assert response.status_code == expected["revoke_auth_a"]
    parties["auth_a"].refresh_from_db()
    assert (parties["auth_a"].revoked_at is not None) == (expected["revoke_auth_a"] == 200)


def test_authorisation_ending_cuts_access_the_next_day(api, parties, monkeypatch):
    """When the power of attorney ends, the agency's access ends at once (R3)."""
    auth = parties["auth_a"]
    auth.ends_on = dt.date(2026, 11, 21)
    auth.save()
    api.force_authenticate(parties["users"]["agent_a"])
    url = f"/api/v1/organisations/{parties['holder_a'].pk}/"
    monkeypatch.setattr("accounts.scoping.local_today", lambda: dt.date(2026, 11, 21))
    assert api.get(url).status_code == 200
    monkeypatch.setattr("accounts.scoping.local_today", lambda: dt.date(2026, 11, 22))
    assert api.get(url).status_code == 404


def test_revocation_cuts_access_at_once(api, parties):
    api.force_authenticate(parties["users"]["holder_a"])
    api.post(f"/api/v1/authorisations/{parties['auth_a'].pk}/revoke/", {"reason": "Changed firm"})
    api.force_authenticate(parties["users"]["agent_a"])
    assert api.get(f"/api/v1/organisations/{parties['holder_a'].pk}/").status_code == 404
