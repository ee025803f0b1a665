"""The admin site: the registered models, plus pages that are not a model's changelist
(the statistics), each listed under its app in the index and the sidebar; and the index
is the officer's desk: each app's queues of work due (`DeskSection`, in the app's
`desk.py`) above the usual list of apps.

Installed through `config.apps.CustomsAdminConfig` in place of `django.contrib.admin`, so
`admin.site` is this site and every app's `admin.py` registers on it as usual. It lives in
core so that any app may add its pages (`AdminPage`) and desk sections without importing
config."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.db.models import Count, QuerySet, Window
from django.urls import path, reverse

DESK_ROWS = 5  # the first few items each queue shows


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


@dataclass(frozen=True)
class DeskRow:
    """One item of a queue: what it is (linked to its page) and what matters about it."""

    label: str
    url: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeskQueue:
    """A queue on the desk: how many, the first few, and the list filtered to all of them."""

    title: str
    count: int
    url: str
    rows: tuple[DeskRow, ...] = ()
    columns: tuple[str, ...] = ()  # headings of the rows' details
    empty: str = ""  # what to say when the queue is empty


@dataclass(frozen=True)
class DeskNotice:
    """A warning above the queues, with the links that deal with it."""

    message: str
    links: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, url)


@dataclass(frozen=True)
class DeskSection:
    """What an app puts on the desk: `build(request)` yields its queues and notices for
    the signed-in officer (already scoped to what the officer may see). Sections are shown
    by `order`; each should cost a fixed number of queries, however many rows there are."""

    key: str
    order: int
    build: Callable[..., Iterable[DeskQueue | DeskNotice]]


def count_and_first(queryset: QuerySet, limit: int = DESK_ROWS) -> tuple[int, list]:
    """A queue's size and its first rows in one query: the count is a window over the
    whole filtered set, taken before the limit."""
    rows = list(queryset.annotate(desk_total=Window(Count("pk")))[:limit])
    return (rows[0].desk_total if rows else 0), rows


class CustomsAdminSite(admin.AdminSite):
    index_template = "admin/desk.html"
    # "View site": the service's home page (config/urls.py).
    site_url = "/"

    def __init__(self, name="admin"):
        super().__init__(name)
        self._pages: dict[str, AdminPage] = {}
        self._desk: dict[str, DeskSection] = {}

    def register_page(self, page: AdminPage) -> None:
        self._pages[page.url_name] = page

    def register_desk(self, section: DeskSection) -> None:
        self._desk[section.key] = section

    def desk(self, request) -> dict:
        """The desk's queues and notices for this officer, in the sections' order."""
        queues, notices = [], []
        for section in sorted(self._desk.values(), key=lambda s: (s.order, s.key)):
            for item in section.build(request):
                (notices if isinstance(item, DeskNotice) else queues).append(item)
        return {"desk_queues": queues, "desk_notices": notices}

    def index(self, request, extra_context=None):
        return super().index(request, {**self.desk(request), **(extra_context or {})})

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
