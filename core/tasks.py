from celery import shared_task


@shared_task(name="core.ping")
def ping() -> str:
    """Liveness probe for workers: `celery -A config call core.ping`."""
    return "pong"
