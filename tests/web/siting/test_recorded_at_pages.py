"""The planner page with a site whose harm is recorded at a hospital: flagged, ranked last, no camera, and the
toggle that ranks it among the others. The crimes' stored location labels reach the model through the store."""

from datetime import date

import pytest
from flask import Flask

from siting.store.tables import CrimeImport
from tests.web.siting.test_siting_pages import SITE_E, SITE_N, _add_site, _crime


@pytest.fixture
def crimes(app: Flask) -> None:
    """Every month of 2025: 2 crimes "On or near Hospital" at the hospital site; 1 on a street 2 km east."""
    with app.extensions["cctv_db"].session("fixture") as s:
        s.add(CrimeImport(imported_by="fixture"))
        s.flush()
        n = 0
        for month in range(1, 13):
            for _ in range(2):
                crime = _crime(n, SITE_E, SITE_N, date(2025, month, 1))
                crime.location = "On or near Hospital"
                s.add(crime)
                n += 1
            street = _crime(n, SITE_E + 2000, SITE_N, date(2025, month, 1))
            street.location = "On or near High Street"
            s.add(street)
            n += 1
        s.commit()


def test_the_stored_labels_reach_the_model(app: Flask, crimes) -> None:
    from siting.store.reading import load_crimes

    with app.extensions["cctv_db"].session("t") as s:
        loaded = load_crimes(s)
    assert sorted(set(loaded.location_names().tolist())) == ["On or near High Street", "On or near Hospital"]
    assert (loaded.location_names() == "On or near Hospital").sum() == 24


def test_a_hospital_is_flagged_ranked_last_and_included_on_request(as_role, crimes) -> None:
    planner = as_role("planner")
    _add_site(planner, "General Hospital", SITE_E, SITE_N)
    _add_site(planner, "High Street", SITE_E + 2000, SITE_N)
    page = planner.get("/siting").get_data(as_text=True)
    ranking = page[page.index('id="ranking"'):]
    assert ranking.index("High Street") < ranking.index("General Hospital")  # 24 crimes, yet ranked after 12
    assert "recorded at: On or near Hospital</strong>" in ranking
    assert "0 fixed + 0 deployable" in ranking and "no camera recommended for a recorded-at place" in ranking
    assert "<td>100%</td>" in ranking  # all of each site's harm at one point
    assert "2.0 / n/a" not in ranking and "no trend (one year of data)" in ranking
    included = planner.get("/siting", query_string={"include_recorded_at": "y"}).get_data(as_text=True)
    ranking = included[included.index('id="ranking"'):]
    assert ranking.index("General Hospital") < ranking.index("High Street")
    assert "recorded at: On or near Hospital</strong>" in ranking
