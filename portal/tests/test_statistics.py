"""My statistics: the holder's own report (scope=holder), its charts and file links;
another holder's is not to be had."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.tests import casework
from portal.tests.casework import signed_in

pytestmark = pytest.mark.django_db
case, mark, users = casework.case, casework.mark, casework.users  # the fixtures


def test_the_holders_own_report_with_charts_and_files(client, users, parties, case):
    signed_in(client, users["holder_a"])
    response = client.get(reverse("portal:statistics"), {"year": "2025"})
    assert response.status_code == 200
    text = response.content.decode()
    assert parties["holder_a"].name_en in text
    assert "<svg" in text
    assert f"scope=holder&amp;holder={parties['holder_a'].pk}&amp;format=csv" in text
    assert "format=xlsx" in text
    csv = client.get(
        reverse("statistics"),
        {"year": "2025", "scope": "holder", "holder": parties["holder_a"].pk, "format": "csv"},
    )
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")


def test_an_agent_cannot_choose_a_holder_it_does_not_act_for(client, users, parties):
    signed_in(client, users["agent_a"])
    text = client.get(
        reverse("portal:statistics"), {"year": "2025", "client": parties["holder_b"].pk}
    ).content.decode()
    assert parties["holder_a"].name_en in text  # its own client, not holder B
    assert parties["holder_b"].name_en not in text


def test_an_ended_agency_sees_no_report(client, users):
    signed_in(client, users["agent_expired"])
    response = client.get(reverse("portal:statistics"))
    assert response.status_code == 200
    assert "No rights holder authorises you today." in response.content.decode()


def test_bad_input_is_shown(client, users):
    signed_in(client, users["holder_a"])
    response = client.get(reverse("portal:statistics"), {"year": "abc"})
    assert response.status_code == 400
    assert "<svg" not in response.content.decode()


def test_anonymous_visitors_sign_in_first(client):
    response = client.get(reverse("portal:statistics"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
