"""Campaign rules tag the right detentions and only those; a person's removal sticks;
changing a rule re-tags the period."""

import datetime as dt

import pytest

from campaigns import services
from campaigns.models import Campaign, CampaignTag, Region
from core.errors import Conflict
from detentions.tests.factories import ex_officio

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def campaign(code, **focus):
    regions = focus.pop("regions", [])
    made = Campaign.objects.create(
        code=code,
        name_en=code,
        name_zh=code,
        kind=focus.pop("kind", "other"),
        starts_on=focus.pop("starts_on", D("2025-01-01")),
        ends_on=focus.pop("ends_on", D("2025-12-31")),
        **focus,
    )
    made.regions.set(regions)
    return made


def tagged(campaign):
    return set(
        CampaignTag.objects.filter(campaign=campaign, removed_at__isnull=True).values_list(
            "detention_id", flat=True
        )
    )


@pytest.fixture
def africa():
    return Region.objects.create(code="africa-test", name_en="Africa", countries=["NG", "KE"])


def test_blue_net_tags_postal_and_express_within_its_period(officer, mark):
    blue = campaign(
        "BLUE-NET-2025", kind="blue_net", channels=["postal", "express"], starts_on=D("2025-06-01")
    )
    postal = ex_officio(officer, mark, channel="postal", transport_mode="post")
    express = ex_officio(officer, mark, channel="express")
    trade = ex_officio(officer, mark, channel="general_trade")
    early = ex_officio(officer, mark, channel="postal", served_on=D("2025-05-30"))
    for case in (postal, express, trade, early):
        services.detention_apply_campaign_rules(detention=case)
    assert tagged(blue) == {postal.pk, express.pk}
    assert early.pk not in tagged(blue)
    assert CampaignTag.objects.get(campaign=blue, detention=postal).source == "rule"


def test_africa_action_tags_exports_to_african_countries(officer, mark, africa):
    action = campaign("AFRICA-2025", kind="africa_action", directions=["export"], regions=[africa])
    lagos = ex_officio(officer, mark, destination_country="NG")
    dubai = ex_officio(officer, mark, destination_country="AE")
    imported = ex_officio(officer, mark, destination_country="NG", direction="import")
    for case in (lagos, dubai, imported):
        services.detention_apply_campaign_rules(detention=case)
    assert tagged(action) == {lagos.pk}


def test_category_office_and_priority_rules(officer, mark, parties):
    toys = campaign("TOYS-2025", categories=["toys"])
    shoes = campaign("SHOES-2025", categories=["footwear"])
    shenzhen_only = campaign("SZ-2025")
    shenzhen_only.offices.set([parties["shenzhen"]])
    priority = campaign("DRAGON-2025", kind="dragon_protection", priority_holders_only=True)
    priority.priority.create(holder=parties["holder_a"], liaison_officer=officer)
    case = ex_officio(officer, mark)  # toys, Ningbo, holder A
    services.detention_apply_campaign_rules(detention=case)
    assert (tagged(toys), tagged(shoes), tagged(shenzhen_only), tagged(priority)) == (
        {case.pk},
        set(),
        set(),
        {case.pk},
    )


def test_a_removed_automatic_tag_is_not_put_back(officer, mark, parties):
    blue = campaign("BLUE-NET-2025", channels=["express"])
    case = ex_officio(officer, mark, channel="express")
    services.detention_apply_campaign_rules(detention=case)
    services.campaign_untag(actor=officer, campaign=blue, detention=case, reason="Trade goods")
    services.detention_apply_campaign_rules(detention=case)
    services.campaign_retag(campaign=blue)
    assert tagged(blue) == set()
    with pytest.raises(Conflict):
        services.campaign_untag(actor=officer, campaign=blue, detention=case, reason="again")
    services.campaign_tag(actor=officer, campaign=blue, detention=case, reason="Yes after all")
    tag = CampaignTag.objects.get(campaign=blue, detention=case)
    assert (tag.source, tag.tagged_by, tag.removed_at) == ("manual", officer, None)


def test_changing_the_rule_retags_the_period_with_progress(officer, mark):
    rule = campaign("CLEAN-NET-2025", kind="clean_net", channels=["express"])
    express = ex_officio(officer, mark, channel="express")
    postal = ex_officio(officer, mark, channel="postal")
    manual = ex_officio(officer, mark, channel="general_trade")
    assert tagged(rule) == {express.pk}  # tagged when the case was opened
    services.campaign_tag(actor=officer, campaign=rule, detention=manual, reason="Tip-off")
    CampaignTag.objects.filter(detention=express).delete()  # as if the rule came later
    result = services.campaign_retag(campaign=rule, batch=1)
    assert result == {"total": 3, "added": 1, "dropped": 0}
    assert tagged(rule) == {express.pk, manual.pk}
    rule.channels = ["postal"]
    rule.save()
    services.campaign_retag(campaign=rule, batch=2)
    assert tagged(rule) == {postal.pk, manual.pk}  # the person's tag stays
    rule.refresh_from_db()
    assert (rule.retag_status, rule.retag_total, rule.retag_done) == ("idle", 3, 3)


def test_countries_add_to_the_regions_and_an_empty_focus_takes_the_whole_period(
    officer, mark, africa
):
    action = campaign("AFRICA-PLUS-2025", regions=[africa], countries=["EG"])
    everything = campaign("ALL-2025")
    cairo = ex_officio(officer, mark, destination_country="EG")
    nairobi = ex_officio(officer, mark, destination_country="KE")
    paris = ex_officio(officer, mark, destination_country="FR")
    for case in (cairo, nairobi, paris):
        services.detention_apply_campaign_rules(detention=case)
    assert tagged(action) == {cairo.pk, nairobi.pk}
    assert tagged(everything) == {cairo.pk, nairobi.pk, paris.pk}


def test_a_campaign_that_does_not_tag_automatically_only_counts_manual_tags(officer, mark):
    manual_only = campaign("MANUAL-2025", auto_tag=False, channels=["express"])
    express = ex_officio(officer, mark, channel="express")
    assert tagged(manual_only) == set()
    services.campaign_tag(actor=officer, campaign=manual_only, detention=express, reason="Tip")
    services.campaign_retag(campaign=manual_only)
    assert tagged(manual_only) == {express.pk}


def test_correcting_the_goods_moves_the_case_in_or_out_of_a_category_rule(officer, mark):
    from detentions.services import detention_update_goods
    from detentions.tests.factories import lines

    shoes = campaign("SHOES-2025", categories=["footwear"])
    case = ex_officio(officer, mark)  # toys
    assert tagged(shoes) == set()
    detention_update_goods(
        actor=officer, detention=case, goods_lines=lines("30000.00", category="footwear")
    )
    assert tagged(shoes) == {case.pk}
    detention_update_goods(actor=officer, detention=case, goods_lines=lines("30000.00"))
    assert tagged(shoes) == set()


def test_a_case_outside_the_period_cannot_be_tagged_by_hand(officer, mark):
    from core.errors import InvalidInput

    later = campaign("LATER-2026", starts_on=D("2026-01-01"), ends_on=D("2026-12-31"))
    case = ex_officio(officer, mark)  # 2025-09-26
    with pytest.raises(InvalidInput) as error:
        services.campaign_tag(actor=officer, campaign=later, detention=case, reason="Tip-off")
    assert "outside LATER-2026's period" in error.value.errors["campaign"][0]
    assert not CampaignTag.objects.exists()


def test_a_district_officer_tags_its_own_offices_cases_only(officer, mark, parties):
    from core.errors import NotPermitted

    blue = campaign("BLUE-NET-2025", channels=["express"])
    case = ex_officio(officer, mark, channel="express")  # Ningbo's
    with pytest.raises(NotPermitted):
        services.campaign_untag(
            actor=parties["users"]["shenzhen"], campaign=blue, detention=case, reason="No"
        )
    services.campaign_untag(
        actor=parties["users"]["gacc"], campaign=blue, detention=case, reason="No"
    )
    assert tagged(blue) == set()


def test_results_bounded_by_the_period_count_exactly_the_live_tags(officer, mark):
    """The results read the campaign's cases by its period (issue 21): a tag exists only
    for a case opened within it, so bounding the query changes no figure. Tags are made
    directly here, the way a stale tag would look, to prove the bound is what counts."""
    from campaigns.selectors import tagged as counted

    blue = campaign("BLUE-NET-BOUND", kind="blue_net", channels=["postal"],
                    starts_on=D("2025-06-01"), ends_on=D("2025-12-31"))  # fmt: skip
    inside = ex_officio(officer, mark, channel="postal")
    before = ex_officio(officer, mark, channel="postal", served_on=D("2025-05-30"))
    services.detention_apply_campaign_rules(detention=inside)
    services.detention_apply_campaign_rules(detention=before)
    assert set(counted(blue).values_list("pk", flat=True)) == tagged(blue) == {inside.pk}
    CampaignTag.objects.create(campaign=blue, detention=before, source="rule")
    assert set(counted(blue).values_list("pk", flat=True)) == {inside.pk}
