"""The two tables, whole: every step not allowed from a state answers 409 and changes
nothing, from every state of both workflows; every state is reachable and only
`closed` is final."""

import datetime as dt

import pytest

from accounts.models import Port
from core.errors import TransitionNotAllowed
from detentions import services
from detentions.tests.factories import SHIPMENT, ex_officio, lines, step
from detentions.tests.test_services import snapshot
from detentions.workflow import EX_OFFICIO_WORKFLOW, ON_APPLICATION_WORKFLOW

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat

# How to reach each state: (actor key, action, date, data) steps.
REQUEST = (
    "holder",
    "request_detention",
    "2025-09-29",
    {"bond_source": "case_bond", "bond_form": "cash", "bond_reference": "C-1"},
)
DETAIN = ("officer", "detain", "2025-09-29", {})
UNDETERMINED = ("officer", "determine_undetermined", "2025-11-10", {})
INFRINGING = ("officer", "determine_infringing", "2025-10-20", {})
CONFISCATE = ("officer", "confiscate", "2025-10-21", {"penalty_tier": "mitigated"})
COUNTER_BOND = (  # R21: patents only, 30,000 of goods
    "officer",
    "release_on_counter_bond",
    "2025-10-13",
    {"counter_bond_amount": "30000.00", "reference": "DEP-1"},
)
SUIT = ("holder", "record_suit", "2025-10-20", {"court": "Ningbo", "court_case_number": "1"})
PATENT_STATES = {"counter_bond_held", "suit_filed"}
EX_OFFICIO_PATHS = {
    "notified": [],
    "detention_requested": [REQUEST],
    "detained": [REQUEST, DETAIN],
    "infringing": [REQUEST, DETAIN, INFRINGING],
    "undetermined": [REQUEST, DETAIN, UNDETERMINED],
    "court_ordered": [
        REQUEST,
        DETAIN,
        UNDETERMINED,
        ("officer", "receive_court_notice", "2025-12-01", {"court": "Ningbo"}),
    ],
    "confiscated": [REQUEST, DETAIN, INFRINGING, CONFISCATE],
    "disposed": [
        REQUEST,
        DETAIN,
        INFRINGING,
        CONFISCATE,
        ("officer", "dispose", "2025-11-01", {"disposal_method": "donation"}),
    ],
    "released": [("holder", "decline", "2025-09-29", {"reason": "Genuine"})],
    "counter_bond_held": [REQUEST, DETAIN, COUNTER_BOND],
    "suit_filed": [REQUEST, DETAIN, COUNTER_BOND, SUIT],
    "closed": [
        ("holder", "decline", "2025-09-29", {"reason": "Genuine"}),
        ("officer", "close", "2025-10-09", {}),
    ],
}
APP_DETAIN = ("officer", "detain", "2025-09-29", {"bond_reference": "C-2"})
ON_APPLICATION_PATHS = {
    "applied": [],
    "detained": [APP_DETAIN],
    "court_ordered": [
        APP_DETAIN,
        ("officer", "receive_court_notice", "2025-10-15", {"court": "Ningbo"}),
    ],
    "released": [("holder", "withdraw", "2025-09-29", {"reason": "Settled"})],
    "rejected": [("officer", "reject", "2025-09-29", {"reason": "No evidence"})],
    "counter_bond_held": [APP_DETAIN, COUNTER_BOND],
    "suit_filed": [APP_DETAIN, COUNTER_BOND, SUIT],
    "closed": [
        ("officer", "reject", "2025-09-29", {"reason": "No evidence"}),
        ("officer", "close", "2025-09-30", {}),
    ],
}


def test_paths_cover_every_state():
    assert set(EX_OFFICIO_PATHS) == set(EX_OFFICIO_WORKFLOW.states)
    assert set(ON_APPLICATION_PATHS) == set(ON_APPLICATION_WORKFLOW.states)


@pytest.mark.parametrize("workflow", [EX_OFFICIO_WORKFLOW, ON_APPLICATION_WORKFLOW])
def test_only_closed_is_final(workflow):
    finals = {s for s in workflow.states if not workflow.actions_from(s)}
    assert finals == {"closed"}


def drive(case, path, actors):
    for who, action, on, data in path:
        data = dict(data)
        reason = data.pop("reason", "")
        step(case, actors[who], action, on, reason=reason, **data)
    case.refresh_from_db()
    return case


def new_application(parties, ip_kind="trademark"):
    return services.detention_apply(
        actor=parties["users"]["holder_a"],
        holder=parties["holder_a"],
        port=Port.objects.filter(office__customs_code="3100").first(),
        shipment=SHIPMENT,
        goods_lines=lines(),
        ip_kind=ip_kind,
        right_description=f"Unrecorded {ip_kind}",
        evidence="Test buy",
        expected_arrival="Meishan, by sea",
        bond_form="cash",
        on=D("2025-09-26"),
    )


@pytest.mark.parametrize(
    ("mode", "state"),
    [("ex_officio", s) for s in EX_OFFICIO_PATHS]
    + [("on_application", s) for s in ON_APPLICATION_PATHS],
)
def test_every_step_not_allowed_from_a_state_is_refused_and_changes_nothing(
    parties, mark, patent_recordal, mode, state
):
    actors = {"holder": parties["users"]["holder_a"], "officer": parties["users"]["ningbo"]}
    patent = state in PATENT_STATES
    if mode == "ex_officio":
        recordal = patent_recordal if patent else mark
        workflow, case = EX_OFFICIO_WORKFLOW, ex_officio(actors["officer"], recordal)
        case = drive(case, EX_OFFICIO_PATHS[state], actors)
    else:
        kind = "patent" if patent else "trademark"
        workflow, case = ON_APPLICATION_WORKFLOW, new_application(parties, kind)
        case = drive(case, ON_APPLICATION_PATHS[state], actors)
    assert case.status == state
    before = snapshot(case)
    refused = [t for t in workflow.transitions if state not in t.sources]
    for transition in refused:
        actor = actors["holder" if "holder" in transition.roles else "officer"]
        with pytest.raises(TransitionNotAllowed) as error:
            services.detention_transition(
                actor=actor,
                detention=case,
                action=transition.action,
                reason="Because",
                data={},
                on=D("2026-01-05"),
            )
        assert error.value.context["state"] == state
        assert set(error.value.context["allowed_actions"]) <= set(workflow.actions_from(state))
    assert snapshot(case) == before
