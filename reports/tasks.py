"""Celery tasks: thin and idempotent; the work is in reports/services.py."""

from celery import shared_task

from reports import services


@shared_task(name="reports.rollup_refresh", ignore_result=True)
def rollup_refresh() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE), on the primary: recount the months whose
    cases changed, so reports read on a replica find the rollup current."""
    return services.rollup_refresh()
