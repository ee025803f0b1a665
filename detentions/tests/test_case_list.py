"""The officers' case list: the next deadline among the first columns and soonest first
(cases without one last); one search over the case's numbers, its goods, its rights, the
holder and the consignor, each case listed once; the desk's queues as a filter."""

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.test import Client

from accounts.models import Port
from accounts.tests.factories import PASSWORD, customs_office
from detentions import services
from detentions.models import Detention
from detentions.tests.factories import SERVED, SHIPMENT, ex_officio, lines, step
from recordals.tests.factories import approved

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
CASES = "/admin/detentions/detention/"


def login(parties, role="ningbo"):
    client = Client()
    client.login(username=parties["users"][role].username, password=PASSWORD)
    return client


def listed(page) -> list[str]:
    """The case numbers of the list, in order, each once per row."""
    return re.findall(
        r'<th class="field-number"><a href="[^"]+">([^<]+)</a>', page.content.decode()
    )


@pytest.fixture
def molly(parties):
    return approved(
        parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"],
        right_name="MOLLY", registration_number="41234568",
    )  # fmt: skip


def case_with_goods(officer, recordal, *descriptions, served_on=SERVED, **shipment):
    ningbo = customs_office("3100")
    goods = [
        {**line, "description": description}
        for line, description in zip(
            lines(*["1000.00"] * len(descriptions)), descriptions, strict=True
        )
    ]
    return services.detention_open_ex_officio(
        actor=officer,
        office=ningbo,
        port=Port.objects.filter(office=ningbo).order_by("pk").first(),
        shipment={**SHIPMENT, **shipment},
        recordals=[recordal],
        goods_lines=goods,
        served_on=served_on,
    )


def test_the_next_deadline_is_among_the_first_columns():
    columns = admin.site._registry[Detention].list_display
    assert columns.index("next_deadline") <= 2


def test_the_list_opens_soonest_deadline_first_and_cases_without_one_last(
    parties, officer, holder_user, mark
):
    later = ex_officio(officer, mark, served_on=D("2025-10-20"))  # reply due 2025-10-23
    sooner = ex_officio(officer, mark, served_on=D("2025-09-26"))  # reply due 2025-09-30
    closed = ex_officio(officer, mark, served_on=D("2025-09-25"))
    step(closed, holder_user, "decline", "2025-09-26", reason="Genuine goods of a licensee")
    assert closed.events.count() == 2
    page = login(parties).get(CASES)
    assert page.status_code == 200
    assert listed(page) == [sooner.number, later.number, closed.number]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("labubu", "labubu"),  # the right's name (the recordal's mark text)
        ("molly", "molly"),
        ("vinyl figure", "molly"),  # a goods line's description
        ("Yiwu Bright", "labubu"),  # the consignor
        ("310420250009", "molly"),  # the declaration number
        ("Holder A", "both"),  # the rights holder
    ],
)
def test_the_search_finds_a_case_by_its_right_goods_parties_and_numbers(
    parties, officer, mark, molly, query, found
):
    labubu = case_with_goods(officer, mark, "Plush pendant", "Plush pendant keyring")
    molly_case = case_with_goods(
        officer, molly, "MOLLY vinyl figure", "Vinyl figure box",
        declaration_number="310420250009999", consignor_name="Shantou Toys Co.",
    )  # fmt: skip
    cases = {"labubu": [labubu.number], "molly": [molly_case.number]}
    cases["both"] = sorted([labubu.number, molly_case.number])
    page = login(parties).get(CASES, {"q": query})
    assert page.status_code == 200
    assert sorted(listed(page)) == cases[found]  # each case once, however many lines match


def test_searching_labubu_finds_the_labubu_case_once(parties, officer, mark, molly):
    labubu = case_with_goods(officer, mark, "LABUBU plush pendant", "LABUBU keyring")
    case_with_goods(officer, molly, "MOLLY vinyl figure")
    page = login(parties).get(CASES, {"q": "LABUBU"})
    assert listed(page) == [labubu.number]
    assert b"1 result" in page.content


def test_another_office_s_case_is_not_found(parties, officer, mark):
    case_with_goods(officer, mark, "Plush pendant")
    page = login(parties, "shenzhen").get(CASES, {"q": "labubu"})
    assert listed(page) == []
