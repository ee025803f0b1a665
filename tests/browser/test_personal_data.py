"""PIPL in Chromium, on the demo (issue 20): officer.ningbo opens the LABUBU case in the
admin and sees the consignor's identity document; the read is then in the admin's log of
personal data reads, with the officer's name; holder.a's case page shows the consignor's
name and country and none of the particulars. The same log page in Chinese."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from docs import screenshots
from tests.browser.test_chinese import english_left, visible_text
from tests.browser.test_portal_cases import open_case, portal_sign_in

pytestmark = pytest.mark.browser

# detentions/demo.py: the LABUBU case at Meishan (Ningbo Customs).
LABUBU_DECLARATION = "310720240004718253"
ID_NUMBER = "91330782MA2DEMO001"
ADDRESS = "No. 12 Futian Road, Yiwu"
CONSIGNOR = "Yiwu Xinrui Import & Export Co., Ltd."


def test_pipl_officer_reads_the_case_and_the_read_is_logged(page, base_url, login, tmp_path):
    login(page, "officer.ningbo")
    page.goto(f"{base_url}/admin/detentions/detention/?q={LABUBU_DECLARATION}")
    link = page.locator("#result_list tbody tr th a").first
    number = link.inner_text().strip()
    link.click()
    expect(page.locator("body")).to_contain_text(ID_NUMBER)
    expect(page.locator("body")).to_contain_text(ADDRESS)

    page.goto(f"{base_url}/admin/detentions/personaldataread/?q={number}")
    rows = page.locator("#result_list tbody tr")
    expect(rows.first).to_contain_text(number)
    expect(rows.first).to_contain_text("officer.ningbo")
    expect(rows.first).to_contain_text("Admin")
    expect(rows.first).to_contain_text("consignor identity document")
    # Read-only: no button to add a read, none to save one.
    expect(page.get_by_role("link", name=re.compile("^Add"))).to_have_count(0)
    rows.first.locator("th a").click()
    expect(page.locator("[name=_save]")).to_have_count(0)
    out = Path(os.environ.get("SCREENSHOTS_OUT") or tmp_path)
    page.screenshot(path=str(out / "en-personal-data-read.png"), full_page=False)


def test_pipl_the_log_page_in_chinese(browser, base_url, demo_texts, tmp_path):
    context = browser.new_context(locale="zh-CN", viewport=screenshots.VIEWPORT)
    try:
        page = context.new_page()
        screenshots.sign_in(page, base_url, "officer.gacc")
        page.goto(f"{base_url}/admin/detentions/personaldataread/")
        expect(page.locator("h1")).to_contain_text("个人信息查阅记录")
        # "API" is a code Chinese writes in Latin letters (the footer's API 文档, a channel).
        assert [w for w in english_left(visible_text(page), demo_texts) if w != "API"] == []
        out = Path(os.environ.get("SCREENSHOTS_OUT") or tmp_path)
        page.screenshot(path=str(out / "zh-personal-data-reads.png"), full_page=False)
    finally:
        context.close()


def test_pipl_the_holder_sees_name_and_country_only(page, base_url):
    portal_sign_in(page, base_url, "holder.a")
    open_case(page, base_url, LABUBU_DECLARATION)
    body = page.locator("body")
    expect(body).to_contain_text(f"{CONSIGNOR} (CN)")
    for particular in (ID_NUMBER, ADDRESS, "+86 579 8555 0000"):
        expect(body).not_to_contain_text(particular)
