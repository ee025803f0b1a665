"""The periods a recordal's steps open (R5-R8), and the deadlines that end with it. The
table (recordals/workflow.py) names them; a change of the right (R8, recordals/steps.py)
moves the term's own two."""

from __future__ import annotations

import datetime as dt

from deadlines.models import DeadlineKind as D
from engine.workflow import Period
from recordals import rules


def valid_from(recordal, on: dt.date) -> dt.date:
    return recordal.valid_from


def valid_until(recordal, on: dt.date) -> dt.date:
    return recordal.valid_until


def renewal_window_opens(recordal, on: dt.date) -> dt.date | None:
    """R7: the day the renewal window opens, if it is still to come."""
    opens = rules.renewal_window_opens(recordal.valid_until)
    return opens if opens > on else None


REVIEW = Period(D.RECORDAL_REVIEW, days=30)  # R5: GACC decides within 30 working days
RENEWAL_DECISION = Period(D.RENEWAL_DECISION, days=10)  # R7: 10 working days
EXPIRY = Period(D.RECORDAL_EXPIRY, start=valid_from, until=valid_until)  # R6, R7
RENEWAL_WINDOW = Period(D.RENEWAL_WINDOW_OPENS, start=valid_from, until=renewal_window_opens)

# What ends with the recordal (R7, R9): its term, its renewal, a change still due (R8).
ENDS_WITH_IT = (D.RECORDAL_EXPIRY, D.RENEWAL_WINDOW_OPENS, D.RENEWAL_DECISION,
                D.CHANGE_OBLIGATION)  # fmt: skip


def guarantee_issued(bond, on: dt.date) -> dt.date:
    return bond.issued_on


def guarantee_valid_until(bond, on: dt.date) -> dt.date:
    return bond.expires_on


# R15: a general bond's guarantee runs to its own expiry, watched from approval on.
GUARANTEE_EXPIRY = Period(
    D.GENERAL_BOND_EXPIRY, start=guarantee_issued, until=guarantee_valid_until
)
