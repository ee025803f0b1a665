"""The national data generator (benchmarks/national_data.py) writes every table with COPY,
column by column: a NOT NULL column added to a model and not to the generator breaks the
national-scale benchmarks at their first row. Caught here instead, without running them."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.db.models.fields import NOT_PROVIDED

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "national_data.py"


def copied_tables() -> dict[str, list[str]]:
    """table → the columns its COPY writes: each `columns = [...]` with the
    `copy_lines(cursor, "<table>", columns, ...)` that follows it."""
    tree = ast.parse(GENERATOR.read_text())
    found, columns = {}, None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            columns = None
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Assign)
                    and isinstance(inner.targets[0], ast.Name)
                    and inner.targets[0].id == "columns"
                    and isinstance(inner.value, ast.List)
                ):
                    columns = [e.value for e in inner.value.elts if isinstance(e, ast.Constant)]
                if (
                    isinstance(inner, ast.Call)
                    and getattr(inner.func, "id", "") == "copy_lines"
                    and isinstance(inner.args[1], ast.Constant)
                    and isinstance(inner.args[2], ast.Name)
                    and inner.args[2].id == "columns"
                    and columns is not None
                ):
                    found[inner.args[1].value] = columns
    return found


def required_columns(model) -> set[str]:
    return {
        field.column
        for field in model._meta.concrete_fields
        if not field.null
        and not field.primary_key
        and field.db_default is NOT_PROVIDED
        and not isinstance(field, models.GeneratedField)
    }


MODELS = {model._meta.db_table: model for model in apps.get_models()}


@pytest.mark.parametrize("table", sorted(t for t in copied_tables() if t in MODELS))
def test_the_generator_writes_every_required_column(table):
    missing = required_columns(MODELS[table]) - set(copied_tables()[table])
    assert not missing, f"benchmarks/national_data.py does not write {table}: {sorted(missing)}"
