"""In real headless Chromium: a supervisor signs in, adds a camera, and finds it on the list and on the map."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab, sign_in

pytestmark = pytest.mark.browser

ASSET_ID = "CS-BRW-001"
NAME = "Queen Victoria Road east"


def add_camera_form(page: Page, *, asset_id: str, name: str) -> None:
    """Open 'Add camera' from the list and fill in a camera in High Wycombe by National Grid reference."""
    page.get_by_role("link", name="Add camera").click()
    expect(page.get_by_role("heading", name="Add a camera")).to_be_visible()
    page.get_by_label("Asset id").fill(asset_id)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Service area").select_option(label="Community Safety")
    page.get_by_label("Kind").select_option("public_space_fixed")
    page.get_by_label("Location", exact=True).fill("Queen Victoria Road, by the council offices")
    page.get_by_label("Town").fill("High Wycombe")
    page.get_by_label("Easting (m)").fill("486500")
    page.get_by_label("Northing (m)").fill("192950")


def test_supervisor_adds_a_camera_and_finds_it_on_the_list_and_the_map(tab: Tab) -> None:
    page = tab.page
    sign_in(page, "supervisor")

    add_camera_form(page, asset_id=ASSET_ID, name=NAME)
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(re.compile(r"/cameras/\d+$"))
    expect(page.get_by_role("status")).to_contain_text(f"Camera {ASSET_ID} added.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ASSET_ID)
    expect(page.locator("dl.facts")).to_contain_text("Community Safety")
    expect(page.locator("dl.facts")).to_contain_text("High Wycombe")
    expect(page.locator("dl.facts")).to_contain_text("E 486500 N 192950")

    page.get_by_role("navigation").get_by_role("link", name="Cameras").click()
    page.get_by_role("searchbox", name="Search", exact=True).fill(ASSET_ID)
    page.get_by_role("searchbox", name="Search", exact=True).press("Enter")
    page.wait_for_url(re.compile(r"/cameras\?.*q=" + ASSET_ID))
    rows = page.locator("#camera-list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(NAME)
    expect(rows.first.get_by_role("link", name=ASSET_ID)).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Map").click()
    expect(page.locator("#map")).to_have_attribute("data-loaded", re.compile(r"^[1-9]\d*$"))
    expect(page.locator(f'.camera-marker[data-asset-id="{ASSET_ID}"]')).to_have_count(1)
    expect(page.locator("#map-count")).to_contain_text("cameras shown")

    assert tab.outside_requests == [], "the app must not fetch anything from elsewhere (no CDN, no tiles)"


def test_a_form_error_keeps_what_was_typed(tab: Tab) -> None:
    page = tab.page
    sign_in(page, "supervisor")

    add_camera_form(page, asset_id="CS-001", name="Typed before the error")  # CS-001 is in the small estate
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    expect(page.locator("#asset_id-error")).to_contain_text("CS-001 is not available: choose another")
    expect(page.locator(".field.has-error #asset_id")).to_have_value("CS-001")
    expect(page.get_by_label("Name")).to_have_value("Typed before the error")
    expect(page.get_by_label("Town")).to_have_value("High Wycombe")
    expect(page.get_by_label("Service area")).to_have_value(re.compile(r"^\d+$"))
    expect(page.get_by_label("Kind")).to_have_value("public_space_fixed")
    expect(page.get_by_label("Easting (m)")).to_have_value(re.compile(r"^486500(\.0)?$"))
    expect(page.get_by_label("Northing (m)")).to_have_value(re.compile(r"^192950(\.0)?$"))
