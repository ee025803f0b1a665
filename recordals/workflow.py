"""The recordal lifecycle, whole, on one screen (R5-R9). Services consult it; the admin's
buttons and the API's `allowed_actions` come from it.

    draft --submit--> submitted --approve--> approved --request_renewal--> renewal_requested
                      |   ^                     |  \\--cancel/revoke--> cancelled/revoked
     request_correction   correct            expire (daily task)           |
                      v   |                     v                          approve_renewal
                  needs_correction            expired                    / reject_renewal

A renewal requested in time keeps the recordal in force past its term until GACC decides
(R7): the daily run does not expire it; a refusal after the term lapses it that day.
"""

from core.workflow import SYSTEM, Transition, Workflow
from deadlines.models import DeadlineKind as D

HOLDER_SIDE = ("holder", "agent")
GACC = ("gacc_officer",)

# fmt: off
RECORDAL_WORKFLOW = Workflow(
    name="recordal",
    states=(
        "draft", "submitted", "needs_correction", "approved", "rejected",
        "renewal_requested", "expired", "cancelled", "revoked",
    ),
    transitions=(
        Transition("submit", ("draft",), "submitted", HOLDER_SIDE, "Submit to GACC", "R5",
                   opens=(D.RECORDAL_REVIEW,)),
        Transition("request_correction", ("submitted",), "needs_correction", GACC,
                   "Ask for corrections", "R5", needs_reason=True,
                   suspends=(D.RECORDAL_REVIEW,)),
        Transition("correct", ("needs_correction",), "submitted", HOLDER_SIDE,
                   "Resubmit corrected", "R5", resumes=(D.RECORDAL_REVIEW,)),
        Transition("approve", ("submitted",), "approved", GACC, "Approve", "R5, R6",
                   closes=(D.RECORDAL_REVIEW,),
                   opens=(D.RECORDAL_EXPIRY, D.RENEWAL_WINDOW_OPENS)),
        Transition("reject", ("submitted", "needs_correction"), "rejected", GACC, "Reject",
                   "R5", needs_reason=True, closes=(D.RECORDAL_REVIEW,)),
        Transition("request_renewal", ("approved",), "renewal_requested", HOLDER_SIDE,
                   "Request renewal", "R7", opens=(D.RENEWAL_DECISION,)),
        Transition("approve_renewal", ("renewal_requested",), "approved", GACC,
                   "Approve renewal", "R7", closes=(D.RENEWAL_DECISION,),
                   opens=(D.RECORDAL_EXPIRY, D.RENEWAL_WINDOW_OPENS)),
        # R7: refused before the term ends, the term runs out; refused after it (the
        # recordal was kept in force meanwhile), it lapses on the decision's day.
        Transition("reject_renewal", ("renewal_requested",), "approved", GACC,
                   "Refuse renewal", "R7", needs_reason=True, closes=(D.RENEWAL_DECISION,),
                   otherwise=("expired",)),
        Transition("cancel", ("approved", "renewal_requested"), "cancelled",
                   (*HOLDER_SIDE, *GACC), "Cancel", "R9", needs_reason=True,
                   closes=(D.CHANGE_OBLIGATION,),
                   cancels=(D.RECORDAL_EXPIRY, D.RENEWAL_WINDOW_OPENS, D.RENEWAL_DECISION)),
        Transition("revoke", ("approved", "renewal_requested"), "revoked", GACC, "Revoke",
                   "R9", needs_reason=True,
                   cancels=(D.RECORDAL_EXPIRY, D.RENEWAL_WINDOW_OPENS, D.RENEWAL_DECISION,
                            D.CHANGE_OBLIGATION)),
        # R7: the term ended with no renewal requested, or the right lapsed; a renewal
        # requested in time keeps the recordal in force past its term until GACC decides.
        Transition("expire", ("approved", "renewal_requested"), "expired", (SYSTEM,),
                   "Expire", "R7",
                   cancels=(D.RECORDAL_EXPIRY, D.RENEWAL_WINDOW_OPENS, D.RENEWAL_DECISION,
                            D.CHANGE_OBLIGATION)),
    ),
)
# fmt: on
