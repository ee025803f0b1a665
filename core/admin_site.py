"""The admin site: the registered models, plus pages that are not a model's changelist
(the statistics), each listed under its app in the index and the sidebar.

Installed through `config.apps.CustomsAdminConfig` in place of `django.contrib.admin`, so
`admin.site` is this site and every app's `admin.py` registers on it as usual. It lives in
core so that any app may add its pages (`AdminPage`) without importing config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.urls import path, reverse


@dataclass(frozen=True)
class AdminPage:
    """A page of an app in the admin, at /admin/<app_label>/<slug>/ (URL name
    `admin:<app_label>_<slug>`). `may_view(request)` decides who sees it listed; the view
    itself must refuse everyone else (the site only checks for an active staff user)."""

    app_label: str
    slug: str
    label: str
    view: Callable
    may_view: Callable

    @property
    def url_name(self) -> str:
        return f"{self.app_label}_{self.slug}"


class CustomsAdminSite(admin.AdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)
        self._pages: dict[str, AdminPage] = {}

    def register_page(self, page: AdminPage) -> None:
        self._pages[page.url_name] = page

    def get_urls(self):
        # Before the site's own patterns: their catch-all would answer first.
        pages = [
            path(f"{page.app_label}/{page.slug}/", self.admin_view(page.view), name=page.url_name)
            for page in self._pages.values()
        ]
        return pages + super().get_urls()

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        by_label = {app["app_label"]: app for app in app_list}
        for page in self._pages.values():
            if app_label not in (None, page.app_label) or not page.may_view(request):
                continue
            url = reverse(f"admin:{page.url_name}", current_app=self.name)
            app = by_label.get(page.app_label)
            if app is None:  # an app with pages only: its heading leads to its first page
                app = by_label[page.app_label] = {
                    "name": apps.get_app_config(page.app_label).verbose_name,
                    "app_label": page.app_label,
                    "app_url": url,
                    "has_module_perms": True,
                    "models": [],
                }
                app_list.append(app)
            app["models"].append(
                {
                    "name": page.label,
                    "object_name": page.slug,
                    "perms": {"add": False, "change": False, "delete": False, "view": True},
                    "admin_url": url,
                    "add_url": None,
                    "view_only": True,
                }
            )
            app["models"].sort(key=lambda entry: str(entry["name"]))
        return sorted(app_list, key=lambda app: str(app["name"]).lower())
