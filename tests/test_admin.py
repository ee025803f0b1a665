"""The admin is for customs officers; holders and agents cannot enter it."""

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/",
    "/admin/accounts/rightsholder/",
    "/admin/accounts/ipagency/",
    "/admin/accounts/customsoffice/",
    "/admin/accounts/port/",
    "/admin/accounts/authorisation/",
]


@pytest.mark.parametrize("role", ["gacc", "ningbo"])
@pytest.mark.parametrize("page", PAGES)
def test_officers_open_admin_pages(parties, role, page):
    client = Client()
    client.login(username=parties["users"][role].username, password=PASSWORD)
    response = client.get(page)
    assert response.status_code == 200
    if page == "/admin/":
        assert b"Customs IPR protection" in response.content


@pytest.mark.parametrize("role", ["holder_a", "agent_a"])
def test_holders_and_agents_cannot_enter_the_admin(parties, role):
    client = Client()
    client.login(username=parties["users"][role].username, password=PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_gacc_edits_a_holder_in_the_admin_district_officer_only_reads(parties):
    holder = parties["holder_a"]
    url = f"/admin/accounts/rightsholder/{holder.pk}/change/"
    gacc, ningbo = Client(), Client()
    gacc.login(username=parties["users"]["gacc"].username, password=PASSWORD)
    ningbo.login(username=parties["users"]["ningbo"].username, password=PASSWORD)
    assert b'name="name_en"' in gacc.get(url).content
    assert b'name="name_en"' not in ningbo.get(url).content


def test_customs_office_page_lists_ningbo_ports(parties):
    client = Client()
    client.login(username=parties["users"]["gacc"].username, password=PASSWORD)
    response = client.get(f"/admin/accounts/customsoffice/{parties['ningbo'].pk}/change/")
    assert response.status_code == 200
    assert b"Meishan" in response.content
