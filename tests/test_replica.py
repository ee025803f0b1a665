"""Reports and statistics read from the replica when DATABASE_REPLICA_URL is set (issue
21), tested with one server as both: the "replica" alias is a second connection to the
test database, so what the primary committed is what the replica holds."""

import datetime as dt

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from config.routers import REPLICA, ReplicaRouter
from detentions.models import Detention
from reports.models import MonthFigure, StaleMonth
from reports.selectors import report
from reports.services import rollup_refresh
from reports.tests.test_report import data  # noqa: F401

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=[DEFAULT_DB_ALIAS, REPLICA]
)
D = dt.date.fromisoformat
YEAR = {"starts_on": D("2024-01-01"), "ends_on": D("2024-12-31")}


@pytest.fixture
def replica(settings):
    settings.DATABASE_REPLICA_URL = "postgres://the-same-server/as-the-primary"
    return connections[REPLICA]


def sql_of(captured) -> str:
    return "\n".join(q["sql"] for q in captured.captured_queries)


def test_the_router_sends_only_the_reports_reads_to_the_replica(replica):
    router = ReplicaRouter()
    assert router.db_for_read(MonthFigure) == REPLICA
    assert router.db_for_read(Detention) is None  # the primary: read back what was written
    assert router.db_for_write(MonthFigure) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(REPLICA, "reports") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "reports") is True


def test_without_a_replica_everything_reads_the_primary(settings):
    settings.DATABASE_REPLICA_URL = ""
    assert ReplicaRouter().db_for_read(MonthFigure) is None


def test_the_national_report_reads_the_replica_and_never_writes_there(data, replica):  # noqa: F811
    rollup_refresh()  # the beat task, on the primary
    primary = connections[DEFAULT_DB_ALIAS]
    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(primary) as on_primary:
        result = report(**YEAR)
    assert "reports_monthfigure" in sql_of(on_replica)
    assert "REPEATABLE READ READ ONLY" in sql_of(on_replica)
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for q in on_replica.captured_queries
    )
    assert "reports_" not in sql_of(on_primary)  # no refresh from a report on a replica
    assert result["figures"]["protection_actions"]["current"] == 5
    assert result == report(**YEAR, live=True)


def test_on_the_replica_months_not_yet_recounted_are_counted_live(data, replica):  # noqa: F811
    """The replica cannot recount: a case changed since the last refresh is counted live."""
    rollup_refresh()
    Detention.objects.filter(opened_on=D("2024-01-15")).update(outcome="released")
    assert StaleMonth.objects.filter(month=D("2024-01-01")).exists()
    with CaptureQueriesContext(replica) as on_replica:
        result = report(**YEAR)
    assert "GROUPING SETS" in sql_of(on_replica)  # January counted live, on the replica
    outcomes = {row["key"]: row["actions"]["current"] for row in result["splits"]["outcome"]}
    assert outcomes["released"] == 2
    assert result == report(**YEAR, live=True)
    assert StaleMonth.objects.filter(month=D("2024-01-01")).exists()  # left for the task


def test_the_statistics_api_answers_from_the_replica(data, replica, api):  # noqa: F811
    api.force_authenticate(data["users"]["gacc"])
    with CaptureQueriesContext(replica) as on_replica:
        response = api.get("/api/v1/statistics/", {"year": 2024})
    assert response.status_code == 200
    assert response.json()["figures"]["protection_actions"]["current"] == 5
    assert "reports_monthfigure" in sql_of(on_replica)
