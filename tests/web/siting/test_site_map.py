"""The site page's map (issue 18: "the site page has no map"): the site, its catchment, the crimes around, the
working cameras near it, drawn from the page's own data."""

import html
import json

import numpy as np
import pytest
from flask import Flask
from sqlmodel import select

from siting.geometry import to_bng
from siting.store.saved import CandidateSite
from tests.web.siting.test_siting_pages import SITE_E, SITE_N, _add_site, crimes  # noqa: F401 (a fixture)


def _layers(page: str) -> dict:
    start = page.index("data-layers='") + len("data-layers='")
    return json.loads(html.unescape(page[start:page.index("'", start)]))


def test_the_site_page_maps_the_catchment_and_each_crime_point_by_harm(as_role, crimes, app: Flask) -> None:  # noqa: F811
    planner = as_role("planner")
    _add_site(planner, "Frogmoor", SITE_E, SITE_N)
    with app.extensions["cctv_db"].session("t") as s:
        site_id = s.exec(select(CandidateSite.id)).one()
    page = planner.get(f"/siting/sites/{site_id}").get_data(as_text=True)
    assert 'id="site-map"' in page and "site_map.js" in page
    layers = _layers(page)
    by_layer: dict[str, list] = {}
    for feature in layers["features"]:
        by_layer.setdefault(feature["properties"]["layer"], []).append(feature)
    # By hand from the fixture, all within 300 m and in the window: five violent crimes at one point 50 m east and
    # one 150 m east (harm), the shoplifting at the site itself (weight 0: "other").
    assert sorted(f["properties"]["crimes"] for f in by_layer["harm"]) == [1, 5]
    assert [f["properties"]["crimes"] for f in by_layer["other"]] == [1]
    east, north = to_bng(*np.array(by_layer["harm"][[f["properties"]["crimes"] for f in by_layer["harm"]].index(5)]
                                    ["geometry"]["coordinates"]))
    assert (float(east), float(north)) == pytest.approx((SITE_E + 50, SITE_N), abs=0.2)
    (site,) = by_layer["site"]
    assert site["properties"]["name"] == "Frogmoor" and site["geometry"]["type"] == "Point"
    ring = np.array(by_layer["catchment"][0]["geometry"]["coordinates"][0])
    e, n = to_bng(ring[:, 0], ring[:, 1])
    assert np.hypot(e - SITE_E, n - SITE_N) == pytest.approx(np.full(len(e), 100.0), abs=0.5)  # the 100 m radius


def test_no_map_when_the_site_cannot_be_scored(as_role, app: Flask) -> None:
    planner = as_role("planner")
    _add_site(planner, "Frogmoor", SITE_E, SITE_N)
    with app.extensions["cctv_db"].session("t") as s:
        site_id = s.exec(select(CandidateSite.id)).one()
    page = planner.get(f"/siting/sites/{site_id}").get_data(as_text=True)
    assert "site-map" not in page
