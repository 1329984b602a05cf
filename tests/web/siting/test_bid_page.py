"""The capital bid page and PDF: the best sites within a budget, their cameras and cost, validation on request."""

import io

from pypdf import PdfReader

from tests.web.siting.test_siting_pages import SITE_E, SITE_N, _add_site, crimes  # noqa: F401

ARGS = {"k": "2", "cost_fixed": "10000", "cost_deployable": "4000"}


def test_the_bid_names_the_site_its_cameras_and_cost(as_role, crimes) -> None:  # noqa: F811
    planner = as_role("planner")
    _add_site(planner, "Frogmoor", SITE_E, SITE_N)
    _add_site(planner, "Quiet Lane", SITE_E + 2000, SITE_N)
    page = planner.get("/siting/bid", query_string=ARGS).get_data(as_text=True)
    # Frogmoor sees the five violent crimes 50 m east: one fixed camera (the east) and one deployable,
    # £10,000 + £4,000. Quiet Lane sees none, so no camera is recommended and it is not offered.
    assert "Frogmoor" in page and "Quiet Lane" not in page.split('id="bid-sites"')[1]
    assert "£14,000" in page and "greedy choice: Frogmoor" in page
    assert "Exact programme, optimal (LP bound met):" in page  # the proof: one site, greedy meets the LP bound
    too_little = planner.get("/siting/bid", query_string={**ARGS, "budget": "5000"}).get_data(as_text=True)
    assert "no candidate site fits within £5,000: the cheapest, with the cameras recommended for it, costs £14,000" \
        in too_little


def test_bad_figures_are_shown_beside_their_fields(as_role, crimes) -> None:  # noqa: F811
    planner = as_role("planner")
    response = planner.get("/siting/bid", query_string={"k": "0", "budget": "-3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Correct the fields marked." in page
    assert page.count('class="error"') >= 3


def test_the_pdf_opens_with_the_bid_and_its_validation(as_role, crimes, app) -> None:  # noqa: F811
    planner = as_role("planner")
    _add_site(planner, "Frogmoor", SITE_E, SITE_N)
    response = planner.get("/siting/bid.pdf", query_string={**ARGS, "validate_model": "y"}, follow_redirects=True)
    assert response.mimetype == "application/pdf", response.get_data(as_text=True)[-3000:]
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages)
    assert f"Prepared for {app.config['COUNCIL_NAME']}" in text
    assert "The capital bid" in text and "£14,000" in text and "How far the model can be trusted" in text
    assert "The exact programme, optimal (LP bound met), chooses Frogmoor" in text


def test_the_bid_shows_the_estates_own_replacements_beside_the_new_sites(as_role, crimes, app) -> None:  # noqa: F811
    from decimal import Decimal

    from inventory.upkeep_models import CameraLifecycle

    estate = app.config["TEST_ESTATE"]
    with app.extensions["cctv_db"].session("t") as s:  # CS-001 (2012, a fixed camera's 10 years gone) cost £2,500
        s.add(CameraLifecycle(camera_id=estate.town_camera, purchase_cost=Decimal("2000"),
                              installation_cost=Decimal("500")))
        s.commit()
    planner = as_role("planner")
    _add_site(planner, "Frogmoor", SITE_E, SITE_N)
    page = planner.get("/siting/bid", query_string=ARGS).get_data(as_text=True)
    # This financial year: CS-001's £2,500 (the car park's camera, 2021, is due in 2031; the covert one is not the
    # planner's to see); with Frogmoor's £14,000, £16,500.
    from inventory.lifecycle import financial_year, year_label
    from inventory.types import london_today

    this_year = year_label(financial_year(london_today()))  # the backlog is always this financial year's
    assert f"asks for £2,500 in {this_year}; with the new sites above, £16,500 that year" in page
    pdf = planner.get("/siting/bid.pdf", query_string=ARGS)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Replacing cameras already in service" in text and "£16,500 that year" in text
