"""The holder side's journeys through the portal in Chromium, on the demo (issue 17):
holder.a answers a notice by requesting detention with a case bond and officer.ningbo then
sees the request on the officers' desk; agent.b declines a notice for holder B with
reasons; holder.b opening holder A's case gets the 404 page; the same pages in Chinese
show no English label.

The demo's notices follow today; the journeys find them by their declaration numbers
(fixed in detentions/demo.py) through the portal's own search, as a holder would."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.demo_files import pdf_bytes
from docs import screenshots
from tests.browser.test_chinese import english_left, visible_text

pytestmark = pytest.mark.browser

# detentions/demo.py: holder A's notice at Ningbo Lishe Airport, holder B's at Bao'an.
HOLDER_A_NOTICE = "311820261000120567"
HOLDER_B_NOTICE = "534520261000881206"
REQUEST = "Request detention and provide the bond"
DECLINE = "Decline detention, with reasons"
# Codes a Chinese page writes in Latin letters too, beside test_chinese.py's: the footer's
# "API 文档" and the file formats and size an upload accepts ("PDF、PNG 或 JPEG，不超过 10 MB").
CODES = {"API", "PDF", "PNG", "JPEG", "MB"}


PNG = b"\x89PNG\r\n\x1a\n"


def portal_sign_in(page: Page, base_url: str, username: str) -> None:
    screenshots.portal_sign_in(page, base_url, username)
    expect(page).to_have_url(re.compile(r"/desk/$"))


def open_case(page: Page, base_url: str, declaration: str) -> str:
    """Find the case by its declaration number in my cases and open it; its number."""
    page.goto(f"{base_url}/cases/")
    page.fill("#id_q", declaration)
    page.locator("#case-filters [type=submit]").click()
    link = page.locator("#cases tbody tr td a").first
    number = link.inner_text().strip()
    link.click()
    expect(page.locator("h1")).to_contain_text(number)
    return number


def test_the_portal_screenshots_are_taken(browser, base_url, tmp_path):
    """First, while holder A's notice still awaits the reply: the desk, the case and the
    reply form in both languages. SCREENSHOTS_OUT=docs/screenshots keeps them there."""
    out = Path(os.environ.get("SCREENSHOTS_OUT") or tmp_path)
    taken = screenshots.take_portal_screenshots(browser, base_url, out)
    names = [f"{p}-{name}.png" for p in screenshots.LOCALES for name in screenshots.PORTAL_SHOTS]
    assert [path.name for path in taken] == names
    for path in taken:
        assert path.read_bytes().startswith(PNG), path.name
        assert path.stat().st_size > 20_000, path.name  # a drawn page, not a blank one


def test_holder_a_requests_detention_and_the_officer_sees_it(page, base_url, browser):
    portal_sign_in(page, base_url, "holder.a")
    replies = page.locator("#replies")
    expect(replies).to_contain_text(re.compile(r"working days? left|no working day left"))
    expect(replies).to_contain_text("24:00")

    number = open_case(page, base_url, HOLDER_A_NOTICE)
    expect(page.locator("#case-status")).to_have_text("Release suspended, holder notified")
    expect(page.locator("#parties")).to_contain_text("Ningbo Kuajing Youpin E-commerce")
    page.get_by_role("link", name=REQUEST).click()
    expect(page.locator("#bond-info")).to_contain_text("CNY")  # R14's amount for the case
    page.select_option("#id_bond_source", "case_bond")
    page.select_option("#id_bond_form", "cash")
    page.fill("#id_bond_reference", "NB-CASH-2026-001")
    page.set_input_files(
        "#id_document",
        {"name": "bond-receipt.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
    )
    page.locator("#step-form [type=submit]").click()
    expect(page.locator("#case-status")).to_have_text("Detention requested")
    expect(page.locator("#timeline")).to_contain_text(REQUEST)

    context = browser.new_context(locale="en", viewport=screenshots.VIEWPORT)
    try:
        officer = context.new_page()
        screenshots.sign_in(officer, base_url, "officer.ningbo")
        officer.goto(f"{base_url}/admin/")
        expect(officer.locator("#content-main")).to_contain_text(
            "Detention requested: check the bond and detain"
        )
        expect(officer.get_by_role("link", name=number, exact=True)).to_be_visible()
    finally:
        context.close()


def test_agent_b_declines_a_notice_for_holder_b_with_reasons(page, base_url):
    portal_sign_in(page, base_url, "agent.b")
    open_case(page, base_url, HOLDER_B_NOTICE)
    page.get_by_role("link", name=DECLINE).click()
    page.locator("#step-form [type=submit]").click()  # no reasons: refused, nothing done
    expect(page.locator("#step-errors")).to_contain_text("Give your reasons.")
    page.fill("#id_reason", "Genuine NORDKAP goods bought from our licensee in Shenzhen.")
    page.locator("#step-form [type=submit]").click()
    expect(page.locator("#case-status")).to_have_text("Released")
    expect(page.locator("#timeline")).to_contain_text("Genuine NORDKAP goods")


def test_holder_b_gets_the_404_page_for_holder_as_case(page, base_url, browser):
    context = browser.new_context(locale="en", viewport=screenshots.VIEWPORT)
    try:
        holder_a = context.new_page()
        portal_sign_in(holder_a, base_url, "holder.a")
        open_case(holder_a, base_url, HOLDER_A_NOTICE)
        url = holder_a.url
    finally:
        context.close()
    portal_sign_in(page, base_url, "holder.b")
    response = page.goto(url)
    assert response is not None and response.status == 404
    expect(page.locator("#not-found")).to_contain_text("Page not found")
    expect(page.locator("header.site")).to_be_visible()  # the portal's own frame


def test_a_chinese_holder_reads_no_english_label(browser, base_url, demo_texts, capsys):
    context = browser.new_context(locale="zh-CN", viewport=screenshots.VIEWPORT)
    context.set_default_timeout(15_000)
    page = context.new_page()
    counts = {}
    try:
        portal_sign_in(page, base_url, "holder.a")
        pages = {"desk": page.url}
        page.goto(f"{base_url}/cases/")
        pages["cases"] = page.url
        page.locator("#cases tbody tr td a").first.click()
        pages["case"] = page.url
        reply = page.locator("#steps a.button").first
        if reply.count():
            reply.click()
            pages["step form"] = page.url
        pages["notifications"] = f"{base_url}/notifications/"
        pages["statistics"] = f"{base_url}/statistics/"
        for name, url in pages.items():
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == "zh-hans"
            words = english_left(visible_text(page), demo_texts)
            counts[name] = [word for word in words if word not in CODES]
    finally:
        context.close()
    with capsys.disabled():
        print("\nLatin-letter words left on Chinese portal pages (target 0):")  # noqa: T201
        for name, words in counts.items():
            print(f"  {name:14} {len(words):4}  {' '.join(words[:30])}")  # noqa: T201
    assert all(not words for words in counts.values()), counts
