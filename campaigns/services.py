"""Tagging detentions to campaigns: by hand (who, when, why), and by each campaign's focus
acting as a rule, for one detention when it is opened or changed and for a whole period
after a rule changes. Set-based: a year of detentions is re-tagged in a few statements
per batch, never row by row."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from campaigns.models import Campaign, CampaignTag
from core.errors import Conflict, InvalidInput, NotPermitted
from detentions.models import Detention, GoodsLine

RETAG_BATCH = 50_000  # detentions per statement while re-tagging a period


def matching(campaign: Campaign) -> QuerySet:
    """The detentions a campaign's focus covers. An empty dimension does not restrict."""
    queryset = Detention.objects.filter(opened_on__range=(campaign.starts_on, campaign.ends_on))
    if campaign.channels:
        queryset = queryset.filter(channel__in=campaign.channels)
    if campaign.directions:
        queryset = queryset.filter(direction__in=campaign.directions)
    countries = set(campaign.countries)
    for region_countries in campaign.regions.values_list("countries", flat=True):
        countries.update(region_countries)
    if countries:
        queryset = queryset.filter(destination_country__in=sorted(countries))
    if campaign.categories:
        lines = GoodsLine.objects.filter(detention=OuterRef("pk"), category__in=campaign.categories)
        queryset = queryset.filter(Exists(lines))
    offices = list(campaign.offices.values_list("pk", flat=True))
    if offices:
        queryset = queryset.filter(office_id__in=offices)
    if campaign.priority_holders_only:
        queryset = queryset.filter(holder_id__in=campaign.priority.values("holder_id"))
    return queryset


def _insert_rule_tags(campaign: Campaign, detentions: QuerySet) -> int:
    """INSERT ... SELECT ... ON CONFLICT DO NOTHING: existing tags, including removed
    ones (a person's decision), stay as they are."""
    sql, params = detentions.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO campaigns_campaigntag
                (campaign_id, detention_id, source, tagged_at, reason, removal_reason)
            SELECT %s, matched.id, 'rule', now(), '', '' FROM ({sql}) AS matched(id)
            ON CONFLICT (campaign_id, detention_id) DO NOTHING
            """,
            [campaign.pk, *params],
        )
        return cursor.rowcount


def _drop_stale_rule_tags(campaign: Campaign, scope: QuerySet) -> int:
    """Rule tags of detentions in `scope` that the rule no longer matches."""
    deleted, _ = (
        CampaignTag.objects.filter(
            campaign=campaign,
            source=CampaignTag.Source.RULE,
            removed_at__isnull=True,
            detention__in=scope.values("pk"),
        )
        .exclude(detention__in=matching(campaign).values("pk"))
        .delete()
    )
    return deleted


@transaction.atomic
def detention_apply_campaign_rules(*, detention: Detention) -> list[str]:
    """Tag (or untag) one detention by every automatic campaign whose period covers it.
    Called by the detention services when a case is opened or its goods change."""
    campaigns = Campaign.objects.filter(
        auto_tag=True, starts_on__lte=detention.opened_on, ends_on__gte=detention.opened_on
    )
    tagged = []
    one = Detention.objects.filter(pk=detention.pk)
    for campaign in campaigns:
        _insert_rule_tags(campaign, matching(campaign).filter(pk=detention.pk))
        _drop_stale_rule_tags(campaign, one)
        if CampaignTag.objects.filter(
            campaign=campaign, detention=detention, removed_at__isnull=True
        ).exists():
            tagged.append(campaign.code)
    return tagged


def campaign_retag(*, campaign: Campaign, batch: int = RETAG_BATCH) -> dict:
    """Re-apply a campaign's rule to its whole period, in id-ordered batches, recording
    progress on the campaign so the admin and the API can show it. Safe to run twice."""
    period = Detention.objects.filter(opened_on__range=(campaign.starts_on, campaign.ends_on))
    ids = period.order_by("pk").values_list("pk", flat=True)
    total = period.count()
    Campaign.objects.filter(pk=campaign.pk).update(
        retag_status=Campaign.RetagStatus.RUNNING,
        retag_total=total,
        retag_done=0,
        retag_started_at=timezone.now(),
        retag_finished_at=None,
    )
    added = dropped = done = 0
    last_id = 0
    while True:
        chunk = list(ids.filter(pk__gt=last_id)[:batch])
        if not chunk:
            break
        scope = period.filter(pk__gte=chunk[0], pk__lte=chunk[-1])
        with transaction.atomic():
            if campaign.auto_tag:
                added += _insert_rule_tags(
                    campaign, matching(campaign).filter(pk__gte=chunk[0], pk__lte=chunk[-1])
                )
                dropped += _drop_stale_rule_tags(campaign, scope)
            else:
                dropped += CampaignTag.objects.filter(
                    campaign=campaign,
                    source=CampaignTag.Source.RULE,
                    removed_at__isnull=True,
                    detention_id__in=chunk,
                ).delete()[0]
            done += len(chunk)
            Campaign.objects.filter(pk=campaign.pk).update(retag_done=done)
        last_id = chunk[-1]
    # Rule tags of detentions now outside the period.
    dropped += (
        CampaignTag.objects.filter(
            campaign=campaign, source=CampaignTag.Source.RULE, removed_at__isnull=True
        )
        .exclude(Q(detention__opened_on__range=(campaign.starts_on, campaign.ends_on)))
        .delete()[0]
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        retag_status=Campaign.RetagStatus.IDLE, retag_finished_at=timezone.now()
    )
    return {"total": total, "added": added, "dropped": dropped}


def _officer(actor: User) -> None:
    if not (actor.is_superuser or actor.is_officer):
        raise NotPermitted("Only customs officers tag detentions to campaigns.")


@transaction.atomic
def campaign_tag(*, actor: User, campaign: Campaign, detention: Detention, reason: str):
    """An officer counts a detention in a campaign by hand (who, when, why)."""
    _officer(actor)
    if not reason.strip():
        raise InvalidInput({"reason": "Say why the case belongs to the campaign."})
    tag = CampaignTag.objects.select_for_update().filter(campaign=campaign, detention=detention)
    tag = tag.first()
    if tag is not None and tag.removed_at is None:
        raise Conflict(f"The case is already tagged to {campaign.code}.")
    if tag is None:
        tag = CampaignTag(campaign=campaign, detention=detention)
    tag.source, tag.tagged_by, tag.reason = CampaignTag.Source.MANUAL, actor, reason.strip()
    tag.tagged_at = timezone.now()
    tag.removed_at, tag.removed_by, tag.removal_reason = None, None, ""
    tag.save()
    return tag


@transaction.atomic
def campaign_untag(*, actor: User, campaign: Campaign, detention: Detention, reason: str):
    """An officer removes a wrong tag; the removal is kept so the rule does not re-add it."""
    _officer(actor)
    if not reason.strip():
        raise InvalidInput({"reason": "Say why the case does not belong to the campaign."})
    tag = (
        CampaignTag.objects.select_for_update()
        .filter(campaign=campaign, detention=detention, removed_at__isnull=True)
        .first()
    )
    if tag is None:
        raise Conflict(f"The case is not tagged to {campaign.code}.")
    tag.removed_at, tag.removed_by, tag.removal_reason = timezone.now(), actor, reason.strip()
    tag.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    return tag
