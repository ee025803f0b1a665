from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Parties and access")

    def ready(self):
        from accounts.scoping import visible_to
        from core import visibility

        visibility.install_rule(visible_to)
