"""50 conflicting steps on one case at the same instant, over HTTP, on real PostgreSQL:
exactly one wins, the others get 409, and the timeline, deadlines and money stay
consistent (STYLE.md, convention 3)."""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from core.timezone import local_today
from deadlines.models import Deadline
from detentions.models import Detention
from detentions.tests.factories import detained, ex_officio

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
THREADS = 50


def race(requests):
    """Run (user, url, body) requests in parallel threads released together."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, user, url, body):
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        try:
            response = client.post(url, body, format="json")
            results[index] = (url.rsplit("/", 2)[-2], response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_fifty_conflicting_determinations_one_wins(parties, mark):
    officer = parties["users"]["ningbo"]
    case = detained(officer, parties["users"]["holder_a"], mark)
    events_before = case.events.count()
    url = f"/api/v1/detentions/{case.pk}/"
    requests = [
        (officer, url + "determine-infringing/", {})
        if i % 2
        else (officer, url + "determine-undetermined/", {})
        for i in range(THREADS)
    ]
    results = race(requests)
    codes = Counter(code for _, code in results)
    assert codes == {200: 1, 409: THREADS - 1}, codes
    winner = next(action for action, code in results if code == 200)
    case.refresh_from_db()
    assert (
        case.status
        == {"determine-infringing": "infringing", "determine-undetermined": "undetermined"}[winner]
    )
    events = list(case.events.values_list("action", flat=True))
    assert len(events) == events_before + 1
    assert events[-1] == winner.replace("-", "_")
    deadlines = Counter(
        Deadline.objects.filter(subject_id=case.pk, subject_type__model="detention").values_list(
            "kind", "status"
        )
    )
    assert deadlines[("investigation", "met")] == 1
    assert deadlines[("court_order", "open")] == (1 if winner == "determine-undetermined" else 0)


def test_fifty_simultaneous_replies_record_one_bond(parties, mark):
    """R12: holder and agent reply fifty times at once with the case bond: one reply wins,
    one bond is received, one event is written."""
    holder_user = parties["users"]["holder_a"]
    case = ex_officio(parties["users"]["ningbo"], mark, served_on=local_today())
    url = f"/api/v1/detentions/{case.pk}/request-detention/"
    users = [holder_user, parties["users"]["agent_a"]]
    reply = {"bond_source": "case_bond", "bond_form": "cash", "bond_reference": "CASH-RACE"}
    results = race([(users[i % 2], url, reply) for i in range(THREADS)])
    assert Counter(code for _, code in results) == {200: 1, 409: THREADS - 1}
    assert Detention.objects.get(pk=case.pk).status == "detention_requested"
    received = case.money.get()
    assert (received.kind, received.amount) == ("bond_received", Decimal("20000.00"))
    assert case.events.filter(action="request_detention").count() == 1
