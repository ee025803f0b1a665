"""Issue 21's cuts of the case API's Python time give the same answers: the demo's cases,
detail and list, as officers and the holder side, against the same requests answered the
way before (DRF's generic serializers, the aggregate balance, the deadline subqueries, the
FilterSet on every request); and each cut's own rule on its own."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.test import APIClient

from accounts.models import User
from core.api import pagination
from core.api import serializers as fast
from deadlines.models import Deadline
from detentions import selectors
from detentions.api import cases
from detentions.models import Detention, MoneyEntry

pytestmark = pytest.mark.django_db
URL = "/api/v1/detentions/"
USERS = ("officer.gacc", "officer.ningbo", "holder.a", "agent.a")
LISTS = (
    {"page_size": 50},
    {"page_size": 7, "page": 2},
    {"ordering": "next_deadline_at"},
    {"ordering": "-total_value", "status": ["detained", "closed"]},
    {"overdue": "true"},
    {"mode": "on_application", "page_size": 500},
)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo (money, deadlines, events, documents, referrals, campaigns), loaded once
    for the read-only tests below and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo")
        yield
        transaction.set_rollback(True)


def _the_way_before(monkeypatch):
    """Every cut of issue 21 in the case API undone, for the same process."""

    def counted(self):
        rows = self.object_list[: self.cap + 1]
        return rows.count()

    fast_counted = cached_property(counted)
    fast_counted.__set_name__(pagination.CappedPaginator, "counted")
    monkeypatch.setattr(pagination.CappedPaginator, "counted", fast_counted)
    monkeypatch.setattr(
        fast.FastModelSerializer, "get_fields", serializers.ModelSerializer.get_fields
    )
    monkeypatch.setattr(
        fast.FastModelSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    aggregate = selectors.money_balance
    monkeypatch.setattr(
        selectors, "money_balance", lambda detention, entries=None: aggregate(detention)
    )
    monkeypatch.setattr(selectors, "attach_open_deadlines", lambda detention: detention)
    monkeypatch.delattr(cases.DetentionViewSet, "filter_queryset")
    monkeypatch.delattr(cases.DetentionViewSet, "get_object")
    get_queryset = cases.DetentionViewSet.get_queryset

    def every_column_and_the_subqueries(self):
        queryset = get_queryset(self).defer(None)
        if self.action == "retrieve":
            queryset = selectors.with_next_deadline(queryset)
        return queryset

    monkeypatch.setattr(cases.DetentionViewSet, "get_queryset", every_column_and_the_subqueries)


def _answers():
    answers = {}
    ids = list(Detention.objects.order_by("id").values_list("id", flat=True))
    for name in USERS:
        client = APIClient()
        client.force_authenticate(User.objects.get(username=name))
        for pk in ids:
            response = client.get(f"{URL}{pk}/")
            answers[name, pk] = response.status_code, response.json()
        for params in LISTS:
            response = client.get(URL, params)
            key = (name, str(params))
            answers[key] = response.status_code, response.json(), response.get("X-Count-Capped")
    return answers


def test_issue21_detail_and_list_answer_exactly_as_before(seeded, monkeypatch):
    now = _answers()
    with monkeypatch.context() as patch:
        _the_way_before(patch)
        before = _answers()
    assert now.keys() == before.keys()
    for key in now:
        assert now[key] == before[key], key
    shown = [body for (status, body, *_) in now.values() if status == 200 and "events" in body]
    # The demo exercises what the cuts touch: balances, open deadlines, events, campaigns.
    assert any(b["money_balance"]["bond_held"] != "0.00" for b in shown)
    assert any(b["open_deadlines"] and b["next_deadline_at"] for b in shown)
    assert any(b["events"] for b in shown)


def test_r27_balance_from_the_entries_equals_the_aggregate(seeded):
    with_money = Detention.objects.filter(money__isnull=False).distinct()
    assert MoneyEntry.objects.filter(general_bond_entry__isnull=False).exists()  # R15 calls
    for case in with_money.prefetch_related("money"):
        assert selectors.money_balance(case, entries=case.money.all()) == (
            selectors.money_balance(case)
        ), case.number


def test_next_deadline_from_the_open_deadlines_equals_the_subquery(seeded):
    # Ties and deadlines without a due instant: the subquery's order (due_at, id; NULL last).
    case = Deadline.objects.filter(status=Deadline.Status.OPEN, subject_type__model="detention")
    case = Detention.objects.get(pk=case.values_list("subject_id", flat=True).first())
    first = selectors.open_deadlines(case.pk).first()
    taken = set(selectors.open_deadlines(case.pk).values_list("kind", flat=True))
    free = [k for k in Deadline._meta.get_field("kind").choices if k[0] not in taken]
    values = {f.name: getattr(first, f.name) for f in Deadline._meta.concrete_fields}
    del values["id"]
    Deadline.objects.create(**{**values, "kind": free[0][0]})  # a tie on due_at
    Deadline.objects.create(**{**values, "kind": free[1][0], "due_at": None})
    for detention in Detention.objects.all():
        expected = selectors.with_next_deadline(Detention.objects.filter(pk=detention.pk)).get()
        got = selectors.attach_open_deadlines(detention)
        assert (got.next_deadline_at, got.next_deadline_kind) == (
            expected.next_deadline_at,
            expected.next_deadline_kind,
        ), detention.number
        assert got.open_deadline_list == list(selectors.open_deadlines(detention.pk))


def test_a_page_reads_only_the_columns_it_shows(seeded, django_assert_max_num_queries):
    client = APIClient()
    client.force_authenticate(User.objects.get(username="officer.gacc"))
    # No deferred column is loaded row by row: the page's queries do not grow with it.
    with django_assert_max_num_queries(8):
        assert client.get(URL, {"page_size": 500}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(URL, {"page_size": 1}).status_code == 200


def test_the_field_set_is_built_once_per_class_and_language():
    from detentions.api.serializers import OfficerDetentionSerializer

    one, two = OfficerDetentionSerializer(), OfficerDetentionSerializer()
    assert list(one.fields) == list(two.fields)
    assert all(one.fields[n] is not two.fields[n] for n in one.fields)  # each bound anew
    assert one.fields["status"].parent is one and two.fields["status"].parent is two
