"""What accounts announces to the apps above it (core/hooks.py). The handlers run inside
the service's transaction; deadlines connects its own in `DeadlinesConfig.ready()`."""

from core.hooks import Hooks

hooks = Hooks(
    "accounts",
    {
        "authorisation_granted": "A holder authorised an agency (R3): handler(authorisation=).",
        "authorisation_revoked": "An authorisation was revoked: handler(authorisation=).",
    },
)
connect = hooks.connect


def authorisation_granted(authorisation) -> None:
    hooks.call("authorisation_granted", authorisation=authorisation)


def authorisation_revoked(authorisation) -> None:
    hooks.call("authorisation_revoked", authorisation=authorisation)
