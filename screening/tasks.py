"""Celery tasks: ids, not objects; the work is in screening/services.py."""

from __future__ import annotations

from celery import shared_task

from screening import services
from screening.models import ScreeningBatch


@shared_task(name="screening.run_batch", ignore_result=True, soft_time_limit=3600, time_limit=3700)
def run_batch(batch_id: int) -> int | None:
    """Screen a stored batch and store its results. Safe to run twice."""
    if not ScreeningBatch.objects.filter(pk=batch_id).exists():
        return None
    try:
        return services.batch_run(batch_id=batch_id).done
    except Exception as exc:  # the batch shows the failure in the admin
        ScreeningBatch.objects.filter(pk=batch_id).update(
            status=ScreeningBatch.Status.FAILED, error=str(exc)[:2000]
        )
        raise
