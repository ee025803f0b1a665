"""Officers' journeys through the admin in Chromium, on the demo: each step is a click on a
link or a button a person sees, and each check is what the page then shows.

The demo's live cases are dated relative to today, so the journeys find their cases and
recordals through the lists' filters, as an officer would, never by a hard-coded number."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# What the pages say (the admin's English), kept here so a renamed label fails one place.
NOTIFIED = "Release suspended, holder notified"
CLOSE = "Settle costs, refund the bond and close"


# --- what a person does on the admin's pages -------------------------------------------


def open_from_index(page: Page, base_url: str, name: str) -> None:
    """From the admin's index, the model's list (its row in the main content's list of
    apps, not the sidebar's or the app's heading)."""
    page.goto(f"{base_url}/admin/")
    models = page.locator("#content-main th[scope=row]")
    models.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("#changelist")).to_be_visible()


def filter_list(page: Page, choice: str) -> None:
    filters = page.locator("#changelist-filter")
    filters.get_by_role("link", name=choice, exact=True).click()
    chosen = filters.locator("li.selected").get_by_role("link", name=choice, exact=True)
    expect(chosen).to_be_visible()  # the filtered list has loaded


def search_list(page: Page, text: str) -> None:
    page.fill("#searchbar", text)
    page.locator("#changelist-search [type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]q="))


def rows(page: Page):
    return page.locator("#result_list tbody tr")


def open_first_row(page: Page, column: str = "") -> str:
    """Click the first row's link (its first column); returns that link's text, or the
    row's `column` (a recordal under review has no number yet: its right's name)."""
    row = rows(page).first
    link = row.locator("th a")
    text = (row.locator(f".field-{column}") if column else link).inner_text().strip()
    link.click()
    expect(page).to_have_url(re.compile(r"/change/(\?.*)?$"))
    return text


def click_step(page: Page, label: str) -> None:
    """A step's button on the object's page (its label, followed by the rule it cites)."""
    page.locator(".object-tools").get_by_role("link", name=re.compile(re.escape(label))).click()
    expect(page).to_have_title(re.compile(re.escape(label)))


def submit_step(page: Page, label: str) -> None:
    """Press the step page's submit button, named after the step."""
    page.locator("#content form [type=submit]").click()
    expect_success(page, f"{label}: done.")


def expect_success(page: Page, message: str) -> None:
    expect(page.locator(".messagelist .success")).to_have_text(message)


def shown(page: Page, field: str):
    """A read-only field's value on the object's page."""
    return page.locator(f".field-{field} .readonly").first


def money_balance(page: Page) -> dict[str, Decimal]:
    """The case's money balance table, e.g. {"Costs owed": Decimal("1200.00"), ...}."""
    table = page.locator(".field-money_balance table tr")
    expect(table.first).to_be_visible()
    return {
        row.locator("th").inner_text().strip(): cny(row.locator("td").inner_text())
        for row in table.all()
    }


def cny(text: str) -> Decimal:
    """'CNY 1,200.00' (or '1200.00') as a Decimal."""
    return Decimal(text.strip().removeprefix("CNY").strip().replace(",", ""))


def fine_band(page: Page, tier: str) -> tuple[Decimal, Decimal]:
    """The band a tier allows, read from the fine's help text, e.g. 'On a goods value of
    CNY 120000.00: lighter: 0.00 to 12000.00; general: 12000.00 to 24000.00; ...'."""
    help_text = page.locator(".field-penalty_fine .help, #id_penalty_fine_helptext").first
    match = re.search(rf"{tier}: ([\d.]+) to ([\d.]+)", help_text.inner_text())
    assert match, f"no '{tier}' band in the help text: {help_text.inner_text()!r}"
    return Decimal(match[1]), Decimal(match[2])


# --- a) a district officer works a case from the holder's reply to closing --------------


def test_ningbo_officer_takes_a_case_from_detention_to_closing(page, login, base_url):
    login(page, "officer.ningbo")

    # A case awaiting the holder's reply: its page shows the steps open to the officer.
    open_from_index(page, base_url, "Detentions")
    filter_list(page, NOTIFIED)
    expect(rows(page)).not_to_have_count(0)
    for office in rows(page).locator("td.field-office").all_inner_texts():
        assert office == "Ningbo Customs"
    open_first_row(page)
    expect(shown(page, "status")).to_have_text(NOTIFIED)
    tools = page.locator(".object-tools")
    expect(
        tools.get_by_role("link", name=re.compile("^Request detention and provide the bond"))
    ).to_be_visible()
    expect(
        tools.get_by_role("link", name=re.compile(r"^Decline detention, with reasons"))
    ).to_be_visible()
    timeline = page.locator("#events-group")  # the case's events, first the notice served
    expect(timeline).to_contain_text("Suspend release and serve the notice on the holder")

    # A case whose holder has asked for detention and secured the bond (R12, R14, R15).
    page.locator(".breadcrumbs").get_by_role("link", name="Detentions").last.click()
    filter_list(page, "Detention requested")
    expect(rows(page)).not_to_have_count(0)
    number = open_first_row(page)
    expect(shown(page, "status")).to_have_text("Detention requested")

    click_step(page, "Detain (bond secured in time)")
    submit_step(page, "Detain (bond secured in time)")
    expect(shown(page, "status")).to_have_text("Detained")
    expect(shown(page, "number")).to_have_text(number)

    click_step(page, "Determine: infringing")
    submit_step(page, "Determine: infringing")
    expect(shown(page, "status")).to_have_text("Determined infringing")

    # R24: the fine's help text gives each tier's band on this case's goods value.
    click_step(page, "Confiscate and decide the penalty")
    low, high = fine_band(page, "general")
    assert Decimal(0) < low < high
    page.get_by_label("Penalty tier", exact=True).select_option(label="General (10% to under 20%)")
    page.get_by_label("Fine (CNY)", exact=True).fill(str(low))
    decision_served = page.get_by_label("Decision served today", exact=True)
    if decision_served.evaluate("e => e.tagName") == "SELECT":
        decision_served.select_option(label="Yes")
    else:
        decision_served.check()
    submit_step(page, "Confiscate and decide the penalty")
    expect(shown(page, "status")).to_have_text("Confiscated")
    expect(shown(page, "penalty_tier")).to_have_text("General (10% to under 20%)")
    expect(shown(page, "penalty_fine")).to_have_text(f"{low:.2f}")

    click_step(page, "Record the disposal")
    page.get_by_label("Disposal", exact=True).select_option(label="Donation to public welfare")
    submit_step(page, "Record the disposal")
    expect(shown(page, "status")).to_have_text("Disposed of")
    expect(shown(page, "disposal_method")).to_have_text("Donation to public welfare")

    # The disposal's cost charged to the holder (R27): the case cannot close while the
    # holder's time to pay runs, and the page says why.
    page.locator(".object-tools").get_by_role("link", name=re.compile("^Charge costs")).click()
    page.get_by_label("Cost", exact=True).select_option(label="Disposal")
    page.get_by_label("Amount (CNY)", exact=True).fill("1200.00")
    page.locator("#content form [type=submit]").click()
    expect_success(page, "Charge costs: done.")
    balance = money_balance(page)
    assert (balance["Costs charged"], balance["Costs owed"]) == (
        Decimal("1200.00"),
        Decimal("1200.00"),
    )

    close = page.locator(".object-tools").get_by_role("link", name=re.compile(re.escape(CLOSE)))
    expect(close).to_have_attribute("aria-disabled", "true")
    not_yet = page.locator(".steps-not-now")
    expect(not_yet).to_contain_text(f"Not yet: {CLOSE}.")
    expect(not_yet).to_contain_text(
        re.compile(r"The holder has until \d{4}-\d\d-\d\d to pay CNY 1200\.00")
    )
    expect(close).to_have_attribute("title", re.compile(r"^The holder has until .* CNY 1200\.00"))
    expect(close).to_be_disabled()  # offered greyed out: there is nothing to press yet
    expect(shown(page, "status")).to_have_text("Disposed of")

    # The holder pays; now the case closes and the money is settled.
    page.locator(".object-tools").get_by_role(
        "link", name=re.compile("^Record the holder's payment")
    ).click()
    page.get_by_label("Amount (CNY)", exact=True).fill("1200.00")
    page.locator("#content form [type=submit]").click()
    expect_success(page, "Record the holder's payment: done.")

    click_step(page, CLOSE)
    submit_step(page, CLOSE)
    expect(shown(page, "status")).to_have_text("Closed")
    expect(shown(page, "outcome")).to_have_text("Confiscated")
    balance = money_balance(page)
    assert balance["Costs charged"] == balance["Costs paid by the holder"] == Decimal("1200.00")
    assert balance["Costs owed"] == balance["Bond held"] == Decimal("0.00")
    expect(page.locator(".object-tools")).not_to_contain_text(CLOSE)


def overlap(a: dict, b: dict) -> bool:
    """Whether two bounding boxes (x, y, width, height) cover one another."""
    return not (
        a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
    )  # fmt: skip


def test_a_case_page_shows_its_fields_and_notes_clear_of_its_buttons(page, login, base_url):
    """A detained case offers many steps (about fifteen buttons): they must not cover the
    case's particulars or the notes on steps not possible yet, nor squeeze them."""
    login(page, "officer.gacc")
    open_from_index(page, base_url, "Detentions")
    filter_list(page, "Detained")
    open_first_row(page)
    buttons = page.locator(".object-tools li")
    expect(buttons).not_to_have_count(0)
    boxes = [button.bounding_box() for button in buttons.all()]
    for field in ("number", "status", "office", "holder", "opened_on"):
        value = shown(page, field)
        expect(value).to_be_visible()
        row = page.locator(f".form-row.field-{field}").first.bounding_box()
        assert row["width"] >= 600, f"{field}: its row squeezed to {row['width']:.0f} px"
        box = value.bounding_box()
        assert not any(overlap(box, b) for b in boxes), f"{field}: under the step buttons"
    for note in page.locator(".messagelist li").all():
        box = note.bounding_box()
        assert not any(overlap(box, b) for b in boxes), f"under the buttons: {note.inner_text()}"


# --- b) GACC's review queue and the year's holiday notice -------------------------------


def test_gacc_officer_reviews_recordals_and_enters_a_year(page, login, base_url):
    login(page, "officer.gacc")

    # The review queue: one recordal goes back for corrections, with the reasons (R5) ...
    open_from_index(page, base_url, "Recordals")
    filter_list(page, "Waiting for GACC (submitted)")
    expect(rows(page)).not_to_have_count(0)
    waiting = rows(page).count()
    corrected = open_first_row(page, "right_name")
    expect(shown(page, "status")).to_have_text("Submitted")
    click_step(page, "Ask for corrections")
    page.fill("#reason", "The genuine goods' photos are missing; attach colour photos (R4).")
    submit_step(page, "Ask for corrections")
    expect(shown(page, "status")).to_have_text("Needs correction")

    # ... and the next in the queue is approved (R5, R6).
    page.locator(".breadcrumbs").get_by_role("link", name="Recordals").last.click()
    filter_list(page, "Waiting for GACC (submitted)")
    expect(rows(page)).to_have_count(waiting - 1)
    expect(page.locator("#result_list")).not_to_contain_text(corrected)
    approved = open_first_row(page, "right_name")
    click_step(page, "Approve")
    submit_step(page, "Approve")
    expect(shown(page, "status")).to_have_text("Approved")
    expect(shown(page, "right_name")).to_have_text(approved)

    # The State Council's holiday notice for the first year not yet entered (R29): its
    # New Year's Day, then the year itself, which makes the year's dates final.
    open_from_index(page, base_url, "Announced calendar years")
    years = [int(y) for y in rows(page).locator(".field-year").all_inner_texts()]
    year = max(years) + 1

    open_from_index(page, base_url, "Calendar exceptions")
    page.locator(".object-tools").get_by_role("link", name=re.compile("^Add")).click()
    page.fill("#id_date", f"{year}-01-01")
    page.select_option("#id_kind", label="Public holiday (no work)")
    page.fill("#id_name", "New Year's Day")
    page.locator("[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    filter_list(page, str(year))  # the list opens at the current year
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("New Year's Day")

    open_from_index(page, base_url, "Announced calendar years")
    page.locator(".object-tools").get_by_role("link", name=re.compile("^Add")).click()
    page.fill("#id_year", str(year))
    page.fill("#id_notice", f"国务院办公厅关于{year}年部分节假日安排的通知")
    page.locator("[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text(f"CN {year}")
    expect(page.locator("#result_list")).to_contain_text(f"{year}年部分节假日安排")


# --- c) a district officer does not see another district's cases ------------------------


def test_shenzhen_officer_cannot_see_a_ningbo_case(browser, page, login, base_url):
    # Ningbo's officer finds one of Ningbo's cases and its address.
    login(page, "officer.ningbo")
    open_from_index(page, base_url, "Detentions")
    expect(rows(page)).not_to_have_count(0)
    number = open_first_row(page)
    case_url = page.url.split("?")[0]
    assert re.search(r"/admin/detentions/detention/\d+/change/$", case_url)

    # Shenzhen's officer, in a browser of their own, types that address ...
    shenzhen = browser.new_context(locale="en")
    try:
        other = shenzhen.new_page()
        login(other, "officer.shenzhen")
        response = other.goto(case_url)
        assert response.status == 404 or other.url != case_url
        expect(other.locator("#content")).not_to_contain_text(number)
        if other.url != case_url:  # the admin's redirect to its index, with a warning
            warning = other.locator(".messagelist .warning", has_text=re.compile("doesn.t exist"))
            expect(warning).to_have_count(1)

        # ... and neither the list nor its search shows the case.
        open_from_index(other, base_url, "Detentions")
        expect(rows(other)).not_to_have_count(0)
        expect(other.locator("#result_list")).not_to_contain_text(number)
        for office in rows(other).locator("td.field-office").all_inner_texts():
            assert office == "Shenzhen Customs"
        search_list(other, number)
        expect(rows(other)).to_have_count(0)
        expect(other.locator("#changelist")).to_contain_text("0 detentions")
    finally:
        shenzhen.close()
