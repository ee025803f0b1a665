from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CustomsAdminConfig(AdminConfig):
    """`django.contrib.admin` with the project's site (pages beside the models)."""

    default_site = "core.admin_site.CustomsAdminSite"


class ProjectConfig(AppConfig):
    """The project itself, above every app: the commands that assemble them all
    (`seed_demo`, `workflow_docs`)."""

    name = "config"
    verbose_name = "Project"
