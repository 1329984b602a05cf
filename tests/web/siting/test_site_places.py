"""The ranking, the site page and a saved run name each site by its street and LSOA (issue 14)."""

from flask import Flask
from sqlmodel import select

from siting.store.saved import CandidateSite, SitingRun
from siting.store.tables import Crime
from tests.web.siting.test_siting_pages import SITE_E, SITE_N, _add_site, crimes  # noqa: F401 (a fixture)

# The town from the register: camera CS-001 ("High Wycombe") is 216 m from the site, within 1.5 km; it has no ward.
PLACE = "Castle Street / Easton Street, High Wycombe, LSOA Wycombe 012A (E01017836)"


def _label_crimes(app: Flask) -> None:
    # Within 100 m of the site: five crimes 50 m east (three "Castle Street", two "Easton Street") and the
    # shoplifting at the site ("Supermarket": not a street). Easton Street's 2 ≥ half of Castle Street's 3: both.
    with app.extensions["cctv_db"].session("t") as s:
        near = s.exec(select(Crime).where(Crime.easting == SITE_E + 50).order_by(Crime.id)).all()
        for i, crime in enumerate(near):
            crime.location = "On or near Castle Street" if i < 3 else "On or near Easton Street"
        for crime in s.exec(select(Crime)).all():
            if crime.location == "":
                crime.location = "On or near Supermarket"
            crime.lsoa_code, crime.lsoa_name = "E01017836", "Wycombe 012A"
        s.commit()


def test_the_ranking_site_page_and_saved_run_show_the_place(as_role, crimes, app: Flask) -> None:  # noqa: F811
    _label_crimes(app)
    planner = as_role("planner")
    _add_site(planner, "Frogmoor", SITE_E, SITE_N)
    ranking = planner.get("/siting").get_data(as_text=True)
    assert f'Frogmoor</a><br><small class="place">{PLACE}</small>' in ranking
    with app.extensions["cctv_db"].session("t") as s:
        site_id = s.exec(select(CandidateSite.id)).one()
    page = planner.get(f"/siting/sites/{site_id}").get_data(as_text=True)
    assert "<h1>Frogmoor <small>" in page and f'<p class="place" id="place">{PLACE}</p>' in page
    assert planner.post("/siting/runs", data={"title": "Placed"}).status_code == 302
    saved = planner.get("/siting").get_data(as_text=True)
    run_link = saved[saved.index('href="/siting/runs/') + 6:].split('"')[0]
    assert f'Frogmoor<br><small class="place">{PLACE}</small>' in planner.get(run_link).get_data(as_text=True)
    assert planner.post("/siting/runs", query_string={"radius_m": "200"}, data={"title": "Wide"}).status_code == 302
    with app.extensions["cctv_db"].session("t") as s:
        first, second = s.exec(select(SitingRun.id).order_by(SitingRun.id)).all()
    compare = planner.get("/siting/runs/compare", query_string={"a": first, "b": second}).get_data(as_text=True)
    assert f'Frogmoor<br><small class="place">{PLACE}</small>' in compare


def test_the_map_names_each_hotspot_peak_by_its_street(as_role, crimes, app: Flask) -> None:  # noqa: F811
    _label_crimes(app)
    layer = as_role("planner").get("/siting/hotspots.geojson").get_json()
    peak = next(f for f in layer["features"] if f["properties"]["kind"] == "peak")["properties"]
    # The densest cell holds the five crimes 50 m east: Castle Street 3, Easton Street 2.
    assert (peak["name"], peak["place"]) == ("Castle Street / Easton Street", "LSOA Wycombe 012A (E01017836)")


def test_the_ranking_csv_names_and_places_each_site_as_the_page_does(as_role, crimes, app: Flask) -> None:  # noqa: F811
    import csv
    import io

    _label_crimes(app)
    planner = as_role("planner")
    _add_site(planner, "=Frogmoor", SITE_E, SITE_N)  # a name a spreadsheet would run as a formula
    response = planner.get("/siting/ranking.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    (row,) = rows
    assert row["name"] == "'=Frogmoor" and row["place"] == PLACE
    assert (row["street"], row["ward_and_town"], row["lsoa_code"]) == ("Castle Street / Easton Street",
                                                                       "High Wycombe", "E01017836")
    assert (row["rank"], row["marginal_harm"], row["fixed_cameras"]) == ("1", "5", "1")
    assert abs(float(row["longitude"]) + 0.7517) < 0.001  # SITE_E, SITE_N in longitude/latitude
