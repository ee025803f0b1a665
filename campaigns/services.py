"""Tagging detentions to campaigns: by hand (who, when, why), and by each campaign's focus
acting as a rule, for one detention when it is opened or changed and for a whole period
after a rule changes. Set-based: a year of detentions is re-tagged in a few statements
per batch, never row by row."""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.scoping import may_act
from campaigns.models import CODE, Campaign, CampaignTag, PriorityHolder, Region
from campaigns.selectors import matching, priority_links
from core.errors import Conflict, InvalidInput, NotPermitted
from core.timezone import day_text
from deadlines.models import Notification
from detentions.models import (
    ISO_COUNTRY,
    Channel,
    Detention,
    Direction,
    PenaltyTier,
    ProductCategory,
)

CHOICES = {
    "kind": Campaign.Kind.values,
    "channels": Channel.values,
    "directions": Direction.values,
    "categories": ProductCategory.values,
    "priority_minimum_tier": PenaltyTier.values,
}

RETAG_BATCH = 50_000  # detentions per statement while re-tagging a period
RETAG_LOCK = 6_150  # advisory lock class for re-tagging (with the campaign id)
RULE_FIELDS = (
    "starts_on",
    "ends_on",
    "auto_tag",
    "channels",
    "directions",
    "countries",
    "categories",
    "priority_holders_only",
)
CAMPAIGN_FIELDS = (
    "code",
    "name_en",
    "name_zh",
    "kind",
    "description",
    "priority_minimum_tier",
    *RULE_FIELDS,
)


def _insert_rule_tags(campaign: Campaign, detentions: QuerySet) -> int:
    """INSERT ... SELECT ... ON CONFLICT DO NOTHING: existing tags, including removed
    ones (a person's decision), stay as they are."""
    sql, params = detentions.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO campaigns_campaigntag
                (campaign_id, detention_id, source, tagged_at, reason, removal_reason)
            SELECT %s, matched.id, 'rule', %s, '', '' FROM ({sql}) AS matched(id)
            ON CONFLICT (campaign_id, detention_id) DO NOTHING
            """,
            [campaign.pk, timezone.now(), *params],
        )
        return cursor.rowcount


def _drop_stale_rule_tags(campaign: Campaign, scope: QuerySet) -> int:
    """Rule tags of detentions in `scope` that the rule no longer matches."""
    deleted, _by_model = (
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
    Runs when a case is opened or its goods change (detentions/hooks.py)."""
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
    progress on the campaign so the admin and the API can show it. Safe to run twice; two
    runs for one campaign take turns (a session advisory lock), the later one re-reading
    the rule, so the last change always wins."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [RETAG_LOCK, campaign.pk])
    try:
        campaign.refresh_from_db()
        return _retag(campaign, batch)
    except Exception:
        Campaign.objects.filter(pk=campaign.pk).update(retag_status=Campaign.RetagStatus.FAILED)
        raise
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RETAG_LOCK, campaign.pk])


def _retag(campaign: Campaign, batch: int) -> dict:
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


def _officer(actor: User, detention: Detention) -> None:
    if not (actor.is_superuser or actor.is_officer):
        raise NotPermitted(_("Only customs officers tag detentions to campaigns."))
    may_act(actor, detention)  # a district officer: its own office's cases only


@transaction.atomic
def campaign_tag(*, actor: User, campaign: Campaign, detention: Detention, reason: str):
    """An officer counts a detention in a campaign by hand (who, when, why)."""
    _officer(actor, detention)
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the case belongs to the campaign.")})
    if not campaign.starts_on <= detention.opened_on <= campaign.ends_on:
        raise InvalidInput(
            {
                "campaign": _(
                    "The case was opened on %(opened)s, outside %(campaign)s's period "
                    "(%(start)s to %(end)s)."
                )
                % {
                    "opened": day_text(detention.opened_on),
                    "campaign": campaign.code,
                    "start": day_text(campaign.starts_on),
                    "end": day_text(campaign.ends_on),
                }
            }
        )
    tag = CampaignTag.objects.select_for_update().filter(campaign=campaign, detention=detention)
    tag = tag.first()
    if tag is not None and tag.removed_at is None:
        raise Conflict(_("The case is already tagged to %(code)s.") % {"code": campaign.code})
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
    _officer(actor, detention)
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the case does not belong to the campaign.")})
    tag = (
        CampaignTag.objects.select_for_update()
        .filter(campaign=campaign, detention=detention, removed_at__isnull=True)
        .first()
    )
    if tag is None:
        raise Conflict(_("The case is not tagged to %(code)s.") % {"code": campaign.code})
    tag.removed_at, tag.removed_by, tag.removal_reason = timezone.now(), actor, reason.strip()
    tag.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    return tag


# --- campaigns and their rules ---------------------------------------------------------------


def _gacc(actor: User) -> None:
    if not actor.sees_everything:
        raise NotPermitted(_("Only GACC officers set up campaigns."))


def _check_campaign(campaign: Campaign, priority) -> None:
    errors = {}
    if not re.fullmatch(CODE, campaign.code or ""):
        errors["code"] = _("3 to 40 capital letters, digits and hyphens, e.g. LONGTENG-2024.")
    elif Campaign.objects.filter(code=campaign.code).exclude(pk=campaign.pk).exists():
        errors["code"] = _("A campaign %(code)s already exists.") % {"code": campaign.code}
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = _("The campaign cannot end before it starts.")
    for name in ("name_en", "name_zh"):
        if not (getattr(campaign, name) or "").strip():
            errors[name] = _("Required.")
    for name, choices in CHOICES.items():
        value = getattr(campaign, name)
        values = value if isinstance(value, list) else [value]
        wrong = [str(v) for v in values if v not in choices]
        if wrong:
            errors[name] = _("One of %(choices)s: not %(wrong)s.") % {
                "choices": ", ".join(choices),
                "wrong": ", ".join(wrong),
            }
    if not (campaign.starts_on and campaign.ends_on):
        errors["starts_on"] = _("The campaign's period is required.")
    bad = [c for c in campaign.countries if not re.fullmatch(ISO_COUNTRY, c)]
    if bad:
        errors["countries"] = _("ISO 3166 alpha-2 codes, e.g. NG: not %(bad)s.") % {
            "bad": ", ".join(bad)
        }
    for number, (holder, liaison) in enumerate(priority or ()):
        if holder.kind != Organisation.Kind.RIGHTS_HOLDER:
            errors[f"priority[{number}].holder"] = _("%(holder)s is not a rights holder.") % {
                "holder": holder
            }
        elif not (liaison.is_active and liaison.is_officer):
            errors[f"priority[{number}].liaison_officer"] = _(
                "%(officer)s is not an active customs officer."
            ) % {"officer": liaison}
    holders = [holder.pk for holder, _liaison in priority or ()]
    if len(holders) != len(set(holders)):
        errors["priority"] = _("Each priority rights holder once.")
    # Priority rows not given (a partial change): the campaign's own rows count.
    named = bool(priority) if priority is not None else campaign.priority.exists()
    if campaign.priority_holders_only and not named:
        errors["priority_holders_only"] = _("Name the priority rights holders first.")
    if errors:
        raise InvalidInput(errors)


def _rule_of(campaign: Campaign) -> tuple:
    return (
        *(getattr(campaign, name) for name in RULE_FIELDS),
        sorted(campaign.regions.values_list("pk", flat=True)),
        sorted(campaign.offices.values_list("pk", flat=True)),
        sorted(campaign.priority.values_list("holder_id", flat=True)),
    )


@transaction.atomic
def campaign_save(
    *,
    actor: User,
    campaign: Campaign | None = None,
    fields: dict,
    regions=None,
    offices=None,
    priority=None,
) -> Campaign:
    """Create a campaign, or change one (only the given fields and relations). When its
    rule changes, the period's detentions are re-tagged in the background."""
    _gacc(actor)
    if campaign is None:
        campaign = Campaign()
        before = None
    else:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = _rule_of(campaign)
    for name, value in fields.items():
        if name not in CAMPAIGN_FIELDS:
            raise InvalidInput({name: _("Not a campaign field.")})
        setattr(campaign, name, value)
    if priority is None and campaign.pk is None:
        priority = []
    _check_campaign(campaign, priority)
    campaign.save()
    if regions is not None:
        campaign.regions.set(regions)
    if offices is not None:
        campaign.offices.set(offices)
    if priority is not None:
        kept = {holder.pk for holder, _liaison in priority}
        campaign.priority.exclude(holder_id__in=kept).delete()
        for holder, liaison in priority:
            PriorityHolder.objects.update_or_create(
                campaign=campaign, holder=holder, defaults={"liaison_officer": liaison}
            )
    if before != _rule_of(campaign):
        campaign_queue_retag(campaign_ids=[campaign.pk])
        campaign.refresh_from_db()
    return campaign


def campaign_queue_retag(*, campaign_ids) -> None:
    """Mark the campaigns queued and start the re-tagging once the change is committed.
    The beat re-queues a campaign left queued (e.g. the broker was down)."""
    from campaigns.tasks import retag

    ids = list(campaign_ids)
    Campaign.objects.filter(pk__in=ids).update(
        retag_status=Campaign.RetagStatus.QUEUED, retag_queued_at=timezone.now()
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: retag.delay(pk))


@transaction.atomic
def region_save(*, actor: User, region: Region, countries: list[str] | None = None) -> Region:
    """GACC edits a region's countries; the campaigns focused on it are re-tagged."""
    _gacc(actor)
    if countries is not None:
        bad = [c for c in countries if not re.fullmatch(ISO_COUNTRY, c)]
        if bad:
            raise InvalidInput(
                {"countries": _("ISO 3166 alpha-2 codes: not %(bad)s.") % {"bad": ", ".join(bad)}}
            )
        region.countries = sorted(set(countries))
    changed = region.pk is None or sorted(
        Region.objects.filter(pk=region.pk).values_list("countries", flat=True).first() or []
    ) != sorted(region.countries)
    region.save()
    if changed:
        campaign_queue_retag(campaign_ids=region.campaigns.values_list("pk", flat=True))
    return region


# --- priority enterprises --------------------------------------------------------------------


def detention_notify_liaisons(*, detention: Detention) -> int:
    """Dragon Protection: the liaison officer of each campaign naming the holder as a
    priority enterprise hears of every new case on its rights."""
    links = priority_links(holder_id=detention.holder_id, on=detention.opened_on)
    notices = [_liaison_notice(detention, link) for link in links if link.liaison_officer.is_active]
    Notification.objects.bulk_create(notices)
    return len(notices)


def _liaison_notice(detention: Detention, link) -> Notification:
    """The notice in the liaison officer's own language, as stored text."""
    with translation.override(link.liaison_officer.preferred_language or "en"):
        title = _("%(number)s: new case for priority enterprise %(holder)s") % {
            "number": detention.number,
            "holder": detention.holder,
        }
        body = _(
            "%(campaign)s: %(mode)s at %(office)s, %(direction)s to %(country)s, "
            "%(items)s items, CNY %(value)s."
        ) % {
            "campaign": link.campaign.code,
            "mode": detention.get_mode_display(),
            "office": detention.office,
            "direction": str(detention.get_direction_display()).lower(),
            "country": detention.destination_country,
            "items": detention.total_items,
            "value": detention.total_value,
        }
    return Notification(user_id=link.liaison_officer_id, title=title[:255], body=body)
