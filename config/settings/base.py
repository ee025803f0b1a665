"""Settings shared by every environment; values come from the environment (django-environ).

`local` (the default for manage.py), `test` and `production` build on this module.
"""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "config.apps.CustomsAdminConfig",  # django.contrib.admin with pages (core/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",  # API tokens: expiring, one per device (tokens.DeviceToken)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our static files
    "axes",  # sign-in lockout after repeated failures (portal, admin, API token)
    "core",
    "accounts",
    "tokens",
    "deadlines",
    "recordals",
    "detentions",
    "campaigns",
    "reports",
    "screening",
    "portal",
    "config.apps.ProjectConfig",  # the top: commands that assemble every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.language.UserLanguageMiddleware",  # after auth: the user's own language
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out sign-in
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context.portal",  # the portal's navigation, on its pages only
            ],
        },
    },
]

# PostgreSQL only. Without DATABASE_URL the entry points start an embedded server
# (config/embedded.py) and set it before these settings are read.
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Reports and statistics read from a streaming replica when one is given (config/routers.py).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it counts failed sign-ins (portal, admin and the API token) and
# refuses a username from an address after AXES_FAILURE_LIMIT failures for the cool-off.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/account/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("DJANGO_NUM_PROXIES", default=0)
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English by default, Simplified Chinese available. Instants are
# stored in UTC and shown in Asia/Shanghai, where every legal deadline ends (R13).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / ".local" / "media")
# Uploaded documents are private: no MEDIA_URL is served; downloads go through
# permission-checked endpoints.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "customs-ipr",
    }
}

# SMTP from EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.com:587).
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# Below the Celery soft time limit, so a hung SMTP server fails one attempt, not the task.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="IPR Customs <noreply@localhost>")
# Where people open the service: reminder emails link to the portal page they are about.
SITE_URL = env("DJANGO_SITE_URL", default="http://localhost:8000").rstrip("/")

# Request bodies other than uploaded files: at most 2.5 MB, JSON included (the API's
# parser, core/api/parsers.py, enforces it too); uploads are checked per document.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)

# Personal data encrypted at rest (core/encryption.py): Fernet keys, comma-separated, the
# first encrypting; unset, one key is derived from SECRET_KEY (rotating SECRET_KEY then
# needs the old derived key listed here).
PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEYS", default=[])

# --- REST API -------------------------------------------------------------------
# API tokens (django-rest-knox): one per device signed in, stored as a digest, expiring
# API_TOKEN_TTL_HOURS after sign-in (then 401); revoked one by one or all at once.
KNOX_TOKEN_MODEL = "tokens.DeviceToken"
# knox's own migrations would create its unused (swapped-out) table: tokens/ owns the table.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=env.float("API_TOKEN_TTL_HOURS", default=10)),
    "AUTH_HEADER_PREFIX": "Token",  # CONTRACT.md: `Authorization: Token <token>`
    "AUTO_REFRESH": False,
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",  # `Authorization: Token <token>` (REST_KNOX)
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    # JSON with bounded nesting (core/api/parsers.py): deep `[[[...]]]` is a 400.
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Proxies in front whose X-Forwarded-For the throttles trust. 0 = the client address
    # is the socket's (make run, and docker-compose.yml where gunicorn faces clients);
    # behind one reverse proxy set DJANGO_NUM_PROXIES=1. Never trust a forged header.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "public": env("API_PUBLIC_THROTTLE", default="120/minute"),
        "login": env("API_LOGIN_THROTTLE", default="30/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Customs IPR protection API",
    "DESCRIPTION": (
        "Recordals of trademarks, copyrights and patents with customs; detentions of "
        "suspected infringing goods; enforcement campaigns; referrals to public security; "
        "and the working-day deadlines that decide whether goods are held or released."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs work offline: Swagger UI and Redoc from drf-spectacular-sidecar, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "accounts.models.Organisation.Kind",
        "DeadlineKindEnum": "deadlines.models.DeadlineKind",
        "DeadlineStatusEnum": "deadlines.models.Deadline.Status",
        "ReminderStatusEnum": "deadlines.models.Reminder.Status",
        "RecordalStatusEnum": "recordals.models.RecordalStatus",
        "RecordalKindEnum": "recordals.models.RecordalKind",
        "GeneralBondStatusEnum": "recordals.models.GeneralBond.Status",
        "ChangeKindEnum": "recordals.models.ChangeApplication.Kind",
        "ChangeStatusEnum": "recordals.models.ChangeApplication.Status",
        "AttachmentKindEnum": "recordals.models.Attachment.Kind",
        "BondEntryKindEnum": "recordals.models.GeneralBondEntry.Kind",
        "LicenseeRoleEnum": "recordals.models.Licensee.Role",
        "DetentionStatusEnum": "detentions.models.DetentionStatus",
        "DetentionModeEnum": "detentions.models.Mode",
        "ReferralStatusEnum": "detentions.models.Referral.Status",
        "DocumentKindEnum": "detentions.models.DetentionDocument.Kind",
        "MoneyEntryKindEnum": "detentions.models.MoneyEntry.Kind",
        "CostKindEnum": "detentions.models.MoneyEntry.CostKind",
        "PenaltyTierEnum": "detentions.models.PenaltyTier",
        "DisposalMethodEnum": "detentions.models.DisposalMethod",
        "BondSourceEnum": "detentions.models.BondSource",
        "BondFormEnum": "detentions.models.BondForm",
        "DeterminationEnum": "detentions.models.Determination",
        "ChannelEnum": "detentions.models.Channel",
        "DirectionEnum": "detentions.models.Direction",
        "ProductCategoryEnum": "detentions.models.ProductCategory",
        "OutcomeEnum": "detentions.models.Outcome",
        "CampaignKindEnum": "campaigns.models.Campaign.Kind",
        "CampaignTagSourceEnum": "campaigns.models.CampaignTag.Source",
    },
}

# --- The law's unconfirmed details (DOMAIN.md: "model it as configurable data") --------
# R21: working days the holder has, from the day after it is told of a counter-bond, to
# file the court's acceptance of its lawsuit (Measures Art 20, to confirm).
IPR_COUNTER_BOND_SUIT_DAYS = env.int("IPR_COUNTER_BOND_SUIT_DAYS", default=30)
# R28: working days after release, when infringement was not established, during which the
# consignor may obtain a court notice for compensation from the bond; the refund waits.
IPR_CONSIGNOR_COURT_WINDOW_DAYS = env.int("IPR_CONSIGNOR_COURT_WINDOW_DAYS", default=30)
# R9: days after a revocation during which GACC refuses a new recordal of the same right.
IPR_REVOCATION_BAR_DAYS = env.int("IPR_REVOCATION_BAR_DAYS", default=365)

# --- Celery ---------------------------------------------------------------------
# JSON only, acknowledged after the work is done, bounded in time. The whole beat
# schedule lives here (CELERY_BEAT_SCHEDULE), nowhere else.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".local" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Close missed deadlines, expand due reminders into deliveries, queue sends (R12-R19).
    "deadlines-sweep": {"task": "deadlines.sweep", "schedule": 60.0},
    # R7: recordals whose term ended or whose right lapsed expire (00:05 Asia/Shanghai).
    "recordals-expire": {
        "task": "recordals.expire_due",
        "schedule": crontab(hour=0, minute=5),
    },
    # Campaign re-tagging whose task was lost is queued again.
    "campaigns-retag-stale": {"task": "campaigns.retag_stale", "schedule": 300.0},
    # The national report's monthly rollup: the months whose cases changed are recounted.
    "reports-rollup-refresh": {"task": "reports.rollup_refresh", "schedule": 60.0},
}
# A delivery queued this long ago and still pending is queued again (its task was lost).
DEADLINES_REQUEUE_AFTER_SECONDS = env.int("DEADLINES_REQUEUE_AFTER_SECONDS", default=120)

# --- Logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
