"""The path to detentions partitioned by year (issue 21, docs/partitioning.md): the script
converts a copy of the database, keeps every row and sum, reads a year from its partition
only, and keeps what the foreign keys to the cases kept."""

import pytest
from django.db import connection

from detentions.models import Detention, GoodsLine
from reports.tests.test_report import case
from scripts.partition_detentions import convert, year_plan

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def copy(parties):
    """A copy of the test database holding cases of 2023-2025, converted by the script."""
    import psycopg

    ningbo, holder = parties["ningbo"], parties["holder_a"]
    for opened_on in ("2023-03-01", "2024-01-15", "2024-12-31", "2025-06-30"):
        case(ningbo, holder, opened_on, lines=[("toys", 10, "100.00"), ("apparel", 5, "50.00")])
    params = connection.get_connection_params()
    source = params.pop("dbname")
    name = f"{source}_partitioned"
    connection.close()
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {source}")
    with psycopg.connect(**params, dbname=name) as converted:
        result = convert(converted, out=lambda text: None)  # one transaction, committed
        converted.autocommit = True  # each `converted.transaction()` then commits
        yield converted, result
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_every_row_lands_in_its_year_and_the_sums_are_the_same(copy):
    converted, result = copy
    assert result["before"] == result["after"]
    assert [year for year, *_ in result["after"]] == [2023, 2024, 2025]
    assert result["rows"] == {
        "detentions_detention_2023": 1,
        "detentions_detention_2024": 2,
        "detentions_detention_2025": 1,
    }
    assert result["partitions"][-1] == "detentions_detention_default"
    plan = "\n".join(year_plan(converted, 2024))
    assert "detentions_detention_2024" in plan
    assert "detentions_detention_2023" not in plan and "_2025" not in plan


def test_the_foreign_keys_to_the_cases_still_hold(copy):
    import psycopg

    converted, result = copy
    tables = {table for table, *_ in result["keys"]}
    assert {"detentions_goodsline", "detentions_detentionevent", "detentions_referral"} <= tables
    with converted.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM detentions_detention")
        (last,) = cursor.fetchone()
    # A goods line of no case is refused at commit, as the deferred foreign key did.
    with pytest.raises(psycopg.errors.ForeignKeyViolation), converted.transaction():
        converted.execute(
            "INSERT INTO detentions_goodsline (detention_id, description, hs_code, category, "
            "quantity, unit, value) VALUES (%s, 'x', '9503', 'toys', 1, '', 1)",
            [last + 1000],
        )
    # A case still pointed at cannot go; once its lines are gone it can.
    with pytest.raises(psycopg.errors.ForeignKeyViolation), converted.transaction():
        converted.execute("DELETE FROM detentions_detention WHERE id = %s", [last])
    with converted.transaction():
        for table, _constraint, column, _on_delete in result["keys"]:
            converted.execute(f"DELETE FROM {table} WHERE {column} = %s", [last])
        converted.execute("DELETE FROM detentions_detention WHERE id = %s", [last])
    # A case written again goes into its year's partition.
    with converted.transaction():
        row = converted.execute(
            "INSERT INTO detentions_detention SELECT * FROM detentions_detention_unpartitioned "
            "WHERE id = %s RETURNING tableoid::regclass::text",
            [last],
        ).fetchone()
    assert row == ("detentions_detention_2025",)
    assert Detention.objects.count() == 4 and GoodsLine.objects.count() == 8  # the original
