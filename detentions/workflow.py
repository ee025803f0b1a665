r"""The detention lifecycles, whole, each on one screen (R12-R28). Services consult them;
the admin's buttons, the API's action endpoints and `allowed_actions`, and the diagrams
in docs/workflows.md come from them.

Ex officio (R12-R17, recorded rights only):

    notified --request_detention (bond in time, or the general bond)--> detention_requested
       |  \--decline / release (no timely reply)       --detain--> detained (--serve_receipt)
       |        release (bond not in time, R12) --/          |
       v                                                     |--determine_infringing--> infringing
    released <--determine_not_infringing / withdraw (R22)    |      confiscate --> confiscated
       ^    \--release (no court notice in 50 wd) / withdraw / release_on_evidence (R22)
       |        undetermined <--determine_undetermined--     |      dispose --> disposed
       |            \--receive_court_notice--> court_ordered |
    counter_bond_held <--release_on_counter_bond (patents, R21)
       \--record_suit--> suit_filed --record_judgment--> released
    released / disposed / court_ordered / counter_bond_held (no suit in time) --close--> closed

On application (R18-R19): applied --detain--> detained --receive_court_notice-->
court_ordered, or release when no court notice arrives within 20 working days; the
counter-bond and withdrawal as above.
"""

from core.errors import NotPermitted
from core.workflow import Transition, Workflow
from deadlines.models import DeadlineKind as D

HOLDER_SIDE = ("holder", "agent")
OFFICERS = ("gacc_officer", "district_officer")
# The holder side's filings (reply, withdrawal, lawsuit): made here, or on paper and
# recorded by an officer with how and when they arrived (R13).
EVERYONE = (*HOLDER_SIDE, *OFFICERS)
CASE_DEADLINES = (D.REPLY_TO_DETENTION_NOTICE, D.INVESTIGATION, D.COURT_ORDER)

# The steps after a counter-bond (R21), the same in both tables.
COUNTER_BOND_STEPS = (
    Transition("record_suit", ("counter_bond_held",), "suit_filed", EVERYONE,
               "File the court's acceptance of the holder's lawsuit", "R21, R13",
               closes=(D.COUNTER_BOND_SUIT,)),
    Transition("record_judgment", ("suit_filed",), "released", OFFICERS,
               "Record the court's decision on the counter-bond", "R21"),
)  # fmt: skip

# fmt: off
EX_OFFICIO_WORKFLOW = Workflow(
    name="ex officio detention",
    states=(
        "notified", "detention_requested", "detained", "infringing", "undetermined",
        "court_ordered", "confiscated", "disposed", "released", "counter_bond_held",
        "suit_filed", "closed",
    ),
    transitions=(
        Transition("request_detention", ("notified",), "detention_requested", EVERYONE,
                   "Request detention and provide the bond", "R12, R13, R14, R15",
                   closes=(D.REPLY_TO_DETENTION_NOTICE,)),
        Transition("decline", ("notified",), "released", EVERYONE,
                   "Decline detention, with reasons", "R12, R13", needs_reason=True,
                   closes=(D.REPLY_TO_DETENTION_NOTICE,)),
        Transition("detain", ("detention_requested",), "detained", OFFICERS,
                   "Detain (bond secured in time)", "R12, R16", opens=(D.INVESTIGATION,)),
        Transition("serve_receipt", ("detained",), "detained", OFFICERS,
                   "Serve the detention receipt on the consignor or consignee", "R12"),
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
                   OFFICERS, "Release (no reply, no bond in time or no court notice in time)",
                   "R12, R17", needs_reason=True, cancels=CASE_DEADLINES),
        Transition("release_on_evidence", ("undetermined",), "released", OFFICERS,
                   "Release on sufficient evidence of non-infringement", "R20, R22",
                   needs_reason=True, cancels=CASE_DEADLINES),
        Transition("withdraw", ("detention_requested", "detained", "undetermined"), "released",
                   EVERYONE, "Withdraw the request before goods are found infringing",
                   "R22, R13", needs_reason=True, cancels=CASE_DEADLINES),
        Transition("release_on_counter_bond", ("detained", "undetermined"), "counter_bond_held",
                   OFFICERS, "Release against the consignor's cash counter-bond (patents)",
                   "R21", cancels=CASE_DEADLINES, opens=(D.COUNTER_BOND_SUIT,)),
        *COUNTER_BOND_STEPS,
        Transition("confiscate", ("infringing",), "confiscated", OFFICERS,
                   "Confiscate and decide the penalty", "R23, R24"),
        Transition("serve_decision", ("confiscated",), "confiscated", OFFICERS,
                   "Record the service of the penalty decision", "R23, R27"),
        Transition("dispose", ("confiscated",), "disposed", OFFICERS, "Record the disposal",
                   "R23"),
        Transition("close", ("released", "disposed", "court_ordered", "counter_bond_held"),
                   "closed", OFFICERS, "Settle costs, refund the bond and close", "R21, R27, R28",
                   closes=(D.COST_PAYMENT,)),
    ),
)

ON_APPLICATION_WORKFLOW = Workflow(
    name="detention on application",
    states=("applied", "detained", "court_ordered", "released", "counter_bond_held",
            "suit_filed", "rejected", "closed"),
    transitions=(
        Transition("detain", ("applied",), "detained", OFFICERS,
                   "Detain (bond equal to the value secured)", "R18, R19",
                   opens=(D.COURT_ORDER,)),
        Transition("serve_receipt", ("detained",), "detained", OFFICERS,
                   "Serve the detention receipt on the consignor or consignee", "R18"),
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
        Transition("withdraw", ("applied", "detained"), "released", EVERYONE,
                   "Withdraw the application", "R22, R13", needs_reason=True,
                   cancels=(D.COURT_ORDER,)),
        Transition("release_on_counter_bond", ("detained",), "counter_bond_held", OFFICERS,
                   "Release against the consignor's cash counter-bond (patents)", "R21",
                   cancels=(D.COURT_ORDER,), opens=(D.COUNTER_BOND_SUIT,)),
        *COUNTER_BOND_STEPS,
        Transition("close", ("released", "court_ordered", "rejected", "counter_bond_held"),
                   "closed", OFFICERS, "Settle costs, refund the bond and close",
                   "R21, R27, R28", closes=(D.COST_PAYMENT,)),
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
