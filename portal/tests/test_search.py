"""The public search page (R11): in-force recordals only, redacted as the API's public
search, paginated, no login; bad input is a 400 page."""

import pytest
from django.test import Client

from recordals.tests.factories import D, approved, complete_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def recordals(parties):
    users = parties["users"]
    return {
        "approved": approved(
            users["holder_a"], parties["holder_a"], users["gacc"], right_valid_until=D("2040-01-01")
        ),
        "draft": complete_draft(
            users["agent_a"], parties["holder_a"], registration_number="22223333"
        ),
    }


def test_r11_finds_in_force_recordals_without_login_and_shows_no_contacts(recordals):
    page = Client().get("/search/", {"q": "labubu"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "LABUBU" in text and "41234567" in text and "Plush toys" in text
    assert "1 recordal in force." in text
    # R11: licensees, known infringers and contacts are not public.
    assert "Dongguan Toy Works" not in text and "Fake Toys Trading" not in text
    assert "@" not in text.split("<main", 1)[1]


@pytest.mark.parametrize("q", ["41234567", "plush", "Holder A"])
def test_r11_search_by_registration_number_goods_and_holder(recordals, q):
    assert "LABUBU" in Client().get("/search/", {"q": q}).content.decode()


def test_r11_drafts_are_never_found(recordals):
    assert "1 recordal in force." in Client().get("/search/", {"q": "labubu"}).content.decode()
    assert "0 recordals in force." in Client().get("/search/", {"q": "22223333"}).content.decode()


def test_no_words_shows_the_form_only_and_too_long_is_400(recordals):
    page = Client().get("/search/")
    assert page.status_code == 200 and "recordals in force" not in page.content.decode()
    assert Client().get("/search/", {"q": "x" * 201}).status_code == 400
    assert Client().get("/search/", {"q": "'; drop table --"}).status_code == 200


def test_paginated_with_a_bounded_number_of_queries(parties, django_assert_max_num_queries):
    users = parties["users"]
    for n in range(23):
        approved(
            users["holder_a"], parties["holder_a"], users["gacc"],
            registration_number=f"{7000000 + n}", right_valid_until=D("2040-01-01"),
        )  # fmt: skip
    client = Client()
    with django_assert_max_num_queries(4):
        first = client.get("/search/", {"q": "labubu"})
    assert "23 recordals in force." in first.content.decode()
    assert "page=2" in first.content.decode()
    second = client.get("/search/", {"q": "labubu", "page": 2}).content.decode()
    assert second.count("<tr>") == 1 + 3  # heading and the last three
    assert client.get("/search/", {"q": "labubu", "page": "x"}).status_code == 200
