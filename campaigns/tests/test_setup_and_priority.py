"""Setting up campaigns (GACC only, validated, a changed rule queues a background re-tag),
the re-tagging task, priority enterprises (flag, liaison officer told, R24 floor) and the
outcome kept on the case."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns import selectors, services, tasks
from campaigns.models import Campaign, CampaignTag, PriorityHolder, Region
from core.errors import InvalidInput, NotPermitted
from deadlines.models import Notification
from detentions import hooks as detention_hooks
from detentions.models import Detention
from detentions.tests.factories import ex_officio, step
from detentions.tests.test_services import infringing, snapshot

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat

FIELDS = {
    "code": "LONGTENG-2025",
    "name_en": "Longteng 2025",
    "name_zh": "龙腾行动2025",
    "kind": "longteng",
    "starts_on": D("2025-01-01"),
    "ends_on": D("2025-12-31"),
    "directions": ["export"],
}


@pytest.fixture
def queued(monkeypatch):
    """Campaign ids whose re-tagging was queued (Celery's delay, after commit)."""
    ids = []
    monkeypatch.setattr(tasks.retag, "delay", ids.append)
    return ids


@pytest.fixture
def gacc(parties):
    return parties["users"]["gacc"]


def save(actor, campaign=None, **fields):
    return services.campaign_save(actor=actor, campaign=campaign, fields=fields)


def test_gacc_creates_a_campaign_and_its_period_is_tagged_in_the_background(
    gacc, officer, mark, queued, django_capture_on_commit_callbacks
):
    export = ex_officio(officer, mark)  # served 2025-09-26, export to the US
    with django_capture_on_commit_callbacks(execute=True):
        campaign = save(gacc, **FIELDS)
    assert campaign.retag_status == "queued" and queued == [campaign.pk]
    assert tasks.retag(campaign.pk) == {"total": 1, "added": 1, "dropped": 0}
    campaign.refresh_from_db()
    assert (campaign.retag_status, campaign.retag_done, campaign.retag_total) == ("idle", 1, 1)
    assert selectors.tagged(campaign).get() == export


def test_only_a_rule_change_queues_a_retag(gacc, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        campaign = save(gacc, **FIELDS)
    Campaign.objects.filter(pk=campaign.pk).update(retag_status="idle")
    with django_capture_on_commit_callbacks(execute=True):
        campaign = save(gacc, campaign, name_en="Longteng Action 2025", description="Exports")
    assert (campaign.retag_status, queued) == ("idle", [campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.campaign_save(
            actor=gacc, campaign=campaign, fields={}, regions=[Region.objects.create(
                code="me", name_en="Middle East", countries=["AE", "SA"])]
        )  # fmt: skip
    assert (campaign.retag_status, queued) == ("queued", [campaign.pk, campaign.pk])


@pytest.mark.parametrize(
    "change, field",
    [
        ({"ends_on": D("2024-12-31")}, "ends_on"),
        ({"code": "longteng 2025"}, "code"),
        ({"countries": ["NG", "Nigeria"]}, "countries"),
        ({"priority_holders_only": True}, "priority_holders_only"),
        ({"kind": "moonshot"}, "kind"),
        ({"channels": ["pigeon"]}, "channels"),
    ],
)
def test_bad_campaign_input_is_refused_and_nothing_is_saved(gacc, change, field):
    with pytest.raises(InvalidInput) as error:
        save(gacc, **{**FIELDS, **change})
    assert field in error.value.errors
    assert Campaign.objects.count() == 0


def test_a_duplicate_code_or_a_liaison_who_is_no_officer_is_refused(gacc, parties):
    save(gacc, **FIELDS)
    with pytest.raises(InvalidInput) as error:
        save(gacc, **FIELDS)
    assert "already exists" in error.value.errors["code"][0]
    with pytest.raises(InvalidInput) as error:
        services.campaign_save(
            actor=gacc,
            fields={**FIELDS, "code": "DRAGON-2025"},
            priority=[(parties["holder_a"], parties["users"]["holder_b"])],
        )
    assert "priority[0].liaison_officer" in error.value.errors
    assert list(Campaign.objects.values_list("code", flat=True)) == ["LONGTENG-2025"]


@pytest.mark.parametrize("who", ["ningbo", "holder_a", "agent_a"])
def test_only_gacc_sets_up_campaigns_and_regions(parties, who):
    with pytest.raises(NotPermitted):
        save(parties["users"][who], **FIELDS)
    region = Region.objects.create(code="africa", name_en="Africa", countries=["NG"])
    with pytest.raises(NotPermitted):
        services.region_save(actor=parties["users"][who], region=region, countries=["KE"])
    assert (Campaign.objects.count(), Region.objects.get().countries) == (0, ["NG"])


def test_editing_a_region_retags_the_campaigns_focused_on_it(
    gacc, queued, django_capture_on_commit_callbacks
):
    africa = Region.objects.create(code="africa", name_en="Africa", countries=["NG"])
    campaign = services.campaign_save(actor=gacc, fields=FIELDS, regions=[africa])
    Campaign.objects.filter(pk=campaign.pk).update(retag_status="idle")
    with pytest.raises(InvalidInput):
        services.region_save(actor=gacc, region=africa, countries=["NG", "ng"])
    with django_capture_on_commit_callbacks(execute=True):
        services.region_save(actor=gacc, region=africa, countries=["KE", "NG", "KE"])
    africa.refresh_from_db()
    assert (africa.countries, queued) == (["KE", "NG"], [campaign.pk])
    assert Campaign.objects.get().retag_status == "queued"


def test_a_failed_retag_is_shown_and_a_lost_one_is_queued_again(
    gacc, queued, monkeypatch, django_capture_on_commit_callbacks
):
    campaign = save(gacc, **FIELDS)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_retag", broken)
    with pytest.raises(RuntimeError):
        tasks.retag(campaign.pk)
    assert Campaign.objects.get().retag_status == "failed"
    lost = save(gacc, **{**FIELDS, "code": "BLUE-NET-2025"})
    Campaign.objects.filter(pk=lost.pk).update(
        retag_status="queued", retag_queued_at=timezone.now() - dt.timedelta(minutes=6)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retag_stale() == 1  # the failed one waits for an officer
    assert queued[-1] == lost.pk
    assert tasks.retag(999_999) is None  # a deleted campaign: nothing to do


# --- priority enterprises ("Dragon Protection") ---------------------------------------------


@pytest.fixture
def dragon(parties, gacc):
    liaison = parties["users"]["shenzhen"]
    return services.campaign_save(
        actor=gacc,
        fields={**FIELDS, "code": "DRAGON-2025", "kind": "dragon_protection", "directions": []},
        priority=[(parties["holder_a"], liaison)],
    )


def test_priority_enterprises_cases_are_flagged_and_their_liaison_told(
    dragon, parties, officer, mark
):
    liaison = parties["users"]["shenzhen"]
    case = ex_officio(officer, mark)
    early = ex_officio(officer, mark, served_on=D("2024-12-31"))  # before the campaign
    notices = Notification.objects.filter(user=liaison, title__contains="priority enterprise")
    assert list(notices.values_list("title", flat=True)) == [
        f"{case.number}: new case for priority enterprise {parties['holder_a']}"
    ]
    assert "DRAGON-2025" in notices.get().body and "30000.00" in notices.get().body
    flags = dict(selectors.with_priority(Detention.objects.all()).values_list("pk", "priority"))
    assert flags == {case.pk: True, early.pk: False}


def test_r24_priority_enterprise_penalty_starts_at_the_general_tier(
    dragon, officer, holder_user, mark
):
    case = infringing(officer, holder_user, mark)  # CNY 30,000 of goods
    before = snapshot(case)
    with pytest.raises(InvalidInput) as error:
        step(case, officer, "confiscate", "2025-10-21", penalty_tier="lighter", penalty_fine="100")
    assert "At least 'general'" in error.value.errors["penalty_tier"][0]
    assert snapshot(case) == before
    Campaign.objects.filter(pk=dragon.pk).update(priority_minimum_tier="heavier")
    with pytest.raises(InvalidInput):
        step(case, officer, "confiscate", "2025-10-21", penalty_tier="general", penalty_fine="3000")
    step(case, officer, "confiscate", "2025-10-21", penalty_tier="heavier", penalty_fine="6000")
    case.refresh_from_db()
    assert (case.penalty_tier, case.penalty_fine, case.outcome) == (
        "heavier",
        Decimal("6000.00"),
        "confiscated",
    )


def test_r24_without_priority_the_lighter_tier_is_open(officer, holder_user, mark):
    case = infringing(officer, holder_user, mark)
    step(case, officer, "confiscate", "2025-10-21", penalty_tier="lighter", penalty_fine="100")
    assert Detention.objects.get(pk=case.pk).penalty_tier == "lighter"


def test_r24_campaigns_give_detentions_the_floor_through_its_hook(dragon, officer, mark):
    case = ex_officio(officer, mark)
    early = ex_officio(officer, mark, served_on=D("2024-12-31"))  # before the campaign
    assert (detention_hooks.penalty_floor(case), detention_hooks.penalty_floor(early)) == (
        "general",
        None,
    )


def test_the_outcome_is_kept_when_the_case_is_closed(officer, holder_user, mark):
    case = ex_officio(officer, mark)
    assert case.outcome == "pending"
    step(case, holder_user, "decline", "2025-09-29", reason="Not worth a bond")
    step(case, officer, "close", "2025-09-30")
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "released")


def test_priority_holder_rows_are_replaced_not_duplicated(dragon, parties, gacc):
    services.campaign_save(
        actor=gacc,
        campaign=dragon,
        fields={},
        priority=[(parties["holder_b"], parties["users"]["ningbo"])],
    )
    assert list(PriorityHolder.objects.values_list("holder", "liaison_officer")) == [
        (parties["holder_b"].pk, parties["users"]["ningbo"].pk)
    ]
    assert CampaignTag.objects.count() == 0
