"""In real headless Chromium: the dark theme follows the system setting and the toggle overrides it, remembered by
the browser across pages; and an operator finds an incident again by its police reference from the header's search
box."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from cctv.controlroom import incidents, rooms
from cctv.controlroom.models import IncidentCreate
from tests.browser.conftest import LiveServer, Tab
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

DARK_BACKGROUND = "rgb(14, 19, 24)"  # --bg of the dark theme (app.css)
LIGHT_BACKGROUND = "rgb(246, 248, 250)"


def _background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_the_theme_follows_the_system_until_the_toggle_says_otherwise(tab: Tab) -> None:
    page = tab.page
    page.emulate_media(color_scheme="dark")
    page.goto("/login")
    assert _background(page) == DARK_BACKGROUND  # the system's dark setting, nothing chosen yet
    toggle = page.locator("#theme-toggle")
    expect(toggle).to_have_text("Light")
    toggle.click()
    assert _background(page) == LIGHT_BACKGROUND
    page.reload()
    assert _background(page) == LIGHT_BACKGROUND  # remembered by this browser, against the system's setting
    page.emulate_media(color_scheme="light")
    page.goto("/login")
    assert _background(page) == LIGHT_BACKGROUND
    page.locator("#theme-toggle").click()
    assert _background(page) == DARK_BACKGROUND
    _sign_in(page, "operator")  # another page, the same choice
    assert _background(page) == DARK_BACKGROUND
    expect(page.locator("#theme-toggle")).to_have_attribute("aria-pressed", "true")


def test_an_operator_finds_an_incident_again_by_police_reference_from_the_search_box(
        tab: Tab, live_server: LiveServer) -> None:
    now = datetime.now(UTC)
    with live_server.app.extensions["cctv_db"].session("fixture") as s:
        room = rooms.ensure_defaults(s)
        for n, reference in enumerate(("CAD 4411/06DEC", "CAD 4412/06DEC", "")):
            found = incidents.log_incident(s, IncidentCreate(
                occurred_at=now - timedelta(hours=30 - n), category="robbery", police_reference=reference,
                police_informed=bool(reference), location_text="Frogmoor", narrative=f"Robbery {n} by the fountain"),
                room=room, operator="operator", now=now)
            if n == 0:
                wanted = found.reference
        s.commit()
    page = tab.page
    _sign_in(page, "operator")
    box = page.get_by_role("searchbox", name="Search everything")
    box.fill("cad 4411/06dec")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    results = page.locator("#found-incidents li")
    expect(results).to_have_count(1)
    results.get_by_role("link", name=wanted).click()
    page.wait_for_url("**/incidents/*")
    expect(page.locator("main")).to_contain_text("CAD 4411/06DEC")
