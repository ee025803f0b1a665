"""The bulk half of the portal's recordals (issue 18) in Chromium, on the demo: agent.a
downloads the template from the import page, imports a 20-row file with 3 bad rows and
reads the three errors (row, column, reason) with nothing created; fixes them and imports
all 20, which its portfolio then lists; holder.b's portfolio shows none of holder A's
recordals. The import report in Chinese shows no English label (the portfolio's other
pages: test_chinese.py), and the screenshots are taken in both languages."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.demo_files import pdf_bytes, png_bytes
from docs import screenshots
from tests.browser.test_chinese import english_left, visible_text

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n"
MARKER = "批量导入"  # the imported drafts' names: found again by the portfolio's search
HOLDER_A = "Beijing Pop Mart Cultural & Creative Co., Ltd."  # accounts/demo.py
# Beside test_chinese.py's codes: the footer's "API 文档".
CODES = {"API"}


def sign_in(page: Page, base_url: str, username: str) -> None:
    screenshots.portal_sign_in(page, base_url, username)
    expect(page).to_have_url(re.compile(r"/desk/$"))


def download_template(page: Page) -> list[str]:
    """The CSV template's header, downloaded from the import page as a person does."""
    with page.expect_download() as download:
        page.locator("#template-csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    return next(csv.reader(io.StringIO(text)))


def twenty_rows(header: list[str], *, bad: bool) -> bytes:
    """20 trademark drafts of holder A, each with its documents named; with `bad`, row 4
    has a service class (R1), row 9 a short HS code, row 15 a photo missing from the ZIP
    (rows numbered as the spreadsheet does: the header is row 1)."""
    english = [cell.rpartition(" / ")[2] for cell in header]
    rows = []
    for n in range(1, 21):
        values = {
            "Rights holder": HOLDER_A, "Kind of right": "trademark",
            "Name of the right": f"{MARKER} {n:02d}", "Registration number": f"88123{n:04d}",
            "Nice classes": "28", "Right valid from": "2020-06-14",
            "Right valid until": "2030-06-13", "Genuine goods": "毛绒玩具", "HS code": "950300",
            "Origin": "CN", "Licensees": "东莞玩具厂 | 生产商 | CN",
            "Registration certificate file": "certificate.pdf",
            "Power of attorney file": "power-of-attorney.pdf", "Goods photo file": "goods.png",
        }  # fmt: skip
        if bad and n == 3:
            values["Nice classes"] = "28, 41"
        if bad and n == 8:
            values["HS code"] = "95"
        if bad and n == 14:
            values["Goods photo file"] = "goods-14.png"
        rows.append([values.get(name, "") for name in english])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def documents_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("scans/certificate.pdf", pdf_bytes("Certificate"))
        archive.writestr("scans/power-of-attorney.pdf", pdf_bytes("Power of attorney"))
        archive.writestr("photos/goods.png", png_bytes())
    return buffer.getvalue()


def upload(page: Page, sheet: bytes) -> None:
    page.set_input_files(
        "#id_file", {"name": "recordals.csv", "mimeType": "text/csv", "buffer": sheet}
    )
    page.set_input_files(
        "#id_documents",
        {"name": "documents.zip", "mimeType": "application/zip", "buffer": documents_zip()},
    )
    page.locator("#import-form [type=submit]").click()


def test_the_portfolio_screenshots_are_taken(browser, base_url, tmp_path):
    """SCREENSHOTS_OUT=docs/screenshots keeps them there."""
    out = Path(os.environ.get("SCREENSHOTS_OUT") or tmp_path)
    taken = screenshots.take_portfolio_screenshots(browser, base_url, out)
    names = [f"{p}-{name}.png" for p in screenshots.LOCALES for name in screenshots.PORTFOLIO_SHOTS]
    assert [path.name for path in taken] == names
    for path in taken:
        assert path.read_bytes().startswith(PNG), path.name
        assert path.stat().st_size > 20_000, path.name  # a drawn page, not a blank one


def test_agent_a_imports_20_rows_sees_3_errors_fixes_them_and_imports_all(page, base_url):
    sign_in(page, base_url, "agent.a")
    page.goto(f"{base_url}/recordals/")
    page.locator("#import-link").click()
    expect(page.locator("h1")).to_have_text("Import recordal drafts")
    header = download_template(page)
    assert header[:3] == ["权利人 / Rights holder", "知识产权类型 / Kind of right",
                          "知识产权名称 / Name of the right"]  # fmt: skip

    upload(page, twenty_rows(header, bad=True))
    report = page.locator("#import-report")
    expect(report).to_contain_text("3 rows have errors")
    expect(report).to_contain_text("20 rows read, 17 valid. Nothing was created")
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(3)
    cells = [
        [errors.nth(i).locator("td").nth(j).inner_text().strip() for j in range(3)]
        for i in range(3)
    ]
    assert [cell[:2] for cell in cells] == [
        ["4", "Nice classes"], ["9", "HS code"], ["15", "Goods photo file"]]  # fmt: skip
    assert "service classes (35-45)" in cells[0][2]
    assert cells[1][2] == "An HS code has 4 to 10 digits."
    assert cells[2][2] == "No file named goods-14.png in the ZIP."
    page.goto(f"{base_url}/recordals/?q={MARKER}")
    expect(page.locator("#recordals tbody")).to_contain_text("No recordal matches.")

    page.goto(f"{base_url}/recordals/import/")
    upload(page, twenty_rows(header, bad=False))
    expect(page.locator("h1")).to_have_text("Drafts imported")
    expect(page.locator("#import-created h2")).to_have_text("20 drafts created")
    expect(page.locator("#created tbody tr")).to_have_count(20)

    page.locator("a", has_text="See them in my recordals").click()
    page.fill("#id_q", MARKER)
    page.locator("#portfolio-filters [type=submit]").click()
    expect(page.locator("#portfolio-count")).to_have_text("20 recordals")
    rows = page.locator("#recordals tbody tr")
    expect(rows).to_have_count(20)
    expect(rows.first.locator("td.status")).to_have_text("Draft")
    # Sorted by the right's name, both ways, by its column header.
    page.locator('th[data-column="right"] a').click()
    expect(rows.first).to_contain_text(f"{MARKER} 01")
    page.locator('th[data-column="right"] a').click()
    expect(rows.first).to_contain_text(f"{MARKER} 20")


def test_holder_b_sees_none_of_holder_as_recordals(page, base_url):
    sign_in(page, base_url, "holder.b")
    page.locator("nav.main a", has_text="My recordals").click()
    expect(page.locator("h1")).to_have_text("My recordals")
    holders = page.locator('#recordals tbody td[data-column="holder"]')
    assert holders.count() > 0
    assert set(holders.all_inner_texts()) == {"Nordkap Outdoor AG"}
    for text in (HOLDER_A, MARKER, "LABUBU"):
        page.goto(f"{base_url}/recordals/?q={text}")
        expect(page.locator("#recordals tbody")).to_contain_text("No recordal matches.")


def test_a_chinese_agent_reads_the_import_report_in_chinese(browser, base_url, demo_texts, capsys):
    context = browser.new_context(locale="zh-CN", viewport=screenshots.VIEWPORT)
    context.set_default_timeout(15_000)
    page = context.new_page()
    counts = {}
    try:
        sign_in(page, base_url, "agent.a")  # the other pages: test_chinese.PORTAL_PAGES
        page.goto(f"{base_url}/recordals/import/")
        header = download_template(page)
        upload(page, twenty_rows(header, bad=True))
        expect(page.locator("#import-errors tbody tr")).to_have_count(3)
        expect(page.locator("#import-report h2")).to_have_text("3 行有错误")
        text = visible_text(page)
        assert "压缩包中没有名为 goods-14.png 的文件。" in text
        counts["import report"] = english_left(text.replace("goods-14.png", ""), demo_texts)
    finally:
        context.close()
    counts = {name: [w for w in words if w not in CODES] for name, words in counts.items()}
    with capsys.disabled():
        print("\nLatin-letter words left on the Chinese import report (target 0):")  # noqa: T201
        for name, words in counts.items():
            print(f"  {name:14} {len(words):4}  {' '.join(words[:30])}")  # noqa: T201
    assert all(not words for words in counts.values()), counts
