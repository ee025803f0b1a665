"""The Celery application. Configuration is read from Django settings (CELERY_*)."""

import os

from celery import Celery

from config.embedded import ensure_services

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
ensure_services()

app = Celery("customs_ipr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
