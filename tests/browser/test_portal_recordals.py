"""Filing a recordal in the portal, in Chromium, on the demo (issue 18): agent.a files a
trademark recordal for holder A through the wizard with all its documents and submits it;
officer.gacc asks for corrections in the admin (its step button); agent.a sees the request
and the review clock stopped, corrects and resubmits (the clock resumed); officer.gacc
approves; agent.a sees the recordal number and the term (R4-R6). holder.b sees none of
holder A's recordals: their pages are 404s. The wizard's screenshots, in both languages.

Every step is a click or a field a person fills; every check is what a page shows. The
right's dates follow today (the demo's clock), its registration number is the journey's own."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.demo_files import pdf_bytes, png_bytes
from core.timezone import local_today
from docs import screenshots
from recordals.rules import term_end
from tests.browser.test_officer_journeys import click_step, open_first_row, search_list, shown
from tests.browser.test_portal_cases import PNG, portal_sign_in
from tests.test_portal_recordals import jpeg_bytes

pytestmark = pytest.mark.browser

REGISTRATION = "58123457"  # no demo recordal has it
MARK = "MEGA SPACE MOLLY"
CORRECTION = "The packaging photo is missing its colour print; attach a colour photo (R4)."


def file(name: str, content: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def save_and_continue(page: Page) -> None:
    page.locator("#wizard-form [type=submit]").first.click()
    page.wait_for_load_state()


def attach(page: Page, kind: str, upload: dict) -> None:
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", upload)
    page.locator("#wizard-form [type=submit]").click()
    expect(page.locator(".messages .success").last).to_contain_text("attached")


def officer_step(browser, base_url: str, label: str, reason: str = "") -> None:
    """officer.gacc finds the recordal in the admin by its registration number and takes
    the step by its button."""
    context = browser.new_context(locale="en", viewport=screenshots.VIEWPORT)
    try:
        officer = context.new_page()
        screenshots.sign_in(officer, base_url, "officer.gacc")
        officer.goto(f"{base_url}/admin/recordals/recordal/")
        search_list(officer, REGISTRATION)
        open_first_row(officer, "right_name")
        click_step(officer, label)
        if reason:
            officer.fill("#reason", reason)
        officer.locator("#content form [type=submit]").click()
        expect(officer.locator(".messagelist .success")).to_have_text(f"{label}: done.")
        return shown(officer, "status").inner_text()
    finally:
        context.close()


def test_agent_files_a_trademark_recordal_gacc_corrects_and_approves_it(page, base_url, browser):
    today = local_today()  # the legal day in Asia/Shanghai, as the server counts it
    right_from, right_until = (
        today - dt.timedelta(days=3 * 365),
        today + dt.timedelta(days=17 * 365),
    )
    portal_sign_in(page, base_url, "agent.a")

    # The kind of right and the client (agent.a acts for holder A only).
    page.goto(f"{base_url}/recordals/new/")
    page.get_by_label("Trademark", exact=True).check()
    expect(page.locator("#id_holder option")).to_have_count(1)
    page.locator("#choose-right [type=submit]").click()
    # 1. The right: saving it creates the draft.
    page.fill("#id_right_name", MARK)
    page.fill("#id_registration_number", REGISTRATION)
    page.fill("#id_nice_classes", "28")
    page.fill("#id_right_valid_from", right_from.isoformat())
    page.fill("#id_right_valid_until", right_until.isoformat())
    save_and_continue(page)
    expect(page.locator("nav.wizard .current")).to_contain_text("Genuine goods")
    # 2. Genuine goods, 3. licensees, 4. known infringers.
    page.fill("#id_goods-0-name", "Collectible vinyl figures")
    page.fill("#id_goods-0-hs_code", "950300")
    page.fill("#id_goods-0-origin_country", "CN")
    page.fill("#id_goods-0-usual_ports", "Ningbo, Shanghai")
    page.fill("#id_goods-0-features", "Holographic label on the box")
    page.fill("#id_goods-0-price_min", "69")
    page.fill("#id_goods-0-price_max", "1299")
    save_and_continue(page)
    page.fill("#id_licensees-0-name", "Dongguan Licensed Manufacturing Co.")
    page.select_option("#id_licensees-0-role", "manufacturer")
    save_and_continue(page)
    page.fill("#id_infringers-0-name", "Yiwu Lucky Star Trading")
    page.fill("#id_infringers-0-ports", "Ningbo")
    save_and_continue(page)
    # The review lists what is missing before Submit is enabled (R4).
    page.locator("a#wizard-review").click()
    expect(page.locator("#missing")).to_contain_text("Attach the power of attorney (R3).")
    expect(page.locator("#submit-application")).to_be_disabled()
    # 5. Documents: real PDF, PNG and JPEG bytes.
    page.locator("a#wizard-documents").click()
    attach(
        page, "registration_certificate", file("certificate.pdf", pdf_bytes(), "application/pdf")
    )
    attach(page, "power_of_attorney", file("poa.pdf", pdf_bytes("POA"), "application/pdf"))
    attach(page, "goods_photo", file("goods.png", png_bytes(), "image/png"))
    attach(page, "packaging_photo", file("box.jpg", jpeg_bytes(), "image/jpeg"))
    expect(page.locator("#attachments li")).to_have_count(4)
    # 6. Review and submit.
    page.locator("#to-review").click()
    expect(page.locator("#complete")).to_be_visible()
    page.locator("#submit-application").click()
    expect(page.locator("#recordal-status")).to_have_text("Submitted")
    expect(page.locator("#review-clock")).to_contain_text("Clock running")
    recordal_url = page.url

    # GACC asks for corrections in the admin (R5).
    assert officer_step(browser, base_url, "Ask for corrections", CORRECTION) == "Needs correction"
    page.reload()
    expect(page.locator("#recordal-status")).to_have_text("Needs correction")
    expect(page.locator("#correction-request")).to_contain_text(CORRECTION)
    expect(page.locator("#review-clock")).to_contain_text("Clock stopped")

    # agent.a corrects through the wizard and resubmits; the clock resumes.
    page.locator("#edit-application").click()
    page.locator("a#wizard-documents").click()
    attach(page, "packaging_photo", file("box-colour.png", png_bytes((30, 120, 200)), "image/png"))
    page.locator("#to-review").click()
    expect(page.locator("#correction-request")).to_contain_text(CORRECTION)
    expect(page.locator("#submit-application")).to_have_text("Resubmit corrected")
    page.locator("#submit-application").click()
    expect(page.locator("#recordal-status")).to_have_text("Submitted")
    expect(page.locator("#review-clock")).to_contain_text("Resumed on")
    expect(page.locator("#correction-request")).to_have_count(0)

    # GACC approves; agent.a sees the number and the term: ten years from approval (R6).
    assert officer_step(browser, base_url, "Approve") == "Approved"
    page.goto(recordal_url)
    expect(page.locator("#recordal-status")).to_have_text("Approved")
    expect(page.locator("#recordal-number")).to_have_text(re.compile(rf"^T{today.year}-\d{{6}}$"))
    until = term_end(today, right_until)
    expect(page.locator("#recordal-validity")).to_have_text(f"{today} \u2013 {until}")


def test_holder_b_sees_none_of_holder_as_recordals(page, base_url, browser):
    context = browser.new_context(locale="en", viewport=screenshots.VIEWPORT)
    urls = []
    try:
        agent = context.new_page()
        portal_sign_in(agent, base_url, "agent.a")
        agent.goto(f"{base_url}/recordals/new/")
        links = agent.locator("#drafts a")
        expect(links).not_to_have_count(0)
        names = [name.strip() for name in links.all_inner_texts()]
        links.first.click()
        urls.append(agent.url)  # the wizard's review of holder A's application
        agent.locator("a", has_text="The recordal").first.click()
        urls.append(agent.url)  # its recordal page
    finally:
        context.close()
    portal_sign_in(page, base_url, "holder.b")
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.locator("#not-found")).to_contain_text("Page not found")
    page.goto(f"{base_url}/recordals/new/")
    for name in names:
        expect(page.locator("main")).not_to_contain_text(name)


def test_the_recordal_wizard_screenshots_are_taken(browser, base_url, tmp_path):
    """SCREENSHOTS_OUT=docs/screenshots keeps them there."""
    out = Path(os.environ.get("SCREENSHOTS_OUT") or tmp_path)
    taken = screenshots.take_recordal_screenshots(browser, base_url, out)
    names = [f"{p}-{name}.png" for p in screenshots.LOCALES for name in screenshots.RECORDAL_SHOTS]
    assert [path.name for path in taken] == names
    for path in taken:
        assert path.read_bytes().startswith(PNG), path.name
        assert path.stat().st_size > 20_000, path.name  # a drawn page, not a blank one
