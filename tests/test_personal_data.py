"""Issue 20, beyond the fixes: the consignor's and consignee's personal particulars under
PIPL (detentions/personal_data.py). A detention notice discloses their name and country to
the holder (R12); address, contact and identity document stay with customs: holders and
agents never see them; officers see them masked in lists and step answers, unmasked on a
case's detail only (API detail, admin change page), and each such read is logged."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from detentions.models import PersonalDataRead
from detentions.personal_data import PERSONAL_FIELDS, mask
from detentions.tests.factories import SHIPMENT, ex_officio
from recordals.tests.factories import approved

pytestmark = pytest.mark.django_db

URL = "/api/v1/detentions/"
UNMASKED = {field: SHIPMENT[field] for field in PERSONAL_FIELDS}
MASKED = {
    "consignor_address": "88 ****",
    "consignor_contact": "+86************00",
    "consignor_id_number": "91*************X1",
    "consignee_address": "12 ****",
}


@pytest.fixture
def case(parties):
    mark = approved(parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"])
    return ex_officio(parties["users"]["ningbo"], mark)


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def personal(body: dict) -> dict:
    return {field: body[field] for field in PERSONAL_FIELDS if field in body}


def test_the_masks_hide_all_but_a_few_characters():
    assert {field: mask(field, UNMASKED[field]) for field in PERSONAL_FIELDS} == MASKED
    assert mask("consignor_id_number", "") == ""
    assert mask("consignor_id_number", "E12345") == "****"  # too short to show any of it
    assert mask("consignee_address", "浙江省义乌市福田路88号") == "浙江省****"


# --- the table: role x endpoint -> unmasked, masked or absent ----------------------------------

TABLE = [
    # role, endpoint, what the personal fields are
    ("gacc", "api_detail", "unmasked"),
    ("ningbo", "api_detail", "unmasked"),
    ("gacc", "api_list", "masked"),
    ("ningbo", "api_list", "masked"),
    ("ningbo", "api_step", "masked"),
    ("holder_a", "api_detail", "absent"),
    ("holder_a", "api_list", "absent"),
    ("agent_a", "api_detail", "absent"),
    ("agent_a", "api_list", "absent"),
]


def read(endpoint, user, case):
    client = api_as(user)
    if endpoint == "api_detail":
        response = client.get(f"{URL}{case.pk}/")
        assert response.status_code == 200
        return response.json()
    if endpoint == "api_list":
        response = client.get(URL)
        assert response.status_code == 200
        (row,) = [r for r in response.json()["results"] if r["id"] == case.pk]
        return row
    lines = [
        {"description": "Plush toys", "hs_code": "950300", "category": "toys",
         "quantity": 10, "value": "100.00"}
    ]  # fmt: skip
    response = client.put(f"{URL}{case.pk}/goods/", {"goods_lines": lines}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


@pytest.mark.parametrize(("role", "endpoint", "shown"), TABLE)
def test_pipl_who_sees_the_personal_particulars_where(parties, case, role, endpoint, shown):
    body = read(endpoint, parties["users"][role], case)
    expected = {"unmasked": UNMASKED, "masked": MASKED, "absent": {}}[shown]
    assert personal(body) == expected
    # Name and country are what the notice discloses: everyone on the case sees them (R12).
    assert (body["consignor_name"], body["consignee_country"]) == ("Yiwu Bright Trading Co.", "NG")
    reads = PersonalDataRead.objects.filter(detention=case)
    assert reads.count() == (1 if shown == "unmasked" else 0)


@pytest.mark.parametrize("role", ["holder_b", "shenzhen"])
def test_pipl_those_who_may_not_see_the_case_get_a_404_and_no_read(parties, case, role):
    assert api_as(parties["users"][role]).get(f"{URL}{case.pk}/").status_code == 404
    assert not PersonalDataRead.objects.exists()


def test_pipl_every_unmasked_read_is_logged_once_with_who_when_which_case(parties, case):
    gacc, ningbo = parties["users"]["gacc"], parties["users"]["ningbo"]
    first = dt.datetime(2025, 10, 9, 2, 0, tzinfo=dt.UTC)
    second = first + dt.timedelta(hours=3)
    with time_machine.travel(first, tick=False):
        api_as(ningbo).get(f"{URL}{case.pk}/")
    with time_machine.travel(second, tick=False):
        api_as(gacc).get(f"{URL}{case.pk}/")
        api_as(gacc).get(URL)  # a list: masked, not logged
    rows = list(
        PersonalDataRead.objects.order_by("at").values_list(
            "reader__username", "at", "detention_id", "channel", "fields"
        )
    )
    assert rows == [
        (ningbo.username, first, case.pk, "api", list(PERSONAL_FIELDS)),
        (gacc.username, second, case.pk, "api", list(PERSONAL_FIELDS)),
    ]


def test_pipl_a_case_without_personal_particulars_logs_nothing(parties):
    mark = approved(parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"])
    blank = {field: "" for field in PERSONAL_FIELDS}
    case = ex_officio(parties["users"]["ningbo"], mark, **blank)
    body = api_as(parties["users"]["ningbo"]).get(f"{URL}{case.pk}/").json()
    assert personal(body) == blank
    assert not PersonalDataRead.objects.exists()


# --- the admin: unmasked on the change page (logged), never in the list ------------------------


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pipl_admin_change_page_shows_them_and_logs_the_read(parties, case):
    ningbo = parties["users"]["ningbo"]
    page = admin_client(ningbo).get(reverse("admin:detentions_detention_change", args=[case.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for value in UNMASKED.values():
        assert value in text
    (row,) = PersonalDataRead.objects.all()
    assert (row.reader, row.detention, row.channel) == (ningbo, case, "admin")


def test_pipl_admin_case_list_shows_none_of_them_and_logs_nothing(parties, case):
    page = admin_client(parties["users"]["gacc"]).get(
        reverse("admin:detentions_detention_changelist")
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert case.number in text
    for value in UNMASKED.values():
        assert value not in text
    assert not PersonalDataRead.objects.exists()


def test_pipl_officers_see_the_log_read_only_scoped_to_their_cases(parties, case):
    api_as(parties["users"]["ningbo"]).get(f"{URL}{case.pk}/")
    (row,) = PersonalDataRead.objects.all()
    changelist = reverse("admin:detentions_personaldataread_changelist")
    change = reverse("admin:detentions_personaldataread_change", args=[row.pk])
    for role in ("gacc", "ningbo"):
        client = admin_client(parties["users"][role])
        listed = client.get(changelist)
        assert listed.status_code == 200
        assert case.number in listed.content.decode()
        page = client.get(change)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()  # read-only
        assert client.post(change, {"channel": "admin"}).status_code == 403
        assert client.get(reverse("admin:detentions_personaldataread_add")).status_code == 403
        delete = reverse("admin:detentions_personaldataread_delete", args=[row.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    # Shenzhen's officer does not handle the case: its reads are not Shenzhen's to see.
    other = admin_client(parties["users"]["shenzhen"]).get(changelist)
    assert case.number not in other.content.decode()
    assert PersonalDataRead.objects.count() == 1


def test_pipl_holders_have_no_admin_and_no_log(parties, case):
    client = admin_client(parties["users"]["holder_a"])
    response = client.get(reverse("admin:detentions_personaldataread_changelist"))
    assert response.status_code == 302  # to the admin's sign-in: not an officer


# --- the portal: the holder's case pages show name and country only ---------------------------


@pytest.mark.parametrize("role", ["holder_a", "agent_a"])
def test_pipl_portal_case_pages_never_show_them(parties, case, role):
    client = admin_client(parties["users"][role])
    detail = client.get(reverse("portal:case", args=[case.pk]))
    assert "Yiwu Bright Trading Co. (CN)" in detail.content.decode()  # as the notice has it
    for page in (detail, client.get(reverse("portal:cases"))):
        assert page.status_code == 200
        text = page.content.decode()
        for value in (*UNMASKED.values(), *MASKED.values()):
            assert value not in text
    assert not PersonalDataRead.objects.exists()


# --- encryption at rest of the identity document number (core/encryption.py) ---------------


def stored_id_number(case) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT consignor_id_number FROM detentions_detention WHERE id = %s", [case.pk]
        )
        return cursor.fetchone()[0]


def test_pipl_the_identity_document_number_is_stored_encrypted(parties, case):
    from detentions.models import Detention

    stored = stored_id_number(case)
    assert stored.startswith("fernet:")
    assert SHIPMENT["consignor_id_number"] not in stored
    assert Detention.objects.get(pk=case.pk).consignor_id_number == SHIPMENT["consignor_id_number"]
    # Encrypted values are not searched: the case list's search still finds the case by
    # its other fields, and the number itself matches nothing in SQL.
    assert not Detention.objects.filter(consignor_id_number=SHIPMENT["consignor_id_number"])


def test_pipl_rows_stored_before_are_encrypted_by_the_migration(parties, case):
    import importlib

    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:  # a row as a bulk loader or an old release wrote it
        cursor.execute(
            "UPDATE detentions_detention SET consignor_id_number = %s WHERE id = %s",
            ["E7654321", case.pk],
        )
    from detentions.models import Detention

    assert Detention.objects.get(pk=case.pk).consignor_id_number == "E7654321"  # still read
    migration = importlib.import_module("detentions.migrations.0007_encrypt_consignor_id_number")
    migration.encrypt_rows(apps, None)
    assert stored_id_number(case).startswith("fernet:")
    assert Detention.objects.get(pk=case.pk).consignor_id_number == "E7654321"

    migration.decrypt_rows(apps, SimpleNamespace(connection=connection))  # the schema editor
    assert stored_id_number(case) == "E7654321"


def test_pipl_keys_rotate_the_first_encrypts_every_one_decrypts(parties, case, settings):
    from cryptography.fernet import Fernet

    from core.encryption import derived_key
    from detentions.models import Detention

    new = Fernet.generate_key().decode()
    settings.PERSONAL_DATA_KEYS = [new, derived_key(settings.SECRET_KEY).decode()]
    assert Detention.objects.get(pk=case.pk).consignor_id_number == SHIPMENT["consignor_id_number"]
    Detention.objects.filter(pk=case.pk).update(consignor_id_number="G1234567")
    settings.PERSONAL_DATA_KEYS = [new]
    assert Detention.objects.get(pk=case.pk).consignor_id_number == "G1234567"
