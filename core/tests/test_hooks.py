"""Hooks (core/hooks.py): a lower app's named hooks, run in the order handlers connected."""

import pytest

from core.hooks import Hooks


def test_handlers_run_in_order_of_connection_and_once_each():
    hooks = Hooks("lower", {"opened": "handler(case=)"})
    hooks.connect("opened", lambda case: f"first {case}")
    second = lambda case: f"second {case}"  # noqa: E731
    hooks.connect("opened", second)
    hooks.connect("opened", second)  # connected again (ready() run twice): still once
    assert hooks.call("opened", case="A-1") == ["first A-1", "second A-1"]


def test_a_hook_nobody_connected_to_answers_nothing():
    assert Hooks("lower", {"opened": ""}).call("opened", case="A-1") == []


def test_an_unknown_hook_name_is_refused_naming_the_known_ones():
    hooks = Hooks("lower", {"opened": "", "closed": ""})
    with pytest.raises(
        ValueError, match="lower has no hook 'openned' \\(it has: closed, opened\\)"
    ):
        hooks.connect("openned", print)
    with pytest.raises(ValueError):
        hooks.call("openned")
