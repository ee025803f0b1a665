"""The reader's language (issue 16): the switcher on every page works with one click, the
choice is saved on the user, a browser asking for Chinese gets Chinese, bad input a 400."""

import re

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def signed_in(user, **headers) -> Client:
    client = Client(headers=headers)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_browser_asking_for_chinese_gets_the_admin_in_chinese_others_english():
    chinese = Client(headers={"accept-language": "zh-CN,zh;q=0.9"}).get("/admin/login/")
    assert 'lang="zh-hans"' in chinese.content.decode()
    english = Client(headers={"accept-language": "de-DE,de;q=0.9"}).get("/admin/login/")
    assert 'lang="en"' in english.content.decode()


def test_every_page_carries_the_switcher_with_a_link_back_to_itself(parties):
    officer = parties["users"]["gacc"]
    for url in ("/", "/admin/login/", "/admin/"):
        client = signed_in(officer) if url == "/admin/" else Client()
        content = client.get(url).content.decode()
        assert 'class="language-switcher"' in content, url
        assert f'href="/i18n/setlang/?language=zh-hans&amp;next={url}"' in (content), url


def test_one_click_switches_the_language_and_saves_it_on_the_user(parties):
    officer = parties["users"]["gacc"]
    client = signed_in(officer)
    response = client.get("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert response.cookies["django_language"].value == "zh-hans"
    officer.refresh_from_db()
    assert officer.preferred_language == "zh-hans"
    assert 'lang="zh-hans"' in client.get("/admin/").content.decode()


def test_a_signed_in_user_reads_their_own_language_in_a_new_browser(parties):
    officer = parties["users"]["gacc"]
    officer.preferred_language = "zh-hans"
    officer.save(update_fields=["preferred_language"])
    page = signed_in(officer, **{"accept-language": "en"}).get("/admin/")
    assert 'lang="zh-hans"' in page.content.decode()


def test_the_choice_made_on_this_browser_wins_over_the_users_language(parties):
    officer = parties["users"]["gacc"]
    officer.preferred_language = "zh-hans"
    officer.save(update_fields=["preferred_language"])
    client = signed_in(officer)
    client.cookies["django_language"] = "en"
    assert 'lang="en"' in client.get("/admin/").content.decode()


def test_an_unknown_language_is_a_400_that_changes_nothing(parties):
    officer = parties["users"]["gacc"]
    before = officer.preferred_language
    response = signed_in(officer).get("/i18n/setlang/", {"language": "xx", "next": "/admin/"})
    assert response.status_code == 400
    assert "Unknown language" in response.content.decode()
    assert "django_language" not in response.cookies
    officer.refresh_from_db()
    assert officer.preferred_language == before


def test_the_switcher_never_sends_the_reader_to_another_site():
    response = Client().get(
        "/i18n/setlang/", {"language": "en", "next": "https://evil.example/phish"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_switcher_also_takes_a_post():
    response = Client().post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "zh-hans"


@pytest.mark.parametrize(("language", "chinese"), [("zh-CN,zh;q=0.9", True), ("en-GB", False)])
def test_a_409_speaks_the_callers_language_and_keeps_its_code(api, parties, language, chinese):
    """R5: an approved recordal cannot be approved again; the message is the reader's, the
    machine-readable code stays English."""
    from recordals.tests.factories import D, approved

    users = parties["users"]
    recordal = approved(users["holder_a"], parties["holder_a"], users["gacc"],
                        right_valid_until=D("2040-01-01"))  # fmt: skip
    api.force_authenticate(users["gacc"])
    response = api.post(
        f"/api/v1/recordals/{recordal.pk}/approve/", {}, format="json",
        headers={"accept-language": language},
    )  # fmt: skip
    assert response.status_code == 409
    body = response.json()
    text = " ".join(str(value) for value in body.values())
    assert bool(CJK.search(text)) is chinese, body
    assert all(not CJK.search(str(body.get(key, ""))) for key in ("code", "error")), body
