"""Celery tasks: thin, idempotent, ids not objects; the work is in services."""

from celery import shared_task

from deadlines import services


@shared_task(name="deadlines.sweep", ignore_result=True)
def sweep() -> dict:
    """Every minute (CELERY_BEAT_SCHEDULE): close, expand and queue whatever is due."""
    return services.sweep().__dict__


@shared_task(name="deadlines.send_delivery", ignore_result=True)
def send_delivery(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)


@shared_task(name="deadlines.recompute", ignore_result=True)
def recompute_deadlines() -> int:
    """Recompute the deadlines touched by pending calendar changes (R29)."""
    return services.calendar_changes_process()
