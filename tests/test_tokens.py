"""Issue 20, beyond the fixes: API tokens that expire and are revoked per device
(django-rest-knox, tokens/), with CONTRACT.md's `POST /api/v1/auth/token/` → {"token"} and
`Authorization: Token <token>` unchanged, and the sign-in lockout (django-axes) kept."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD
from tokens.models import DeviceToken

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def sign_in(user, **extra):
    client = APIClient()
    response = client.post(
        TOKEN_URL, {"username": user.username, "password": PASSWORD, **extra}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_the_contract_shape_token_then_authorization_token_header(parties):
    user = parties["users"]["holder_a"]
    body = sign_in(user)
    assert set(body) == {"token", "id", "device", "expiry"}
    assert isinstance(body["token"], str) and len(body["token"]) == 64
    me = bearer(body["token"]).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == user.username
    # Only a digest is stored: the secret is nowhere in the table.
    row = DeviceToken.objects.get(pk=body["id"])
    assert body["token"] not in (row.digest, row.token_key)
    assert row.user == user


def test_a_token_expires_after_the_ttl_then_401(parties, settings):
    user = parties["users"]["gacc"]
    now = dt.datetime.now(dt.UTC)
    with time_machine.travel(now, tick=False):
        body = sign_in(user)
    assert dt.datetime.fromisoformat(body["expiry"]) == now + dt.timedelta(hours=10)
    with time_machine.travel(now + dt.timedelta(hours=9, minutes=59), tick=False):
        assert bearer(body["token"]).get("/api/v1/me/").status_code == 200
    with time_machine.travel(now + dt.timedelta(hours=10, minutes=1), tick=False):
        expired = bearer(body["token"]).get("/api/v1/me/")
    assert expired.status_code == 401
    assert expired["WWW-Authenticate"] == "Token"
    assert not DeviceToken.objects.filter(pk=body["id"]).exists()  # knox deletes it


def test_the_ttl_is_a_setting(parties, settings):
    from knox.settings import knox_settings

    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": dt.timedelta(hours=1)}
    try:
        now = dt.datetime.now(dt.UTC)
        with time_machine.travel(now, tick=False):
            body = sign_in(parties["users"]["holder_b"])
        assert dt.datetime.fromisoformat(body["expiry"]) == now + dt.timedelta(hours=1)
        with time_machine.travel(now + dt.timedelta(minutes=61), tick=False):
            assert bearer(body["token"]).get("/api/v1/me/").status_code == 401
    finally:
        del settings.REST_KNOX
        knox_settings.reload()


def test_two_devices_revoke_one_the_other_still_works(parties):
    user = parties["users"]["agent_a"]
    laptop = sign_in(user, device="laptop")
    phone = (
        APIClient()
        .post(
            TOKEN_URL,
            {"username": user.username, "password": PASSWORD},
            format="json",
            HTTP_USER_AGENT="CustomsApp/2.1 (Android 14)",
        )
        .json()
    )
    assert (laptop["device"], phone["device"]) == ("laptop", "CustomsApp/2.1 (Android 14)")

    listed = bearer(laptop["token"]).get("/api/v1/auth/tokens/").json()
    assert listed["count"] == 2
    assert {(t["id"], t["device"], t["current"]) for t in listed["results"]} == {
        (laptop["id"], "laptop", True),
        (phone["id"], "CustomsApp/2.1 (Android 14)", False),
    }

    revoked = bearer(laptop["token"]).delete(f"/api/v1/auth/tokens/{phone['id']}/")
    assert revoked.status_code == 204
    assert bearer(phone["token"]).get("/api/v1/me/").status_code == 401
    assert bearer(laptop["token"]).get("/api/v1/me/").status_code == 200


def test_another_users_token_is_a_404_and_stays_valid(parties):
    mine = sign_in(parties["users"]["holder_a"])
    theirs = sign_in(parties["users"]["holder_b"])
    response = bearer(mine["token"]).delete(f"/api/v1/auth/tokens/{theirs['id']}/")
    assert response.status_code == 404
    assert bearer(theirs["token"]).get("/api/v1/me/").status_code == 200
    listed = bearer(mine["token"]).get("/api/v1/auth/tokens/").json()
    assert [t["id"] for t in listed["results"]] == [mine["id"]]


def test_logout_revokes_only_this_device(parties):
    user = parties["users"]["ningbo"]
    first, second = sign_in(user, device="desk"), sign_in(user, device="home")
    assert bearer(first["token"]).post("/api/v1/auth/logout/").status_code == 204
    assert bearer(first["token"]).get("/api/v1/me/").status_code == 401
    assert bearer(second["token"]).get("/api/v1/me/").status_code == 200


def test_logout_all_revokes_every_device(parties):
    user = parties["users"]["shenzhen"]
    tokens = [sign_in(user, device=f"device {n}")["token"] for n in range(3)]
    other_user = sign_in(parties["users"]["gacc"])["token"]
    assert bearer(tokens[0]).post("/api/v1/auth/logout-all/").status_code == 204
    assert [bearer(t).get("/api/v1/me/").status_code for t in tokens] == [401, 401, 401]
    assert DeviceToken.objects.filter(user=user).count() == 0
    assert bearer(other_user).get("/api/v1/me/").status_code == 200


def test_session_sign_in_still_works_and_logout_ends_the_session(parties):
    client = Client()
    client.force_login(parties["users"]["holder_a"])
    assert client.get("/api/v1/auth/tokens/").json()["count"] == 0
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_anonymous_cannot_list_or_revoke(parties):
    token = sign_in(parties["users"]["holder_a"])
    anonymous = APIClient()
    assert anonymous.get("/api/v1/auth/tokens/").status_code == 401
    assert anonymous.delete(f"/api/v1/auth/tokens/{token['id']}/").status_code == 401
    assert anonymous.post("/api/v1/auth/logout-all/").status_code == 401
    assert bearer(token["token"]).get("/api/v1/me/").status_code == 200


def test_a_device_name_too_long_is_a_400_and_issues_nothing(parties):
    user = parties["users"]["holder_a"]
    response = APIClient().post(
        TOKEN_URL, {"username": user.username, "password": PASSWORD, "device": "x" * 201}
    )
    assert response.status_code == 400
    assert "device" in response.json()
    assert DeviceToken.objects.count() == 0


def test_a_wrong_or_unknown_token_is_401():
    response = bearer("0" * 64).get("/api/v1/me/")
    assert response.status_code == 401


def test_lockout_still_applies_to_the_token_endpoint(parties, settings):
    settings.AXES_ENABLED = True
    username = parties["users"]["holder_b"].username
    api = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = api.post(TOKEN_URL, {"username": username, "password": "wrong"})
        assert response.status_code in (400, 429)
    locked = api.post(TOKEN_URL, {"username": username, "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert DeviceToken.objects.count() == 0


def test_a_success_resets_the_failure_count(parties, settings):
    """AXES_RESET_ON_SUCCESS: a right password before the limit clears the failures."""
    settings.AXES_ENABLED = True
    username = parties["users"]["agent_a"].username
    api = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api.post(TOKEN_URL, {"username": username, "password": "x"}).status_code == 400
    assert api.post(TOKEN_URL, {"username": username, "password": PASSWORD}).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api.post(TOKEN_URL, {"username": username, "password": "x"}).status_code == 400
    assert api.post(TOKEN_URL, {"username": username, "password": PASSWORD}).status_code == 200
