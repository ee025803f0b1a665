"""The recordal lifecycle, whole, on one screen (R5-R9), and GACC's decision on a change
(R8). Services perform them through the workflow engine; the admin's buttons, the API's
step endpoints and `allowed_actions` come from them.

    draft --submit--> submitted --approve--> approved --request_renewal--> renewal_requested
                      |   ^                     |  \\--cancel/revoke--> cancelled/revoked
     request_correction   correct            expire (daily task)           |
                      v   |                     v                          approve_renewal
                  needs_correction            expired                    / reject_renewal

A renewal requested in time keeps the recordal in force past its term until GACC decides
(R7): the daily run does not expire it; a refusal after the term lapses it that day.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deadlines.models import DeadlineKind as D
from engine.workflow import SYSTEM, Step, Workflow
from recordals import steps as S
from recordals.periods import (
    ENDS_WITH_IT,
    EXPIRY,
    GUARANTEE_EXPIRY,
    RENEWAL_DECISION,
    RENEWAL_WINDOW,
    REVIEW,
)

HOLDER_SIDE = ("holder", "agent")
GACC = ("gacc_officer",)

# fmt: off
RECORDAL_WORKFLOW = Workflow(
    name="recordal",
    label=_("recordal"),
    binding=S.RecordalRecord(),
    states=(
        "draft", "submitted", "needs_correction", "approved", "rejected",
        "renewal_requested", "expired", "cancelled", "revoked",
    ),
    steps=(
        Step("submit", ("draft",), "submitted", HOLDER_SIDE, _("Submit to GACC"), "R5",
             effect=S.submit, opens=(REVIEW,)),
        Step("request_correction", ("submitted",), "needs_correction", GACC,
             _("Ask for corrections"), "R5", needs_reason=True, suspends=(D.RECORDAL_REVIEW,)),
        Step("correct", ("needs_correction",), "submitted", HOLDER_SIDE,
             _("Resubmit corrected"), "R5", effect=S.correct, resumes=(D.RECORDAL_REVIEW,)),
        Step("approve", ("submitted",), "approved", GACC, _("Approve"), "R5, R6",
             guard=S.approvable, effect=S.approve, closes=(D.RECORDAL_REVIEW,),
             opens=(EXPIRY, RENEWAL_WINDOW)),
        Step("reject", ("submitted", "needs_correction"), "rejected", GACC, _("Reject"), "R5",
             needs_reason=True, closes=(D.RECORDAL_REVIEW,)),
        Step("request_renewal", ("approved",), "renewal_requested", HOLDER_SIDE,
             _("Request renewal"), "R7", guard=S.renewal_window_open, opens=(RENEWAL_DECISION,)),
        Step("approve_renewal", ("renewal_requested",), "approved", GACC,
             _("Approve renewal"), "R7", effect=S.approve_renewal, closes=(D.RENEWAL_DECISION,),
             opens=(EXPIRY, RENEWAL_WINDOW)),
        # R7: refused before the term ends, the term runs out; refused after it (the
        # recordal was kept in force meanwhile), it lapses on the decision's day.
        Step("reject_renewal", ("renewal_requested",), "approved", GACC,
             _("Refuse renewal"), "R7", needs_reason=True, effect=S.reject_renewal,
             closes=(D.RENEWAL_DECISION,), otherwise=("expired",)),
        Step("cancel", ("approved", "renewal_requested"), "cancelled",
             (*HOLDER_SIDE, *GACC), pgettext_lazy("recordal", "Cancel"), "R9", needs_reason=True,
             closes=(D.CHANGE_OBLIGATION,),
             cancels=(D.RECORDAL_EXPIRY, D.RENEWAL_WINDOW_OPENS, D.RENEWAL_DECISION)),
        Step("revoke", ("approved", "renewal_requested"), "revoked", GACC, _("Revoke"),
             "R9", needs_reason=True, cancels=ENDS_WITH_IT),
        # R7: the term ended with no renewal requested, or the right lapsed; a renewal
        # requested in time keeps the recordal in force past its term until GACC decides.
        Step("expire", ("approved", "renewal_requested"), "expired", (SYSTEM,),
             _("Expire"), "R7", effect=S.expire, cancels=ENDS_WITH_IT),
    ),
)

# R8: GACC approves a change of an approved recordal (applied to it at once) or refuses it.
CHANGE_WORKFLOW = Workflow(
    name="change application",
    label=_("change application"),
    binding=S.ChangeRecord(),
    states=("pending", "approved", "rejected"),
    steps=(
        Step("approve_change", ("pending",), "approved", GACC, _("Approve the change"), "R8",
             guard=S.recordal_in_force, effect=S.apply_change),
        Step("reject_change", ("pending",), "rejected", GACC, _("Refuse the change"), "R8",
             needs_reason=True),
    ),
)

GENERAL_BOND_WORKFLOW = Workflow(
    name="general bond",
    label=_("general bond"),
    binding=S.GeneralBondRecord(),
    states=("submitted", "approved", "rejected"),
    steps=(
        Step("approve_bond", ("submitted",), "approved", GACC, _("Approve the general bond"), "R15",
             effect=S.approve_general_bond, opens=(GUARANTEE_EXPIRY,)),
        Step("reject_bond", ("submitted",), "rejected", GACC, _("Refuse the general bond"), "R15",
             needs_reason=True),
    ),
)
# fmt: on
