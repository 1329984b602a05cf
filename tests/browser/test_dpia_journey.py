"""In real headless Chromium: the DPO opens the DPIA dashboard, starts a system's first DPIA, types the sections by
keyboard, adds a risk, is refused sign-off until the sign-off is filled in, signs off, and the dashboard shows it."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from inventory.models import Camera, CameraSystem
from tests.browser.conftest import LiveServer, Tab, sign_in

pytestmark = pytest.mark.browser

SECTIONS = [
    ("Need for a DPIA", "Cameras watch the town centre's streets at night."),
    ("Description of the processing", "Images are kept for 31 days and viewed in the control room."),
    ("Evidence of the pressing need", "412 violent crimes within 100 m in 2025."),
    ("Consultation", "Town council and Thames Valley Police consulted."),
    ("Necessity and proportionality", "Better lighting was tried first."),
]


@pytest.fixture(scope="module")
def system(live_server: LiveServer) -> int:
    """'Town centre' holding the town camera CS-001, with no DPIA yet."""
    with live_server.app.extensions["cctv_db"].session("fixture") as s:
        camera = s.exec(select(Camera).where(Camera.asset_id == "CS-001")).one()
        found = CameraSystem(name="Town centre", service_area_id=camera.service_area_id)
        s.add(found)
        s.flush()
        camera.system_id = found.id
        s.add(camera)
        s.commit()
        return found.id


def dashboard_row(page: Page):
    return page.locator("#dpia-systems tbody tr", has_text="Town centre")


def test_dpo_drafts_and_signs_off_a_dpia(tab: Tab, system: int) -> None:
    page = tab.page
    sign_in(page, "dpo")
    page.get_by_role("navigation").get_by_role("link", name="DPIA").click()
    expect(page.get_by_role("heading", name="DPIA register")).to_be_visible()
    expect(dashboard_row(page)).to_contain_text("none")
    expect(page.locator("#gaps")).to_contain_text("CS-001")

    dashboard_row(page).get_by_role("link", name="Town centre").click()
    page.get_by_role("button", name="Start first DPIA").click()
    page.wait_for_url(re.compile(r"/dpia/\d+$"))
    expect(page.get_by_role("status")).to_contain_text("Version 1 started as a draft.")

    # The sections, by keyboard only: type, Tab to the next, and Enter on "Save draft".
    page.get_by_label(SECTIONS[0][0]).focus()
    for _, text in SECTIONS:
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save draft").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Draft version 1 saved.")
    for label, text in SECTIONS:
        expect(page.get_by_label(label)).to_have_value(text)

    add = page.locator("#add-risk")
    add.get_by_label("Risk to individuals").fill("Collateral intrusion into flats above shops")
    add.get_by_label("Likelihood", exact=True).select_option(label="Probable")
    add.get_by_label("Severity", exact=True).select_option(label="Significant")
    add.get_by_label("Measures to reduce it").fill("Privacy masking on upper windows")
    add.get_by_label("Residual likelihood").select_option(label="Remote")
    add.get_by_role("button", name="Add risk").click()
    expect(page.get_by_role("status")).to_contain_text("Risk added.")
    first_risk = page.locator("#risk-register tbody tr").first
    expect(first_risk).to_contain_text("Collateral intrusion into flats above shops")
    expect(first_risk.locator(".rating").first).to_have_text("high")  # probable (3) × significant (2) = 6

    # Signing off with the sign-off half filled is refused, and nothing typed is lost.
    page.get_by_label("Measures approved by").fill("Head of Community Safety")
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_role("alert")).to_contain_text("Not signed off")
    expect(page.locator("#dpo_advice-error")).to_have_text("DPO advice is required")
    expect(page.get_by_label("Measures approved by")).to_have_value("Head of Community Safety")
    expect(page.get_by_label(SECTIONS[4][0])).to_have_value(SECTIONS[4][1])

    page.get_by_label("Residual risk approved by").fill("Director of Place")
    page.get_by_label("DPO name").fill("Jo Data")
    page.get_by_label("DPO advice", exact=True).fill("Proceed; review the signage in a year.")
    page.get_by_label("DPO advice accepted").select_option(label="Accepted")
    page.get_by_label("Kept under review by").fill("CCTV manager")
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_role("status")).to_contain_text("Version 1 signed off.")
    expect(page.locator("#dpia-status")).to_have_text("signed off")
    expect(page.locator("#annex")).to_contain_text("CS-001")
    expect(page.get_by_role("button", name="Sign off")).to_have_count(0)

    page.get_by_role("navigation").get_by_role("link", name="DPIA").click()
    expect(dashboard_row(page)).to_contain_text("signed off (v1)")
    expect(page.locator("#gaps")).not_to_contain_text("CS-001")
    assert tab.outside_requests == [], "the app must not fetch anything from elsewhere"
