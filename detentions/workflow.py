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

from django.utils.translation import gettext_lazy as _

from deadlines.models import DeadlineKind as D
from detentions import hooks, rules
from detentions import inputs as I
from detentions import steps as S
from detentions.models import DetentionDocument, DetentionStatus, Outcome
from engine.workflow import Period, Step, Workflow

HOLDER_SIDE = ("holder", "agent")
OFFICERS = ("gacc_officer", "district_officer")
# The holder side's filings (reply, withdrawal, lawsuit): made here, or on paper and
# recorded by an officer with how and when they arrived (R13).
EVERYONE = (*HOLDER_SIDE, *OFFICERS)
CASE_DEADLINES = (D.REPLY_TO_DETENTION_NOTICE, D.INVESTIGATION, D.COURT_ORDER)

Doc = DetentionDocument.Kind

# fmt: off
REPLY = Period(D.REPLY_TO_DETENTION_NOTICE, days=rules.REPLY_DAYS)  # R12, from service
INVESTIGATION = Period(D.INVESTIGATION, days=rules.INVESTIGATION_DAYS, start=S.detained_on)
COURT_ORDER = Period(D.COURT_ORDER, days=S.court_order_days, start=S.detained_on)  # R17, R19
COUNTER_BOND_SUIT = Period(D.COUNTER_BOND_SUIT, days=S.counter_bond_suit_days)  # R21
TOLD_TO_SUE = _("The consignor posted a cash counter-bond and the goods are released. To keep "
                 "the deposit, file the court's acceptance of your lawsuit by {due} (R21).")

# The state a step leads to decides the outcome; closing keeps it.
OUTCOMES = {
    DetentionStatus.CONFISCATED: Outcome.CONFISCATED,
    DetentionStatus.RELEASED: Outcome.RELEASED,
    DetentionStatus.COUNTER_BOND_HELD: Outcome.RELEASED,
    DetentionStatus.SUIT_FILED: Outcome.RELEASED,
    DetentionStatus.COURT_ORDERED: Outcome.COURT_ORDERED,
    DetentionStatus.REJECTED: Outcome.REJECTED,
}

# The steps after a counter-bond (R21), the same in both tables.
COUNTER_BOND_STEPS = (
    Step("record_suit", ("counter_bond_held",), "suit_filed", EVERYONE,
         _("File the court's acceptance of the holder's lawsuit"), "R21, R13",
         input=I.SuitInput, effect=S.record_suit, document=Doc.COURT_NOTICE,
         closes=(D.COUNTER_BOND_SUIT,)),
    Step("record_judgment", ("suit_filed",), "released", OFFICERS,
         _("Record the court's decision on the counter-bond"), "R21",
         input=I.JudgmentInput, effect=S.record_judgment, document=Doc.COURT_NOTICE),
)
CLOSE = dict(label=_("Settle costs, refund the bond and close"), rule="R21, R27, R28",
             input=I.StepInput, guard=S.close_due, effect=S.close, closes=(D.COST_PAYMENT,))
SERVE_RECEIPT = dict(label=_("Serve the detention receipt on the consignor or consignee"),
                     input=I.ReceiptInput, guard=S.receipt_not_yet_served,
                     effect=S.serve_receipt, document=Doc.NOTICE)

EX_OFFICIO_WORKFLOW = Workflow(
    name=_("ex officio detention"),
    binding=S.CaseRecord(),
    outcomes=OUTCOMES,
    states=(
        "notified", "detention_requested", "detained", "infringing", "undetermined",
        "court_ordered", "confiscated", "disposed", "released", "counter_bond_held",
        "suit_filed", "closed",
    ),
    steps=(
        Step("serve_notice", (), "notified", OFFICERS,
             _("Suspend release and serve the notice on the holder"), "R12",
             document=Doc.NOTICE, opens=(REPLY,)),
        Step("request_detention", ("notified",), "detention_requested", EVERYONE,
             _("Request detention and provide the bond"), "R12, R13, R14, R15",
             input=I.RequestDetentionInput, effect=S.request_detention, document=Doc.REPLY,
             closes=(D.REPLY_TO_DETENTION_NOTICE,)),
        Step("decline", ("notified",), "released", EVERYONE,
             _("Decline detention, with reasons"), "R12, R13", needs_reason=True,
             input=I.FilingInput, effect=S.decline, document=Doc.REPLY,
             closes=(D.REPLY_TO_DETENTION_NOTICE,)),
        Step("detain", ("detention_requested",), "detained", OFFICERS,
             _("Detain (bond secured in time)"), "R12, R16",
             input=I.DetainInput, effect=S.detain, document=Doc.BOND, opens=(INVESTIGATION,)),
        Step("serve_receipt", ("detained",), "detained", OFFICERS, rule="R12", **SERVE_RECEIPT),
        Step("determine_infringing", ("detained",), "infringing", OFFICERS,
             _("Determine: infringing"), "R16, R26",
             input=I.DetermineInfringingInput, effect=S.determine_infringing,
             document=Doc.NOTICE, closes=(D.INVESTIGATION,)),
        Step("determine_not_infringing", ("detained",), "released", OFFICERS,
             _("Determine: not infringing, release"), "R16, R22", needs_reason=True,
             input=I.StepInput, effect=S.determine_not_infringing, document=Doc.NOTICE,
             closes=(D.INVESTIGATION,)),
        Step("determine_undetermined", ("detained",), "undetermined", OFFICERS,
             _("Determine: infringement undetermined"), "R16, R17",
             input=I.StepInput, effect=S.determine_undetermined, document=Doc.NOTICE,
             closes=(D.INVESTIGATION,), opens=(COURT_ORDER,)),
        Step("receive_court_notice", ("undetermined",), "court_ordered", OFFICERS,
             _("Court assistance notice received"), "R17",
             input=I.CourtNoticeInput, guard=S.court_order_period_runs,
             effect=S.receive_court_notice, document=Doc.COURT_NOTICE, closes=(D.COURT_ORDER,)),
        Step("release", ("notified", "detention_requested", "undetermined"), "released",
             OFFICERS, _("Release (no reply, no bond in time or no court notice in time)"),
             "R12, R17", needs_reason=True, input=I.StepInput, guard=S.release_due,
             effect=S.release, document=Doc.NOTICE, cancels=CASE_DEADLINES),
        Step("release_on_evidence", ("undetermined",), "released", OFFICERS,
             _("Release on sufficient evidence of non-infringement"), "R20, R22",
             needs_reason=True, input=I.StepInput, effect=S.release_on_evidence,
             document=Doc.CONSIGNOR_STATEMENT, cancels=CASE_DEADLINES),
        Step("withdraw", ("detention_requested", "detained", "undetermined"), "released",
             EVERYONE, _("Withdraw the request before goods are found infringing"), "R22, R13",
             needs_reason=True, input=I.FilingInput, effect=S.withdraw,
             cancels=CASE_DEADLINES),
        Step("release_on_counter_bond", ("detained", "undetermined"), "counter_bond_held",
             OFFICERS, _("Release against the consignor's cash counter-bond (patents)"), "R21",
             input=I.CounterBondInput, guard=S.patent_case, effect=S.release_on_counter_bond,
             document=Doc.NOTICE, cancels=CASE_DEADLINES, opens=(COUNTER_BOND_SUIT,),
             notice=TOLD_TO_SUE),
        *COUNTER_BOND_STEPS,
        Step("confiscate", ("infringing",), "confiscated", OFFICERS,
             _("Confiscate and decide the penalty"), "R23, R24",
             input=I.ConfiscateInput, effect=S.confiscate, document=Doc.PENALTY_DECISION,
             announce=hooks.confiscated),
        Step("serve_decision", ("confiscated",), "confiscated", OFFICERS,
             _("Record the service of the penalty decision"), "R23, R27",
             input=I.StepInput, guard=S.decision_not_yet_served, effect=S.serve_decision,
             document=Doc.PENALTY_DECISION),
        Step("dispose", ("confiscated",), "disposed", OFFICERS, _("Record the disposal"), "R23",
             input=I.DisposeInput, effect=S.dispose, document=Doc.DISPOSAL_RECORD),
        Step("close", ("released", "disposed", "court_ordered", "counter_bond_held"),
             "closed", OFFICERS, **CLOSE),
    ),
)

ON_APPLICATION_WORKFLOW = Workflow(
    name=_("detention on application"),
    binding=S.CaseRecord(),
    outcomes=OUTCOMES,
    states=("applied", "detained", "court_ordered", "released", "counter_bond_held",
            "suit_filed", "rejected", "closed"),
    steps=(
        Step("apply", (), "applied", EVERYONE, _("Apply for detention, with evidence and a bond"),
             "R18", document=Doc.EVIDENCE),
        Step("detain", ("applied",), "detained", OFFICERS,
             _("Detain (bond equal to the value secured)"), "R18, R19",
             input=I.DetainInput, effect=S.detain, document=Doc.BOND, opens=(COURT_ORDER,)),
        Step("serve_receipt", ("detained",), "detained", OFFICERS, rule="R18", **SERVE_RECEIPT),
        Step("reject", ("applied",), "rejected", OFFICERS,
             _("Reject the application in writing"), "R18", needs_reason=True,
             input=I.StepInput),
        Step("receive_court_notice", ("detained",), "court_ordered", OFFICERS,
             _("Court assistance notice received"), "R19",
             input=I.CourtNoticeInput, guard=S.court_order_period_runs,
             effect=S.receive_court_notice, document=Doc.COURT_NOTICE, closes=(D.COURT_ORDER,)),
        Step("release", ("detained",), "released", OFFICERS,
             _("Release (no court notice within 20 working days)"), "R19", needs_reason=True,
             input=I.StepInput, guard=S.release_due, effect=S.release, document=Doc.NOTICE,
             cancels=(D.COURT_ORDER,)),
        Step("release_on_evidence", ("detained",), "released", OFFICERS,
             _("Release on sufficient evidence of non-infringement"), "R20, R22",
             needs_reason=True, input=I.StepInput, effect=S.release_on_evidence,
             document=Doc.CONSIGNOR_STATEMENT, cancels=(D.COURT_ORDER,)),
        Step("withdraw", ("applied", "detained"), "released", EVERYONE,
             _("Withdraw the application"), "R22, R13", needs_reason=True,
             input=I.FilingInput, effect=S.withdraw, cancels=(D.COURT_ORDER,)),
        Step("release_on_counter_bond", ("detained",), "counter_bond_held", OFFICERS,
             _("Release against the consignor's cash counter-bond (patents)"), "R21",
             input=I.CounterBondInput, guard=S.patent_case, effect=S.release_on_counter_bond,
             document=Doc.NOTICE, cancels=(D.COURT_ORDER,), opens=(COUNTER_BOND_SUIT,),
             notice=TOLD_TO_SUE),
        *COUNTER_BOND_STEPS,
        Step("close", ("released", "court_ordered", "rejected", "counter_bond_held"),
             "closed", OFFICERS, **CLOSE),
    ),
)

REFERRAL_WORKFLOW = Workflow(
    name=_("referral"),
    binding=S.ReferralRecord(),
    states=("referred", "accepted", "declined", "returned"),
    steps=(
        Step("accept", ("referred",), "accepted", OFFICERS,
             _("Public security filed a case"), "R25",
             input=I.AcceptReferralInput, effect=S.referral_decided),
        Step("decline", ("referred",), "declined", OFFICERS,
             _("Public security declined"), "R25", needs_reason=True,
             input=I.ReferralStepInput, effect=S.referral_decided),
        Step("return", ("referred", "accepted"), "returned", OFFICERS,
             _("Public security returned the case"), "R25", needs_reason=True,
             input=I.ReferralStepInput, effect=S.referral_decided),
        Step("refer_again", ("declined", "returned"), "referred", OFFICERS,
             _("Refer again"), "R25", needs_reason=True, input=I.ReferralStepInput,
             guard=S.no_other_live_referral, effect=S.referred_again),
    ),
)
# fmt: on
REFERRAL_RETURNED = REFERRAL_WORKFLOW["return"]  # `return` is a Python keyword

WORKFLOWS = {"ex_officio": EX_OFFICIO_WORKFLOW, "on_application": ON_APPLICATION_WORKFLOW}

# State lists, read off the tables.
# A case's goods and bond are edited before anything happens to it: in the state it opens in.
GOODS_EDITABLE = tuple(workflow.states[0] for workflow in WORKFLOWS.values())
# Costs run from detention until the case is closed (R27).
COSTS_STATES = tuple(dict.fromkeys(
    state for workflow in WORKFLOWS.values()
    for state in workflow.states_after(workflow.detain) if state not in workflow.close.targets
))  # fmt: skip
# A case goes to public security once goods are held for infringement, whatever came of
# them since (R25): not before detention, and not once released without a finding.
REFERABLE = tuple(
    state
    for state in EX_OFFICIO_WORKFLOW.states_after(EX_OFFICIO_WORKFLOW.detain)
    if state not in ("released", "counter_bond_held", "suit_filed")
)


def workflow_for(mode: str) -> Workflow:
    return WORKFLOWS[mode]


def steps_named(name: str) -> list[tuple[str, Step]]:
    """Each table's own step of that name, with the table's mode (the API documents a
    step shared by both tables with each table's own rule)."""
    return [(mode, workflow[name]) for mode, workflow in WORKFLOWS.items() if name in workflow]


def allowed_actions(detention, role) -> list[str]:
    return workflow_for(detention.mode).allowed_names(detention.status, role)
