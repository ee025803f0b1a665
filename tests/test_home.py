"""`/` is a real page until the portal exists: what the service is and where to go; the
admin's "View site" leads to it; the API docs work offline (no CDN)."""

import re

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_home_page_says_what_the_service_is_and_links_the_doors():
    page = Client().get("/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "<title>Customs IPR protection</title>" in content
    assert "customs protection of intellectual property rights" in content
    assert 'href="/admin/"' in content
    assert 'href="/api/docs/"' in content
    assert 'href="/search/"' in content


def test_the_home_page_is_translated(settings):
    page = Client(headers={"accept-language": "zh-hans"}).get("/")
    assert page.status_code == 200
    assert 'lang="zh-hans"' in page.content.decode()


def test_view_site_in_the_admin_leads_home(parties):
    client = Client()
    client.login(username=parties["users"]["gacc"].username, password=PASSWORD)
    content = client.get("/admin/").content.decode()
    assert '<a href="/">View site</a>' in content


def test_the_api_docs_load_swagger_ui_from_our_own_static_files(api):
    page = api.get("/api/docs/")
    assert page.status_code == 200
    content = page.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', content)
    urls += re.findall(r"""["'](https?://[^"']+)["']""", content)
    assert any("swagger-ui" in url and url.startswith("/static/") for url in urls), urls
    assert [url for url in urls if url.startswith(("http:", "https:", "//"))] == []
    assert "cdn.jsdelivr" not in content and "unpkg" not in content
