"""The campaigns admin: GACC sets up regions and campaigns through the services (refusals
shown on the form, nothing saved), district officers read them; the campaign page shows
the re-tagging and the results over the officer's own cases; on the detention pages the
priority column, the campaign filter and the tag and untag forms."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Port
from accounts.tests.factories import PASSWORD
from campaigns import services
from campaigns.models import Campaign, CampaignTag, PriorityHolder, Region
from core.errors import InvalidInput
from detentions import services as detention_services
from detentions.tests.factories import SHIPMENT, ex_officio, lines, step

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
CAMPAIGNS = "/admin/campaigns/campaign/"
REGIONS = "/admin/campaigns/region/"
CASES = "/admin/detentions/detention/"
YES = '<img src="/static/admin/img/icon-yes.svg" alt="True">'
NO = '<img src="/static/admin/img/icon-no.svg" alt="False">'


def retags(callbacks) -> list:
    """The callbacks run on commit, less screening's snapshot bump (screening/signals.py)."""
    from screening.signals import bump_snapshot_version

    return [callback for callback in callbacks if callback is not bump_snapshot_version]


def login(parties, role):
    client = Client()
    assert client.login(username=parties["users"][role].username, password=PASSWORD)
    return client


@pytest.fixture
def africa():
    return Region.objects.create(code="africa", name_en="Africa", countries=["KE", "NG"])


def make_campaign(code="LONGTENG-2025", **focus):
    regions = focus.pop("regions", [])
    campaign = Campaign.objects.create(
        code=code,
        name_en=focus.pop("name_en", "Longteng 2025"),
        name_zh=focus.pop("name_zh", "龙腾行动2025"),
        kind=focus.pop("kind", "longteng"),
        starts_on=focus.pop("starts_on", D("2025-01-01")),
        ends_on=focus.pop("ends_on", D("2025-12-31")),
        auto_tag=focus.pop("auto_tag", False),
        **focus,
    )
    campaign.regions.set(regions)
    return campaign


def snapshot(campaign):
    """Everything a refused save must leave as it was."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    return (
        {f.attname: getattr(campaign, f.attname) for f in Campaign._meta.concrete_fields},
        sorted(campaign.regions.values_list("pk", flat=True)),
        sorted(campaign.offices.values_list("pk", flat=True)),
        sorted(campaign.priority.values_list("holder_id", "liaison_officer_id")),
    )


def management(total=0, initial=0):
    return {
        "priority-TOTAL_FORMS": str(total),
        "priority-INITIAL_FORMS": str(initial),
        "priority-MIN_NUM_FORMS": "0",
        "priority-MAX_NUM_FORMS": "1000",
    }


def add_form(parties, africa, **overrides):
    """The add form as a GACC officer fills it in: Dragon Protection for holder A."""
    data = {
        "code": "DRAGON-2025",
        "name_en": "Dragon Protection 2025",
        "name_zh": "龙腾护航2025",
        "kind": "dragon_protection",
        "starts_on": "2025-03-01",
        "ends_on": "2025-11-30",
        "description": "Priority enterprises: heavier penalties, liaison officers.",
        "auto_tag": "on",
        "channels": ["general_trade", "market_procurement"],
        "directions": ["export"],
        "regions": [str(africa.pk)],
        "countries": "ae, SA,ae",
        "categories": ["toys"],
        "offices": [str(parties["ningbo"].pk)],
        "priority_holders_only": "on",
        "priority_minimum_tier": "heavier",
        **management(total=1),
        "priority-0-holder": str(parties["holder_a"].pk),
        "priority-0-liaison_officer": str(parties["users"]["ningbo"].pk),
    }
    data.update(overrides)
    return data


def change_form(campaign, **overrides):
    """The change form of a campaign without priority holders, as it stands."""
    data = {
        "code": campaign.code,
        "name_en": campaign.name_en,
        "name_zh": campaign.name_zh,
        "kind": campaign.kind,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "description": campaign.description,
        "channels": campaign.channels,
        "directions": campaign.directions,
        "regions": [str(pk) for pk in campaign.regions.values_list("pk", flat=True)],
        "countries": ", ".join(campaign.countries),
        "categories": campaign.categories,
        "offices": [str(pk) for pk in campaign.offices.values_list("pk", flat=True)],
        "priority_minimum_tier": campaign.priority_minimum_tier,
        **management(),
    }
    if campaign.auto_tag:
        data["auto_tag"] = "on"
    data.update(overrides)
    return data


def shenzhen_case(parties, recordal, **shipment):
    officer = parties["users"]["shenzhen"]
    return detention_services.detention_open_ex_officio(
        actor=officer,
        port=Port.objects.filter(office=officer.organisation).order_by("pk").first(),
        shipment={**SHIPMENT, **shipment},
        recordals=[recordal],
        goods_lines=lines(),
        served_on=D("2025-09-26"),
    )


# --- setting up campaigns and regions ---------------------------------------------------------


def test_gacc_creates_a_campaign_with_its_priority_holder_and_a_retag_is_queued(
    parties, africa, django_capture_on_commit_callbacks
):
    client = login(parties, "gacc")
    assert client.get(f"{CAMPAIGNS}add/").status_code == 200
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"{CAMPAIGNS}add/", add_form(parties, africa))
    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign = Campaign.objects.get()
    assert response.url == CAMPAIGNS
    assert (
        campaign.code,
        campaign.kind,
        campaign.starts_on,
        campaign.ends_on,
        campaign.auto_tag,
        campaign.channels,
        campaign.directions,
        campaign.countries,
        campaign.categories,
        campaign.priority_holders_only,
        campaign.priority_minimum_tier,
        campaign.retag_status,
    ) == (
        "DRAGON-2025",
        "dragon_protection",
        D("2025-03-01"),
        D("2025-11-30"),
        True,
        ["general_trade", "market_procurement"],
        ["export"],
        ["AE", "SA"],
        ["toys"],
        True,
        "heavier",
        "queued",
    )
    assert list(campaign.regions.all()) == [africa]
    assert list(campaign.offices.all()) == [parties["ningbo"]]
    assert list(campaign.priority.values_list("holder", "liaison_officer")) == [
        (parties["holder_a"].pk, parties["users"]["ningbo"].pk)
    ]
    callbacks = retags(callbacks)
    assert len(callbacks) == 1  # the background re-tag, once committed
    with mock.patch("campaigns.tasks.retag.delay") as delay:
        callbacks[0]()
    delay.assert_called_once_with(campaign.pk)
    # The admin's history names the new campaign.
    assert campaign.pk == int(client.get(f"{CAMPAIGNS}{campaign.pk}/change/").context["object_id"])


def test_changing_the_rule_queues_a_retag_and_the_page_shows_the_progress(
    parties, django_capture_on_commit_callbacks
):
    campaign = make_campaign(channels=["postal"])
    client = login(parties, "gacc")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            f"{CAMPAIGNS}{campaign.pk}/change/",
            change_form(campaign, channels=["postal", "express"], auto_tag="on"),
        )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.channels, campaign.auto_tag, campaign.retag_status) == (
        ["postal", "express"],
        True,
        "queued",
    )
    assert len(retags(callbacks)) == 1
    Campaign.objects.filter(pk=campaign.pk).update(
        retag_status="running", retag_total=1200, retag_done=450
    )
    page = client.get(f"{CAMPAIGNS}{campaign.pk}/change/").content.decode()
    assert "<strong>Running</strong>: 450/1200 detentions of the period" in page
    assert 'name="_save"' in page and "Re-tag now" in page
    listing = client.get(CAMPAIGNS).content.decode()
    assert '<td class="field-retag">Running 450/1200</td>' in listing
    # A description only: no re-tag.
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(
            f"{CAMPAIGNS}{campaign.pk}/change/",
            change_form(campaign, description="Postal and express parcels"),
        )
    campaign.refresh_from_db()
    assert (campaign.description, campaign.retag_status, len(retags(callbacks))) == (
        "Postal and express parcels",
        "running",
        0,
    )


def test_re_tag_now_queues_the_campaign_again(parties, django_capture_on_commit_callbacks):
    campaign = make_campaign()
    Campaign.objects.filter(pk=campaign.pk).update(retag_status="failed")
    url = f"{CAMPAIGNS}{campaign.pk}/retag/"
    assert login(parties, "gacc").get(url).status_code == 405
    assert login(parties, "ningbo").post(url).status_code == 403
    campaign.refresh_from_db()
    assert campaign.retag_status == "failed"
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(parties, "gacc").post(url)
    assert response.status_code == 302
    assert response.url == f"{CAMPAIGNS}{campaign.pk}/change/"
    campaign.refresh_from_db()
    assert (campaign.retag_status, len(callbacks)) == ("queued", 1)
    # The same from the list, for several campaigns at once.
    other = make_campaign("CLEAN-NET-2025", kind="clean_net")
    action = {"action": "retag_now", "_selected_action": [campaign.pk, other.pk]}
    assert login(parties, "ningbo").post(CAMPAIGNS, action).status_code == 200  # no such action
    assert Campaign.objects.get(pk=other.pk).retag_status == "idle"
    with django_capture_on_commit_callbacks() as callbacks:
        response = login(parties, "gacc").post(CAMPAIGNS, action, follow=True)
    assert b"Re-tagging queued: CLEAN-NET-2025, LONGTENG-2025." in response.content
    assert Campaign.objects.get(pk=other.pk).retag_status == "queued"
    assert len(callbacks) == 2


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"ends_on": "2025-02-01"}, {"ends_on": ["The campaign cannot end before it starts."]}),
        ({"countries": "NG, NGA, x1"}, {"countries": ["ISO 3166-1 alpha-2 codes, e.g. NG: not NGA, X1."]}),
        ({"code": "dragon 2025"}, {"code": ["3 to 40 capital letters, digits and hyphens, e.g. LONGTENG-2024."]}),
        (
            {**management(), "priority-0-holder": "", "priority-0-liaison_officer": ""},
            {"priority_holders_only": ["Name the priority rights holders first."]},
        ),
    ],
)  # fmt: skip
def test_a_refused_campaign_is_shown_again_with_the_error_on_its_field_and_nothing_saved(
    parties, africa, overrides, errors, django_capture_on_commit_callbacks
):
    client = login(parties, "gacc")
    with django_capture_on_commit_callbacks() as callbacks:
        page = client.post(f"{CAMPAIGNS}add/", add_form(parties, africa, **overrides))
    assert page.status_code == 200
    assert page.context["adminform"].form.errors == errors
    assert b"Please correct the error below." in page.content
    assert b"Dragon Protection 2025" in page.content  # the input is kept
    assert (Campaign.objects.count(), PriorityHolder.objects.count(), len(callbacks)) == (0, 0, 0)


def test_a_refused_change_leaves_the_campaign_as_it_was(
    parties, africa, django_capture_on_commit_callbacks
):
    other = make_campaign("CLEAN-NET-2025", kind="clean_net")
    campaign = make_campaign(regions=[africa], countries=["AE"])
    before = snapshot(campaign)
    client = login(parties, "gacc")
    url = f"{CAMPAIGNS}{campaign.pk}/change/"
    for changes, errors in (
        ({"code": other.code}, {"code": ["A campaign CLEAN-NET-2025 already exists."]}),
        ({"ends_on": "2024-12-31"}, {"ends_on": ["The campaign cannot end before it starts."]}),
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            page = client.post(url, change_form(campaign, channels=["postal"], **changes))
        assert page.status_code == 200
        assert page.context["adminform"].form.errors == errors
        assert (snapshot(campaign), len(callbacks)) == (before, 0)


def test_a_refusal_about_a_priority_row_is_shown_on_that_row(parties, africa):
    refusal = InvalidInput({"priority[0].liaison_officer": "Away until December."})
    client = login(parties, "gacc")
    with mock.patch("campaigns.services.campaign_save", side_effect=refusal):
        page = client.post(f"{CAMPAIGNS}add/", add_form(parties, africa))
    assert page.status_code == 200
    (formset,) = page.context["inline_admin_formsets"]
    assert [form.errors for form in formset.formset.forms] == [
        {"liaison_officer": ["Away until December."]}
    ]
    assert page.context["adminform"].form.errors == {}
    assert Campaign.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "listing", "view", "add", "post"),
    [
        ("gacc", 200, 200, 200, 302),
        ("ningbo", 200, 200, 403, 403),
        ("holder_a", 302, 302, 302, 302),
        ("agent_a", 302, 302, 302, 302),
    ],
)
def test_gacc_sets_up_campaigns_district_officers_read_them(
    parties, role, listing, view, add, post
):
    campaign = make_campaign()
    before = snapshot(campaign)
    client = login(parties, role)
    assert client.get(CAMPAIGNS).status_code == listing
    page = client.get(f"{CAMPAIGNS}{campaign.pk}/change/")
    assert page.status_code == view
    assert client.get(f"{CAMPAIGNS}add/").status_code == add
    response = client.post(f"{CAMPAIGNS}{campaign.pk}/change/", change_form(campaign, name_en="X"))
    assert response.status_code == post
    assert (snapshot(campaign) == before) is (role != "gacc")
    if role == "ningbo":  # read only: no save button, no re-tag button
        assert b'name="_save"' not in page.content and b"Re-tag now" not in page.content
        assert b"Longteng 2025" in page.content


def test_the_campaign_list_filters_by_kind_and_year_and_searches(parties):
    make_campaign("LONGTENG-2024", starts_on=D("2024-01-01"), ends_on=D("2024-12-31"))
    make_campaign("LONGTENG-2025")
    make_campaign("BLUE-NET-2025", kind="blue_net", name_en="Blue Net", starts_on=D("2025-06-01"))
    client = login(parties, "ningbo")

    def codes(query):
        page = client.get(f"{CAMPAIGNS}?{query}")
        assert page.status_code == 200
        return sorted(c.code for c in page.context["cl"].result_list)

    assert codes("year=2024") == ["LONGTENG-2024"]
    assert codes("year=2025") == ["BLUE-NET-2025", "LONGTENG-2025"]
    assert codes("kind__exact=blue_net") == ["BLUE-NET-2025"]
    assert codes("q=blue") == ["BLUE-NET-2025"]
    page = client.get(CAMPAIGNS).content.decode()
    assert '<td class="field-period">2025-06-01 to 2025-12-31</td>' in page


def test_gacc_edits_a_region_countries_and_its_campaigns_are_retagged(
    parties, africa, django_capture_on_commit_callbacks
):
    campaign = make_campaign(regions=[africa])
    client = login(parties, "gacc")
    url = f"{REGIONS}{africa.pk}/change/"
    form = {"code": "africa", "name_en": "Africa", "name_zh": "非洲"}
    with django_capture_on_commit_callbacks() as callbacks:
        page = client.post(url, {**form, "countries": "NG, KE, ZAF, n1"})
    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {
        "countries": ["ISO 3166-1 alpha-2 codes, e.g. NG: not ZAF, N1."]
    }
    africa.refresh_from_db()
    campaign.refresh_from_db()
    assert (africa.countries, africa.name_zh, campaign.retag_status, len(callbacks)) == (
        ["KE", "NG"],
        "",
        "idle",
        0,
    )
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, {**form, "countries": "ng, ke, za, NG"})
    assert response.status_code == 302
    africa.refresh_from_db()
    campaign.refresh_from_db()
    assert (africa.countries, africa.name_zh, campaign.retag_status, len(callbacks)) == (
        ["KE", "NG", "ZA"],
        "非洲",
        "queued",
        1,
    )
    listing = client.get(REGIONS).content.decode()
    assert '<td class="field-country_count">3</td>' in listing
    assert "LONGTENG-2025" in client.get(url).content.decode()  # the campaigns it re-tags
    # Adding one goes through the service too; an empty list is refused by the form.
    page = client.post(f"{REGIONS}add/", {"code": "mena", "name_en": "Middle East"})
    assert page.context["adminform"].form.errors == {"countries": ["This field is required."]}
    client.post(f"{REGIONS}add/", {"code": "mena", "name_en": "Middle East", "countries": "SA,AE"})
    assert Region.objects.get(code="mena").countries == ["AE", "SA"]


def test_district_officers_read_regions_but_do_not_edit_them(parties, africa):
    client = login(parties, "shenzhen")
    assert client.get(REGIONS).status_code == 200
    assert client.get(f"{REGIONS}{africa.pk}/change/").status_code == 200
    assert client.get(f"{REGIONS}add/").status_code == 403
    response = client.post(
        f"{REGIONS}{africa.pk}/change/", {"code": "africa", "name_en": "Africa", "countries": "NG"}
    )
    assert response.status_code == 403
    africa.refresh_from_db()
    assert africa.countries == ["KE", "NG"]


# --- results ----------------------------------------------------------------------------------


@pytest.fixture
def results_cases(parties, officer, mark, africa):
    """Three tagged cases (two of Ningbo, one of Shenzhen) and one whose tag was removed."""
    campaign = make_campaign()
    ningbo_sea = ex_officio(officer, mark)  # general trade, to NG: 100 items, 30,000.00
    ningbo_express = ex_officio(
        officer, mark, values=("1000.00", "2500.50"), channel="express", destination_country="AE"
    )  # 200 items, 3,500.50
    shenzhen = shenzhen_case(parties, mark)  # general trade, to NG: 100 items, 30,000.00
    removed = ex_officio(officer, mark, values=("99999.00",))
    gacc = parties["users"]["gacc"]
    for case in (ningbo_sea, ningbo_express, shenzhen, removed):
        services.campaign_tag(actor=gacc, campaign=campaign, detention=case, reason="Longteng")
    services.campaign_untag(actor=officer, campaign=campaign, detention=removed, reason="Import")
    # Only the express case's goods are detained: the one batch of the three cases.
    holder = parties["users"]["holder_a"]
    cash = {"bond_source": "case_bond", "bond_form": "cash", "bond_reference": "CASH-1"}
    step(ningbo_express, holder, "request_detention", "2025-09-29", **cash)
    step(ningbo_express, officer, "detain", "2025-09-29")
    return campaign, [ningbo_sea, ningbo_express, shenzhen, removed]


def row(label, actions, batches, items, value):
    cells = (label, actions, batches, items, value)
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def test_the_campaign_page_shows_the_results_tables(parties, results_cases):
    campaign, _cases = results_cases
    ningbo, shenzhen = parties["ningbo"].name_en, parties["shenzhen"].name_en
    page = login(parties, "gacc").get(f"{CAMPAIGNS}{campaign.pk}/change/")
    assert page.status_code == 200
    content = page.content.decode()
    expected = [
        "<caption>Total</caption>",
        row("Total", 3, 1, 200, "3,500.50"),
        "<caption>By customs office</caption>",
        row(ningbo, 2, 1, 200, "3,500.50"),
        row(shenzhen, 1, 0, 0, "0.00"),
        "<caption>By channel</caption>",
        row("Express", 1, 1, 200, "3,500.50"),
        row("General trade", 2, 0, 0, "0.00"),
        "<caption>By kind of right</caption>",
        row("Trademark", 3, 1, 200, "3,500.50"),
        "<caption>By destination region</caption>",
        row("No focus region", 1, 1, 200, "3,500.50"),
        row("Africa", 2, 0, 0, "0.00"),
        "<caption>By outcome</caption>",
        row("Pending", 3, 1, 200, "3,500.50"),
    ]
    positions = [content.find(text) for text in expected]
    assert -1 not in positions, [t for t, p in zip(expected, positions, strict=True) if p == -1]
    assert positions == sorted(positions)  # in this order
    assert f'href="{CASES}?campaign={campaign.pk}"' in content
    listing = login(parties, "gacc").get(CAMPAIGNS).content.decode()
    assert f'<td class="field-live_tags"><a href="{CASES}?campaign={campaign.pk}">3</a>' in listing


def test_a_district_officer_sees_the_results_of_its_own_cases_only(parties, results_cases):
    campaign, _cases = results_cases
    client = login(parties, "ningbo")
    content = client.get(f"{CAMPAIGNS}{campaign.pk}/change/").content.decode()
    assert row("Total", 2, 1, 200, "3,500.50") in content
    assert row(parties["ningbo"].name_en, 2, 1, 200, "3,500.50") in content
    assert parties["shenzhen"].name_en not in content
    assert row("General trade", 1, 0, 0, "0.00") in content
    assert row("Africa", 1, 0, 0, "0.00") in content
    listing = client.get(CAMPAIGNS).content.decode()
    assert f'<td class="field-live_tags"><a href="{CASES}?campaign={campaign.pk}">2</a>' in listing


def test_a_campaign_without_cases_shows_empty_tables(parties):
    campaign = make_campaign()
    content = login(parties, "gacc").get(f"{CAMPAIGNS}{campaign.pk}/change/").content.decode()
    assert row("Total", 0, 0, 0, "0.00") in content
    assert content.count('<tr><td colspan="5">None</td></tr>') == 5


# --- the detention pages ----------------------------------------------------------------------


def priority_cell(content, number):
    """The priority column of the case's row in the changelist."""
    match = re.search(rf"{number}</a>.*?<td class=\"field-priority\">(.*?)</td>", content, re.S)
    return match[1]


def test_the_case_list_filters_by_campaign_and_flags_priority_enterprises(
    parties, results_cases, officer, mark
):
    campaign, (ningbo_sea, ningbo_express, shenzhen, _removed) = results_cases
    later = ex_officio(officer, mark, served_on=D("2025-10-20"))
    dragon = make_campaign(
        "DRAGON-2025", kind="dragon_protection", starts_on=D("2025-09-01"), ends_on=D("2025-09-30")
    )
    dragon.priority.create(holder=parties["holder_a"], liaison_officer=officer)
    client = login(parties, "gacc")
    page = client.get(f"{CASES}?campaign={campaign.pk}")
    assert page.status_code == 200
    assert sorted(case.number for case in page.context["cl"].result_list) == sorted(
        [ningbo_sea.number, ningbo_express.number, shenzhen.number]
    )  # not the case whose tag was removed
    content = client.get(CASES).content.decode()
    assert priority_cell(content, ningbo_sea.number) == YES  # opened 2025-09-26
    assert priority_cell(content, later.number) == NO  # opened after the campaign
    assert f"?campaign={dragon.pk}" in content  # a filter choice
    district = login(parties, "ningbo").get(f"{CASES}?campaign={campaign.pk}")
    assert sorted(case.number for case in district.context["cl"].result_list) == sorted(
        [ningbo_sea.number, ningbo_express.number]
    )
    assert client.get(f"{CASES}?campaign=999999").context["cl"].result_count == 0


def test_the_filtered_case_list_costs_the_same_queries_for_2_and_6_cases(parties, officer, mark):
    campaign = make_campaign(auto_tag=True, channels=["express"])
    for _ in range(2):
        ex_officio(officer, mark, channel="express")
    client = login(parties, "ningbo")
    url = f"{CASES}?campaign={campaign.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        page = client.get(url)
    assert page.context["cl"].result_count == 2
    for _ in range(4):
        ex_officio(officer, mark, channel="express")
    with CaptureQueriesContext(connection) as six:
        page = client.get(url)
    assert page.context["cl"].result_count == 6
    assert len(six) == len(two) <= 11


def test_an_officer_tags_and_untags_a_case_with_reasons(parties, officer, mark):
    campaign = make_campaign()
    case = ex_officio(officer, mark)
    client = login(parties, "ningbo")
    page = client.get(f"{CASES}{case.pk}/change/").content.decode()
    tag = f"{CASES}{case.pk}/campaign/tag/"
    assert f'href="{tag}"' in page and "campaign/untag/" not in page  # absolute links
    assert client.get(tag).status_code == 200
    # The reason is required by the service, and shown on its field.
    page = client.post(tag, {"campaign": campaign.pk, "reason": "  "})
    assert page.status_code == 200
    assert page.context["form"].errors == {"reason": ["Say why the case belongs to the campaign."]}
    assert not CampaignTag.objects.exists()
    response = client.post(tag, {"campaign": campaign.pk, "reason": " Yiwu consignor, toys "})
    assert response.status_code == 302 and response.url == f"{CASES}{case.pk}/change/"
    made = CampaignTag.objects.get()
    assert (made.campaign, made.detention_id, made.source, made.tagged_by, made.reason) == (
        campaign,
        case.pk,
        "manual",
        officer,
        "Yiwu consignor, toys",
    )
    # Tagging it again is a conflict, shown on the form; the tag stays as it was.
    page = client.post(tag, {"campaign": campaign.pk, "reason": "again"})
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "campaign": ["The case is already tagged to LONGTENG-2025."]
    }
    assert CampaignTag.objects.get().reason == "Yiwu consignor, toys"
    # Untag: a reason again, then the removal is kept.
    page = client.get(f"{CASES}{case.pk}/change/").content.decode()
    untag = f"{CASES}{case.pk}/campaign/untag/"
    assert f'href="{untag}"' in page
    assert "Yiwu consignor, toys" in page  # the tags inline
    page = client.post(untag, {"campaign": campaign.pk, "reason": ""})
    assert page.context["form"].errors == {
        "reason": ["Say why the case does not belong to the campaign."]
    }
    assert CampaignTag.objects.get().removed_at is None
    response = client.post(untag, {"campaign": campaign.pk, "reason": "Domestic buyer"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.removed_by, made.removal_reason, made.removed_at is not None) == (
        officer,
        "Domestic buyer",
        True,
    )
    # No longer tagged: not a choice any more.
    page = client.post(untag, {"campaign": campaign.pk, "reason": "again"})
    assert list(page.context["form"].errors) == ["campaign"]
    page = client.get(f"{CASES}{case.pk}/change/").content.decode()
    assert "Domestic buyer" in page and 'href="campaign/untag/"' not in page


def test_only_officers_who_see_the_case_reach_the_tag_forms(parties, officer, mark):
    campaign = make_campaign()
    case = ex_officio(officer, mark)
    url = f"{CASES}{case.pk}/campaign/tag/"
    data = {"campaign": campaign.pk, "reason": "Tip-off"}
    for role in ("holder_a", "agent_a"):
        response = login(parties, role).post(url, data)
        assert response.status_code == 302 and response.url.startswith("/admin/login/")
    assert login(parties, "shenzhen").post(url, data).status_code == 404
    assert login(parties, "ningbo").get(f"{CASES}{case.pk}/campaign/other/").status_code == 404
    assert not CampaignTag.objects.exists()
    assert login(parties, "gacc").post(url, data).status_code == 302
    assert CampaignTag.objects.get().tagged_by == parties["users"]["gacc"]
