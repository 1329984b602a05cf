"""In real headless Chromium, a planner's road from a year of police.uk data to a capital bid: the council's area
set from its LSOA boundaries, the year's zip uploaded with the upload and import followed on the page, the model's
proposals kept, five sites picked on the map and in the ranking, a bid within a budget, and its PDF read back.

The data is real: Watford's LSOAs (2011) and the 2025 street-level crimes within about a kilometre of Watford town
centre, cut from ../shared/data (tests/fixtures/police/watford-centre-2025.zip: 12 monthly files, 5,726 rows).
"""

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, Tab, sign_in, start_server
from tests.conftest import build_app

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
YEAR = FIXTURES / "police" / "watford-centre-2025.zip"
BOUNDARY = FIXTURES / "watford-lsoas.geojson"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app importing crimes in the background, as in production."""
    path = tmp_path_factory.mktemp("journey") / "app.sqlite3"
    app = build_app(f"sqlite:///{path}", CRIME_IMPORT_IN_BACKGROUND=True, MAP_CENTRE=(51.656, -0.396))
    live = start_server(app)
    yield live
    live.stop()
    app.extensions["cctv_db"].engine.dispose()


def test_a_planner_goes_from_a_years_crimes_to_a_bid_pdf(tab: Tab, tmp_path: Path) -> None:
    page = tab.page
    sign_in(page, "planner")
    page.goto("/siting/crimes")
    page.get_by_label("Boundary (GeoJSON)").set_input_files(str(BOUNDARY))
    page.get_by_label("Name").fill("Watford Borough Council")
    page.get_by_role("button", name="Use this area").click()
    expect(page.locator("p.flash")).to_contain_text("The council's area is now Watford Borough Council")

    page.get_by_label("Files").set_input_files(str(YEAR))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-job-text")).to_contain_text("is done", timeout=120_000)
    # By hand from the fixture: 15 of its rows lie in Three Rivers, beyond Watford's LSOAs.
    expect(page.locator("#import-job-lines")).to_contain_text("15 outside the area")
    page.locator("#import-job-reload").click()
    expect(page.locator("#months")).to_contain_text("Dec 2025")

    # Setting the area again, with crimes held, re-filters them in the background while the page follows the job.
    page.get_by_label("Boundary (GeoJSON)").set_input_files(str(BOUNDARY))
    page.get_by_label("Name").fill("Watford Borough Council")
    page.get_by_role("button", name="Replace").click()
    # The page lands on the job: its summary when it has already ended, else the box that polls it until it does.
    expect(page.locator("#import-summary, #import-job-lines").first).to_contain_text(
        "are inside the area: none removed", timeout=60_000)

    page.goto("/siting")
    expect(page.locator("path.hotspot-peak").first).to_be_attached(timeout=60_000)
    page.get_by_label("Keep the best").fill("6")
    page.get_by_role("button", name="Keep them").click()
    expect(page.locator("p.flash")).to_contain_text("6 proposals kept as candidate sites.", timeout=60_000)
    expect(page.locator("#siting-map[data-loaded='6']")).to_have_count(1, timeout=60_000)

    # Three sites picked by clicking them on the map, two more ticked in the ranking.
    markers = page.locator("path.candidate-site")
    expect(markers).to_have_count(6)
    for i in range(3):
        markers.nth(i).click(force=True)
    expect(page.locator("path.candidate-site.picked")).to_have_count(3)
    unticked = page.locator("input.bid-pick:not(:checked)")
    for _ in range(2):
        unticked.first.check()
    expect(page.locator("input.bid-pick:checked")).to_have_count(5)
    picked = [page.locator(f"#ranking tr:has(#{box.get_attribute('id')}) td:nth-child(3) a").inner_text()
              for box in page.locator("input.bid-pick:checked").all()]
    page.get_by_role("button", name="Capital bid with the sites picked").click()

    expect(page.locator("#bid-picked")).to_contain_text("Choosing among the 5 sites picked on the map")
    page.get_by_label("Sites, at most").fill("5")
    page.get_by_label("Budget £ (blank: no limit)").fill("150000")
    page.get_by_role("button", name="Choose").click()
    expect(page.locator("#bid-sites")).to_be_visible(timeout=60_000)
    chosen = [name for name in picked if name in page.locator("#bid-sites").inner_text()]
    assert chosen, picked  # the bid names sites among those picked, and no other
    total = page.locator("#bid-sites tr.total td:nth-child(5)").inner_text()
    assert int(re.sub(r"[^\d]", "", total)) <= 150_000

    with page.expect_download() as download:
        page.locator("#bid-pdf").click()
    pdf = tmp_path / "bid.pdf"
    download.value.save_as(pdf)
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext (Debian poppler-utils) is not installed")
    text = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60).stdout.decode()
    overview = " ".join(text.split("\f")[0].split())
    assert "Where the sites are" in overview and "Watford Borough Council" in overview
    for name in chosen:  # each site of the bid named in the overview's key, with its street and LSOA
        assert name in overview, (name, overview)
    assert "LSOA Watford" in overview
    assert tab.outside_requests == []
