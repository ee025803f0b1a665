"""docs/workflows.md is `workflow_docs`' rendering of the tables in code, never edited by hand."""

from config.management.commands.workflow_docs import DOCS, render


def test_docs_diagram_is_generated_from_the_tables():
    assert DOCS.read_text(encoding="utf-8") == render(), "run: python manage.py workflow_docs"
