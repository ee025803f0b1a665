from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = _("Deadlines and reminders")

    def ready(self):
        from accounts import hooks as accounts
        from deadlines import handlers

        accounts.connect("authorisation_granted", handlers.authorisation_granted)
        accounts.connect("authorisation_revoked", handlers.authorisation_revoked)
