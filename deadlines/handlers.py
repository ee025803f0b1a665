"""What deadlines does when an app below it announces something (accounts/hooks.py);
connected in `DeadlinesConfig.ready()`."""

from deadlines.models import Deadline, DeadlineKind
from deadlines.services import deadline_cancel, deadline_open


def authorisation_granted(*, authorisation) -> None:
    """A power of attorney runs to its end date: the agency and the holder hear before."""
    deadline_open(
        subject=authorisation,
        kind=DeadlineKind.AUTHORISATION_EXPIRY,
        trigger_date=authorisation.starts_on,
        unit=Deadline.Unit.DATE,
        due_date=authorisation.ends_on,
    )


def authorisation_revoked(*, authorisation) -> None:
    deadline_cancel(subject=authorisation, kind=DeadlineKind.AUTHORISATION_EXPIRY, reason="revoked")
