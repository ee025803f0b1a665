"""The demo screening (screening/demo.py, issue 19): a handful of declarations, the
LABUBU shipment of DOMAIN.md screened high before it was detained; seed_demo twice
changes nothing; the admin shows the hits with a link to open an ex officio case (R12)."""

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from screening import demo
from screening.models import MarkVariant, ScreeningBatch, ScreeningResult

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo")
        yield
        transaction.set_rollback(True)


def by_number(number):
    return ScreeningResult.objects.get(batch__name=demo.BATCH, number=number)


def test_demo_promises_hold(seeded):
    assert demo.check() == []
    assert ScreeningResult.objects.filter(batch__name=demo.BATCH).count() == 5


def test_r12_labubu_shipment_screened_high_on_every_line(seeded):
    result = by_number("310720240004718253")
    assert (result.risk, result.level, result.authorised) == (100, "high", False)
    mark_lines = sorted(h["line"] for h in result.hits if h["rule"] in ("mark", "mark_fuzzy"))
    assert mark_lines == [0, 1, 2, 3, 4]
    assert {h["recordal"] for h in result.hits} == {
        MarkVariant.objects.get(text="LABUBU").recordal.number
    }
    assert all(h.get("reason_zh") for h in result.hits)


def test_licensee_shipment_is_authorised_and_low(seeded):
    result = by_number("310420250002200345")
    assert (result.level, result.authorised) == ("low", True)


def test_misspelled_mixed_script_and_known_infringer(seeded):
    assert by_number("530420250008812001").level == "high"
    infringer = by_number("310420250003300456")
    assert infringer.hits[0]["rule"] == "known_infringer"
    assert by_number("310420250004400567").level == "none"


def test_admin_shows_the_hits_with_open_case_link(seeded, client):
    client.force_login(User.objects.get(username="officer.ningbo"))
    result = by_number("310720240004718253")
    page = client.get(f"/admin/screening/screeningresult/{result.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rubber floor mats with the LABUBU character" in html
    assert "/admin/detentions/detention/open/?recordal_numbers=" in html
    listing = client.get("/admin/screening/screeningresult/")
    assert listing.status_code == 200 and "310720240004718253" in listing.content.decode()


def test_open_case_page_prefilled_from_a_hit(seeded, client):
    from screening.admin import open_case_url

    client.force_login(User.objects.get(username="officer.ningbo"))
    result = by_number("310720240004718253")
    url = open_case_url(result, result.hits[0])
    html = client.get(url).content.decode()
    assert 'value="Yiwu Xinrui Import &amp; Export Co., Ltd."' in html
    assert result.hits[0]["recordal"] in html
    assert "Rubber floor mats with the LABUBU character" in html


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = (
        list(ScreeningResult.objects.values_list("number", "risk", "level", "hits")),
        ScreeningBatch.objects.count(),
        MarkVariant.objects.count(),
    )
    call_command("seed_demo")
    second = (
        list(ScreeningResult.objects.values_list("number", "risk", "level", "hits")),
        ScreeningBatch.objects.count(),
        MarkVariant.objects.count(),
    )
    assert second == first


def test_holders_do_not_see_screening_in_the_admin(seeded, client):
    client.force_login(User.objects.get(username="holder.a"))
    assert client.get("/admin/screening/screeningresult/").status_code in (302, 403)
