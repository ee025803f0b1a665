from django.apps import AppConfig


class DetentionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "detentions"
    verbose_name = "Detentions"
