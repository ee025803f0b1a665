"""Lists of a large scope (issue 21): the count stops at a cap, paging goes on past it, and
the case list's next deadlines come from one query a page, not a subquery a row."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.api.pagination import CAPPED_HEADER, CappedPaginator
from deadlines.models import Deadline
from detentions import selectors
from detentions.models import Detention
from detentions.tests.factories import ex_officio
from recordals.tests.factories import approved

pytestmark = pytest.mark.django_db
URL = "/api/v1/detentions/"
D = dt.date.fromisoformat


@pytest.fixture
def cases(parties):
    mark = approved(
        parties["users"]["holder_a"], parties["holder_a"], parties["users"]["gacc"],
        right_name="POPMART", registration_number="99112233",
    )  # fmt: skip
    officer = parties["users"]["ningbo"]
    return [
        ex_officio(officer, mark, served_on=D("2025-09-22") + dt.timedelta(days=n))
        for n in range(5)
    ]


@pytest.fixture
def gacc(api, parties):
    api.force_authenticate(parties["users"]["gacc"])
    return api


def test_below_the_cap_the_count_is_exact(gacc, cases):
    response = gacc.get(URL, {"page_size": 2})
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5
    assert CAPPED_HEADER not in response


def test_past_the_cap_the_count_is_the_cap_and_paging_goes_on(gacc, cases, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    seen = []
    for page in (1, 2, 3):
        response = gacc.get(URL, {"page_size": 2, "page": page})
        body = response.json()
        assert set(body) == {"count", "next", "previous", "results"}
        assert (body["count"], response[CAPPED_HEADER]) == (3, "true")
        assert (body["next"] is None) == (page == 3)
        assert (body["previous"] is None) == (page == 1)
        seen += [row["id"] for row in body["results"]]
    assert seen == [
        case.pk for case in sorted(cases, key=lambda c: (-c.opened_on.toordinal(), -c.pk))
    ]
    assert gacc.get(URL, {"page_size": 2, "page": 4}).status_code == 404
    assert gacc.get(URL, {"page_size": 2, "page": "x"}).status_code == 404


def test_the_count_reads_at_most_the_cap_and_one_row(gacc, cases, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    with CaptureQueriesContext(connection) as captured:
        assert gacc.get(URL, {"page_size": 2}).status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]


def test_a_list_page_joins_its_next_deadlines_once(gacc, cases):
    with CaptureQueriesContext(connection) as captured:
        body = gacc.get(URL, {"page_size": 50}).json()
    deadline_queries = [
        q["sql"] for q in captured.captured_queries if "deadlines_deadline" in q["sql"]
    ]
    assert len(deadline_queries) == 1  # one for the page, none inside the list's query
    annotated = {
        case.pk: (case.next_deadline_at, case.next_deadline_kind)
        for case in selectors.with_next_deadline(Detention.objects.all())
    }
    assert len(body["results"]) == 5
    for row in body["results"]:
        due_at, kind = annotated[row["id"]]
        assert row["next_deadline_kind"] == kind == "reply_to_detention_notice"
        assert row["next_deadline_at"] is not None and due_at is not None


def test_r12_the_soonest_open_deadline_is_the_one_listed(gacc, cases):
    """Closing a case's reply deadline leaves it without one; the others keep theirs."""
    first = cases[0]
    Deadline.objects.filter(subject_id=first.pk).update(
        status=Deadline.Status.MET, closed_at=timezone.now()
    )
    rows = {row["id"]: row for row in gacc.get(URL).json()["results"]}
    assert rows[first.pk]["next_deadline_at"] is None
    assert rows[first.pk]["next_deadline_kind"] is None
    assert rows[cases[1].pk]["next_deadline_kind"] == "reply_to_detention_notice"


def test_ordered_by_next_deadline_the_list_still_sorts_by_it(gacc, cases):
    body = gacc.get(URL, {"ordering": "-next_deadline_at"}).json()
    assert [row["id"] for row in body["results"]] == [case.pk for case in reversed(cases)]


def test_the_schema_documents_the_capped_count(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    page = schema["components"]["schemas"]["PaginatedOfficerDetentionList"]
    assert CAPPED_HEADER in page["properties"]["count"]["description"]
