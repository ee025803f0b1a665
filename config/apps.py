from django.contrib.admin.apps import AdminConfig


class CustomsAdminConfig(AdminConfig):
    """`django.contrib.admin` with the project's site (pages beside the models)."""

    default_site = "config.admin.CustomsAdminSite"
