"""In real headless Chromium: the Advisory Group member opens the dashboard, picks Q3 2025 and then Q2 2025 with the
period form, sees the charts change, and downloads a table's CSV.

The history is the one worked out by hand in tests/web/outcomes/test_outcomes_pages.py: Q3 2025 has 5 incidents (July 3,
August 1, September 1), Q2 2025 has 2 (April 1, May 1, June none).
"""

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, Tab, sign_in
from tests.web.outcomes.test_outcomes_pages import build_outcomes_history

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def history(live_server: LiveServer) -> None:
    """The known history on the live server's database."""
    with live_server.app.extensions["cctv_db"].session("fixture") as s:
        build_outcomes_history(s)


def show_quarter(page: Page, year: str, quarter: str) -> None:
    """Choose a quarter in the period form and press Show."""
    form = page.locator("#outcome-filters")
    form.get_by_label("Period", exact=True).select_option(label="Quarter")
    form.get_by_label("Year", exact=True).select_option(year)
    form.get_by_label("Quarter", exact=True).select_option(quarter)
    form.get_by_role("button", name="Show").click()


def test_advisory_changes_the_period_and_downloads_a_csv(tab: Tab, history: None) -> None:
    page = tab.page
    sign_in(page, "advisory")
    page.get_by_role("navigation").get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", name="Advisory Group dashboard")).to_be_visible()
    expect(page.get_by_label("Period", exact=True)).to_have_value("quarter")  # the last complete quarter by default

    show_quarter(page, "2025", "3")
    page.wait_for_url("**/outcomes?kind=quarter&year=2025&quarter=3*")
    expect(page.locator("#period-label")).to_have_text("Q3 2025")
    expect(page.locator("#total-incidents")).to_have_text("5")
    months = page.locator("#chart-by-month g.bar")
    expect(months).to_have_count(3)
    expect(months.first).to_have_attribute("aria-label", "Jul 2025: 3 incidents")
    expect(page.get_by_role("img", name="Jul 2025: 3 incidents")).to_be_visible()  # the bar is named for everyone
    heights_q3 = [float(months.nth(i).locator("rect").get_attribute("height") or 0) for i in range(3)]
    assert heights_q3[1] == heights_q3[2] == pytest.approx(heights_q3[0] / 3, abs=0.1)  # 1, 1 against 3
    expect(page.locator("#chart-by-town g.bar").first).to_have_attribute("aria-label", "High Wycombe: 3 incidents")
    expect(page.locator("#chart-hours rect[data-weekday='5'][data-hour='2']")).to_have_attribute(
        "aria-label", "Saturday 02:00–03:00: 1 incident, monitored")  # B3, 02:30 on a Saturday: Friday's session

    show_quarter(page, "2025", "2")
    page.wait_for_url("**/outcomes?kind=quarter&year=2025&quarter=2*")
    expect(page.locator("#period-label")).to_have_text("Q2 2025")
    expect(page.locator("#total-incidents")).to_have_text("2")
    expect(months.first).to_have_attribute("aria-label", "Apr 2025: 1 incident")
    expect(months.nth(2)).to_have_attribute("aria-label", "Jun 2025: 0 incidents")
    heights_q2 = [float(months.nth(i).locator("rect").get_attribute("height") or 0) for i in range(3)]
    assert heights_q2[0] == heights_q2[1] > heights_q3[1] and heights_q2[2] == 0  # 1, 1, 0 on a scale to 1
    expect(page.locator("#chart-hours rect[data-weekday='5'][data-hour='2']")).to_have_attribute(
        "aria-label", "Saturday 02:00–03:00: 0 incidents, monitored")

    months_head = page.locator(".table-head", has=page.get_by_role("heading", name="Incidents by month"))
    with page.expect_download() as info:
        months_head.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "advisory-2025Q2-months.csv"
    with open(download.path(), encoding="utf-8") as f:
        rows = list(csv.reader(io.StringIO(f.read())))
    assert rows == [["Month", "Incidents", "Arrests"], ["Apr 2025", "1", "0"], ["May 2025", "1", "1"],
                    ["Jun 2025", "0", "0"]]

    page.get_by_role("link", name="Q3 2025 →").click()  # the next quarter, with the same filters
    expect(page.locator("#total-incidents")).to_have_text("5")
    assert tab.outside_requests == [], "the dashboard must not fetch anything from elsewhere"


def test_one_period_selector_shows_only_its_own_fields_and_a_contents_bar(tab: Tab, history: None) -> None:
    page = tab.page
    sign_in(page, "advisory")
    page.goto("/outcomes?period=2025Q3")
    form = page.locator("#outcome-filters")
    expect(form.get_by_label("Year", exact=True)).to_be_visible()
    expect(form.get_by_label("Quarter", exact=True)).to_be_visible()
    for hidden in ("Month", "From", "To (inclusive)"):
        expect(form.get_by_label(hidden, exact=True)).to_be_hidden()
    form.get_by_label("Period", exact=True).select_option(label="Month")
    expect(form.get_by_label("Month", exact=True)).to_be_visible()
    expect(form.get_by_label("Year", exact=True)).to_be_hidden()
    form.get_by_label("Month", exact=True).fill("2025-07")
    form.get_by_role("button", name="Show").click()
    expect(page.locator("#period-label")).to_have_text("July 2025")
    contents = page.locator("#contents a")
    expect(contents).to_have_count(10)
    page.locator("#contents").get_by_role("link", name="Compliance").click()
    assert page.url.endswith("#compliance")
