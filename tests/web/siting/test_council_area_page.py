"""The council's area on the crime data page: uploaded once by a planner, used by the next import by default."""

import io
import json

from sqlmodel import select

from siting.store.council_area import CouncilArea
from tests.cli.test_crimes_cli import JANUARY

RING = [[-0.80, 51.60], [-0.70, 51.60], [-0.70, 51.65], [-0.80, 51.65], [-0.80, 51.60]]


def _geojson(ring: list) -> bytes:
    return json.dumps({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}).encode()


def test_a_planner_sets_the_area_and_the_next_import_keeps_only_crimes_inside(as_role, app) -> None:
    planner = as_role("planner")
    response = planner.post("/siting/crimes/area", data={"boundary": (io.BytesIO(_geojson(RING)), "wycombe.geojson"),
                                                          "name": "Wycombe"}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = planner.get("/siting/crimes").get_data(as_text=True)
    assert "<strong>Wycombe</strong>" in page and "Keep crimes outside the council&#39;s area too" in page
    with open(JANUARY, "rb") as fh:
        imported = planner.post("/siting/crimes", data={"files": [(fh, "2024-01-bucks-street.csv")]},
                                content_type="multipart/form-data").get_data(as_text=True)
    assert ("5 added, 0 already imported (skipped), 1 outside the area, 2 without a location (not stored: the area "
            "cannot place them).") in imported


def test_a_file_that_is_not_an_area_is_refused_beside_the_field_and_typed_name_kept(as_role, app) -> None:
    planner = as_role("planner")
    point = json.dumps({"type": "Point", "coordinates": [0, 51]}).encode()
    response = planner.post("/siting/crimes/area", data={"boundary": (io.BytesIO(point), "p.geojson"),
                                                          "name": "Typed name"}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Not used: GeoJSON &#39;Point&#39; is not an area" in page
    assert 'value="Typed name"' in page
    with app.extensions["cctv_db"].session("t") as s:
        assert s.exec(select(CouncilArea)).all() == []


def test_clearing_the_area_and_who_may(as_role, app) -> None:
    planner = as_role("planner")
    planner.post("/siting/crimes/area", data={"boundary": (io.BytesIO(_geojson(RING)), "w.geojson")},
                 content_type="multipart/form-data")
    assert as_role("advisory").post("/siting/crimes/area/clear").status_code == 403
    planner = as_role("planner")
    assert planner.post("/siting/crimes/area/clear").status_code == 302
    assert "No council area yet" in planner.get("/siting/crimes").get_data(as_text=True)


def test_an_import_is_listed_and_deleted_with_its_crimes_and_audited(as_role, app) -> None:
    from sqlalchemy import func

    from cctv.audit import AuditEntry
    from siting.store.tables import Crime, CrimeImport

    planner = as_role("planner")
    with open(JANUARY, "rb") as fh:
        planner.post("/siting/crimes", data={"files": [(fh, "2024-01-bucks-street.csv")]},
                     content_type="multipart/form-data")
    with app.extensions["cctv_db"].session("t") as s:
        (record,) = s.exec(select(CrimeImport)).all()
        import_id = record.id
    page = planner.get("/siting/crimes").get_data(as_text=True)
    assert f"Delete import {import_id} and its crimes" in page
    assert as_role("advisory").post(f"/siting/crimes/imports/{import_id}/delete").status_code == 403
    planner = as_role("planner")
    response = planner.post(f"/siting/crimes/imports/{import_id}/delete", follow_redirects=True)
    assert f"Import {import_id} deleted with the 8 crimes it added." in response.get_data(as_text=True)
    with app.extensions["cctv_db"].session("t") as s:
        assert s.exec(select(func.count()).select_from(Crime)).one() == 0
        assert s.exec(select(CrimeImport)).all() == []
        assert s.exec(select(AuditEntry).where(AuditEntry.table_name == "crime_import",
                                               AuditEntry.action == "delete")).first() is not None
    assert "There is no such import." in planner.post(f"/siting/crimes/imports/{import_id}/delete",
                                                      follow_redirects=True).get_data(as_text=True)


def test_setting_the_area_after_an_import_removes_the_crimes_outside_it_and_says_how_many(as_role, app) -> None:
    from sqlalchemy import func

    from siting.store.tables import Crime

    planner = as_role("planner")
    with open(JANUARY, "rb") as fh:
        planner.post("/siting/crimes", data={"files": [(fh, "2024-01-bucks-street.csv")]},
                     content_type="multipart/form-data")
    assert "Keep crimes imported earlier outside it" in planner.get("/siting/crimes").get_data(as_text=True)
    response = planner.post("/siting/crimes/area", data={"boundary": (io.BytesIO(_geojson(RING)), "w.geojson"),
                                                          "name": "Wycombe"},
                            content_type="multipart/form-data", follow_redirects=True)
    # By hand from the fixture: 5 rows inside the ring, 1 in Barnet, 2 without coordinates.
    assert ("3 crimes imported earlier were removed (1 outside the area and 2 without a location); 5 are kept."
            in response.get_data(as_text=True))
    with app.extensions["cctv_db"].session("t") as s:
        assert s.exec(select(func.count()).select_from(Crime)).one() == 5
