from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        # Detentions does not know campaigns: it announces, campaigns listens (core/hooks.py).
        from campaigns import selectors, services
        from detentions import hooks as detentions

        detentions.connect("case_opened", services.detention_apply_campaign_rules)
        detentions.connect("case_opened", services.detention_notify_liaisons)
        detentions.connect("goods_changed", services.detention_apply_campaign_rules)
        detentions.connect("penalty_floor", selectors.penalty_floor)
