"""The portal's accounts in Chromium, on the demo (issue 17): a new IP agency registers,
confirms its email, is verified by officer.gacc in the admin, asks holder A for an
authorisation that holder.a accepts; an anonymous visitor finds LABUBU in the public
search without seeing contacts; the home page, sign-in and search in Chinese show no
English label (the measure of tests/browser/test_chinese.py).

The verification email is read from `django.core.mail.outbox`: the live server runs in
this process, with the test settings' in-memory backend."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from core.demo_files import pdf_bytes
from docs import screenshots
from tests.browser.test_chinese import english_left, visible_text

pytestmark = pytest.mark.browser

AGENCY_ZH = "甬江知识产权代理有限公司"
AGENCY_EN = "Yongjiang IP Agency Co., Ltd."
AGENCY_USCC = "91330200MA2H00001W"  # valid check character
HOLDER_A = "Beijing Pop Mart Cultural & Creative Co., Ltd."
PASSWORD = "Tide-river-harbour-2026"
# Names a Chinese page writes in Latin letters too (as test_chinese.py's CODES): the API
# and its OpenAPI schema, the upload formats and their size unit.
CODES = ["OpenAPI", "API", "PDF", "PNG", "JPEG", "MB"]
DOCUMENT = {"name": "licence.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}


def portal_sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def test_a_new_agency_registers_is_verified_and_holder_a_accepts_its_authorisation(
    browser, base_url, page, login
):
    # Anonymous: from the home page to the registration form.
    page.goto(base_url + "/")
    page.locator("main").get_by_role("link", name="Register your organisation").click()
    expect(page.locator("h1")).to_have_text("Register your organisation")
    expect(page.locator("main")).to_contain_text("through an IP agency")  # R3
    page.get_by_label("An IP agency").check()
    page.fill("#id_name_zh", AGENCY_ZH)
    page.fill("#id_name_en", AGENCY_EN)
    page.fill("#id_registration_id", AGENCY_USCC[:-1] + "X")  # a wrong check character
    page.fill("#id_address", "宁波市鄞州区1号")
    page.fill("#id_contact_name", "Chen Jie")
    page.fill("#id_contact_email", "legal@yongjiang-ip.example.cn")
    page.set_input_files("#id_identity_document", DOCUMENT)
    page.fill("#id_username", "agent.yongjiang")
    page.fill("#id_email", "chen.jie@yongjiang-ip.example.cn")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    mail.outbox.clear()
    page.locator("main form [type=submit]").click()
    expect(page.locator("main")).to_contain_text("Not a valid unified social credit code")
    assert mail.outbox == []
    # The form comes back filled in, except the file and the passwords.
    page.fill("#id_registration_id", AGENCY_USCC)
    page.set_input_files("#id_identity_document", DOCUMENT)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page.locator("h1")).to_have_text("Check your email")

    # The signed link in the email confirms the address.
    assert len(mail.outbox) == 1, mail.outbox
    link = re.search(r"https?://\S+/accounts/verify/\S+/", mail.outbox[0].body).group()
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Your email address is confirmed")
    portal_sign_in(page, base_url, "agent.yongjiang", PASSWORD)
    expect(page.locator(".notice")).to_contain_text("awaiting verification by GACC")
    page.goto(base_url + "/accounts/authorisations/")
    expect(page.locator("main")).to_contain_text("once GACC has verified your agency")

    # officer.gacc: the queue on the desk, then the admin action.
    officer = browser.new_context(locale="en", viewport=screenshots.VIEWPORT).new_page()
    login(officer, "officer.gacc")
    officer.goto(base_url + "/admin/")
    officer.get_by_role("link", name="IP agencies awaiting verification").first.click()
    row = officer.locator("#result_list tbody tr", has_text=AGENCY_EN)
    expect(row).to_have_count(1)
    row.locator("input.action-select").check()
    officer.select_option("select[name=action]", "verify_organisations")
    officer.locator("button[name=index]").click()
    expect(officer.locator(".messagelist")).to_contain_text("1 organisation verified.")
    officer.context.close()

    # The agency asks holder A for an authorisation.
    page.goto(base_url + "/accounts/authorisations/")
    expect(page.locator(".notice")).to_have_count(0)
    page.select_option("#id_holder", label=HOLDER_A)
    page.fill("#id_starts_on", "2026-01-01")
    page.fill("#id_ends_on", "2045-12-31")
    page.set_input_files("#id_document", DOCUMENT)
    page.locator("main form [type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text("Your request is sent")
    expect(page.locator("main table").first).to_contain_text("Awaiting the holder")

    # holder.a accepts it in the portal.
    holder = browser.new_context(locale="en", viewport=screenshots.VIEWPORT).new_page()
    portal_sign_in(holder, base_url, "holder.a", screenshots.DEMO_PASSWORD)
    holder.get_by_role("link", name="My account").click()
    holder.get_by_role("link", name="Authorisations (powers of attorney)").click()
    request_row = holder.locator("main tr", has_text=AGENCY_EN)
    request_row.get_by_role("button", name="Accept").click()
    expect(holder.locator(".messages")).to_contain_text("Accepted")
    expect(holder.locator("main")).to_contain_text("In force")
    holder.context.close()

    page.reload()
    expect(page.locator("main table").first).to_contain_text("Accepted")
    expect(page.locator("main table").last).to_contain_text("In force")


def test_an_officer_signing_in_on_the_portal_goes_on_to_the_admin(page, base_url):
    portal_sign_in(page, base_url, "officer.ningbo", screenshots.DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_r11_an_anonymous_visitor_finds_labubu_without_contacts(page, base_url):
    page.goto(base_url + "/")
    page.fill("#home-q", "LABUBU")
    page.locator("main form [type=submit]").click()
    results = page.locator("table.search-results tbody tr")
    expect(results.first).to_contain_text("LABUBU")
    text = page.locator("main").inner_text()
    assert "@" not in text and "Li Na" not in text and "Zhang Wei" not in text


def test_home_sign_in_and_search_in_chinese_show_no_english_label(
    browser, base_url, demo_texts, capsys
):
    context = browser.new_context(locale="zh-CN", viewport=screenshots.VIEWPORT)
    page = context.new_page()
    counts = {}
    for name, path in [
        ("home", "/"),
        ("sign in", "/accounts/login/"),
        ("register", "/accounts/register/"),
        ("search", "/search/?q=LABUBU"),
    ]:
        page.goto(base_url + path)
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        counts[name] = english_left(visible_text(page), [*demo_texts, *CODES])
    context.close()
    with capsys.disabled():
        print("\nLatin-letter words left on Chinese portal pages (target 0):")  # noqa: T201
        for name, words in counts.items():
            print(f"  {name:10} {len(words):4}  {' '.join(words[:30])}")  # noqa: T201
    assert all(not words for words in counts.values()), counts
