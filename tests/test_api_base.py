"""The API base: schema, docs, token and session auth, pagination, error shapes, health."""

import pytest
from django.test import Client
from openapi_spec_validator import validate

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert "/api/v1/authorisations/{id}/revoke/" in schema["paths"]


def test_schema_generates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", "/dev/null")


def test_swagger_ui_is_served(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_token_login_then_token_auth(api, parties):
    user = parties["users"]["holder_a"]
    response = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["role"] == "holder"
    assert me.json()["organisation"]["id"] == parties["holder_a"].pk


def test_token_login_with_wrong_password_is_400_with_field_errors(api):
    user = UserFactory()
    response = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    response = api.post("/api/v1/auth/token/", {"username": user.username}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_session_login_works_for_the_api(parties):
    client = Client()
    assert client.login(username=parties["users"]["agent_a"].username, password=PASSWORD)
    assert client.get("/api/v1/me/").json()["role"] == "agent"


def test_lists_are_paginated_with_count_next_previous_results(api, parties):
    api.force_authenticate(parties["users"]["gacc"])
    body = api.get("/api/v1/organisations/", {"page_size": 5}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] >= 43 + 4
    assert len(body["results"]) == 5
    assert "page=2" in body["next"]
    assert all("id" in row for row in body["results"])


def test_validation_error_shape_is_field_errors(api, parties):
    api.force_authenticate(parties["users"]["holder_a"])
    response = api.post("/api/v1/authorisations/", {"agency": 999999}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"agency", "starts_on", "ends_on", "document"}


def test_conflict_shape_for_a_second_revocation(api, parties):
    api.force_authenticate(parties["users"]["holder_a"])
    url = f"/api/v1/authorisations/{parties['auth_a'].pk}/revoke/"
    assert api.post(url, {"reason": "ended"}).status_code == 200
    response = api.post(url, {"reason": "again"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["detail"]


def test_healthz_ok(api):
    response = api.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_503_names_the_broker_when_it_is_down(api, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = api.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down"}


def test_healthz_503_names_the_database_when_it_is_down(api, monkeypatch):
    from django.db import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("config.health.connection.cursor", broken_cursor)
    response = api.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "ok"}


def test_chinese_is_available(api, parties):
    api.force_authenticate(parties["users"]["gacc"])
    response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Language"] == "zh-hans"
