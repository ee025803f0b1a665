from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CustomsAdminConfig(AdminConfig):
    """`django.contrib.admin` with the project's site (pages beside the models, and the
    officer's desk as its index: each app's `desk.py` registers its sections)."""

    default_site = "core.admin_site.CustomsAdminSite"

    def ready(self):
        super().ready()
        autodiscover_modules("desk")


class ProjectConfig(AppConfig):
    """The project itself, above every app: the commands that assemble them all
    (`seed_demo`, `workflow_docs`)."""

    name = "config"
    verbose_name = _("Project")
