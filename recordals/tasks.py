from celery import shared_task

from recordals import services


@shared_task(name="recordals.expire_due", ignore_result=True)
def expire_due() -> int:
    """Daily: expire recordals whose term ended or whose right lapsed (R7)."""
    return services.recordals_expire_due()
