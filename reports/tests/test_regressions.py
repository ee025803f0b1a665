"""Regressions found by fuzzing /api/v1/statistics/: each was a 500 before."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("office", ["²", "١٢"])
def test_a_district_given_in_non_ascii_digits_is_a_400(parties, office):
    client = APIClient()
    client.force_authenticate(parties["users"]["gacc"])
    response = client.get("/api/v1/statistics/", {"year": 2024, "office": office})
    assert response.status_code == 400
    assert response.json()["office"] == [f"No customs district {office!r}."]
