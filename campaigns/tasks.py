"""Celery tasks: ids, not objects; the work is in campaigns/services.py."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign

STALE_QUEUE = dt.timedelta(minutes=5)


# A national year is re-tagged in seconds; a ten-year campaign may take minutes.
@shared_task(name="campaigns.retag", ignore_result=True, soft_time_limit=1800, time_limit=1900)
def retag(campaign_id: int) -> dict | None:
    """Re-tag a campaign's period after its rule changed. Safe to run twice."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:  # deleted meanwhile
        return None
    return services.campaign_retag(campaign=campaign)


@shared_task(name="campaigns.retag_stale", ignore_result=True)
def retag_stale() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): campaigns still queued a while after the
    change (the broker was down, a worker died) are queued again. A failed run stays
    failed, shown in the admin and the API, until an officer re-tags by hand."""
    stale = Campaign.objects.filter(
        retag_status=Campaign.RetagStatus.QUEUED,
        retag_queued_at__lt=timezone.now() - STALE_QUEUE,
    ).values_list("pk", flat=True)
    ids = list(stale)
    services.campaign_queue_retag(campaign_ids=ids)
    return len(ids)
