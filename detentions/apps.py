from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DetentionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "detentions"
    verbose_name = _("Detentions")
