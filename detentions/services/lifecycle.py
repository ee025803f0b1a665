"""The lifecycle: any step of a case's table (detentions/workflow.py), performed by the
one workflow engine; the rules of each step are in detentions/steps.py."""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from detentions import workflow
from detentions.models import Detention


def detention_transition(
    *,
    actor: User,
    detention: Detention,
    action,
    reason: str = "",
    data: dict | None = None,
    document=None,
    on: dt.date | None = None,
) -> Detention:
    """Perform `action` (a step of the case's table, or its name) on the case."""
    return workflow.workflow_for(detention.mode).perform(
        detention, action, actor, data, reason=reason, on=on, document=document
    )
