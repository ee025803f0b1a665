"""The engine itself: a table checks its steps, names them as objects, and refuses what
it must; a step's input schema is validated once and drawn as a form."""

import pytest
from rest_framework import serializers

from core.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from engine.forms import step_form
from engine.workflow import Step, Workflow, validate_input


class CourtInput(serializers.Serializer):
    court = serializers.CharField(label="court", max_length=10)
    served = serializers.BooleanField(required=False)


TABLE = Workflow(
    name="case",
    states=("open", "held", "closed"),
    steps=(
        Step("hold", ("open",), "held", ("officer",), "Hold", input=CourtInput),
        Step("close", ("open", "held"), "closed", ("officer",), "Close"),
    ),
)


def test_check_returns_the_step_or_the_error_to_answer():
    assert TABLE.check("close", "open", "officer") is TABLE.close
    assert TABLE.check(TABLE.close, "open", "officer").target == "closed"
    with pytest.raises(NotPermitted):
        TABLE.check("close", "open", "holder")
    with pytest.raises(TransitionNotAllowed) as error:
        TABLE.check("close", "closed", "officer")
    assert error.value.context == {"action": "close", "state": "closed", "allowed_actions": []}
    with pytest.raises(TransitionNotAllowed):
        TABLE.check("reopen", "closed", "officer")


def test_steps_are_objects_read_off_the_table():
    assert TABLE.hold.name == "hold" and TABLE["hold"] is TABLE.hold
    assert TABLE.hold in TABLE and "close" in TABLE and "reopen" not in TABLE
    with pytest.raises(AttributeError):
        TABLE.reopen  # noqa: B018
    assert TABLE.allowed_names("open", "officer") == ["hold", "close"]
    assert TABLE.states_after(TABLE.hold) == ("held", "closed")


def test_a_table_with_unknown_states_or_duplicate_steps_is_refused():
    with pytest.raises(ValueError):
        Workflow("x", ("a",), (Step("go", ("a",), "b", ("r",)),))
    with pytest.raises(ValueError):
        Workflow(
            "x", ("a", "b"), (Step("go", ("a",), "b", ("r",)), Step("go", ("b",), "a", ("r",)))
        )


def test_a_steps_input_is_validated_by_its_one_schema():
    assert validate_input(TABLE.hold, {"court": "Ningbo", "reason": "x"}) == {"court": "Ningbo"}
    with pytest.raises(InvalidInput) as error:
        validate_input(TABLE.hold, {"court": "A court with a long name"})
    assert set(error.value.errors) == {"court"}
    assert validate_input(TABLE.close, {"anything": 1}) == {}  # no schema, no input


def test_the_same_schema_is_drawn_as_the_admin_form():
    form = step_form(TABLE.hold, data={"court": "Ningbo", "served": "on"})
    assert list(form.fields) == ["court", "served"]
    assert form.is_valid() and form.cleaned_data == {"court": "Ningbo", "served": True}
    assert form.fields["court"].max_length == 10
    assert step_form(TABLE.close) is None
