"""Hooks: how a lower app tells the apps above it what happened, or asks them a question,
without importing them (STYLE.md, "Dependencies point one way").

The lower app declares its hooks by name in its own `hooks.py`; a higher app connects its
handlers in its `AppConfig.ready()`. Handlers run at once, in the order they were
connected, inside the caller's transaction: a handler's error undoes the whole change."""

from __future__ import annotations

from collections.abc import Callable


class Hooks:
    """Named hooks of one app. `call(name, **kwargs)` runs every handler connected to the
    hook with those keyword arguments and returns their results, in order."""

    def __init__(self, owner: str, names: dict[str, str]):
        self.owner = owner
        self.names = dict(names)  # name -> what it announces or asks, and with what
        self._handlers: dict[str, list[Callable]] = {name: [] for name in names}

    def connect(self, name: str, handler: Callable) -> None:
        """Run `handler` on hook `name`; connecting the same handler again changes nothing."""
        handlers = self._handlers_of(name)
        if handler not in handlers:
            handlers.append(handler)

    def call(self, name: str, **kwargs) -> list:
        return [handler(**kwargs) for handler in self._handlers_of(name)]

    def handlers(self, name: str) -> tuple[Callable, ...]:
        return tuple(self._handlers_of(name))

    def _handlers_of(self, name: str) -> list[Callable]:
        try:
            return self._handlers[name]
        except KeyError:
            # A misspelt hook would otherwise never run: refuse it at once.
            known = ", ".join(sorted(self._handlers))
            raise ValueError(f"{self.owner} has no hook '{name}' (it has: {known}).") from None
