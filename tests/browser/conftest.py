"""The officers' admin in a real browser: Debian's Chromium, driven by Playwright, against a
live server on the test database with the demo loaded (`seed_demo`) once for all of them.

Why not pytest-django's `live_server`: it brings `transactional_db`, which empties the
database after every test, and seeding the demo takes about 15 seconds. So:

- `demo_server` (once per package) commits the demo, starts Django's live server thread
  on it and keeps database access open for the server's threads. The tests share the
  demo: each journey picks its own cases and recordals from the lists, as an officer would.
- When the package is done, the database is emptied and given back what the migrations
  had put there (Django's serialized rollback), so the rest of the suite finds it as
  before.
- `db` is overridden here (see below): pytest-django then creates the test database for
  these tests but wraps none of them in a transaction.
- Playwright's sync API runs an event loop in this thread, where Django then refuses
  database calls: the tests read what the pages show, never the database.

Without Chromium the tests skip, saying how to install it; under CI (CI=true) they fail."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from docs import screenshots  # one way to sign in, one set of screenshots

INSTALL = "scripts/ensure-test-tools (apt-get install -y --no-install-recommends chromium)"
# Where a failed test leaves the page it was on (PNG and HTML), to see what it saw.
FAILURES = Path(__file__).resolve().parents[2] / ".local" / "browser-failures"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture(scope="package")
def chromium_executable() -> str:
    path = screenshots.chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing for the browser tests: run {INSTALL}.")
        pytest.skip(f"Chromium is not installed: run {INSTALL}.")
    return path


def _restore_migrated_data(connection, contents: str) -> None:
    """Empty the database, then load what the migrations had written (as Django's
    TransactionTestCase does with serialized_rollback) and set the id sequences past it,
    as loaddata does."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style

    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        database=connection.alias,
        inhibit_post_migrate=True,
    )
    connection.creation.deserialize_db_from_string(contents)
    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


# Every text the demo stored (names, marks, goods, addresses, usernames ...): data, which a
# page shows as it was entered, unlike its labels. Read before the browser starts (see the
# module's docstring); test_chinese.py takes them out of what it counts as English.
DEMO_TEXTS: list[str] = []


def _stored_texts() -> list[str]:
    from django.apps import apps
    from django.db import models

    texts = set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for field in fields:
            texts.update(model._base_manager.values_list(field, flat=True).distinct())
    return sorted((t for t in texts if t and t.strip()), key=len, reverse=True)


@pytest.fixture
def demo_texts(demo_server) -> list[str]:
    return DEMO_TEXTS


@pytest.fixture(scope="package")
def demo_server(chromium_executable, django_db_setup, django_db_blocker):
    """The live server's URL, with the demo committed in the test database."""
    from django.core.management import call_command
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        # What the migrations wrote: serialized when the suite started if any test asked
        # for a serialized rollback (the Celery tests do), else the database is still as
        # the migrations left it.
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is None:
            contents = connection.creation.serialize_db_to_string()
        # A transactional test before us may have emptied the database.
        _restore_migrated_data(connection, contents)
        call_command("seed_demo", stdout=io.StringIO())
        DEMO_TEXTS[:] = _stored_texts()
        connection.close()  # the server's threads open their own
        server = LiveServer("127.0.0.1")
        try:
            yield server.url
        finally:
            server.stop()
            _restore_migrated_data(connection, contents)


@pytest.fixture(scope="package")
def browser(demo_server, chromium_executable):
    """One Chromium for the package (started after the demo is committed; closed before
    the database is restored: see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = screenshots.launch(playwright, chromium_executable)
        yield chromium
        chromium.close()


@pytest.fixture
def db():
    """Not pytest-django's `db`, which would hold each test in a transaction of this thread:
    the pages are served by the live server's threads from the committed demo. A test
    asking for a fixture named `db` is what makes pytest-django create the test database
    (and run these tests among the other database tests, before the transactional ones)."""


@pytest.fixture
def base_url(db, demo_server) -> str:
    return demo_server


@pytest.fixture
def context(browser):
    """A fresh browser profile per test (no cookies), in English."""
    context = browser.new_context(locale="en", viewport=screenshots.VIEWPORT)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(request, context):
    page = context.new_page()
    yield page
    if getattr(request.node, "browser_test_failed", False):
        FAILURES.mkdir(parents=True, exist_ok=True)
        name = request.node.name
        page.screenshot(path=str(FAILURES / f"{name}.png"), full_page=True)
        (FAILURES / f"{name}.html").write_text(page.content())


@pytest.fixture
def login(base_url):
    """`login(page, username)`: sign in on /admin/login/ with the demo password."""

    def sign_in(page, username: str) -> None:
        screenshots.sign_in(page, base_url, username)

    return sign_in
