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
from recordals.models import GeneralBondEntry
from recordals.services import general_bond_decide, general_bond_submit

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


def test_fifty_simultaneous_replies_draw_the_general_bond_once(parties, mark):
    holder_user = parties["users"]["holder_a"]
    today = local_today()
    bond = general_bond_submit(
        actor=holder_user,
        holder=parties["holder_a"],
        year=today.year,
        amount=Decimal("200000.00"),
        previous_year_costs=Decimal(0),
        guarantor_bank="ICBC",
        guarantee_number="G-RACE",
        issued_on=today.replace(month=1, day=1),
        expires_on=today.replace(year=today.year + 1, month=6, day=30),
    )
    general_bond_decide(
        actor=parties["users"]["gacc"], bond=bond, approve=True, on=today.replace(month=1, day=2)
    )
    case = ex_officio(parties["users"]["ningbo"], mark, served_on=today)
    url = f"/api/v1/detentions/{case.pk}/request-detention/"
    users = [holder_user, parties["users"]["agent_a"]]
    results = race([(users[i % 2], url, {"bond_source": "general_bond"}) for i in range(THREADS)])
    assert Counter(code for _, code in results) == {200: 1, 409: THREADS - 1}
    assert Detention.objects.get(pk=case.pk).status == "detention_requested"
    draws = GeneralBondEntry.objects.filter(bond=bond, kind="draw")
    assert [d.amount for d in draws] == [Decimal("20000.00")]
    assert case.money.count() == 1
    assert case.events.filter(action="request_detention").count() == 1
