"""Settings for `make run` and manage.py on a developer's machine."""

from .base import *  # noqa: F403
from .base import env

# Off unless asked for (DEBUG=1 or DJANGO_DEBUG=1): `make run` is what people try first
# and sometimes expose, and the debug page shows the environment (issue 20).
DEBUG = env.bool("DJANGO_DEBUG", default=env.bool("DEBUG", default=False))
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# Static files straight from the apps (no collectstatic needed), served by whitenoise
# under gunicorn (config/launcher.py) with DEBUG on or off.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
