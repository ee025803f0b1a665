from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages of rights holders and IP agents (issues 17, 18): server-rendered over the
    same services and rules as the API, in Chinese and English, usable on a phone."""

    name = "portal"
    verbose_name = _("Portal")
