"""GET /healthz: is the database reachable, is the Celery broker reachable."""

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except (DatabaseError, OSError):
        return "down"
    return "ok"


def broker_status() -> str:
    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_timeout=1, socket_connect_timeout=1
        )
        client.ping()
    except (redis.RedisError, OSError, ValueError):
        return "down"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    body = {"database": database_status(), "broker": broker_status()}
    status = 200 if all(value == "ok" for value in body.values()) else 503
    return JsonResponse(body, status=status)
