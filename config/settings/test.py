"""Settings for the test suite: throwaway embedded PostgreSQL/Redis unless their URLs are set.

pytest-django reads these settings before any conftest runs, so the embedded servers are
started here (a no-op when DATABASE_URL and REDIS_URL are set).
"""

from config.embedded import ensure_services

ensure_services()

from .base import *  # noqa: E402, F403
from .base import DATABASES, REST_FRAMEWORK, env  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default="/tmp/customs-ipr-test-mail")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default="/tmp/customs-ipr-test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in-process; tests about Celery itself start a real worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": None, "login": None}}
# Test clients' `login()` authenticates without a request, which django-axes refuses; the
# lockout tests switch it on with the `settings` fixture.
AXES_ENABLED = False
# The replica alias on the same test database (a second connection to it): the router
# sends nothing there unless a test sets DATABASE_REPLICA_URL (tests/test_replica.py).
DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})
