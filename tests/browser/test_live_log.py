"""In real headless Chromium: an operator logs an incident at 01:50 on a Saturday (typed into the occurred field, the
way the form sets the clock) and lands on Friday's session with the new row highlighted and in view; a second
operator's open log shows it without a reload, its text inserted as text, under the app's own CSP."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import select

from cctv.auth.models import Role, User
from tests.browser.conftest import TIMEOUT_MS, LiveServer, Tab, sign_in
from tests.conftest import PASSWORD_HASH

pytestmark = pytest.mark.browser

HIGHLIGHT = "rgb(255, 243, 191)"  # app.css: the row just logged or just arrived


@pytest.fixture
def quick_polling(live_server: LiveServer) -> Iterator[None]:
    """The log asks for new rows every half second (10 s in service), and a second operator account exists."""
    app = live_server.app
    before = app.config["LOG_POLL_SECONDS"]
    app.config["LOG_POLL_SECONDS"] = 0.5
    with app.extensions["cctv_db"].session("fixture") as s:
        if s.exec(select(User).where(User.username == "operator2")).first() is None:
            s.add(User(username="operator2", full_name="Second Operator", role=Role.OPERATOR,
                       password_hash=PASSWORD_HASH))
            s.commit()
    yield
    app.config["LOG_POLL_SECONDS"] = before


def test_a_night_incident_is_highlighted_in_fridays_session_and_appears_on_another_operators_screen(
    tab: Tab, browser: Browser, live_server: LiveServer, quick_polling: None
) -> None:
    # The second operator watches Friday 14 November 2025's session, signed in on another browser context.
    other = browser.new_context(base_url=live_server.base_url, locale="en-GB")
    other.set_default_timeout(TIMEOUT_MS)
    watcher = other.new_page()
    blocked: list[str] = []
    watcher.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(watcher, "operator2")
    watcher.goto("/incidents?session=2025-11-14")
    expect(watcher.locator("#incident-log")).to_contain_text("No incidents logged for this session.")
    watcher.evaluate("window.__notReloaded = true")

    page = tab.page
    sign_in(page, "operator")  # operators land on the log
    page.goto("/incidents/new")
    page.locator("#category").select_option("robbery")
    page.locator("#occurred").fill("2025-11-15 01:50")  # Saturday 01:50 GMT: inside Friday's 08:00-04:00 session
    page.locator("#location_text").fill("<b>Frogmoor</b> & the bus station")
    page.locator("#police_reference").fill("CAD 0150 15/11")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/incidents\?session=2025-11-14#WY-\d{4}-\d{6}$"))
    reference = page.url.rsplit("#", 1)[1]
    expect(page.locator("h1")).to_contain_text("Friday 14 Nov 2025 session")
    row = page.locator(f'#incident-log tr[data-reference="{reference}"]')
    expect(row).to_be_in_viewport()
    expect(row).to_have_css("background-color", HIGHLIGHT)
    assert row.evaluate("r => r.matches(':target')")
    expect(row.locator("td").nth(1)).to_have_text("01:50")

    # The other operator's page adds the row by itself: no navigation, the same document.
    arrived = watcher.locator(f'#incident-log tr[data-reference="{reference}"]')
    expect(arrived).to_have_count(1)
    assert watcher.evaluate("window.__notReloaded") is True
    expect(arrived).to_have_css("background-color", HIGHLIGHT)
    expect(arrived.locator("td").nth(0)).to_have_text(reference)
    expect(arrived.locator("td").nth(1)).to_have_text("01:50")
    expect(arrived.locator("td").nth(3)).to_have_text("<b>Frogmoor</b> & the bus station")  # as text, not markup
    expect(arrived.locator("td b")).to_have_count(0)
    expect(arrived.locator("td").nth(5)).to_have_text("CAD 0150 15/11")
    expect(arrived.locator("td.monitored")).to_have_attribute("data-monitored", "yes")
    expect(watcher.locator("#incident-log")).not_to_contain_text("No incidents logged")
    expect(watcher.locator("#live-status")).to_have_text("1 new incident added.")
    arrived.locator("a").click()
    watcher.wait_for_url(re.compile(r"/incidents/\d+$"))
    expect(watcher.locator("h1")).to_contain_text(reference)
    other.close()
    assert blocked == [], blocked
