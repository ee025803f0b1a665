import pytest

from core.errors import NotPermitted, TransitionNotAllowed
from core.management.commands.workflow_docs import DOCS, render
from core.workflow import Transition, Workflow

TABLE = Workflow(
    name="case",
    states=("open", "closed"),
    transitions=(Transition("close", ("open",), "closed", ("officer",), "Close"),),
)


def test_check_returns_the_transition_or_the_error_to_answer():
    assert TABLE.check("close", "open", "officer").target == "closed"
    with pytest.raises(NotPermitted):
        TABLE.check("close", "open", "holder")
    with pytest.raises(TransitionNotAllowed) as error:
        TABLE.check("close", "closed", "officer")
    assert error.value.context == {"action": "close", "state": "closed", "allowed_actions": []}
    with pytest.raises(TransitionNotAllowed):
        TABLE.check("reopen", "closed", "officer")


def test_a_table_with_unknown_states_or_duplicate_actions_is_refused():
    with pytest.raises(ValueError):
        Workflow("x", ("a",), (Transition("go", ("a",), "b", ("r",)),))
    with pytest.raises(ValueError):
        Workflow(
            "x",
            ("a", "b"),
            (Transition("go", ("a",), "b", ("r",)), Transition("go", ("b",), "a", ("r",))),
        )


def test_docs_diagram_is_generated_from_the_tables():
    assert DOCS.read_text(encoding="utf-8") == render(), "run: python manage.py workflow_docs"
