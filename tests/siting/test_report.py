"""The PDF site report: read back as text with pypdf and poppler's pdftotext; the map checked as a Drawing."""

import io
import re
import shutil
import subprocess
from datetime import datetime

import numpy as np
import pypdf
import pytest
from reportlab.graphics.shapes import Circle
from shapely.geometry import box

from siting.model.inputs import Site, month_index
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from siting.report.maps import MapCrimes, map_half_width, site_map
from siting.report.pdf import site_crimes_by_year, site_report_pdf
from tests.siting.helpers import SITE_E as E
from tests.siting.helpers import SITE_N as N
from tests.siting.helpers import VIOLENCE, crimes_at

BURGLARY, ROBBERY = "Burglary", "Robbery"
GENERATED = datetime(2026, 1, 15, 10, 30)
FROGMOOR = Site.at("F", E, N, name="Frogmoor")
MARKET = Site("M", box(E + 330, N - 20, E + 370, N + 20), name="Market Square")  # a square, 40 m across
QUIET = Site.at("Q", E - 2000, N, name="Quiet Lane")
CAMERA = np.array([[E + 350, N + 60]])  # watches the north side of Market Square
# (easting, northing, month, category): the answers below follow from these by hand.
CRIMES = [
    *[(E + 10, N, "2025-12", VIOLENCE)] * 3,  # three crimes on one police.uk snap point: one dot
    (E, N + 50, "2024-06", BURGLARY),
    (E - 40, N - 40, "2023-03", ROBBERY),
    (E + 20, N + 20, "2025-01", "Shoplifting"),  # weight 0: context only
    (E + 5, N + 5, "2022-11", VIOLENCE),  # before the 36-month window: neither scored nor drawn
    (E - 200, N + 150, "2024-02", "Vehicle crime"),  # on Frogmoor's map, outside its 100 m
    (E + 150, N - 200, "2025-03", VIOLENCE),  # on both maps, within 100 m of neither site
    *[(E + 350, N + 70, "2025-10", VIOLENCE)] * 2,  # Market Square, 10 m from the camera: already covered
    (E + 350, N - 80, "2024-05", VIOLENCE),  # Market Square, 140 m from the camera
    (E + 440, N - 10, "2025-07", BURGLARY),  # 70 m east of Market Square, 114 m from the camera
]


def build_crimes():
    e, n, month, category = zip(*CRIMES, strict=True)
    return crimes_at(np.column_stack([e, n]), month=list(month), category=list(category))


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def report():
    crimes = build_crimes()
    sites = [QUIET, MARKET, FROGMOOR]
    run = score_sites(crimes, sites, CAMERA)
    pdf = site_report_pdf(run, crimes=crimes, cameras_bng=CAMERA, sites=sites, title="High Wycombe CCTV capital bid",
                          prepared_for="Community Safety Partnership", top_n=2, generated_at=GENERATED)
    return run, crimes, pdf


@pytest.fixture(scope="module")
def texts(report):
    _, _, pdf = report
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pypdf_pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:  # CI installs poppler-utils; a missing tool must not pass silently as a skip
        pytest.fail("pdftotext (Debian poppler-utils) is not installed")
    out = subprocess.run([pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True, timeout=30)
    poppler_pages = out.stdout.decode("utf-8").split("\f")
    return {"pypdf": pypdf_pages, "pdftotext": [p for p in poppler_pages if p.strip()]}


def test_the_known_run_has_the_hand_worked_answers(report) -> None:
    run, _, _ = report
    frogmoor, market, quiet = run.result("F"), run.result("M"), run.result("Q")
    assert (run.window_first.isoformat(), run.window_last.isoformat()) == ("2023-01-01", "2025-12-01")
    assert (frogmoor.rank, frogmoor.harm, frogmoor.marginal, frogmoor.harm_by_year) == (1, 5, 5, (1, 1, 3))
    assert (market.rank, market.harm, market.covered_harm, market.marginal) == (2, 4, 2, 2)
    assert (quiet.rank, quiet.harm) == (3, 0)


@pytest.mark.parametrize("reader", ["pypdf", "pdftotext"])
def test_the_report_reads_back_as_text(texts, report, reader: str) -> None:
    run, _, _ = report
    pages = texts[reader]
    whole = norm(" ".join(pages))
    assert len(pages) == 4  # the overview, cover and ranking, then one page for each of the top 2 sites
    for expected in ("High Wycombe CCTV capital bid", "Prepared for Community Safety Partnership",
                     "Generated 15 Jan 2026 10:30", "Jan 2023 – Dec 2025 (36 months)",
                     "high-harm (high-harm crimes): Burglary 1, Possession of weapons 1, Robbery 1, Violence",
                     "100 m around each candidate site and each existing camera",
                     "persistent when in the top 10% of sites in at least 2 of the 3 years",
                     "13 in the data; 12 located in the window, of which 10 carry harm",
                     "3 candidate sites; 1 existing working camera"):
        assert expected in whole, expected
    # The ranking table: one line per site with rank, name, marginal harm, harm and each year's monthly rate.
    # Months held: 2023 one (Mar), 2024 three (Feb, May, Jun): both n/a; 2025 five (Jan, Mar, Jul, Oct, Dec).
    # Frogmoor's 2025 is 3 crimes (Dec) and Market Square's 3 (Jul, Oct ×2): 3 / 5 = 0.60 a month.
    ranking = pages[1]
    rows = {name: re.search(rf"^\s*(\d)\s+{name}\s+(\S+)\s+(\S+)\s+(\S+ / \S+ / \S+)", ranking, re.M)
            for name in ("Frogmoor", "Market Square", "Quiet Lane")}
    assert {name: m.groups() if m else None for name, m in rows.items()} == {
        "Frogmoor": ("1", "5", "5", "n/a / n/a / 0.60"), "Market Square": ("2", "2", "4", "n/a / n/a / 0.60"),
        "Quiet Lane": ("3", "0", "0", "n/a / n/a / 0.0")}
    assert "Year 1 n/a (1 of 12 months held)" in norm(pages[2])
    assert "Trend no trend (one year of data)" in norm(pages[2])
    # The top two sites have a section each, with their explanation sentence; the third does not.
    for result, page in ((run.result("F"), pages[2]), (run.result("M"), pages[3])):
        text = norm(page)
        assert f"Rank {result.rank}: {result.name} " in text and f"(site {result.site_id})" not in text
        assert f"Marginal harm {result.marginal:g} high-harm crimes; harm {result.harm:g} over 36 months." in text
        assert norm(result.explanation) in text
        assert "coverage radius 100 m" in text and "Page" in text
    assert "Rank 3: Quiet Lane" not in whole
    assert "Page 4 of 4" in whole
    # The footer says how the figures were computed, on every page.
    for page in pages:
        assert "over the 36 months Jan 2023 – Dec 2025, harm profile high-harm, coverage radius 100 m" in norm(page)


def test_each_site_section_tabulates_its_high_harm_crimes_by_category_and_year(texts, report) -> None:
    run, crimes, _ = report
    table = site_crimes_by_year(run, FROGMOOR, crimes)
    assert table == {VIOLENCE: (0, 0, 3), BURGLARY: (0, 1, 0), ROBBERY: (1, 0, 0)}
    assert {c: sum(v) for c, v in table.items()} == dict(run.result("F").harm_counts)
    assert site_crimes_by_year(run, MARKET, crimes) == {VIOLENCE: (0, 1, 2), BURGLARY: (0, 0, 1)}
    page = texts["pdftotext"][2]
    assert re.search(rf"{VIOLENCE}\s+0\s+0\s+3\s+3\s+3", page)
    assert re.search(r"All\s+1\s+1\s+3\s+5\s+5", page)
    assert "Other crimes within 100 m (weight 0, for context): Shoplifting 1." in norm(page)


def test_the_map_draws_each_crime_point_inside_its_frame() -> None:
    crimes = build_crimes()
    run = score_sites(crimes, [FROGMOOR, MARKET], CAMERA)
    weights = run.params.profile.weights_for(crimes.categories)
    mapped = MapCrimes.from_crimes(crimes, weights, month_index(run.window_first), month_index(run.window_last))

    drawing = site_map(FROGMOOR, mapped, CAMERA, 100.0, half_width_m=300.0, size=300.0)
    frame = drawing.frame
    assert (frame.width, frame.height) == (300.0, 300.0)  # 1 point per 2 metres
    harm, other = drawing.harm_crimes.contents, drawing.other_crimes.contents
    # Harm: 3 violence at one point, burglary, robbery, the violence 250 m away; the 2022 crime is outside the window,
    # and Market Square's crimes are more than 300 m east. Others: shoplifting and vehicle crime.
    assert (len(harm), len(other), len(drawing.cameras.contents)) == (4, 2, 0)
    for dot in harm + other:
        assert isinstance(dot, Circle)
        assert frame.x <= dot.cx <= frame.x + frame.width and frame.y <= dot.cy <= frame.y + frame.height
    centres = {(round(d.cx, 3), round(d.cy - frame.y, 3)): d.r for d in harm}
    assert set(centres) == {(155, 150), (150, 175), (130, 130), (225, 50)}  # (metres east + 300) / 2, likewise north
    assert centres[(155, 150)] > centres[(150, 175)]  # the dot for three crimes is bigger than a single crime's

    market = site_map(MARKET, mapped, CAMERA, 100.0, size=300.0)
    assert (len(market.harm_crimes.contents), len(market.other_crimes.contents), len(market.cameras.contents)) \
        == (4, 0, 1)  # two covered crimes share a point; the violence 250 m from Frogmoor is on this map too


def test_a_large_polygon_widens_the_map_so_its_catchment_fits() -> None:
    street = Site("S", box(E - 400, N - 10, E + 400, N + 10))
    assert map_half_width(street, 100.0) == 550  # 400 m + 115 m of catchment, rounded up to 50 m
    assert map_half_width(FROGMOOR, 100.0) == 300
    assert map_half_width(FROGMOOR, 300.0) == 350


def test_the_report_is_reproducible_and_checks_its_inputs(report) -> None:
    run, crimes, pdf = report
    sites = [QUIET, MARKET, FROGMOOR]
    again = site_report_pdf(run, crimes=crimes, cameras_bng=CAMERA, sites=sites, title="High Wycombe CCTV capital bid",
                            prepared_for="Community Safety Partnership", top_n=2, generated_at=GENERATED)
    assert again == pdf
    with pytest.raises(ValueError, match="no geometry given for site"):
        site_report_pdf(run, crimes=crimes, cameras_bng=CAMERA, sites=[QUIET], title="t", generated_at=GENERATED)


def test_a_cchi_run_with_no_cameras_and_no_sections_still_reads(report) -> None:
    _, crimes, _ = report
    run = score_sites(crimes, [FROGMOOR, MARKET], None, ModelParams(profile="cchi", radius_m=150))
    pdf = site_report_pdf(run, crimes=crimes, cameras_bng=None, sites=[FROGMOOR, MARKET], title="Sensitivity <150 m>",
                          top_n=0, generated_at=GENERATED)
    text = norm(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert "Sensitivity <150 m>" in text  # escaped for ReportLab's markup, printed as typed
    assert "cchi (crime-harm days (CCHI))" in text and "coverage radius 150 m" in text
    assert "Rank 1:" not in text and "0 existing working cameras" in text


def test_a_point_with_more_crimes_than_a_dot_can_show_is_labelled_with_its_count() -> None:
    crimes = crimes_at([(E + 40, N)] * 20 + [(E - 40, N)] * 15)
    run = score_sites(crimes, [FROGMOOR])
    mapped = MapCrimes.from_crimes(crimes, run.params.profile.weights_for(crimes.categories),
                                   month_index(run.window_first), month_index(run.window_last))
    drawing = site_map(FROGMOOR, mapped, None, 100.0, size=300.0)
    assert len(drawing.harm_crimes.contents) == 2
    assert [label.text for label in drawing.harm_labels.contents] == ["20"]  # 15 still shows as a dot's size


def test_the_report_opens_with_the_overview_numbering_the_top_sites(texts) -> None:
    first = norm(texts["pdftotext"][0])
    assert "Where the sites are" in first and "the numbers are the ranks of the top 2 sites" in first
    assert "no council area has been set" in first
    assert re.search(r"^\s*1\s+Frogmoor\b", texts["pdftotext"][0], re.M)
    assert re.search(r"^\s*2\s+Market Square\b", texts["pdftotext"][0], re.M)
    assert "Quiet Lane" not in first


def test_the_overview_draws_the_boundary_and_a_numbered_disc_per_site() -> None:
    from shapely.geometry import Polygon as ShapelyPolygon

    from siting.report.overview import overview_map

    # A 4 km × 2 km area with a 1 km square hole: drawn 170 points wide, so 1 point per 23.5 m.
    area = ShapelyPolygon([(E - 2000, N - 1000), (E + 2000, N - 1000), (E + 2000, N + 1000), (E - 2000, N + 1000)],
                          [[(E - 500, N - 500), (E + 500, N - 500), (E + 500, N + 500), (E - 500, N + 500)]])
    drawing = overview_map(area, [(1, FROGMOOR), (2, MARKET)], width=170.0)
    assert len(drawing.boundary.contents) == 2  # the outline and its hole
    discs = drawing.sites.contents
    assert sorted(group.contents[1].text for group in discs) == ["1", "2"]
    # Frogmoor is at the area's centre: the middle of the drawing.
    frogmoor = next(g for g in discs if g.contents[1].text == "1").contents[0]
    assert (frogmoor.cx, frogmoor.cy) == pytest.approx((drawing.width / 2, drawing.height / 2), abs=0.01)
    # Market Square's centre is 350 m east: 350 m × (170 / 4320 m) points to the right of Frogmoor.
    market = next(g for g in discs if g.contents[1].text == "2").contents[0]
    assert market.cx - frogmoor.cx == pytest.approx(350 * 170 / 4320, abs=0.01)


def test_each_site_map_names_its_streets_from_the_police_labels() -> None:
    crimes = build_crimes().with_locations(
        ["On or near High Street"] * 3 + ["On or near Castle Street", "On or near Castle Street",
                                          "On or near Supermarket"] + ["On or near Paul's Row"] * 7)
    run = score_sites(crimes, [FROGMOOR, MARKET], CAMERA)
    mapped = MapCrimes.from_crimes(crimes, run.params.profile.weights_for(crimes.categories),
                                   month_index(run.window_first), month_index(run.window_last))
    drawing = site_map(FROGMOOR, mapped, CAMERA, 100.0, size=300.0)
    names = [item.text for item in drawing.street_labels.contents if hasattr(item, "text")]
    # In Frogmoor's 600 m frame: High Street 3 crimes, Castle Street 2, Paul's Row 2 (the vehicle crime and the
    # violence 250 m away; the 2022 crime is outside the window, Market Square's beyond the frame); "Supermarket" is
    # not a street. Castle Street's label, at the middle of (0, +50) and (-40, -40), is (-20, +5) m from the site:
    # 2.5 points below High Street's at (+10, 0), so it would cover it and is left out.
    assert names == ["High Street", "Paul's Row"]
    paul = next(item for item in drawing.street_labels.contents if getattr(item, "text", "") == "Paul's Row")
    # Paul's Row's points are (-200, +150) and (+150, -200) m from the site: its label at their middle (-25, -25),
    # on the map at (300 - 25) / 2 = 137.5 points across and up the frame (which starts 30 points up, above the key).
    assert (paul.x, paul.y - 30.0) == pytest.approx((137.5, 137.5))
