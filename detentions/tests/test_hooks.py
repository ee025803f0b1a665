"""detentions/hooks.py: what the case announces and asks the apps above it (campaigns)."""

import pytest

from core.hooks import Hooks
from detentions import hooks


@pytest.fixture
def own_hooks(monkeypatch):
    """The hooks with no handler connected (the apps' own are set aside for the test)."""
    fresh = Hooks("detentions", hooks.hooks.names)
    monkeypatch.setattr(hooks, "hooks", fresh)
    return fresh


def test_r24_the_penalty_floor_is_the_highest_any_app_sets(own_hooks):
    assert hooks.penalty_floor(object()) is None
    for floor in (None, "general", "lighter"):
        own_hooks.connect("penalty_floor", lambda detention, floor=floor: floor)
    assert hooks.penalty_floor(object()) == "general"
    own_hooks.connect("penalty_floor", lambda detention: "heavier")
    assert hooks.penalty_floor(object()) == "heavier"


def test_events_reach_every_handler_with_the_case(own_hooks):
    heard = []
    for name in ("case_opened", "goods_changed", "confiscated"):
        own_hooks.connect(name, lambda detention, name=name: heard.append((name, detention)))
    hooks.case_opened("A")
    hooks.goods_changed("B")
    hooks.confiscated("C")
    assert heard == [("case_opened", "A"), ("goods_changed", "B"), ("confiscated", "C")]
