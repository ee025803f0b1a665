"""Who may do what, as one table: every role against its own case, another office's case
and another holder's case, for every endpoint and every action (STYLE.md, convention 9).

Unseen → 404; seen but the role may not → 403; allowed → the request reaches the rule
(here 400 or 409, because the probes carry no valid input: nothing may change)."""

import pytest

from accounts.models import Port
from detentions import services
from detentions.models import Detention, Referral
from detentions.tests.factories import SHIPMENT, detained, ex_officio, lines
from detentions.workflow import WORKFLOWS, workflow_for
from recordals.tests.factories import approved

CASE_ACTIONS = dict.fromkeys(s.name for w in WORKFLOWS.values() for s in w.later_steps())
pytestmark = pytest.mark.django_db
URL = "/api/v1/detentions/"
OFFICERS = {"gacc", "ningbo", "shenzhen"}
ROLE = {
    "gacc": "gacc_officer",
    "ningbo": "district_officer",
    "shenzhen": "district_officer",
    "holder_a": "holder",
    "holder_b": "holder",
    "agent_a": "agent",
    "agent_expired": "agent",
}
# Which of the three cases each user sees.
SEES = {
    "gacc": {"a_ningbo", "a_shenzhen", "b_shenzhen"},
    "ningbo": {"a_ningbo"},
    "shenzhen": {"a_shenzhen", "b_shenzhen"},
    "holder_a": {"a_ningbo", "a_shenzhen"},
    "agent_a": {"a_ningbo", "a_shenzhen"},
    "holder_b": {"b_shenzhen"},
    "agent_expired": set(),
}


@pytest.fixture
def cases(parties, mark):
    """A's ex officio case at Ningbo (notified), A's application at Shenzhen (applied),
    B's ex officio case at Shenzhen (notified)."""
    users = parties["users"]
    # Holder B files for itself here (a domestic holder, R3), to keep the fixture short.
    type(parties["holder_b"]).objects.filter(pk=parties["holder_b"].pk).update(country="CN")
    parties["holder_b"].refresh_from_db()
    mark_b = approved(
        users["holder_b"],
        parties["holder_b"],
        users["gacc"],
        right_name="NORDKAP",
        registration_number="7654321",
    )
    a_ningbo = ex_officio(users["ningbo"], mark)
    b_shenzhen = services.detention_open_ex_officio(
        actor=users["shenzhen"],
        shipment=SHIPMENT,
        recordals=[mark_b],
        goods_lines=lines(),
        served_on=a_ningbo.opened_on,
    )
    a_shenzhen = services.detention_apply(
        actor=users["holder_a"],
        holder=parties["holder_a"],
        port=Port.objects.filter(office__customs_code="5300").first(),
        shipment=SHIPMENT,
        goods_lines=lines(),
        ip_kind="trademark",
        right_description="Unrecorded mark",
        evidence="Test buy",
        expected_arrival="Yantian, by sea",
        bond_form="cash",
    )
    return {"a_ningbo": a_ningbo, "a_shenzhen": a_shenzhen, "b_shenzhen": b_shenzhen}


def state(cases):
    return sorted(Detention.objects.values_list("pk", "status", "updated_at"))


def expected_for_action(user, key, case, action):
    if key not in SEES[user]:
        return "404"
    workflow = workflow_for(case.mode)
    if action in workflow and ROLE[user] not in workflow[action].roles:
        return "403"
    return "reaches the rule"


def outcome(status_code):
    if status_code in (403, 404):
        return str(status_code)
    assert status_code in (400, 409), status_code  # no probe may succeed
    return "reaches the rule"


def test_permission_table_for_every_case_endpoint_and_action(api, parties, cases):
    before = state(cases)
    mismatches = []
    for user, seen in SEES.items():
        api.force_authenticate(parties["users"][user])
        listed = {row["id"] for row in api.get(URL, {"page_size": 100}).json()["results"]}
        if listed != {cases[k].pk for k in seen}:
            mismatches.append((user, "list", sorted(listed)))
        for key, case in cases.items():
            probes = {}
            probes["detail"] = (
                "200" if key in seen else "404",
                str(api.get(f"{URL}{case.pk}/").status_code),
            )
            for action in CASE_ACTIONS:
                response = api.post(
                    f"{URL}{case.pk}/{action.replace('_', '-')}/", {}, format="json"
                )
                probes[action] = (
                    expected_for_action(user, key, case, action),
                    outcome(response.status_code),
                )
            officer_only = {
                "costs": "post",
                "payments": "post",
                "compensations": "post",
                "statements": "post",
                "goods": "put",
            }
            for endpoint, method in officer_only.items():
                response = getattr(api, method)(f"{URL}{case.pk}/{endpoint}/", {}, format="json")
                want = (
                    "404"
                    if key not in seen
                    else ("reaches the rule" if user in OFFICERS else "403")
                )
                probes[endpoint] = (want, outcome(response.status_code))
            response = api.post(f"{URL}{case.pk}/documents/", {}, format="multipart")
            probes["documents"] = (
                "404" if key not in seen else "reaches the rule",
                outcome(response.status_code),
            )
            response = api.post(
                "/api/v1/referrals/",
                {"detention": case.pk, "organ": "PSB", "grounds": "g"},
                format="json",
            )
            want = "unseen" if key not in seen else ("409" if user in OFFICERS else "403")
            got = "unseen" if response.status_code == 400 else str(response.status_code)
            probes["refer"] = (want, got)
            for probe, (want, got) in probes.items():
                if want != got:
                    mismatches.append((user, key, probe, want, got))
    assert mismatches == []
    assert state(cases) == before
    assert Referral.objects.count() == 0


def test_permission_table_for_referrals(api, parties, mark):
    users = parties["users"]
    case = detained(users["ningbo"], users["holder_a"], mark)
    services.detention_transition(
        actor=users["ningbo"], detention=case, action="determine_infringing", data={}
    )
    referral = services.referral_create(
        actor=users["ningbo"],
        detention=case,
        organ="PSB",
        grounds="Counterfeiting on a commercial scale",
    )
    sees = {"gacc", "ningbo", "holder_a", "agent_a"}
    mismatches = []
    for user in SEES:
        api.force_authenticate(users[user])
        url = f"/api/v1/referrals/{referral.pk}/"
        listed = api.get("/api/v1/referrals/").json()["count"]
        if listed != (1 if user in sees else 0):
            mismatches.append((user, "list", listed))
        probes = {"detail": ("200" if user in sees else "404", str(api.get(url).status_code))}
        for action in ("accept", "decline", "return", "refer-again", "outcome"):
            response = api.post(f"{url}{action}/", {}, format="json")
            want = "404" if user not in sees else ("403" if user not in OFFICERS else "400|409")
            got = str(response.status_code)
            probes[action] = (want, "400|409" if got in ("400", "409") else got)
        for probe, (want, got) in probes.items():
            if want != got:
                mismatches.append((user, probe, want, got))
    assert mismatches == []
    assert Referral.objects.get().status == "referred"
