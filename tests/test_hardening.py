"""Issue 20: the service facing the open internet: hostile input, proxies and far dates.

One test (or table) per numbered item of the issue; each failed before its fix."""

import datetime as dt
import pathlib
import re

import pytest
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

from recordals.models import Recordal
from recordals.tests.factories import D, approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def login_throttle(monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "30/minute",
                                                               "public": "30/minute"})  # fmt: skip
    cache.clear()
    yield
    cache.clear()


# --- 1. throttles are not bypassed with a forged X-Forwarded-For -----------------------------


def test_item1_forged_x_forwarded_for_does_not_escape_the_login_throttle(api, login_throttle):
    statuses = [
        api.post(
            "/api/v1/auth/token/",
            {"username": "nobody", "password": f"guess-{n}"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(40)
    ]
    assert statuses[:30] == [400] * 30
    assert statuses[30:] == [429] * 10


def test_item1_forged_x_forwarded_for_does_not_escape_the_public_throttle(api, login_throttle):
    statuses = [
        api.get(
            "/api/v1/public/recordals/", {"q": "x"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(40)
    ]
    assert 429 in statuses
    assert statuses.count(429) == 10


def test_item1_behind_a_configured_proxy_its_forwarded_address_counts(
    api, login_throttle, settings
):
    """DJANGO_NUM_PROXIES=1 (one reverse proxy in front): the address it appends is the
    client, so two clients behind it are throttled apart."""
    from rest_framework.settings import api_settings

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    api_settings.reload()
    try:
        for n in range(30):
            api.post("/api/v1/auth/token/", {"username": "a", "password": f"p{n}"},
                     HTTP_X_FORWARDED_FOR="192.0.2.1")  # fmt: skip
        blocked = api.post("/api/v1/auth/token/", {"username": "a", "password": "p"},
                           HTTP_X_FORWARDED_FOR="192.0.2.1")  # fmt: skip
        other = api.post("/api/v1/auth/token/", {"username": "a", "password": "p"},
                         HTTP_X_FORWARDED_FOR="192.0.2.2")  # fmt: skip
    finally:
        settings.REST_FRAMEWORK = {
            k: v for k, v in settings.REST_FRAMEWORK.items() if k != "NUM_PROXIES"
        }
        api_settings.reload()
    assert blocked.status_code == 429
    assert other.status_code == 400


# --- 2. deeply nested JSON is a 400 ----------------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("url", ["/api/v1/auth/token/", "/api/v1/recordals/"])
def test_item2_json_nested_100000_deep_is_400_not_500(api, parties, url):
    api.force_authenticate(parties["users"]["holder_a"])
    response = api.generic("POST", url, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_item2_json_nested_beyond_the_limit_is_400(api, parties):
    api.force_authenticate(parties["users"]["holder_a"])
    body = '{"a":' * 40 + "1" + "}" * 40
    response = api.generic("POST", "/api/v1/recordals/", body, content_type="application/json")
    assert response.status_code == 400


def test_item2_every_api_parser_bounds_json_depth():
    """Views that list their own parsers use the bounded one too."""
    from django.urls import get_resolver

    from core.api.parsers import JSONParser

    seen = 0
    for view in _api_views(get_resolver()):
        for parser in getattr(view, "parser_classes", []):
            if parser.media_type == "application/json":
                seen += 1
                assert issubclass(parser, JSONParser), view
    assert seen > 10


def _api_views(resolver):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _api_views(pattern)
        else:
            cls = getattr(pattern.callback, "cls", None)
            if cls is not None:
                yield cls


# --- 3. far dates: a plausible range, 400 outside ----------------------------------------------


@pytest.fixture
def recordal(parties):
    users = parties["users"]
    return approved(users["holder_a"], parties["holder_a"], users["gacc"],
                    right_valid_until=D("2040-01-01"))  # fmt: skip


@pytest.mark.parametrize("changed_on", ["9999-12-01", "1900-01-01", "2200-01-01", "0001-01-01"])
def test_item3_note_change_with_a_far_date_is_400_with_a_field_error(
    api, parties, recordal, changed_on
):
    api.force_authenticate(parties["users"]["gacc"])
    before = recordal.deadlines.count() if hasattr(recordal, "deadlines") else None
    response = api.post(
        f"/api/v1/recordals/{recordal.pk}/note-change/",
        {"changed_on": changed_on, "reason": "renewed at CNIPA"},
    )
    assert response.status_code == 400, response.content
    assert "changed_on" in response.json()
    if before is not None:
        assert recordal.deadlines.count() == before


@pytest.mark.parametrize(
    "params", [{"start": "9999-12-01", "days": 20}, {"start": "1900-01-01", "days": 20}]
)
def test_item3_workdays_add_with_a_far_start_is_400(api, params):
    response = api.get("/api/v1/workdays/add/", params)
    assert response.status_code == 400
    assert "start" in response.json()


def test_item3_add_working_days_refuses_a_far_start():
    from core.errors import InvalidInput
    from deadlines.calendar import add_working_days

    with pytest.raises(InvalidInput):
        add_working_days(dt.date(9999, 12, 1), 30)
    assert add_working_days(dt.date(2025, 9, 30), 3).date > dt.date(2025, 9, 30)


def test_item3_every_input_date_field_is_bounded():
    """Every date an API request body or query takes, in the schema, is a LegalDateField:
    model serializers map model dates to it (core/apps.py)."""
    from django.db import models
    from rest_framework import serializers

    from core.api.fields import LegalDateField

    assert serializers.ModelSerializer.serializer_field_mapping[models.DateField] is LegalDateField
    root = pathlib.Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if ".venv" not in path.parts
        and ".tools" not in path.parts
        and "tests" not in path.parts
        and re.search(r"serializers\.DateField\(", path.read_text())
    ]
    assert offenders == []


def test_item3_recordal_dates_outside_the_range_are_400(api, parties):
    from recordals.tests.factories import trademark

    api.force_authenticate(parties["users"]["holder_a"])
    before = Recordal.objects.count()
    body = trademark(right_valid_until="2200-01-01")
    response = api.post("/api/v1/recordals/", body, format="json")
    assert response.status_code == 400
    assert Recordal.objects.count() == before


# --- 4. bounded bodies and text ----------------------------------------------------------------


def test_item4_a_12_mb_json_body_is_400_and_stores_nothing(api, parties):
    from recordals.tests.factories import trademark

    api.force_authenticate(parties["users"]["holder_a"])
    before = Recordal.objects.count()
    body = {**trademark(), "description": "x" * (12 * 1024 * 1024)}
    response = api.post("/api/v1/recordals/", body, format="json")
    assert response.status_code == 400
    assert Recordal.objects.count() == before


def test_item4_text_fields_have_a_length_limit(api, parties, recordal):
    """A long text well under the body cap is refused by the field's own max_length."""
    api.force_authenticate(parties["users"]["gacc"])
    response = api.post(
        f"/api/v1/recordals/{recordal.pk}/note-change/",
        {"changed_on": "2026-11-02", "reason": "x" * 20_000},
    )
    assert response.status_code == 400
    assert "reason" in response.json()


def test_item4_a_step_reason_has_a_length_limit(api, parties, recordal):
    """A workflow step's reason is taken beside its input schema (engine): bounded too
    (schemathesis stored and served back a 2 MB reason before)."""
    api.force_authenticate(parties["users"]["gacc"])
    url = f"/api/v1/recordals/{recordal.pk}/revoke/"
    response = api.post(url, {"reason": "x" * 20_000})
    assert response.status_code == 400
    assert "reason" in response.json()
    recordal.refresh_from_db()
    assert recordal.status == "approved"


def test_item4_data_upload_max_memory_size_is_set(settings):
    assert 0 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024


# --- 5. seed_demo changes nothing, even after use ----------------------------------------------


def _counts():
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes", "auth", "tokens"}
    }


def test_item5_seed_demo_after_a_revocation_changes_nothing():
    import io

    from django.core.management import call_command

    from accounts.models import Authorisation, User
    from accounts.services import authorisation_revoke
    from deadlines.models import Deadline, DeadlineKind

    call_command("seed_demo", stdout=io.StringIO())
    gacc = User.objects.get(username="officer.gacc")
    revoked = list(Authorisation.objects.filter(revoked_at__isnull=True))
    assert len(revoked) >= 2
    for authorisation in revoked:
        authorisation_revoke(actor=gacc, authorisation=authorisation, reason="mandate ended")
    expiry = Deadline.objects.filter(kind=DeadlineKind.AUTHORISATION_EXPIRY)
    statuses = dict(expiry.values_list("pk", "status"))
    counts = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == counts
    assert dict(expiry.values_list("pk", "status")) == statuses
    assert not expiry.filter(status=Deadline.Status.OPEN).exists()


# --- 6. make run: gunicorn + whitenoise, DEBUG off unless asked ---------------------------------

LOCAL_PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
static = Client().get("/static/admin/css/base.css")
print(settings.DEBUG, settings.EMAIL_BACKEND, static.status_code)
"""


def _local(**extra):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.pop("DEBUG", None)
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", **extra)
    root = pathlib.Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", LOCAL_PROBE], cwd=root, env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_item6_make_run_has_debug_off_unless_asked_and_serves_static_files():
    debug, email, static = _local()
    assert (debug, email, static) == ("False", "django.core.mail.backends.console.EmailBackend",
                                      "200")  # fmt: skip
    assert _local(DEBUG="1")[0] == "True"


def test_item6_make_run_serves_with_gunicorn_not_runserver():
    from config.launcher import web_command

    command = web_command("python", "127.0.0.1", "8000")
    assert command[1:4] == ["-m", "gunicorn", "config.wsgi:application"]
    assert "runserver" not in command
    assert "--threads" in command


# --- 8. validation gaps ------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["XX", "ng", "N1", "CHN"])
def test_item8_country_codes_are_real_upper_case_iso_codes(code):
    from detentions.api.serializers import ShipmentInput
    from detentions.tests.factories import SHIPMENT

    valid = ShipmentInput(data=SHIPMENT)
    valid.is_valid()
    assert "destination_country" not in valid.errors
    data = ShipmentInput(data={**SHIPMENT, "destination_country": code})
    assert not data.is_valid()
    assert "destination_country" in data.errors


def test_item8_genuine_goods_price_is_not_negative_and_origin_is_a_country():
    from recordals.inputs import GenuineGoodsSerializer

    good = {"name": "Plush toys", "hs_code": "950300", "origin_country": "CN",
            "price_min": "59.00", "price_max": "599.00"}  # fmt: skip
    assert GenuineGoodsSerializer(data=good).is_valid()
    for field, value in [("price_min", "-1"), ("origin_country", "XX")]:
        data = GenuineGoodsSerializer(data={**good, field: value})
        assert not data.is_valid()
        assert field in data.errors


def test_item8_licensee_valid_until_and_statement_inspected_on_are_plausible():
    from detentions.inputs import StatementInput
    from recordals.inputs import LicenseeSerializer

    licensee = LicenseeSerializer(
        data={"name": "Shop", "role": "licensee", "country": "CN", "valid_until": "0001-01-01"}
    )
    assert not licensee.is_valid()
    assert "valid_until" in licensee.errors
    statement = StatementInput(data={"statement": "Ours", "inspected_on": "9999-12-31"})
    assert not statement.is_valid()
    assert "inspected_on" in statement.errors


@pytest.mark.parametrize("value", ["١٢٣٤٥", "1_000", "\uff11\uff12\uff13"])
def test_item8_bond_quote_takes_ascii_digits_only(api, value):
    response = api.get("/api/v1/bonds/quote/", {"mode": "on_application", "goods_value": value})
    assert response.status_code == 400
    assert "goods_value" in response.json()
    ok = api.get("/api/v1/bonds/quote/", {"mode": "on_application", "goods_value": "12345"})
    assert ok.status_code == 200


@pytest.mark.parametrize("value", ["١٢٣٤٥", "1_000"])
def test_item8_decimal_fields_take_ascii_digits_only(value):
    from recordals.inputs import GenuineGoodsSerializer

    data = GenuineGoodsSerializer(data={"name": "Plush toys", "price_min": value})
    assert not data.is_valid()
    assert "price_min" in data.errors


def test_item8_an_upload_is_named_for_its_detected_type():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.files import check_upload

    upload = SimpleUploadedFile("evil.html", b"%PDF-1.4\n<html><script>x</script></html>",
                                "text/html")  # fmt: skip
    assert check_upload(upload, field="file") == "application/pdf"
    assert upload.name == "evil.pdf"


def test_item8_detention_document_errors_are_keyed_file(api, parties):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from detentions.tests.factories import ex_officio

    users = parties["users"]
    mark = approved(users["holder_a"], parties["holder_a"], users["gacc"])
    case = ex_officio(users["ningbo"], mark)
    api.force_authenticate(users["ningbo"])
    response = api.post(
        f"/api/v1/detentions/{case.pk}/documents/",
        {"kind": "other", "title": "x", "file": SimpleUploadedFile("a.pdf", b"<html></html>")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()
    assert "document" not in response.json()


# --- 7. responses match the OpenAPI schema -----------------------------------------------------


@pytest.fixture(scope="module")
def openapi():
    from tests.test_schemathesis import openapi_schema

    return openapi_schema()


@pytest.mark.parametrize(
    "component, field",
    [
        ("Retag", "queued_at"),
        ("Retag", "started_at"),
        ("Retag", "finished_at"),
        ("CampaignTag", "tagged_by"),
        ("CampaignTag", "removed_by"),
        ("OfficerDetentionDetail", "no_penalty_criterion"),
        ("Event", "actor"),
        ("CaseEvent", "actor"),
        ("ReferralEvent", "actor"),
    ],
)
def test_item7_fields_that_may_be_null_are_declared_nullable(openapi, component, field):
    assert openapi["components"]["schemas"][component]["properties"][field]["nullable"] is True


def test_item7_holders_campaigns_without_priority_match_the_schema(openapi):
    assert "priority" not in openapi["components"]["schemas"]["OfficerCampaign"]["required"]


@pytest.mark.parametrize("path", ["/api/v1/regions/", "/api/v1/detentions/{id}/campaign-tags/"])
def test_item7_lists_are_paginated_in_the_schema(openapi, path):
    schema = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    assert schema["schema"]["$ref"].startswith("#/components/schemas/Paginated")


def test_item7_regions_and_campaign_tags_answer_paginated(api, parties):
    from detentions.tests.factories import ex_officio

    users = parties["users"]
    case = ex_officio(users["ningbo"], approved(users["holder_a"], parties["holder_a"],
                                                users["gacc"]))  # fmt: skip
    api.force_authenticate(users["ningbo"])
    for url in ("/api/v1/regions/", f"/api/v1/detentions/{case.pk}/campaign-tags/"):
        body = api.get(url).json()
        assert set(body) == {"count", "next", "previous", "results"}, url


# --- 2 (again): a JSON body that is not an object is a 400, never a 500 -----------------------


@pytest.mark.parametrize("body", ["true", "false", "[]", "12", '"x"', "null"])
def test_item2_step_endpoints_answer_400_to_a_body_that_is_not_an_object(api, parties, body):
    """The fuzzer's `-d false` to /detentions/{id}/close/ and /referrals/{id}/decline/ once
    gave an AttributeError (a bool has no `.items()`)."""
    from detentions.models import Referral
    from detentions.tests.factories import detained, step

    users = parties["users"]
    mark = approved(users["holder_a"], parties["holder_a"], users["gacc"])
    case = detained(users["ningbo"], users["holder_a"], mark)
    step(case, users["ningbo"], "determine_infringing", "2025-10-20")
    api.force_authenticate(users["ningbo"])
    referral = api.post(
        "/api/v1/referrals/",
        {"detention": case.pk, "organ": "Ningbo PSB", "grounds": "x", "referred_on": "2025-10-22"},
        format="json",
    ).json()
    events = case.events.count()
    for url in (
        f"/api/v1/detentions/{case.pk}/close/",
        f"/api/v1/referrals/{referral['id']}/decline/",
    ):
        response = api.post(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.content)
    assert case.events.count() == events
    assert Referral.objects.get(pk=referral["id"]).status == "referred"
