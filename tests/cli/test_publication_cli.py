"""`cctv publication …` and `cctv signs …`: the public page's choices and the signage register from the command line,
each change audited as `cli`, a covert system never published, bad input refused by name; and `cctv area wards`."""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import select

from cctv.audit import AuditEntry
from cctv.transparency.models import PublishedSystem, Sign, SignCamera
from inventory.models import Camera, CameraSystem
from inventory.types import london_today
from tests.cli.test_crimes_cli import run
from tests.conftest import BACKENDS, build_app, database_url


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The small estate with the town camera in 'Town centre' and the covert camera alone in 'Fly watch'."""
    app = build_app(database_url(request.param, tmp_path))
    estate = app.config["TEST_ESTATE"]
    with app.extensions["cctv_db"].session("fixture") as s:
        for name, camera_id in (("Town centre", estate.town_camera), ("Fly watch", estate.covert_camera)):
            system = CameraSystem(name=name, service_area_id=estate.community_safety)
            s.add(system)
            s.flush()
            camera = s.get(Camera, camera_id)
            camera.system_id = system.id
            s.add(camera)
        s.commit()
    yield app
    app.extensions["cctv_db"].engine.dispose()


def _ok(app: Flask, *args: str) -> str:
    result = run(app, *args)
    assert result.exit_code == 0, result.output
    return result.output


def _refused(app: Flask, *args: str) -> str:
    result = run(app, *args)
    assert result.exit_code != 0, result.output
    return result.output


def test_publishing_from_the_command_line_reaches_the_public_page(app: Flask) -> None:
    assert "Town centre\tnot published" in _ok(app, "publication", "show")
    assert "Fly watch" not in _ok(app, "publication", "show")  # covert: never offered
    _ok(app, "publication", "notice", "--contact-point", "cctv@example.gov.uk", "--operator", "Council CCTV")
    _ok(app, "publication", "publish", "town  centre", "--purpose", "Crime prevention", "--dpia-summary", "Public")
    assert "no system called Fly watch" in _refused(app, "publication", "publish", "Fly watch", "--purpose", "x")
    assert "the purpose cannot be empty" in _refused(app, "publication", "publish", "Town centre", "--purpose", " ")
    last = london_today().year - 1
    assert "only a complete year's figures" in _refused(app, "publication", "figures", str(last + 1))
    assert "neither a number nor 'none'" in _refused(app, "publication", "figures", "last year")
    _ok(app, "publication", "figures", str(last))
    assert "only a completed self-assessment" in _refused(app, "publication", "assessment", "1")
    shown = _ok(app, "publication", "show")
    assert "Town centre\tpublished: Crime prevention" in shown and f"figures published: {last}" in shown
    assert "1 cameras on the public page." in shown
    geo = app.test_client().get("/public/cameras.geojson").get_json()
    assert [f["properties"]["ref"] for f in geo["features"]] == ["CS-001"]
    assert "cctv@example.gov.uk" in app.test_client().get("/public").get_data(as_text=True)
    _ok(app, "publication", "withdraw", "Town centre")
    assert "is not published" in _refused(app, "publication", "withdraw", "Town centre")
    assert app.test_client().get("/public/cameras.geojson").get_json()["features"] == []
    with app.extensions["cctv_db"].session("check") as s:
        entries = s.exec(select(AuditEntry).where(AuditEntry.table_name.in_(["published_system", "public_notice"]))
                         ).all()
        assert {(e.table_name, e.action, e.actor) for e in entries} == {
            ("published_system", "create", "cli"), ("published_system", "delete", "cli"),
            ("public_notice", "create", "cli"), ("public_notice", "update", "cli")}
        assert s.exec(select(PublishedSystem)).all() == []


def test_the_signage_register_from_the_command_line(app: Flask) -> None:
    out = _ok(app, "signs", "add", "--place", "Frogmoor entrance", "--wording", "CCTV in operation",
              "--cameras", "cs-001, PARK-COV-1", "--last-inspected", "2026-03-01", "--latitude", "51.63")
    assert "Sign 1 (Frogmoor entrance) saved." in out
    assert "1\t\tFrogmoor entrance\t2026-03-01\tCS-001, PARK-COV-1" in _ok(app, "signs", "list")
    assert "no camera with the id NOPE-1" in _refused(app, "signs", "add", "--place", "x", "--wording", "y",
                                                       "--cameras", "NOPE-1")
    assert "place" in _refused(app, "signs", "add", "--wording", "y")
    assert "Invalid value for '--latitude'" in _refused(app, "signs", "edit", "1", "--latitude", "91")
    _ok(app, "signs", "edit", "1", "--town", "High Wycombe", "--last-inspected", "2026-09-30")
    with app.extensions["cctv_db"].session("check") as s:
        sign = s.exec(select(Sign)).one()  # only the options given changed; the cameras stayed
        assert (sign.town, sign.place, sign.last_inspected, sign.latitude) == (
            "High Wycombe", "Frogmoor entrance", date(2026, 9, 30), 51.63)
        assert len(s.exec(select(SignCamera)).all()) == 2
        assert {e.actor for e in s.exec(select(AuditEntry).where(AuditEntry.table_name == "sign"))} == {"cli"}
    _ok(app, "signs", "edit", "1", "--cameras", "CS-001")
    assert "\tCS-001\n" in _ok(app, "signs", "list")
    _ok(app, "signs", "remove", "1")
    assert "no sign 1" in _refused(app, "signs", "remove", "1")
    assert "no sign 1" in _refused(app, "signs", "edit", "1", "--town", "x")


def test_wards_imported_once_from_the_command_line(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "wards.geojson"
    ring = [[-0.8, 51.6], [-0.7, 51.6], [-0.7, 51.7], [-0.8, 51.7], [-0.8, 51.6]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"WD23NM": "Abbey"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    ]}))
    assert "1 wards imported from wards.geojson." in _ok(app, "area", "wards", str(path))
    assert "1 wards: Abbey" in _ok(app, "area", "wards")
    admin_map = app.test_client()
    from tests.conftest import login

    login(admin_map, "admin")
    layers = admin_map.get("/map/context.geojson").get_json()["features"]
    assert [f["properties"]["label"] for f in layers if f["properties"]["layer"] == "ward"] == ["Abbey"]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "E1"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    assert "feature 1 has no ward name" in _refused(app, "area", "wards", str(path))
    assert "1 wards: Abbey" in _ok(app, "area", "wards")  # a refused file changes nothing
    assert "1 wards removed." in _ok(app, "area", "wards", "--clear")
