"""Reminder policies: for each kind of deadline, when to remind, whom, and what happens
when the due instant passes. One table, one screen (STYLE.md, convention 2).

Step offsets:
- ("at_open",)                 when the deadline opens (e.g. the detention notice is served)
- ("working_days_before", n)   09:00 Asia/Shanghai on the n-th working day before the due day
- ("days_before", n)           09:00 Asia/Shanghai n calendar days before the due day
- ("due_morning",)             09:00 Asia/Shanghai on the due day

Recipients:
- "holder_contacts"  the holder's legal and technical contacts and their backups (email)
- "holder_users"     users of the rights holder (email and in-app)
- "agents"           users of agencies holding a running authorisation (email and in-app)
- "officers"         officers of the handling office; GACC when there is none (email, in-app)

At due: "missed" (an obligation not met: escalate to officers when `escalation` is set) or
"met" (a date that simply arrives, such as the opening of the renewal window).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from deadlines.models import DeadlineKind as K

HOLDER_SIDE = ("holder_contacts", "holder_users", "agents")
EVERYONE = (*HOLDER_SIDE, "officers")


@dataclass(frozen=True)
class Policy:
    steps: tuple[tuple, ...]
    recipients: tuple[str, ...]
    at_due: str = "missed"  # or "met"
    # The officers' task when missed; empty: no escalation. Stored in English on the
    # Escalation row, shown in the reader's language (Escalation.action_text).
    escalation: str | Promise = ""


POLICIES: dict[str, Policy] = {
    K.REPLY_TO_DETENTION_NOTICE: Policy(
        steps=(("at_open",), ("working_days_before", 1), ("due_morning",)),
        recipients=EVERYONE,
        escalation=_("No reply to the detention notice: release due (R12)"),
    ),
    K.INVESTIGATION: Policy(
        steps=(("working_days_before", 5), ("working_days_before", 1)),
        recipients=("officers",),
        escalation=_("Investigation period over: determination due (R16)"),
    ),
    K.COURT_ORDER: Policy(
        steps=(("at_open",), ("working_days_before", 5), ("working_days_before", 1)),
        recipients=EVERYONE,
        escalation=_("No court assistance notice: release due (R17, R19)"),
    ),
    K.RECORDAL_REVIEW: Policy(
        steps=(("working_days_before", 5), ("working_days_before", 1)),
        recipients=("officers",),
        escalation=_("Recordal review period over: decision overdue (R5)"),
    ),
    K.RENEWAL_DECISION: Policy(
        steps=(("working_days_before", 2),),
        recipients=("officers",),
        escalation=_("Renewal decision overdue (R7)"),
    ),
    K.RECORDAL_EXPIRY: Policy(
        steps=(("days_before", 180), ("days_before", 90), ("days_before", 30), ("days_before", 7)),
        recipients=HOLDER_SIDE,
        at_due="met",
    ),
    K.RENEWAL_WINDOW_OPENS: Policy(steps=(("due_morning",),), recipients=HOLDER_SIDE, at_due="met"),
    K.CHANGE_OBLIGATION: Policy(
        steps=(("at_open",), ("working_days_before", 10), ("working_days_before", 2)),
        recipients=HOLDER_SIDE,
        escalation=_("Change not applied for within 30 working days (R8, R9)"),
    ),
    K.GENERAL_BOND_EXPIRY: Policy(
        steps=(("days_before", 60), ("days_before", 30), ("days_before", 7)),
        recipients=HOLDER_SIDE,
        at_due="met",
    ),
    K.COST_PAYMENT: Policy(
        steps=(("at_open",), ("working_days_before", 3), ("working_days_before", 1)),
        recipients=EVERYONE,
        escalation=_("Costs unpaid: deduct from the bond or call the guarantor (R15, R27)"),
    ),
    K.COUNTER_BOND_SUIT: Policy(
        steps=(("at_open",), ("working_days_before", 5), ("working_days_before", 1)),
        recipients=EVERYONE,
        escalation=_("No lawsuit filed after the counter-bond: refund the deposit (R21)"),
    ),
    K.AUTHORISATION_EXPIRY: Policy(
        steps=(("days_before", 30), ("days_before", 7)),
        recipients=("holder_contacts", "holder_users", "agents"),
        at_due="met",
    ),
}

# R29: a provisional date passed unconfirmed; the officers are asked to confirm it.
CONFIRMATION_REQUEST = _(
    "Provisional due date %(date)s has passed: confirm it, or enter the year's "
    "holiday notice (R29)."
)

# Sent to the same recipients (plus officers) when a deadline is missed or moved.
MISSED_STEP = "missed"
MOVED_STEP_PREFIX = "moved"
