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
    finals = {s for s in workflow.states if not any(s in t.sources for t in workflow.steps)}
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
    refused = [t for t in workflow.steps if state not in t.sources]
    for transition in refused:
        actor = actors["holder" if "holder" in transition.roles else "officer"]
        with pytest.raises(TransitionNotAllowed) as error:
            services.detention_transition(
                actor=actor,
                detention=case,
                action=transition.name,
                reason="Because",
                data={},
                on=D("2026-01-05"),
            )
        assert error.value.context["state"] == state
        assert set(error.value.context["allowed_actions"]) <= {
            t.name for t in workflow.steps if state in t.sources
        }
    assert snapshot(case) == before


# --- the tables are the one place of each step ----------------------------------------------


def test_every_status_value_is_a_state_of_a_table_and_every_state_a_status():
    from detentions.models import DetentionStatus, Referral
    from detentions.workflow import REFERRAL_WORKFLOW, WORKFLOWS

    assert set(DetentionStatus.values) == {s for w in WORKFLOWS.values() for s in w.states}
    assert set(Referral.Status.values) == set(REFERRAL_WORKFLOW.states)


def test_state_lists_and_outcomes_are_read_off_the_tables():
    from detentions.models import Outcome
    from detentions.workflow import COSTS_STATES, GOODS_EDITABLE, REFERABLE

    assert GOODS_EDITABLE == ("notified", "applied")
    assert "closed" not in COSTS_STATES and "notified" not in COSTS_STATES
    assert {"detained", "released", "counter_bond_held"} <= set(COSTS_STATES)
    assert REFERABLE == ("detained", "infringing", "undetermined", "court_ordered",
                         "confiscated", "disposed", "closed")  # fmt: skip
    for workflow in (EX_OFFICIO_WORKFLOW, ON_APPLICATION_WORKFLOW):
        for state in workflow.states:
            assert workflow.outcomes.get(state, Outcome.PENDING) in Outcome.values
        ended = {s for s in workflow.states if s in ("released", "confiscated", "rejected")}
        assert all(s in workflow.outcomes for s in ended)


def test_every_step_has_an_input_schema_and_its_rule():
    for workflow in (EX_OFFICIO_WORKFLOW, ON_APPLICATION_WORKFLOW):
        for step_ in workflow.later_steps():
            assert step_.input is not None and step_.rule, step_.name
            assert step_.effect is not None or step_.name == "reject", step_.name


@pytest.mark.django_db
def test_r12_r19_the_api_documents_a_shared_step_with_each_tables_own_rule():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    release = paths["/api/v1/detentions/{id}/release/"]["post"]["description"]
    assert "Ex officio" in release and "R12, R17" in release
    assert "On application" in release and "(R19)" in release
    detain = paths["/api/v1/detentions/{id}/detain/"]["post"]["description"]
    assert "R12, R16" in detain and "R18, R19" in detain
