"""The capital bid chosen on the planner map: the model's proposals kept as candidate sites from the page, sites
picked in the ranking (or on the map, which ticks the same boxes), then the bid and its PDF among those only."""

import re
import shutil
import subprocess

import pytest
from sqlmodel import select

from siting.store.saved import CandidateSite
from tests.web.siting.test_siting_pages import SITE_E, SITE_N, _add_site, crimes  # noqa: F401

ARGS = {"k": "2", "cost_fixed": "10000", "cost_deployable": "4000"}


def _ids(app) -> dict[str, int]:
    with app.extensions["cctv_db"].session("t") as s:
        return {c.name: c.id for c in s.exec(select(CandidateSite))}


def pdf_text(pdf: bytes) -> str:
    """The PDF read back by poppler's pdftotext, keeping the layout (CI installs poppler-utils)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext (Debian poppler-utils) is not installed")
    return subprocess.run([tool, "-layout", "-", "-"], input=pdf, capture_output=True, check=True,
                          timeout=30).stdout.decode("utf-8")


def test_the_proposals_are_kept_once_from_the_page(as_role, crimes, app) -> None:  # noqa: F811
    planner = as_role("planner")
    assert 'id="keep-proposals"' in planner.get("/siting").get_data(as_text=True)
    first = planner.post("/siting/proposals", data={"peaks": "3"}, follow_redirects=True).get_data(as_text=True)
    # The fixture's harm sits at two points 100 m apart (five crimes 50 m east of SITE, one 150 m east): the best
    # disc of 100 m holds all six, and no second disc two radii away holds any harm, so one proposal.
    assert "1 proposal kept as candidate sites." in first
    (proposal,) = _ids(app)
    assert f"Pick {proposal} for the bid" in first
    again = planner.post("/siting/proposals", data={"peaks": "3"}, follow_redirects=True).get_data(as_text=True)
    assert "0 proposals kept as candidate sites; 1 already were." in again
    assert as_role("advisory").post("/siting/proposals", data={"peaks": "3"}).status_code == 403
    refused = as_role("planner").post("/siting/proposals", data={"peaks": "0"}, follow_redirects=True)
    assert "Keep between 1 and 50 proposals" in refused.get_data(as_text=True)


def test_the_bid_chooses_among_the_sites_picked_on_the_map_only(as_role, crimes, app) -> None:  # noqa: F811
    planner = as_role("planner")
    _add_site(planner, "Frogmoor", SITE_E, SITE_N)
    _add_site(planner, "Castle Hill", SITE_E + 120, SITE_N)
    _add_site(planner, "Quiet Lane", SITE_E + 2000, SITE_N)
    ids = _ids(app)
    ranking = planner.get("/siting", query_string={"site": str(ids["Castle Hill"])}).get_data(as_text=True)
    assert re.search(rf'id="pick-{ids["Castle Hill"]}"[^>]*checked', ranking)
    assert not re.search(rf'id="pick-{ids["Frogmoor"]}"[^>]*checked', ranking)
    assert 'form="bid-pick"' in ranking and 'id="bid-pick"' in ranking

    every = planner.get("/siting/bid", query_string=ARGS).get_data(as_text=True)
    assert "Choosing among every candidate site" in every
    picked = planner.get("/siting/bid", query_string={**ARGS, "site": [str(ids["Frogmoor"])]}).get_data(as_text=True)
    assert "Choosing among the 1 site picked on the map" in picked
    chosen = picked.split('id="bid-sites"')[1].split("</table>")[0]
    assert "Frogmoor" in chosen and "Castle Hill" not in chosen
    assert f'<input type="hidden" name="site" value="{ids["Frogmoor"]}">' in picked  # kept when the form is re-sent

    quiet = planner.get("/siting/bid", query_string={**ARGS, "site": str(ids["Quiet Lane"])}).get_data(as_text=True)
    assert "no candidate site has a camera recommended" in quiet  # Quiet Lane sees no harm
    unknown = planner.get("/siting/bid", query_string={**ARGS, "site": "99999"}).get_data(as_text=True)
    assert "no active candidate site 99999: pick the sites again on the map" in unknown


def test_the_bid_pdf_opens_with_the_picked_sites_numbered_and_named_by_their_streets(as_role, crimes, app) -> None:  # noqa: F811
    from siting.store.tables import Crime

    with app.extensions["cctv_db"].session("t") as s:
        for crime in s.exec(select(Crime)):
            crime.location = "On or near Frogmoor Lane"
            crime.lsoa_code, crime.lsoa_name = "E01017836", "Wycombe 012A"
        s.commit()
    planner = as_role("planner")
    _add_site(planner, "Frogmoor", SITE_E, SITE_N)
    _add_site(planner, "Quiet Lane", SITE_E + 2000, SITE_N)
    ids = _ids(app)
    response = planner.get("/siting/bid.pdf", query_string={**ARGS, "site": str(ids["Frogmoor"])})
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    first = " ".join(text.split("\f")[0].split())
    assert "Where the sites are" in first and "the numbers are the bid's sites, in the order of its table" in first
    # The town is the register's: camera CS-001 ("High Wycombe") stands 216 m from Frogmoor, within 1.5 km.
    assert re.search(r"^\s*1\s+Frogmoor\s+Frogmoor Lane, High Wycombe, LSOA Wycombe 012A \(E01017836\)",
                     text.split("\f")[0], re.M)
    assert "Quiet Lane" not in first


def test_hostile_picks_are_ignored_or_refused_never_a_server_error(as_role, crimes) -> None:  # noqa: F811
    planner = as_role("planner")
    for value in ("²", "٣", "-1", "1" * 40, "\x00", "abc"):
        response = planner.get("/siting/bid", query_string={**ARGS, "site": value})
        assert response.status_code < 500, value
