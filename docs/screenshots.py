"""Take the officers' admin screenshots in docs/screenshots/: the admin index (the desk),
the case list, a case page and GACC's recordal review queue, in English and in Chinese
(the browser asks for zh-Hans, as a Chinese officer's does). Playwright drives Debian's
Chromium (`scripts/ensure-test-tools` installs it).

    make run                          # in another shell: the app with the demo
    .venv/bin/python docs/screenshots.py [--base http://127.0.0.1:8000] [--out DIR]

The browser tests take the same screenshots against their live server
(tests/browser/test_screenshots.py), so this script is exercised on every `make test`.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parent
DEMO_PASSWORD = "customs-demo-2024"  # accounts/demo.py; this script imports no Django
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu"]  # --no-sandbox: root in a container
LOCALES = {"en": "en", "zh-hans": "zh-Hans"}  # file prefix -> the browser's locale
VIEWPORT = {"width": 1400, "height": 1000}
# A detained case at Beilun (holder A, LABUBU pendants): its declaration number is fixed
# in detentions/demo.py while its dates follow today, so it is live on any day.
CASE_DECLARATION = "310420260003378120"


def chromium_path() -> str | None:
    """Debian's Chromium, if installed."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def launch(playwright, executable: str | None = None):
    return playwright.chromium.launch(
        executable_path=executable or chromium_path(), args=CHROMIUM_ARGS
    )


def sign_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in on the admin's login page as a person does: fill in the form, press its
    button (the login form's own, not the logout button of a session already open)."""
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_load_state()
    error = page.locator(".errornote")
    if error.count():
        raise AssertionError(f"Signing in as {username} failed: {error.first.inner_text()}")


@dataclass(frozen=True)
class Shot:
    name: str
    path: str  # under the base URL
    then: str = ""  # the link to click once there (the case page, reached from the list)


SHOTS = [
    Shot("desk", "/admin/"),
    Shot("case-list", "/admin/detentions/detention/"),
    Shot("case", f"/admin/detentions/detention/?q={CASE_DECLARATION}", then="first result"),
    Shot("recordal-review-queue", "/admin/recordals/recordal/?queue=review"),
]


def take_screenshots(
    browser, base_url: str, out: Path, *, username: str = "officer.gacc"
) -> list[Path]:
    """Each of SHOTS in each of LOCALES, as `<locale>-<name>.png` in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    taken = []
    for prefix, locale in LOCALES.items():
        context = browser.new_context(locale=locale, viewport=VIEWPORT)
        try:
            page = context.new_page()
            sign_in(page, base_url, username)
            for shot in SHOTS:
                page.goto(base_url + shot.path)
                if shot.then:  # the first case in the list: its number is the link
                    page.locator("#result_list tbody tr th a").first.click()
                    page.wait_for_load_state()
                path = out / f"{prefix}-{shot.name}.png"
                page.screenshot(path=str(path), full_page=False)
                taken.append(path)
        finally:
            context.close()
    return taken


# The portal (issue 17), as holder.a sees it: the desk, a case awaiting the reply and the
# reply form (the first step the case page offers), the same in both languages.
PORTAL_SHOTS = ["portal-desk", "portal-case", "portal-reply-form"]


def portal_sign_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """The portal's sign-in (/accounts/login/), as a holder or an agent does."""
    page.goto(f"{base_url}/accounts/login/?next=/desk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    if not page.url.rstrip("/").endswith("/desk"):
        raise AssertionError(f"Signing in to the portal as {username} failed: {page.url}")


def take_portal_screenshots(
    browser, base_url: str, out: Path, *, username: str = "holder.a"
) -> list[Path]:
    """PORTAL_SHOTS in each of LOCALES, as `<locale>-<name>.png` in `out`: the case is the
    first awaiting the holder's reply (else the first case), the form its first step."""
    out.mkdir(parents=True, exist_ok=True)
    taken = []
    for prefix, locale in LOCALES.items():
        context = browser.new_context(locale=locale, viewport=VIEWPORT)
        try:
            page = context.new_page()
            portal_sign_in(page, base_url, username)

            def shot(name: str, page=page, prefix=prefix) -> None:
                path = out / f"{prefix}-{name}.png"
                page.screenshot(path=str(path), full_page=False)
                taken.append(path)

            shot("portal-desk")
            page.goto(f"{base_url}/cases/?status=notified")
            if not page.locator("#cases tbody tr td a").count():
                page.goto(f"{base_url}/cases/")
            page.locator("#cases tbody tr td a").first.click()
            page.wait_for_load_state()
            shot("portal-case")
            step = page.locator("#steps a.button").first
            if step.count():  # no step open on the case: no form to show
                step.click()
                page.wait_for_load_state()
                shot("portal-reply-form")
        finally:
            context.close()
    return taken


# The recordal wizard (issue 18), as agent.a sees it: a step of the wizard (the genuine goods)
# and its review, on holder A's draft DIMOO (recordals/demo.py), in both languages.
RECORDAL_SHOTS = ["portal-recordal-wizard", "portal-recordal-review"]
RECORDAL_DRAFT = "DIMOO"


def take_recordal_screenshots(
    browser, base_url: str, out: Path, *, username: str = "agent.a"
) -> list[Path]:
    """RECORDAL_SHOTS in each of LOCALES, as `<locale>-<name>.png` in `out`: the draft is
    found by the portfolio's search (DIMOO) and opened for editing; nothing is changed."""
    out.mkdir(parents=True, exist_ok=True)
    taken = []
    for prefix, locale in LOCALES.items():
        context = browser.new_context(locale=locale, viewport=VIEWPORT)
        try:
            page = context.new_page()
            portal_sign_in(page, base_url, username)
            # Found by the portfolio's search: other drafts may be newer.
            page.goto(f"{base_url}/recordals/?q={RECORDAL_DRAFT}")
            page.locator("tbody tr", has_text=RECORDAL_DRAFT).first.locator("a").first.click()
            page.wait_for_load_state()
            page.locator("#edit-application").click()
            page.wait_for_load_state()
            for name, step in zip(RECORDAL_SHOTS, ("#wizard-goods", "#wizard-review"), strict=True):
                link = page.locator(f"a{step}")
                if link.count():  # the current step is not a link
                    link.click()
                    page.wait_for_load_state()
                path = out / f"{prefix}-{name}.png"
                page.screenshot(path=str(path), full_page=False)
                taken.append(path)
        finally:
            context.close()
    return taken


# The portfolio and the bulk import (issue 18), as agent.a sees them: its recordals across
# clients, and the report of a file whose rows have errors (nothing is created by it).
PORTFOLIO_SHOTS = ["portal-portfolio", "portal-import-report"]


def import_file_with_errors(header: list[str]) -> bytes:
    """Five rows for the template's `header` (its English halves name the columns), two of
    them wrong: an HS code too short, a service class (R1)."""
    english = [cell.rpartition(" / ")[2] for cell in header]
    rows = []
    for n in range(5):
        values = {"Kind of right": "trademark", "Name of the right": f"示例商标 {n + 1}",
                  "Registration number": f"8800{n:04d}", "Nice classes": "28",
                  "Right valid from": "2020-06-14", "Right valid until": "2030-06-13",
                  "Genuine goods": "毛绒玩具", "HS code": "950300", "Origin": "CN"}  # fmt: skip
        if n == 1:
            values["HS code"] = "95"
        if n == 3:
            values["Nice classes"] = "28, 41"
        rows.append([values.get(name, "") for name in english])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def take_portfolio_screenshots(
    browser, base_url: str, out: Path, *, username: str = "agent.a"
) -> list[Path]:
    """PORTFOLIO_SHOTS in each of LOCALES: the portfolio; the import report of a file with
    two bad rows, uploaded as a person does (the header is the downloaded template's)."""
    out.mkdir(parents=True, exist_ok=True)
    taken = []
    for prefix, locale in LOCALES.items():
        context = browser.new_context(locale=locale, viewport=VIEWPORT)
        try:
            page = context.new_page()
            portal_sign_in(page, base_url, username)
            page.goto(f"{base_url}/recordals/")
            path = out / f"{prefix}-portal-portfolio.png"
            page.screenshot(path=str(path), full_page=False)
            taken.append(path)
            page.goto(f"{base_url}/recordals/import/")
            with page.expect_download() as download:
                page.locator("#template-csv").click()
            text = Path(download.value.path()).read_text(encoding="utf-8-sig")
            header = next(csv.reader(io.StringIO(text)))
            page.set_input_files(
                "#id_file",
                {"name": "recordals.csv", "mimeType": "text/csv",
                 "buffer": import_file_with_errors(header)},
            )  # fmt: skip
            page.locator("#import-form [type=submit]").click()
            page.wait_for_selector("#import-report")
            path = out / f"{prefix}-portal-import-report.png"
            page.screenshot(path=str(path), full_page=False)
            taken.append(path)
        finally:
            context.close()
    return taken


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="where `make run` serves")
    parser.add_argument("--out", type=Path, default=DOCS / "screenshots")
    parser.add_argument("--username", default="officer.gacc")
    parser.add_argument("--chromium", default=chromium_path())
    options = parser.parse_args()
    if not options.chromium:
        sys.exit("Chromium is missing: run scripts/ensure-test-tools (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = launch(playwright, options.chromium)
        try:
            paths = take_screenshots(
                browser, options.base.rstrip("/"), options.out, username=options.username
            )
            paths += take_portal_screenshots(browser, options.base.rstrip("/"), options.out)
            paths += take_portfolio_screenshots(browser, options.base.rstrip("/"), options.out)
            paths += take_recordal_screenshots(browser, options.base.rstrip("/"), options.out)
        finally:
            browser.close()
    for path in paths:
        sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    main()
