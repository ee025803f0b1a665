"""Domain errors. Services raise these; the API maps them to HTTP (core/api/exceptions.py)
and the admin shows them as messages. Domain code never imports the API layer."""

from __future__ import annotations

from django.utils.translation import gettext


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    code = "domain_error"

    def __init__(self, message: str = "", **context):
        super().__init__(message)
        self.message = message
        self.context = context


class InvalidInput(DomainError):
    """Input that can never be right (400). `errors` maps field names to messages."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str] | str] | str, **context):
        if isinstance(errors, str):
            errors = {"non_field_errors": [errors]}
        self.errors = {
            field: [msgs] if isinstance(msgs, str) else list(msgs) for field, msgs in errors.items()
        }
        first = next(iter(self.errors.values()))[0]
        super().__init__(str(first), **context)


class Conflict(DomainError):
    """A request that could be right, but not in the current state of things (409)."""

    code = "conflict"


class TransitionNotAllowed(Conflict):
    """A workflow transition not allowed from the object's current state (409)."""

    code = "transition_not_allowed"

    def __init__(self, *, action: str, state: str, allowed: list[str] | None = None, message=""):
        message = message or gettext(
            "'%(action)s' is not allowed while the state is '%(state)s'."
        ) % {"action": action, "state": state}
        super().__init__(message, action=action, state=state, allowed_actions=allowed or [])


class NotPermitted(DomainError):
    """The actor may see the object but may not perform this action on it (403)."""

    code = "not_permitted"
