from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """Risk screening of customs declarations against recorded rights (issue 19)."""

    name = "screening"
    verbose_name = _("Risk screening")

    def ready(self):
        from screening import signals

        signals.connect()
