"""/api/v1/campaigns/ (list, detail, create and edit for GACC, results scoped to the caller,
re-tag, tags), /api/v1/regions/, tagging actions and the `campaign` filter on
/api/v1/detentions/. Permissions as a table."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from campaigns import services, tasks
from campaigns.models import Campaign, CampaignTag, Region
from detentions.services import referral_create
from detentions.tests.factories import ex_officio, step

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def users(parties):
    return parties["users"]


@pytest.fixture
def queued(monkeypatch):
    ids = []
    monkeypatch.setattr(tasks.retag, "delay", ids.append)
    return ids


@pytest.fixture
def regions():
    return {
        "africa": Region.objects.create(code="africa", name_en="Africa", countries=["KE", "NG"]),
        "bri": Region.objects.create(code="belt-road", name_en="Belt and Road", countries=["AE", "NG"]),
    }  # fmt: skip


@pytest.fixture
def longteng(regions):
    """Exports in 2025, anywhere: the regions only split the results."""
    return Campaign.objects.create(
        code="LONGTENG-2025",
        name_en="Longteng 2025",
        name_zh="龙腾行动2025",
        kind="longteng",
        starts_on=D("2025-01-01"),
        ends_on=D("2025-12-31"),
        directions=["export"],
    )


@pytest.fixture
def cases(longteng, users, officer, holder_user, mark):
    """Four holder-A export cases of Ningbo in 2025, three counted in Longteng 2025:
    lagos  express to NG, CNY 30,000.00, 100 items, confiscated and referred;
    dubai  postal to AE, CNY 1,000.00 + 2,000.50, 200 items, released (declined);
    ny     general trade to US, CNY 5,000.00, 100 items, pending;
    wrong  to KE, tagged by the rule, removed by an officer (not counted)."""
    lagos = ex_officio(officer, mark, channel="express", destination_country="NG")
    step(lagos, holder_user, "request_detention", "2025-09-29", bond_source="case_bond",
         bond_form="cash", bond_reference="CASH-1")  # fmt: skip
    step(lagos, officer, "detain", "2025-09-29")
    step(lagos, officer, "determine_infringing", "2025-10-20")
    step(lagos, officer, "confiscate", "2025-10-21", penalty_tier="general", penalty_fine="3000")
    referral_create(
        actor=officer, detention=lagos, organ="Ningbo PSB", grounds="Large scale",
        referred_on=D("2025-10-22"),
    )  # fmt: skip
    dubai = ex_officio(
        officer, mark, values=("1000.00", "2000.50"), channel="postal", transport_mode="post",
        destination_country="AE",
    )  # fmt: skip
    step(dubai, holder_user, "decline", "2025-09-29", reason="Small value")
    ny = ex_officio(officer, mark, values=("5000.00",), destination_country="US")
    wrong = ex_officio(officer, mark, destination_country="KE")
    services.campaign_untag(actor=officer, campaign=longteng, detention=wrong, reason="Import")
    return {"lagos": lagos, "dubai": dubai, "ny": ny, "wrong": wrong}


def row(key, label, actions, batches, items, value):
    return {
        "key": key,
        "label": label,
        "actions": actions,
        "batches": batches,
        "items": items,
        "value": value,
    }


def test_results_by_office_channel_kind_region_and_outcome(cases, longteng, users):
    """Counted as in the statistics: three actions, one batch detained (Lagos)."""
    response = client_for(users["gacc"]).get(f"/api/v1/campaigns/{longteng.pk}/results/")
    assert response.status_code == 200
    assert response.json() == {
        "campaign": "LONGTENG-2025",
        "totals": row("total", "Total", 3, 1, 100, "30000.00"),
        "by_office": [row("3100", "Ningbo Customs", 3, 1, 100, "30000.00")],
        "by_channel": [
            row("express", "Express", 1, 1, 100, "30000.00"),
            row("general_trade", "General trade", 1, 0, 0, "0.00"),
            row("postal", "Postal", 1, 0, 0, "0.00"),
        ],
        "by_ip_kind": [row("trademark", "Trademark", 3, 1, 100, "30000.00")],
        # NG is in both regions; the US in none.
        "by_region": [
            row("belt-road", "Belt and Road", 2, 1, 100, "30000.00"),
            row("africa", "Africa", 1, 1, 100, "30000.00"),
            row("none", "No focus region", 1, 0, 0, "0.00"),
        ],
        "by_outcome": [
            row("confiscated", "Confiscated", 1, 1, 100, "30000.00"),
            row("pending", "Pending", 1, 0, 0, "0.00"),
            row("released", "Released", 1, 0, 0, "0.00"),
            row("referred", "Referred to public security", 1, 1, 100, "30000.00"),
        ],
    }


def test_results_count_only_the_cases_the_caller_may_see(cases, longteng, users):
    def totals(user):
        response = client_for(user).get(f"/api/v1/campaigns/{longteng.pk}/results/")
        return response.json()["totals"]

    assert totals(users["ningbo"]) == row("total", "Total", 3, 1, 100, "30000.00")
    assert totals(users["holder_a"]) == row("total", "Total", 3, 1, 100, "30000.00")
    assert totals(users["agent_a"])["actions"] == 3
    empty = row("total", "Total", 0, 0, 0, "0.00")
    assert totals(users["shenzhen"]) == empty
    assert totals(users["holder_b"]) == empty


def test_an_empty_campaign_has_zero_results(longteng, users):
    body = client_for(users["gacc"]).get(f"/api/v1/campaigns/{longteng.pk}/results/").json()
    assert body["totals"] == row("total", "Total", 0, 0, 0, "0.00")
    assert [body[k] for k in ("by_office", "by_channel", "by_region", "by_outcome")] == [[]] * 4


# --- create and edit -----------------------------------------------------------------------

NEW = {
    "code": "BLUE-NET-2025",
    "name_en": "Blue Net 2025",
    "name_zh": "蓝网行动2025",
    "kind": "blue_net",
    "starts_on": "2025-03-01",
    "ends_on": "2025-11-30",
    "channels": ["postal", "express"],
    "regions": ["africa"],
    "offices": ["3100"],
}


def test_gacc_creates_a_campaign_and_it_is_retagged_in_the_background(
    users, regions, queued, django_capture_on_commit_callbacks, parties
):
    body = {**NEW, "priority": [{"holder": parties["holder_a"].pk,
                                 "liaison_officer": users["ningbo"].pk}]}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(users["gacc"]).post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["code"], created["regions"], created["offices"]) == (
        "BLUE-NET-2025",
        ["africa"],
        ["3100"],
    )
    assert created["retag"]["status"] == "queued" and queued == [created["id"]]
    assert created["priority"][0]["holder"] == parties["holder_a"].pk
    patched = client_for(users["gacc"]).patch(
        f"/api/v1/campaigns/{created['id']}/", {"channels": ["postal"]}, format="json"
    )
    assert patched.status_code == 200
    assert (patched.json()["channels"], patched.json()["regions"]) == (["postal"], ["africa"])


@pytest.mark.parametrize(
    "change, field",
    [
        ({"ends_on": "2025-01-01"}, "ends_on"),
        ({"code": "blue net"}, "code"),
        ({"channels": ["pigeon"]}, "channels"),
        ({"regions": ["atlantis"]}, "regions"),
        ({"offices": ["9999"]}, "offices"),
        ({"countries": ["nigeria"]}, "countries"),
        ({"starts_on": "2025-02-30"}, "starts_on"),
        ({"priority": [{"holder": 1, "liaison_officer": None}]}, "priority"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_changes_nothing(users, regions, change, field):
    response = client_for(users["gacc"]).post(
        "/api/v1/campaigns/", {**NEW, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Campaign.objects.count() == 0


def test_a_duplicate_code_is_a_400(users, regions, longteng):
    response = client_for(users["gacc"]).post(
        "/api/v1/campaigns/", {**NEW, "code": "LONGTENG-2025"}, format="json"
    )
    assert response.status_code == 400 and "already exists" in response.json()["code"][0]


# --- tagging on detentions -----------------------------------------------------------------


def test_officers_tag_and_untag_a_case_and_the_rule_respects_it(cases, longteng, officer):
    client = client_for(officer)
    ny = cases["ny"]
    url = f"/api/v1/detentions/{ny.pk}/"
    assert client.get(url).json()["campaigns"] == ["LONGTENG-2025"]
    removed = client.post(url + "untag/", {"campaign": "LONGTENG-2025", "reason": "US trade"})
    assert removed.status_code == 200
    assert (removed.json()["source"], removed.json()["removal_reason"]) == ("rule", "US trade")
    assert client.get(url).json()["campaigns"] == []
    again = client.post(url + "untag/", {"campaign": "LONGTENG-2025", "reason": "again"})
    assert again.status_code == 409
    services.campaign_retag(campaign=longteng)
    assert client.get(url).json()["campaigns"] == []  # the rule does not put it back
    added = client.post(url + "tag/", {"campaign": "LONGTENG-2025", "reason": "Tip-off"})
    assert added.status_code == 201 and added.json()["source"] == "manual"
    assert (
        client.post(url + "tag/", {"campaign": "LONGTENG-2025", "reason": "x"}).status_code == 409
    )
    history = client.get(url + "campaign-tags/").json()["results"]
    assert [(t["campaign"], t["source"], t["reason"]) for t in history] == [
        ("LONGTENG-2025", "manual", "Tip-off")
    ]


@pytest.mark.parametrize(
    "body, field",
    [({"campaign": "LONGTENG-2025"}, "reason"), ({"campaign": "NOPE", "reason": "x"}, "campaign")],
)
def test_tagging_needs_a_campaign_and_a_reason(cases, officer, body, field):
    response = client_for(officer).post(f"/api/v1/detentions/{cases['ny'].pk}/tag/", body)
    assert response.status_code == 400 and field in response.json()


def test_the_campaign_filter_on_detentions(cases, longteng, officer):
    client = client_for(officer)

    def numbers(query):
        response = client.get(f"/api/v1/detentions/?{query}")
        assert response.status_code == 200, response.json()
        return sorted(case["number"] for case in response.json()["results"])

    counted = sorted(cases[name].number for name in ("lagos", "dubai", "ny"))
    assert numbers("campaign=LONGTENG-2025") == counted
    assert numbers(f"campaign={longteng.pk}") == counted
    assert numbers("campaign=longteng-2025&channel=postal") == [cases["dubai"].number]
    response = client.get("/api/v1/detentions/?campaign=NOPE")
    assert response.status_code == 400 and "campaign" in response.json()


def test_the_priority_flag_and_filter(cases, parties, officer, users):
    services.campaign_save(
        actor=users["gacc"],
        campaign=Campaign.objects.get(),
        fields={},
        priority=[(parties["holder_a"], users["shenzhen"])],
    )
    client = client_for(officer)
    flagged = client.get("/api/v1/detentions/?priority=true").json()["results"]
    assert len(flagged) == 4 and all(case["priority"] for case in flagged)
    assert client.get("/api/v1/detentions/?priority=false").json()["results"] == []


# --- permissions, as a table ----------------------------------------------------------------

ROLES = ["gacc", "ningbo", "shenzhen", "holder_a", "holder_b", "agent_a"]
# role → expected status for: list, detail, results, create, patch, retag, tags,
#                              tag on lagos, untag on lagos, case tag history
TABLE = {
    "gacc": (200, 200, 200, 201, 200, 202, 200, 201, 200, 200),
    "ningbo": (200, 200, 200, 403, 403, 403, 200, 201, 200, 200),
    "shenzhen": (200, 200, 200, 403, 403, 403, 200, 404, 404, 404),
    "holder_a": (200, 200, 200, 403, 403, 403, 403, 403, 403, 403),
    "holder_b": (200, 200, 200, 403, 403, 403, 403, 404, 404, 404),
    "agent_a": (200, 200, 200, 403, 403, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_table(role, users, cases, longteng, regions, queued):
    client = client_for(users[role])
    lagos = cases["lagos"]
    Campaign.objects.create(
        code="CLEAN-NET-2025", name_en="Clean Net", name_zh="净网", kind="clean_net",
        starts_on=D("2025-01-01"), ends_on=D("2025-12-31"), channels=["express"],
    )  # fmt: skip
    before = sorted(CampaignTag.objects.values_list("campaign", "detention", "removed_at"))
    case = f"/api/v1/detentions/{lagos.pk}/"
    base = f"/api/v1/campaigns/{longteng.pk}/"
    got = (
        client.get("/api/v1/campaigns/").status_code,
        client.get(base).status_code,
        client.get(base + "results/").status_code,
        client.post("/api/v1/campaigns/", NEW, format="json").status_code,
        client.patch(base, {"description": "x"}, format="json").status_code,
        client.post(base + "retag/").status_code,
        client.get(base + "tags/").status_code,
        client.post(case + "tag/", {"campaign": "CLEAN-NET-2025", "reason": "Express"}).status_code,
        client.post(case + "untag/", {"campaign": "LONGTENG-2025", "reason": "No"}).status_code,
        client.get(case + "campaign-tags/").status_code,
    )
    assert got == TABLE[role]
    if TABLE[role][7] != 201:  # a refused caller changed no tag
        assert sorted(CampaignTag.objects.values_list("campaign", "detention", "removed_at")) == (
            before
        )
        assert Campaign.objects.count() == 2


def test_holders_do_not_see_priority_enterprises_officers_do(longteng, users, parties):
    longteng.priority.create(holder=parties["holder_a"], liaison_officer=users["ningbo"])
    assert (
        "priority"
        not in client_for(users["holder_b"]).get(f"/api/v1/campaigns/{longteng.pk}/").json()
    )
    officer_view = client_for(users["shenzhen"]).get(f"/api/v1/campaigns/{longteng.pk}/").json()
    assert officer_view["priority"][0]["holder"] == parties["holder_a"].pk


def test_regions_and_campaign_filters(users, regions, longteng):
    client = client_for(users["holder_a"])
    assert [r["code"] for r in client.get("/api/v1/regions/").json()["results"]] == [
        "africa",
        "belt-road",
    ]
    assert client.get("/api/v1/campaigns/?year=2025").json()["count"] == 1
    assert client.get("/api/v1/campaigns/?year=2024").json()["count"] == 0
    assert client.get("/api/v1/campaigns/?running_on=2025-06-01&kind=longteng").json()["count"] == 1
    assert client.get("/api/v1/campaigns/?kind=blue_net").json()["count"] == 0
