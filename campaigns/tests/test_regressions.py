"""Regressions found by fuzzing the campaign endpoints and admin: each was a 500 or a
half-checked change before."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from campaigns import tasks
from campaigns.tests.test_admin import CAMPAIGNS, change_form, login, make_campaign, snapshot

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def users(parties):
    return parties["users"]


@pytest.fixture
def queued(monkeypatch):
    ids = []
    monkeypatch.setattr(tasks.retag, "delay", ids.append)
    return ids


@pytest.fixture
def campaign():
    return make_campaign(auto_tag=True, directions=["export"], starts_on=dt.date(2025, 1, 1))


def test_a_patch_with_an_incomplete_priority_row_is_a_400(users, campaign, queued):
    response = client_for(users["gacc"]).patch(
        f"/api/v1/campaigns/{campaign.pk}/", {"priority": [{}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["priority"] == [
        {"holder": ["This field is required."], "liaison_officer": ["This field is required."]}
    ]
    assert not campaign.priority.exists()


def test_priority_holders_only_needs_holders_in_a_partial_api_change(users, campaign, queued):
    before = snapshot(campaign)
    response = client_for(users["gacc"]).patch(
        f"/api/v1/campaigns/{campaign.pk}/", {"priority_holders_only": True}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["priority_holders_only"] == ["Name the priority rights holders first."]
    assert snapshot(campaign) == before and queued == []


def test_priority_holders_only_needs_holders_in_an_admin_change(parties, campaign, queued):
    before = snapshot(campaign)
    page = login(parties, "gacc").post(
        f"{CAMPAIGNS}{campaign.pk}/change/", change_form(campaign, priority_holders_only="on")
    )
    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "priority_holders_only": ["Name the priority rights holders first."]
    }
    assert snapshot(campaign) == before and queued == []


@pytest.mark.parametrize("year", ["0", "-1", "10000", "99999", "9" * 40])
def test_the_api_year_filter_out_of_range_is_a_400(users, campaign, year):
    response = client_for(users["holder_a"]).get("/api/v1/campaigns/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()


@pytest.mark.parametrize("year", ["0", "99999", "\u00b2"])
def test_the_admin_year_filter_ignores_impossible_years(parties, campaign, year):
    page = login(parties, "gacc").get(CAMPAIGNS, {"year": year})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [campaign]


@pytest.mark.parametrize("value", ["\u00b2", "\u0661"])
def test_the_case_list_campaign_filter_with_non_ascii_digits_is_a_400(users, campaign, value):
    response = client_for(users["ningbo"]).get("/api/v1/detentions/", {"campaign": value})
    assert response.status_code == 400
    assert response.json()["campaign"] == f"No campaign {value}."
