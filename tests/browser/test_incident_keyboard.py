"""In real headless Chromium: an operator logs incidents with the keyboard alone (no clicks after signing in) and
finds them in the day's log with the right monitored-hours flag."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab, sign_in

pytestmark = pytest.mark.browser


def _open_the_form_from_the_log(page: Page) -> None:
    """From the day's log to the entry form by its shortcut key (N), the cursor already on the category."""
    page.goto("/incidents")
    page.keyboard.press("n")
    page.wait_for_url("**/incidents/new")
    expect(page.locator("#category")).to_be_focused()


def _log_row(page: Page, reference: str):
    return page.locator(f'#incident-log tr[data-reference="{reference}"]')


def test_operator_logs_an_incident_with_two_cameras_a_police_reference_and_an_arrest_by_keyboard(tab: Tab) -> None:
    page = tab.page
    sign_in(page, "operator")
    _open_the_form_from_the_log(page)
    keyboard = page.keyboard

    keyboard.type("Rob")  # the select's type-ahead
    expect(page.locator("#category")).to_have_value("robbery")
    keyboard.press("Tab")
    expect(page.locator("#occurred")).to_be_focused()
    keyboard.press("Control+a")
    keyboard.type("2025-11-15 02:30")  # a Saturday, 02:30: inside Friday's 08:00-04:00 session
    keyboard.press("Tab")  # source: proactive monitoring, as it is
    keyboard.press("Tab")
    keyboard.type("Frogmoor, by the fountain")
    keyboard.press("Tab")
    expect(page.locator("#cameras")).to_be_focused()
    keyboard.type("CS-001, exch")  # the picker offers the rest of the field completed by name as well as asset id
    expect(page.locator("#camera-options option")).to_have_count(1)
    expect(page.locator("#camera-options option")).to_have_attribute("value", "CS-001, PARK-001")
    keyboard.press("Control+a")
    keyboard.type("CS-001, PARK-001")
    keyboard.press("Tab")
    expect(page.locator("#police_informed")).to_be_focused()
    keyboard.press("Space")
    keyboard.press("Tab")
    keyboard.type("CAD 4471 15/11")
    keyboard.press("Tab")
    keyboard.press("Space")  # police attended
    keyboard.press("Tab")
    expect(page.locator("#arrests")).to_be_focused()
    keyboard.press("Control+a")
    keyboard.type("1")
    keyboard.press("Tab")
    keyboard.type("Robbery")
    keyboard.press("Tab")
    keyboard.type("One male arrested by PCs at the scene")
    keyboard.press("Tab")
    expect(page.locator("#narrative")).to_be_focused()
    keyboard.type("Two males seen taking a phone from a female outside the bank.")
    keyboard.press("Enter")  # a new line in the narrative, not a submission
    keyboard.type("Tracked on CS-001 into the car park.")
    keyboard.press("Control+Enter")

    page.wait_for_url(re.compile(r"/incidents\?session=2025-11-14#WY-\d{4}-000001$"))  # Friday's session
    flash = page.get_by_role("status")
    expect(flash).to_contain_text(re.compile(r"Incident WY-\d{4}-000001 logged\."))
    reference = re.search(r"WY-\d{4}-000001", flash.inner_text()).group(0)
    row = _log_row(page, reference)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("02:30")
    expect(row.locator("td").nth(2)).to_have_text("Robbery")
    expect(row.locator("td").nth(4)).to_have_text("CS-001, PARK-001")
    expect(row.locator("td").nth(5)).to_have_text("CAD 4471 15/11")
    expect(row.locator("td").nth(6)).to_contain_text("1")
    expect(row.locator("td.monitored")).to_have_attribute("data-monitored", "yes")
    expect(row.locator("td.monitored")).to_have_text("inside")
    assert tab.outside_requests == []


def test_enter_logs_from_a_text_field_and_an_incident_outside_hours_is_flagged(tab: Tab) -> None:
    page = tab.page
    sign_in(page, "operator")
    _open_the_form_from_the_log(page)
    keyboard = page.keyboard

    keyboard.type("Anti")
    expect(page.locator("#category")).to_have_value("asb")
    keyboard.press("Tab")
    keyboard.press("Control+a")
    keyboard.type("2025-11-18 02:30")  # a Tuesday, 02:30: Monday's session ended at 23:00
    keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/incidents\?session=2025-11-17#WY-\d{4}-\d{6}$"))  # Monday's, by the rollover
    reference = re.search(r"WY-\d{4}-\d{6}", page.get_by_role("status").inner_text()).group(0)
    cell = _log_row(page, reference).locator("td.monitored")
    expect(cell).to_have_attribute("data-monitored", "no")
    expect(cell).to_have_text("outside")
    page.keyboard.press("ArrowLeft")  # the session before
    page.wait_for_url(re.compile(r"/incidents\?session=2025-11-16$"))


def test_a_mistyped_time_comes_back_with_the_cursor_on_it(tab: Tab) -> None:
    page = tab.page
    sign_in(page, "operator")
    _open_the_form_from_the_log(page)
    keyboard = page.keyboard
    keyboard.type("Theft")
    keyboard.press("Tab")
    keyboard.press("Control+a")
    keyboard.type("24:30")
    keyboard.press("Tab")
    keyboard.press("Tab")
    keyboard.type("Eden shopping centre")
    keyboard.press("Enter")

    expect(page.locator("#occurred-error")).to_contain_text("Give the time as HH:MM")
    expect(page.locator("#occurred")).to_be_focused()
    expect(page.locator("#occurred")).to_have_value("24:30")
    expect(page.locator("#category")).to_have_value("theft")
    expect(page.locator("#location_text")).to_have_value("Eden shopping centre")
    keyboard.press("Control+a")
    keyboard.type("2025-11-15 14:05")
    keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/incidents\?session=2025-11-15#WY-\d{4}-\d{6}$"))
    expect(page.get_by_role("status")).to_contain_text("logged")
