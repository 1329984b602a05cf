"""In real headless Chromium: a planner sees the hotspot layer, places a site by clicking the map, and finds it
ranked with its explanation."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, Tab, sign_in
from tests.web.siting.test_siting_pages import SITE_E, SITE_N, _crime

pytestmark = pytest.mark.browser


@pytest.fixture
def crimes(live_server: LiveServer) -> None:
    """Five violent crimes 50 m east of a High Wycombe site over three years."""
    from siting.store.tables import CrimeImport

    with live_server.app.extensions["cctv_db"].session("fixture") as s:
        s.add(CrimeImport(imported_by="fixture"))
        s.flush()
        months = [date(2023, 6, 1), date(2024, 6, 1), date(2024, 7, 1), date(2025, 6, 1), date(2025, 12, 1)]
        s.add_all(_crime(100 + i, SITE_E + 50, SITE_N, m) for i, m in enumerate(months))
        s.commit()


def test_planner_places_a_site_on_the_map_and_sees_it_ranked(tab: Tab, crimes: None) -> None:
    page = tab.page
    sign_in(page, "planner")
    page.goto("/siting")
    expect(page.locator("#siting-map[data-loaded='0']")).to_have_count(1)  # layers drawn, map fitted to the peak
    peak = page.locator("path.hotspot-peak")
    expect(peak).to_have_count(1)
    peak.click(force=True)  # a click on the map at the peak puts its point into the form
    expect(page.get_by_label("Longitude")).not_to_have_value("")
    page.get_by_label("Site name").fill("Peak of the hotspot")
    page.get_by_role("button", name="Add site").click()
    expect(page.locator("p.flash")).to_contain_text("Site Peak of the hotspot added.")
    expect(page.locator("#siting-map[data-loaded='1']")).to_have_count(1)
    expect(page.locator("path.candidate-site")).to_have_count(1)
    expect(page.locator("#ranking")).to_contain_text("5 high-harm crimes within 100 m over the 36 months to Dec 2025")
    assert tab.outside_requests == []
