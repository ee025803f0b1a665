"""Reads about campaigns: which detentions a focus covers, a campaign's results, and the
priority enterprises (flag, liaison officers, penalty floor)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.translation import gettext

from accounts.models import Organisation
from campaigns.models import Campaign, CampaignTag, PriorityHolder, Region
from core.i18n import in_reader_language
from detentions.models import Channel, Detention, GoodsLine, Outcome, Referral
from detentions.rules import TIER_ORDER
from recordals.models import RecordalKind


def matching(campaign: Campaign) -> QuerySet:
    """The detentions a campaign's focus covers. An empty dimension does not restrict."""
    queryset = Detention.objects.filter(opened_on__range=(campaign.starts_on, campaign.ends_on))
    if campaign.channels:
        queryset = queryset.filter(channel__in=campaign.channels)
    if campaign.directions:
        queryset = queryset.filter(direction__in=campaign.directions)
    countries = focus_countries(campaign)
    if countries:
        queryset = queryset.filter(destination_country__in=countries)
    if campaign.categories:
        lines = GoodsLine.objects.filter(detention=OuterRef("pk"), category__in=campaign.categories)
        queryset = queryset.filter(Exists(lines))
    offices = list(campaign.offices.values_list("pk", flat=True))
    if offices:
        queryset = queryset.filter(office_id__in=offices)
    if campaign.priority_holders_only:
        queryset = queryset.filter(holder_id__in=campaign.priority.values("holder_id"))
    return queryset


def focus_countries(campaign: Campaign) -> list[str]:
    """The campaign's own countries and those of its regions."""
    countries = set(campaign.countries)
    for region_countries in campaign.regions.values_list("countries", flat=True):
        countries.update(region_countries)
    return sorted(countries)


# --- priority enterprises ("Dragon Protection") ---------------------------------------------


def priority_links(*, holder_id: int, on: dt.date) -> QuerySet:
    """The campaigns, running on `on`, that count the holder among their priority
    enterprises, with their liaison officers."""
    return PriorityHolder.objects.filter(
        holder_id=holder_id, campaign__starts_on__lte=on, campaign__ends_on__gte=on
    ).select_related("campaign", "liaison_officer")


def with_priority(queryset: QuerySet) -> QuerySet:
    """Annotate detentions with `priority`: the holder is a priority enterprise of a
    campaign running when the case was opened."""
    links = PriorityHolder.objects.filter(
        holder_id=OuterRef("holder_id"),
        campaign__starts_on__lte=OuterRef("opened_on"),
        campaign__ends_on__gte=OuterRef("opened_on"),
    )
    return queryset.annotate(priority=Exists(links))


def penalty_floor(detention: Detention) -> str | None:
    """R24 for priority enterprises: the penalty proposal starts at least at the highest
    minimum tier among the campaigns that name the holder (None if none does)."""
    tiers = priority_links(holder_id=detention.holder_id, on=detention.opened_on).values_list(
        "campaign__priority_minimum_tier", flat=True
    )
    return max(tiers, key=TIER_ORDER.index, default=None)


# --- results -------------------------------------------------------------------------------

# One pass over the campaign's tagged detentions: totals and the splits as grouping sets.
# Destinations are grouped by country; the regions (a few hundred countries at most) are
# summed from those rows.
_SPLITS_SQL = """
WITH tagged (office_id, channel, ip_kind, outcome, destination_country, total_items,
             total_value, referred, detained)
    AS ({tagged})
SELECT GROUPING(office_id), GROUPING(channel), GROUPING(ip_kind), GROUPING(outcome),
       GROUPING(destination_country), GROUPING(referred),
       office_id, channel, ip_kind, outcome, destination_country, referred,
       count(*), count(*) FILTER (WHERE detained),
       coalesce(sum(total_items) FILTER (WHERE detained), 0),
       coalesce(sum(total_value) FILTER (WHERE detained), 0)
FROM tagged
GROUP BY GROUPING SETS ((), (office_id), (channel), (ip_kind), (outcome),
                        (destination_country), (referred))
"""


def tagged(campaign: Campaign, detentions: QuerySet | None = None) -> QuerySet:
    """The detentions counted in the campaign (live tags), within `detentions`.

    A case is tagged only if it opened within the campaign's period (campaign_tag refuses
    others; changing the period drops the tags outside it), so the period bounds the
    query: the planner reads the period's cases by `opened_on`, not the whole table."""
    detentions = Detention.objects.all() if detentions is None else detentions
    if {"starts_on", "ends_on"} & campaign.get_deferred_fields():  # loaded as a reference
        period = Campaign.objects.filter(pk=campaign.pk)
        detentions = detentions.filter(
            opened_on__gte=Subquery(period.values("starts_on")),
            opened_on__lte=Subquery(period.values("ends_on")),
        )
    elif campaign.starts_on and campaign.ends_on:
        detentions = detentions.filter(opened_on__range=(campaign.starts_on, campaign.ends_on))
    live = CampaignTag.objects.filter(
        campaign=campaign, detention=OuterRef("pk"), removed_at__isnull=True
    )
    return detentions.filter(Exists(live))


def _sql(queryset: QuerySet, template: str) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return template.format(tagged=sql), params


def _row(key, label, actions, batches, items, value) -> dict:
    return {
        "key": key,
        "label": str(label),
        "actions": actions,
        "batches": batches,
        "items": int(items),
        "value": Decimal(value).quantize(Decimal("0.01")),
    }


def _ordered(rows: list[dict]) -> list[dict]:
    return sorted(
        rows, key=lambda row: (-row["batches"], -row["actions"], -row["value"], row["key"])
    )


def campaign_results(campaign: Campaign, detentions: QuerySet | None = None) -> dict:
    """The campaign's tagged cases (within `detentions`, the caller's visible cases) as the
    statistics count them (reports/selectors.py): protection actions (cases), batches
    (cases whose goods were detained) and the detained batches' items and value; in total
    and by office, channel, kind of right, destination region and outcome. One aggregate
    query; "referred" overlaps the other outcomes (a confiscated case can also be
    referred)."""
    cases = tagged(campaign, detentions).order_by()
    # A hashed semi-join: one pass over the referrals rather than a probe per case.
    referred = Q(pk__in=Referral.objects.values("detention_id"))
    splits = cases.annotate(
        referred=ExpressionWrapper(referred, output_field=BooleanField()),
        detained=ExpressionWrapper(Q(detained_on__isnull=False), output_field=BooleanField()),
    ).values(
        "office_id",
        "channel",
        "ip_kind",
        "outcome",
        "destination_country",
        "total_items",
        "total_value",
        "referred",
        "detained",
    )
    with connection.cursor() as cursor:
        cursor.execute(*_sql(splits, _SPLITS_SQL))
        splits = cursor.fetchall()
    # Labels in the reader's language (the request's), as plain strings.
    totals = _row("total", gettext("Total"), 0, 0, 0, 0)
    office_rows, channel_rows, kind_rows, outcome_rows, referred_rows = [], [], [], [], []
    countries = []
    for row in splits:
        groupings = row[:6]
        g_office, g_channel, g_kind, g_outcome, g_country, _g_referred = groupings
        office_id, channel, kind, outcome, country, referred = row[6:12]
        measures = row[12:]
        if all(groupings):
            totals = _row("total", gettext("Total"), *measures)
        elif not g_office:
            office_rows.append((office_id, *measures))
        elif not g_channel:
            channel_rows.append(_row(channel, str(Channel(channel).label), *measures))
        elif not g_kind:
            kind_rows.append(_row(kind, str(RecordalKind(kind).label), *measures))
        elif not g_outcome:
            outcome_rows.append(_row(outcome, str(Outcome(outcome).label), *measures))
        elif not g_country:
            countries.append((country, *measures))
        elif referred:
            referred_rows.append(
                _row("referred", gettext("Referred to public security"), *measures)
            )
    offices = Organisation.objects.in_bulk([row[0] for row in office_rows])
    by_office = [
        _row(
            offices[pk].customs_code or str(pk),
            in_reader_language(offices[pk].name_en, offices[pk].name_zh),
            *rest,
        )
        for pk, *rest in office_rows
    ]
    return {
        "campaign": campaign.code,
        "totals": totals,
        "by_office": _ordered(by_office),
        "by_channel": _ordered(channel_rows),
        "by_ip_kind": _ordered(kind_rows),
        "by_region": _ordered(_by_region(countries)),
        "by_outcome": _ordered(outcome_rows) + referred_rows,
    }


def _by_region(countries: list[tuple]) -> list[dict]:
    """Destination regions overlap (Belt and Road includes African countries): a case
    counts in every region its destination belongs to, and under "none" if in none."""
    sums: dict[str, list] = {}
    labels = {"none": gettext("No focus region")}
    rows = Region.objects.order_by("code").values_list("code", "name_en", "name_zh", "countries")
    regions = [(code, in_reader_language(en, zh), members) for code, en, zh, members in rows]
    for country, *measures in countries:
        keys = [code for code, _name, members in regions if country in members] or ["none"]
        for key in keys:
            total = sums.setdefault(key, [0, 0, 0, Decimal(0)])
            for index, measure in enumerate(measures):
                total[index] += measure
    labels.update((code, name) for code, name, _members in regions)
    return [_row(key, labels[key], *total) for key, total in sums.items()]
