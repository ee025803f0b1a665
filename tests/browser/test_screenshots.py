"""docs/screenshots.py takes its screenshots against the live server, in English and in
Chinese, so the script and the pages it shows keep working."""

import pytest

from docs import screenshots

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n"


def test_the_documentation_screenshots_are_taken(browser, base_url, tmp_path):
    taken = screenshots.take_screenshots(browser, base_url, tmp_path)
    names = [
        f"{prefix}-{shot.name}.png" for prefix in screenshots.LOCALES for shot in screenshots.SHOTS
    ]
    assert [path.name for path in taken] == names
    for path in taken:
        content = path.read_bytes()
        assert content.startswith(PNG), path.name
        assert len(content) > 20_000, path.name  # a drawn page, not a blank one


def test_chinese_officers_get_the_admin_in_chinese(browser, base_url, login):
    context = browser.new_context(locale="zh-Hans")
    try:
        page = context.new_page()
        login(page, "officer.gacc")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert "注销" in page.locator("#logout-form").inner_text()  # the admin's own "Log out"
    finally:
        context.close()
