"""The accounts' pages: sign in (officers on to the admin, lockout), register with a
confirmed email, preferences and the calendar link, authorisation requests (R3). A bad
input re-shows the form with its errors (400) and changes nothing; every page keeps to a
query budget."""

import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts import services
from accounts.models import AuthorisationRequest, Organisation, User
from accounts.tests.factories import PASSWORD
from core.demo_files import pdf_bytes

pytestmark = pytest.mark.django_db

USCC = "91110000802100433B"


def pdf():
    return SimpleUploadedFile("licence.pdf", pdf_bytes(), "application/pdf")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sign_in_page_in_the_portal_frame():
    page = Client().get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    assert 'href="/accounts/register/"' in page.content.decode()


def test_officers_go_on_to_the_admin_and_holders_to_the_portal(parties):
    officer = Client().post(
        "/accounts/login/", {"username": parties["users"]["ningbo"].username, "password": PASSWORD}
    )
    assert officer.status_code == 302 and officer["Location"] == "/admin/"
    holder = Client().post(
        "/accounts/login/",
        {"username": parties["users"]["holder_a"].username, "password": PASSWORD},
    )
    assert holder.status_code == 302 and holder["Location"] == "/"
    asked = Client().post(
        "/accounts/login/?next=/accounts/preferences/",
        {"username": parties["users"]["ningbo"].username, "password": PASSWORD},
    )
    assert asked["Location"] == "/accounts/preferences/"
    offsite = Client().post(
        "/accounts/login/?next=https://evil.example/",
        {"username": parties["users"]["holder_a"].username, "password": PASSWORD},
    )
    assert offsite["Location"] == "/"


def test_a_wrong_password_re_shows_the_form_with_400(parties):
    page = Client().post(
        "/accounts/login/", {"username": parties["users"]["holder_a"].username, "password": "x"}
    )
    assert page.status_code == 400
    assert "not right" in page.content.decode()


def test_lockout_after_five_failures_even_with_the_right_password(parties, settings):
    settings.AXES_ENABLED = True
    username = parties["users"]["holder_a"].username
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        failed = client.post("/accounts/login/", {"username": username, "password": "x"})
        assert failed.status_code == 400
    # The fifth failure locks: the right password is then refused too.
    fifth = client.post("/accounts/login/", {"username": username, "password": "x"})
    assert fifth.status_code == 429
    locked = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Signing in is locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not locked (username and address together).
    other = client.post(
        "/accounts/login/",
        {"username": parties["users"]["holder_b"].username, "password": PASSWORD},
    )
    assert other.status_code == 302


def test_the_api_token_endpoint_counts_failures_too(parties, settings, api):
    settings.AXES_ENABLED = True
    username = parties["users"]["agent_a"].username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = api.post("/api/v1/auth/token/", {"username": username, "password": "x"})
        assert response.status_code == 400
    api.post("/api/v1/auth/token/", {"username": username, "password": "x"})
    locked = api.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out" and "token" not in locked.json()


def test_sign_out_is_a_post(parties):
    client = signed_in(parties["users"]["holder_a"])
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/")["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_portal_link(parties):
    user = parties["users"]["holder_a"]
    user.email = "holder.a@example.com"
    user.save()
    page = Client().post("/accounts/password/reset/", {"email": user.email})
    assert page["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and "/accounts/password/reset/" in mail.outbox[0].body


def form(**overrides):
    data = {
        "kind": "rights_holder",
        "name_zh": "福州玩具有限公司",
        "name_en": "Fuzhou Toys Co., Ltd.",
        "registration_id": USCC,
        "address": "福州市",
        "contact_name": "Wang Fang",
        "contact_email": "legal@fuzhou-toys.example",
        "contact_phone": "",
        "identity_document": pdf(),
        "first_name": "Fang",
        "last_name": "Wang",
        "username": "fuzhou.toys",
        "email": "fang@fuzhou-toys.example",
        "password": "a-long-Passphrase-2026",
        "password_again": "a-long-Passphrase-2026",
    }
    return {**data, **overrides}


def test_register_confirm_email_then_sign_in_with_a_notice_until_verified(parties):
    client = Client()
    page = client.post("/accounts/register/", form())
    assert page.status_code == 302 and page["Location"] == "/accounts/register/done/"
    user = User.objects.get(username="fuzhou.toys")
    assert user.is_active is False and user.organisation.verification == "pending"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/verify/" in line)
    path = link[link.index("/accounts/verify/") :]
    assert client.get(path).status_code == 200
    assert (
        client.post(
            "/accounts/login/", {"username": "fuzhou.toys", "password": "a-long-Passphrase-2026"}
        ).status_code
        == 302
    )
    home = client.get("/").content.decode()
    assert "awaiting verification by GACC" in home
    services.organisation_verify(actor=parties["users"]["gacc"], organisation=user.organisation)
    assert "awaiting verification" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "field_text"),
    [
        ({"registration_id": "91110000802100433C"}, "Not a valid unified social credit code"),
        ({"registration_id": "123"}, "registration_id"),
        ({"password_again": "different-Passphrase-1"}, "The two passwords differ"),
        ({"email": "nope"}, "email"),
        ({"kind": "customs"}, "kind"),
        ({"identity_document": SimpleUploadedFile("a.pdf", b"text")}, "Only PDF, PNG, JPEG"),
        ({"password": "short", "password_again": "short"}, "password"),
    ],
)
def test_register_bad_input_re_shows_the_form_and_creates_nothing(overrides, field_text):
    before = (Organisation.objects.count(), User.objects.count())
    page = Client().post("/accounts/register/", form(**overrides))
    assert page.status_code == 400
    assert field_text in page.content.decode()
    assert (Organisation.objects.count(), User.objects.count()) == before
    assert mail.outbox == []


def test_a_bad_email_link_is_a_400_page():
    assert Client().get("/accounts/verify/not-a-token/").status_code == 400


def test_preferences_save_language_and_reminders_and_rotate_the_feed(parties):
    user = parties["users"]["holder_a"]
    client = signed_in(user)
    page = client.get("/accounts/preferences/")
    assert page.status_code == 200 and user.calendar_token in page.content.decode()
    assert (
        client.post("/accounts/preferences/", {"preferred_language": "zh-hans"}).status_code == 302
    )
    user.refresh_from_db()
    assert (user.preferred_language, user.reminder_emails) == ("zh-hans", False)
    bad = client.post(
        "/accounts/preferences/", {"preferred_language": "fr", "reminder_emails": "on"}
    )
    assert bad.status_code == 400
    user.refresh_from_db()
    assert (user.preferred_language, user.reminder_emails) == ("zh-hans", False)
    old = user.calendar_token
    assert client.get("/accounts/preferences/calendar/").status_code == 405
    client.post("/accounts/preferences/calendar/")
    user.refresh_from_db()
    assert user.calendar_token != old


def _api_token(user, device: str) -> str:
    from rest_framework.test import APIClient

    answer = APIClient().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD, "device": device},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


def _api_works(token: str) -> bool:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/recordals/").status_code == 200


def test_my_account_lists_my_api_devices_and_signs_one_or_all_out(parties):
    from tokens.models import DeviceToken

    user = parties["users"]["holder_a"]
    other = parties["users"]["holder_b"]
    laptop, phone = _api_token(user, "ERP laptop"), _api_token(user, "docketing phone")
    theirs = _api_token(other, "their server")
    client = signed_in(user)
    page = client.get("/accounts/preferences/").content.decode()
    assert "ERP laptop" in page and "docketing phone" in page and "their server" not in page

    laptop_row = DeviceToken.objects.get(user=user, device="ERP laptop")
    theirs_row = DeviceToken.objects.get(user=other)
    # Someone else's token is not mine to revoke: 404, and it keeps working.
    assert client.post(f"/accounts/preferences/tokens/{theirs_row.pk}/revoke/").status_code == 404
    assert client.get(f"/accounts/preferences/tokens/{laptop_row.pk}/revoke/").status_code == 405
    assert _api_works(theirs) and _api_works(laptop)

    assert client.post(f"/accounts/preferences/tokens/{laptop_row.pk}/revoke/").status_code == 302
    assert not _api_works(laptop) and _api_works(phone)
    assert client.post("/accounts/preferences/tokens/revoke-all/").status_code == 302
    assert not _api_works(phone) and _api_works(theirs)
    assert "api-tokens-none" in client.get("/accounts/preferences/").content.decode()


def test_preferences_need_signing_in():
    page = Client().get("/accounts/preferences/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")


def test_r3_agency_requests_in_the_portal_and_the_holder_accepts(parties):
    agent = parties["users"]["agent_a"]
    holder_b = parties["holder_b"]
    client = signed_in(agent)
    page = client.post(
        "/accounts/authorisations/",
        {
            "holder": holder_b.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2040-01-01",
            "document": pdf(),
        },
    )
    assert page.status_code == 302
    request = AuthorisationRequest.objects.get()
    holder_client = signed_in(parties["users"]["holder_b"])
    assert "Agency A" in holder_client.get("/accounts/authorisations/").content.decode()
    # Holder A may not answer holder B's request: 404, nothing changes.
    other = signed_in(parties["users"]["holder_a"])
    assert other.post(f"/accounts/authorisations/{request.pk}/accept/").status_code == 404
    assert (
        holder_client.post(
            f"/accounts/authorisations/{request.pk}/decline/", {"reason": ""}
        ).status_code
        == 400
    )
    request.refresh_from_db()
    assert request.status == "pending"
    assert holder_client.post(f"/accounts/authorisations/{request.pk}/accept/").status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted"
    again = holder_client.post(f"/accounts/authorisations/{request.pk}/accept/")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("overrides", "text"),
    [
        ({"ends_on": "2025-01-01"}, "cannot end before it starts"),
        ({"ends_on": "not a date"}, "ends_on"),
        ({"starts_on": "9000-01-01", "ends_on": "9001-01-01"}, "id_starts_on_error"),
        ({"holder": "999999"}, "holder"),
        ({"document": SimpleUploadedFile("x.pdf", b"nope")}, "Only PDF, PNG, JPEG"),
    ],
)
def test_authorisation_request_bad_input_is_400_and_changes_nothing(parties, overrides, text):
    data = {"holder": parties["holder_b"].pk, "starts_on": "2026-01-01", "ends_on": "2040-01-01",
            "document": pdf(), **overrides}  # fmt: skip
    page = signed_in(parties["users"]["agent_a"]).post("/accounts/authorisations/", data)
    assert page.status_code == 400 and text in page.content.decode()
    assert AuthorisationRequest.objects.count() == 0


def test_a_holder_cannot_send_a_request(parties):
    page = signed_in(parties["users"]["holder_a"]).post(
        "/accounts/authorisations/",
        {"holder": parties["holder_b"].pk, "starts_on": "2026-01-01", "ends_on": "2040-01-01"},
    )
    assert page.status_code == 403 and AuthorisationRequest.objects.count() == 0


PAGES = [
    (None, "/"),
    (None, "/accounts/login/"),
    (None, "/accounts/register/"),
    (None, "/accounts/password/reset/"),
    (None, "/search/?q=labubu"),
    ("holder_a", "/"),
    ("holder_a", "/accounts/preferences/"),
    ("holder_a", "/accounts/authorisations/"),
    ("agent_a", "/accounts/authorisations/"),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_every_accounts_page_keeps_to_a_query_budget_and_is_fast(
    parties, who, url, django_assert_max_num_queries, capsys
):
    client = signed_in(parties["users"][who]) if who else Client()
    client.get(url)  # warm the templates
    started = time.perf_counter()
    with django_assert_max_num_queries(8) as queries:
        page = client.get(url)
    elapsed = time.perf_counter() - started
    with capsys.disabled():  # the issue asks for the pages' times, printed in every run
        line = f"{who or 'anonymous':9} {url:30} {elapsed * 1000:5.1f} ms {len(queries):2} queries"
        print("\n  " + line)  # noqa: T201
    assert page.status_code == 200  # the time is printed, not asserted: see benchmarks/


def test_r3_the_verification_queue_is_on_gaccs_desk_only(parties):
    Client().post("/accounts/register/", form())
    gacc = signed_in(parties["users"]["gacc"]).get("/admin/").content.decode()
    assert "Rights holders awaiting verification" in gacc
    assert "Fuzhou Toys Co., Ltd." in gacc
    ningbo = signed_in(parties["users"]["ningbo"]).get("/admin/").content.decode()
    assert "awaiting verification" not in ningbo


def test_r3_gacc_verifies_in_the_admin_with_the_action(parties):
    Client().post("/accounts/register/", form())
    organisation = Organisation.objects.get(registration_id=USCC)
    client = signed_in(parties["users"]["gacc"])
    listing = client.get("/admin/accounts/rightsholder/?verification=pending").content.decode()
    assert "Fuzhou Toys" in listing
    document = client.get(f"/admin/accounts/rightsholder/{organisation.pk}/identity-document/")
    assert document.status_code == 200
    page = client.post(
        "/admin/accounts/rightsholder/",
        {"action": "verify_organisations", "_selected_action": [organisation.pk]},
        follow=True,
    )
    assert "1 organisation verified." in page.content.decode()
    organisation.refresh_from_db()
    assert organisation.verification == "verified"
    assert organisation.verified_by == parties["users"]["gacc"]
    # Ningbo may not: the action is GACC's (the service refuses; nothing changes).
    other = Organisation.objects.create(
        kind="rights_holder", name_en="X", verification="pending", registration_id="x"
    )
    signed_in(parties["users"]["ningbo"]).post(
        "/admin/accounts/rightsholder/",
        {"action": "verify_organisations", "_selected_action": [other.pk]},
    )
    other.refresh_from_db()
    assert other.verification == "pending"
