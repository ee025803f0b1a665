"""The detention lifecycles, whole, each on one screen (R12-R28). Services consult them;
the admin's buttons, the API's action endpoints and `allowed_actions`, and the diagrams
in docs/workflows.md come from them.

Ex officio (R12-R17, recorded rights only):

    notified --request_detention--> detention_requested --detain--> detained
       |  \\--decline / release (no timely reply)      \\--release (no bond)
       v                                                    |
    released <--determine_not_infringing / withdraw / release_on_counter_bond (R21, R22)
       ^                                                    |
       |--release (no court notice in 50 wd, R17)     determine_infringing --> infringing
    undetermined <--determine_undetermined--              confiscate --> confiscated
       \\--receive_court_notice--> court_ordered             dispose --> disposed
    released / disposed / court_ordered --close (costs settled, bond refunded)--> closed

On application (R18-R19): applied --detain--> detained --receive_court_notice-->
court_ordered, or release when no court notice arrives within 20 working days.
"""

from core.errors import NotPermitted
from core.workflow import Transition, Workflow
from deadlines.models import DeadlineKind as D

HOLDER_SIDE = ("holder", "agent")
OFFICERS = ("gacc_officer", "district_officer")
CASE_DEADLINES = (D.REPLY_TO_DETENTION_NOTICE, D.INVESTIGATION, D.COURT_ORDER)

# fmt: off
EX_OFFICIO_WORKFLOW = Workflow(
    name="ex officio detention",
    states=(
        "notified", "detention_requested", "detained", "infringing", "undetermined",
        "court_ordered", "confiscated", "disposed", "released", "closed",
    ),
    transitions=(
        Transition("request_detention", ("notified",), "detention_requested", HOLDER_SIDE,
                   "Request detention and provide the bond", "R12, R14, R15",
                   closes=(D.REPLY_TO_DETENTION_NOTICE,)),
        Transition("decline", ("notified",), "released", HOLDER_SIDE,
                   "Decline detention, with reasons", "R12", needs_reason=True,
                   closes=(D.REPLY_TO_DETENTION_NOTICE,)),
        Transition("detain", ("detention_requested",), "detained", OFFICERS,
                   "Detain (bond secured)", "R12, R16", opens=(D.INVESTIGATION,)),
        Transition("determine_infringing", ("detained",), "infringing", OFFICERS,
                   "Determine: infringing", "R16, R26", closes=(D.INVESTIGATION,)),
        Transition("determine_not_infringing", ("detained",), "released", OFFICERS,
                   "Determine: not infringing, release", "R16, R22", needs_reason=True,
                   closes=(D.INVESTIGATION,)),
        Transition("determine_undetermined", ("detained",), "undetermined", OFFICERS,
                   "Determine: infringement undetermined", "R16, R17",
                   closes=(D.INVESTIGATION,), opens=(D.COURT_ORDER,)),
        Transition("receive_court_notice", ("undetermined",), "court_ordered", OFFICERS,
                   "Court assistance notice received", "R17", closes=(D.COURT_ORDER,)),
        Transition("release", ("notified", "detention_requested", "undetermined"), "released",
                   OFFICERS, "Release (no reply, no bond or no court notice in time)",
                   "R12, R17", needs_reason=True, cancels=CASE_DEADLINES),
        Transition("withdraw", ("detention_requested", "detained"), "released", HOLDER_SIDE,
                   "Withdraw the request before determination", "R22", needs_reason=True,
                   cancels=CASE_DEADLINES),
        Transition("release_on_counter_bond", ("detained", "undetermined"), "released",
                   OFFICERS, "Release against the consignor's counter-bond (patents)", "R21",
                   cancels=CASE_DEADLINES),
        Transition("confiscate", ("infringing",), "confiscated", OFFICERS,
                   "Confiscate and decide the penalty", "R23, R24"),
        Transition("dispose", ("confiscated",), "disposed", OFFICERS, "Record the disposal",
                   "R23"),
        Transition("close", ("released", "disposed", "court_ordered"), "closed", OFFICERS,
                   "Settle costs, refund the bond and close", "R27, R28",
                   closes=(D.COST_PAYMENT,)),
    ),
)

ON_APPLICATION_WORKFLOW = Workflow(
    name="detention on application",
    states=("applied", "detained", "court_ordered", "released", "rejected", "closed"),
    transitions=(
        Transition("detain", ("applied",), "detained", OFFICERS,
                   "Detain (bond equal to the value secured)", "R18, R19",
                   opens=(D.COURT_ORDER,)),
        Transition("reject", ("applied",), "rejected", OFFICERS,
                   "Reject the application in writing", "R18", needs_reason=True),
        Transition("receive_court_notice", ("detained",), "court_ordered", OFFICERS,
                   "Court assistance notice received", "R19", closes=(D.COURT_ORDER,)),
        Transition("release", ("detained",), "released", OFFICERS,
                   "Release (no court notice within 20 working days)", "R19",
                   needs_reason=True, cancels=(D.COURT_ORDER,)),
        Transition("release_on_evidence", ("detained",), "released", OFFICERS,
                   "Release on sufficient evidence of non-infringement", "R20, R22",
                   needs_reason=True, cancels=(D.COURT_ORDER,)),
        Transition("withdraw", ("applied", "detained"), "released", HOLDER_SIDE,
                   "Withdraw the application", "R22", needs_reason=True,
                   cancels=(D.COURT_ORDER,)),
        Transition("release_on_counter_bond", ("detained",), "released", OFFICERS,
                   "Release against the consignor's counter-bond (patents)", "R21",
                   cancels=(D.COURT_ORDER,)),
        Transition("close", ("released", "court_ordered", "rejected"), "closed", OFFICERS,
                   "Settle costs, refund the bond and close", "R27, R28",
                   closes=(D.COST_PAYMENT,)),
    ),
)

REFERRAL_WORKFLOW = Workflow(
    name="referral",
    states=("referred", "accepted", "declined", "returned"),
    transitions=(
        Transition("accept", ("referred",), "accepted", OFFICERS,
                   "Public security filed a case", "R25"),
        Transition("decline", ("referred",), "declined", OFFICERS,
                   "Public security declined", "R25", needs_reason=True),
        Transition("return", ("referred", "accepted"), "returned", OFFICERS,
                   "Public security returned the case", "R25", needs_reason=True),
        Transition("refer_again", ("declined", "returned"), "referred", OFFICERS,
                   "Refer again", "R25", needs_reason=True),
    ),
)
# fmt: on

WORKFLOWS = {"ex_officio": EX_OFFICIO_WORKFLOW, "on_application": ON_APPLICATION_WORKFLOW}

# Every case action, once (the API generates one endpoint per action).
CASE_ACTIONS: dict[str, Transition] = {}
for _workflow in WORKFLOWS.values():
    for _transition in _workflow.transitions:
        CASE_ACTIONS.setdefault(_transition.action, _transition)


def workflow_for(mode: str) -> Workflow:
    return WORKFLOWS[mode]


def check_role(detention, action: str, role) -> None:
    """Refuse a role the table never allows for `action` (403) before reading any input.
    An action outside the case's table, or from the wrong state, is left to `check` (409)."""
    workflow = workflow_for(detention.mode)
    if action in workflow.actions() and role not in workflow[action].roles:
        raise NotPermitted(f"Your role may not '{action}' a {workflow.name}.")


def allowed_actions(detention, role) -> list[str]:
    return workflow_for(detention.mode).allowed_actions(detention.status, role)
