"""The portfolio (issue 18): who sees which recordals (a table of roles), its filters, sorts
and search on every column, the exports of the filtered list (CSV, Excel) and of a
selection, the printable view, renewal requested in bulk for those in the window only
(R7, the others reported with the workflow's reason), and a query budget whatever the
portfolio's size. Today is fixed (2025-06-02) so that the renewal windows are too."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import AuthorisationFactory, RightsHolderFactory, UserFactory
from core.timezone import LEGAL_TZ
from recordals import rules, selectors
from recordals.models import Recordal
from recordals.tests.factories import approved, complete_draft

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 6, 2, 10, 0, tzinfo=LEGAL_TZ)
D = dt.date.fromisoformat
LONG_RIGHT = {"right_valid_from": D("2015-01-01"), "right_valid_until": D("2035-12-31")}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def book(parties):
    """Holder A: one in its renewal window (to 2025-08-31), one whose window opens within
    90 days (2025-07-09), one in its window but capped by its right (to 2025-09-30: nothing
    to renew), a draft. Holder B: one in its window."""
    users, gacc = parties["users"], parties["users"]["gacc"]
    holder_a = users["holder_a"]
    # Holder B is foreign: it files through an agent (R3).
    agency_b = AuthorisationFactory(holder=parties["holder_b"]).agency
    agent_b = UserFactory(organisation=agency_b)
    made = {
        "open": approved(holder_a, parties["holder_a"], gacc, on=D("2015-09-01"),
                         right_name="LABUBU", registration_number="41234567", **LONG_RIGHT),
        "soon": approved(holder_a, parties["holder_a"], gacc, on=D("2016-01-10"),
                         right_name="MOLLY", registration_number="23456789",
                         nice_classes=[16, 28], **LONG_RIGHT),
        "capped": approved(holder_a, parties["holder_a"], gacc, on=D("2016-03-01"),
                           right_name="DIMOO", registration_number="51234567",
                           right_valid_from=D("2015-10-01"), right_valid_until=D("2025-09-30")),
        "draft": complete_draft(holder_a, parties["holder_a"], right_name="CRYBABY",
                                registration_number="60123456", kind="trademark"),
        "b": approved(agent_b, parties["holder_b"], gacc, on=D("2015-09-01"),
                      right_name="NORDKAP", registration_number="47123456", **LONG_RIGHT),
    }  # fmt: skip
    return {key: Recordal.objects.get(pk=r.pk) for key, r in made.items()}


def names(response) -> list[str]:
    return [row["recordal"].right_name for row in response.context["rows"]]


def get(web, user, **params):
    web.force_login(user)
    response = web.get(reverse("portal:recordals"), params)
    assert response.status_code == 200
    return response


# --- who sees what --------------------------------------------------------------------------

VISIBLE = {
    "holder_a": {"LABUBU", "MOLLY", "DIMOO", "CRYBABY"},
    "agent_a": {"LABUBU", "MOLLY", "DIMOO", "CRYBABY"},
    "holder_b": {"NORDKAP"},
    "agent_expired": set(),  # its power of attorney ended in 2021
}


@pytest.mark.parametrize(("name", "expected"), VISIBLE.items())
def test_r11_the_portfolio_shows_the_recordals_the_user_may_see(client, parties, book, name,
                                                                expected):  # fmt: skip
    user = parties["users"][name]
    assert set(names(get(client, user))) == expected
    exported = client.get(reverse("portal:recordals_export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    assert {r[2] for r in rows[1:]} == expected
    printed = client.get(reverse("portal:recordals_print"))
    assert {row["recordal"].right_name for row in printed.context["rows"]} == expected


@pytest.mark.parametrize("name", ["gacc", "ningbo"])
def test_officers_are_sent_to_the_admin(client, parties, name):
    client.force_login(parties["users"][name])
    for url in ("portal:recordals", "portal:recordals_print", "portal:recordals_export"):
        assert client.get(reverse(url))["Location"] == reverse("admin:index")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("portal:recordals", "portal:recordals_print", "portal:recordals_export"):
        assert client.get(reverse(url))["Location"].startswith("/accounts/login/?next=")
    assert client.post(reverse("portal:recordals_bulk"))["Location"].startswith("/accounts/")


# --- filters, search, sorts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "approved"}, ["LABUBU", "MOLLY", "DIMOO"]),
        ({"status": "draft"}, ["CRYBABY"]),
        ({"kind": "trademark"}, ["LABUBU", "MOLLY", "DIMOO", "CRYBABY"]),
        ({"kind": "copyright"}, []),
        ({"renewal": "open"}, ["LABUBU", "DIMOO"]),  # DIMOO's right ends with it (R7: refused)
        ({"renewal": "soon"}, ["MOLLY"]),
        ({"term_from": "2025-10-01", "term_until": "2026-12-31"}, ["MOLLY"]),
        ({"term_until": "2025-08-31"}, ["LABUBU"]),
        ({"term_from": "2025-09-01", "term_until": "2025-12-31"}, ["DIMOO"]),
        ({"nice_class": "16"}, ["MOLLY"]),
        ({"q": "labu"}, ["LABUBU"]),
        ({"q": "23456789"}, ["MOLLY"]),
        ({"q": "T2015"}, ["LABUBU"]),  # the recordal number
        ({"q": "权利人"}, ["LABUBU", "MOLLY", "DIMOO", "CRYBABY"]),  # the holder, in Chinese
    ],
)
def test_filters_and_search_narrow_the_list(client, parties, book, params, expected):
    response = get(client, parties["users"]["agent_a"], sort="right", **params)
    assert sorted(names(response)) == sorted(expected)


def test_r7_the_renewal_window_filter_follows_todays_date(client, parties, book):
    with time_machine.travel(dt.datetime(2025, 7, 10, 10, tzinfo=LEGAL_TZ), tick=False):
        response = get(client, parties["users"]["holder_a"], renewal="open")
        assert set(names(response)) == {"LABUBU", "MOLLY", "DIMOO"}


def test_an_agent_filters_by_client(client, parties, book):
    other = RightsHolderFactory(name_en="Holder C")
    AuthorisationFactory(agency=parties["agency_a"], holder=other)
    AuthorisationFactory(agency=parties["agency_a"], holder=parties["holder_b"])
    response = get(client, parties["users"]["agent_a"], client=parties["holder_b"].pk)
    assert names(response) == ["NORDKAP"]
    assert "client" in response.context["form"].fields
    # The holders to choose from: the agent's clients only.
    assert set(response.context["form"].fields["client"].queryset) == {
        parties["holder_a"], parties["holder_b"], other}  # fmt: skip


SORTS = {
    "number": lambda r: (r.number is None, r.number or ""),
    "right": lambda r: r.right_name,
    "registration_number": lambda r: r.registration_number,
    "term_ends": lambda r: (r.valid_until is None, r.valid_until or dt.date.min),
    "renewal": lambda r: (r.valid_until is None, r.valid_until or dt.date.min),
    "status": lambda r: r.status,
    "kind": lambda r: r.kind,
}


@pytest.mark.parametrize("key", SORTS)
def test_every_column_sorts_both_ways(client, parties, book, key):
    user = parties["users"]["holder_a"]
    mine = [r for k, r in book.items() if k != "b"]
    ascending = [r.right_name for r in sorted(mine, key=lambda r: (SORTS[key](r), r.pk))]
    assert names(get(client, user, sort=key)) == ascending
    descending = names(get(client, user, sort=f"-{key}"))
    nulls = [r.right_name for r in mine if SORTS[key](r)[0] is True] if key in (
        "number", "term_ends", "renewal") else []  # fmt: skip
    # Descending, empty values still come last (nulls last both ways).
    assert descending == [n for n in reversed(ascending) if n not in nulls] + nulls


def test_every_column_header_is_a_sort_link(client, parties, book):
    response = get(client, parties["users"]["holder_a"], sort="term_ends", status="approved")
    headers = {h["key"]: h for h in response.context["headers"]}
    assert set(headers) == {"number", "holder", "right", "kind", "registration_number",
                            "classes", "status", "term_ends", "renewal", "right_valid_until",
                            "updated"}  # fmt: skip
    assert headers["term_ends"]["sorted"] == "ascending"
    assert headers["term_ends"]["url"] == "?sort=-term_ends&status=approved"
    assert headers["right"]["url"] == "?sort=right&status=approved"
    for key in headers:  # each sorts without an error
        assert client.get(reverse("portal:recordals"), {"sort": key}).status_code == 200


def test_r7_the_window_computed_by_the_database_is_the_rule(parties, book):
    """renewal_opens (PostgreSQL) equals rules.renewal_window_opens on month ends."""
    recordal = book["open"]
    for day in ("2025-08-31", "2028-08-31", "2028-02-29", "2027-02-28", "2026-12-31"):
        Recordal.objects.filter(pk=recordal.pk).update(valid_until=D(day))
        annotated = selectors.with_renewal_window(Recordal.objects.filter(pk=recordal.pk)).get()
        assert annotated.renewal_opens == rules.renewal_window_opens(D(day)), day


def test_the_list_shows_the_renewal_window_and_pages(client, parties, book):
    response = get(client, parties["users"]["holder_a"], sort="right")
    rows = {row["recordal"].right_name: row for row in response.context["rows"]}
    cells = {c["key"]: c["text"] for c in rows["LABUBU"]["cells"]}
    assert cells["renewal"] == "2025-02-28 \u2013 2025-08-31"
    assert cells["term_ends"] == "2025-08-31"
    assert rows["LABUBU"]["window_open"] and not rows["MOLLY"]["window_open"]
    assert {c["key"]: c["text"] for c in rows["MOLLY"]["cells"]}["classes"] == "16, 28"
    assert {c["key"]: c["text"] for c in rows["CRYBABY"]["cells"]}["renewal"] == ""
    assert 'class="window-open"' in response.content.decode()


def test_the_query_count_does_not_grow_with_the_portfolio(client, parties, book):
    user = parties["users"]["agent_a"]
    client.force_login(user)
    client.get(reverse("portal:recordals"))  # warm
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal:recordals"))
    for n in range(30):
        complete_draft(parties["users"]["holder_a"], parties["holder_a"],
                       registration_number=f"7000{n:04d}")  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("portal:recordals"))
    assert len(response.context["rows"]) == 34
    assert len(many) == len(few) <= 12


# --- exports and the printable view ----------------------------------------------------------


def test_the_csv_export_is_the_filtered_list_in_its_order(client, parties, book):
    client.force_login(parties["users"]["agent_a"])
    response = client.get(
        reverse("portal:recordals_export"), {"format": "csv", "status": "approved", "sort": "right"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="recordals-2025-06-02.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Recordal number", "Rights holder", "Right", "Kind of right",
                       "Registration number", "Nice classes", "Status", "Term ends",
                       "Renewal window", "Right valid until", "Last changed"]  # fmt: skip
    labubu = book["open"]
    assert rows[1:] == [
        [book["capped"].number, "Holder A", "DIMOO", "Trademark", "51234567", "28", "Approved",
         "2025-09-30", "2025-03-30 \u2013 2025-09-30", "2025-09-30", "2025-06-02"],
        [labubu.number, "Holder A", "LABUBU", "Trademark", "41234567", "28", "Approved",
         "2025-08-31", "2025-02-28 \u2013 2025-08-31", "2035-12-31", "2025-06-02"],
        [book["soon"].number, "Holder A", "MOLLY", "Trademark", "23456789", "16, 28",
         "Approved", "2026-01-09", "2025-07-09 \u2013 2026-01-09", "2035-12-31", "2025-06-02"],
    ]  # fmt: skip


def test_the_excel_export_in_chinese(client, parties, book):
    client.force_login(parties["users"]["holder_a"])
    response = client.get(
        reverse("portal:recordals_export"),
        {"format": "xlsx", "kind": "trademark", "sort": "-right"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("备案号", "权利人", "知识产权", "知识产权类型")
    assert [row[2] for row in values[1:]] == ["MOLLY", "LABUBU", "DIMOO", "CRYBABY"]
    assert values[1][6] == "已核准" and values[4][6] == "草稿"
    assert values[1][1] == parties["holder_a"].name_zh


def test_exported_text_never_runs_as_a_formula(client, parties, book):
    Recordal.objects.filter(pk=book["draft"].pk).update(right_name="=HYPERLINK(1)")
    client.force_login(parties["users"]["holder_a"])
    response = client.get(reverse("portal:recordals_export"), {"format": "csv", "status": "draft"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    bad = client.get(reverse("portal:recordals_export"), {"format": "pdf"})
    assert bad.status_code == 400


def test_the_printable_view_lists_the_filtered_recordals(client, parties, book):
    client.force_login(parties["users"]["holder_a"])
    response = client.get(reverse("portal:recordals_print"), {"renewal": "open", "sort": "right"})
    assert [row["recordal"].right_name for row in response.context["rows"]] == ["DIMOO", "LABUBU"]
    text = response.content.decode()
    assert 'class="printable"' in text and "Printed on 2025-06-02" in text
    assert "Renewal (R7): Renewal window open now" in text


# --- bulk actions -----------------------------------------------------------------------------


def bulk(client, user, action, *recordals):
    client.force_login(user)
    return client.post(
        reverse("portal:recordals_bulk"),
        {"action": action, "ids": [r.pk for r in recordals], "next": "/recordals/?status=approved"},
    )


def test_r7_bulk_renewal_is_requested_for_those_in_the_window_only(client, parties, book):
    response = bulk(client, parties["users"]["agent_a"], "request_renewal", *book.values())
    assert response.status_code == 200
    done = [item["recordal"].right_name for item in response.context["done"]]
    refused = {item["recordal"].right_name: item["reason"] for item in response.context["refused"]}
    assert done == ["LABUBU"]
    assert refused == {
        "MOLLY": "Renewal can be requested from 2025-07-09 to 2026-01-09 (R7).",
        "DIMOO": "The right itself ends with this term: there is nothing to renew (R7).",
        "CRYBABY": "'Request renewal' is not possible while the status is 'Draft'.",
    }  # NORDKAP (holder B's) is not the agent's: not even named
    statuses = dict(Recordal.objects.values_list("right_name", "status"))
    assert statuses == {"LABUBU": "renewal_requested", "MOLLY": "approved", "DIMOO": "approved",
                        "CRYBABY": "draft", "NORDKAP": "approved"}  # fmt: skip
    assert book["soon"].events.count() == Recordal.objects.get(pk=book["soon"].pk).events.count()
    assert 'href="/recordals/?status=approved"' in response.content.decode()


def test_r7_a_bulk_renewal_with_none_in_the_window_is_a_409(client, parties, book):
    response = bulk(client, parties["users"]["holder_a"], "request_renewal", book["soon"])
    assert response.status_code == 409
    assert Recordal.objects.get(pk=book["soon"].pk).status == "approved"


def test_bulk_export_of_the_selection(client, parties, book):
    response = bulk(client, parties["users"]["holder_a"], "export_csv", book["open"], book["b"])
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["LABUBU"]  # holder B's recordal is not exported
    response = bulk(client, parties["users"]["holder_a"], "export_xlsx", book["soon"])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["MOLLY"]


@pytest.mark.parametrize(("action", "selected", "problem"), [
    ("request_renewal", False, "Select at least one recordal."),
    ("delete", True, "Choose an action."),
])  # fmt: skip
def test_a_bulk_action_without_a_selection_or_action_is_a_400(client, parties, book, action,
                                                               selected, problem):  # fmt: skip
    chosen = [book["open"]] if selected else []
    response = bulk(client, parties["users"]["holder_a"], action, *chosen)
    assert response.status_code == 400
    assert response.context["problem"] == problem
    assert Recordal.objects.get(pk=book["open"].pk).status == "approved"


def test_the_page_offers_the_bulk_actions_and_the_exports(client, parties, book):
    response = get(client, parties["users"]["holder_a"], status="approved")
    text = response.content.decode()
    assert 'action="/recordals/bulk/"' in text
    assert 'name="action" value="request_renewal"' in text
    assert 'href="/recordals/export/?status=approved&amp;format=xlsx"' in text
    assert 'href="/recordals/print/?status=approved"' in text
    assert 'href="/recordals/import/"' in text
