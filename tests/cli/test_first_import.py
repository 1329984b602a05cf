"""A fresh install reaches its first import from the command line alone, on a real council's list.

tests/fixtures/trafford_cctv_cameras_cut.{csv,geojson}: the first 12 cameras of Trafford Council's published list
(../shared/data/trafford-cctv-cameras/, Open Government Licence v3.0), cut as published: its own column names
(camera_id, location, area_name = the 2023 ward, area_code, lon, lat) and, in the GeoJSON, ids written as 1001.0.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlmodel import func, select

from cctv.app import create_app
from cctv.cli import cli
from cctv.migrate import current_revision, head_revision, upgrade
from inventory.models import Camera, CameraSystem, InventoryChange, ServiceArea
from inventory.types import CameraKind, CameraStatus, ChangeKind

FIXTURES = Path(__file__).parent.parent / "fixtures"
CUT_CSV = FIXTURES / "trafford_cctv_cameras_cut.csv"
CUT_GEOJSON = FIXTURES / "trafford_cctv_cameras_cut.geojson"


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Flask]:
    """An app on a database file that does not exist yet: no table at all, as after installing."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{tmp_path}/new.sqlite3"})
    yield app
    app.extensions["cctv_db"].engine.dispose()


def run(app: Flask, *args: str) -> Result:
    """The command's result; its output holds what it wrote to stderr too (click 8.2)."""
    return app.test_cli_runner().invoke(cli, list(args))


def cameras(app: Flask) -> dict[str, Camera]:
    with app.extensions["cctv_db"].session("check") as s:
        return {c.asset_id: c for c in s.exec(select(Camera))}


def test_the_first_command_on_a_new_database_migrates_it(fresh: Flask) -> None:
    result = run(fresh, "service-areas", "list")
    assert result.exit_code == 0, result.output
    assert current_revision(fresh.config["DATABASE_URL"]) == head_revision()
    assert "cctv service-areas create" in result.output


def test_demo_on_a_new_database_fills_it(fresh: Flask) -> None:
    result = run(fresh, "demo")
    assert result.exit_code == 0, result.output
    assert "Demo estate:" in result.output and "no such table" not in result.output


def test_a_database_behind_the_code_names_the_command_to_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.sqlite3"
    upgrade(url, "0008")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": url})
    try:
        result = run(app, "cameras", "import", str(CUT_CSV))
        assert result.exit_code != 0 and "cctv db upgrade" in result.output
        assert current_revision(url) == "0008"  # not migrated behind the admin's back
    finally:
        app.extensions["cctv_db"].engine.dispose()


def test_the_trafford_list_imports_from_a_fresh_install(fresh: Flask) -> None:
    assert run(fresh, "service-areas", "create", "CS", "Community Safety").exit_code == 0
    assert run(fresh, "systems", "create", "Trafford public-space CCTV", "--service-area", "cs").exit_code == 0
    assert run(fresh, "control-rooms", "create", "TR", "Trafford").exit_code == 0
    args = ["cameras", "import", str(CUT_CSV), "--service-area", "CS", "--kind", "public_space_fixed",
            "--system", "trafford public-space cctv", "--data-controller", "Trafford Council"]
    preview = run(fresh, *args)
    assert preview.exit_code == 0, preview.output
    assert "12 cameras ready" in preview.output
    for matched in ("asset_id='camera_id'", "location_text='location'", "ward='area_name'", "longitude='lon'",
                    "latitude='lat'"):
        assert matched in preview.output
    assert cameras(fresh) == {}  # a preview saves nothing
    result = run(fresh, *args, "--commit")
    assert result.exit_code == 0, result.output
    found = cameras(fresh)
    assert sorted(found) == [str(n) for n in range(1001, 1013)]
    quadrant = found["1009"]
    assert (quadrant.location_text, quadrant.ward, quadrant.name) == (
        "The Quadrant, Old Trafford", "Longford", "The Quadrant, Old Trafford")
    assert (quadrant.longitude, quadrant.latitude) == (-2.286269, 53.452648)
    assert {c.data_controller for c in found.values()} == {"Trafford Council"}
    assert {c.kind for c in found.values()} == {CameraKind.PUBLIC_SPACE_FIXED}
    with fresh.extensions["cctv_db"].session("check") as s:
        added = s.exec(select(func.count()).select_from(InventoryChange)
                       .where(InventoryChange.kind == ChangeKind.CAMERA_ADDED)).one()
        assert added == 12  # each camera raises its DPIA change, as one added on the form does
        system_id = s.exec(select(CameraSystem.id)).one()
        assert {c.system_id for c in found.values()} == {system_id}  # so the system's DPIA covers them
        assert s.exec(select(ServiceArea.code)).all() == ["CS"]


def test_the_geojson_list_keeps_its_points_when_one_field_is_mapped(fresh: Flask) -> None:
    run(fresh, "service-areas", "create", "CS", "Community Safety")
    result = run(fresh, "cameras", "import", str(CUT_GEOJSON), "--map", "asset_id=camera_id", "--service-area", "CS",
                 "--kind", "public_space_fixed", "--commit")
    assert result.exit_code == 0, result.output
    found = cameras(fresh)
    assert sorted(found) == [str(n) for n in range(1001, 1013)]  # 1001, not 1001.0
    assert (found["1001"].longitude, found["1001"].latitude) == (-2.284777, 53.464515)
    assert found["1004"].location_text == "Imperial War Musem tram stop"  # guessed beside the one mapped
    assert found["1004"].ward == "Gorse Hill & Cornbrook"


LIVE_DEAD = "\n".join([
    "cam_number,street,Easting_m,Northing_m,condition,system,monitored,retention,funding,owner",
    "T-7,Market Street,376700,393400,Live,Trafford public-space CCTV,Yes,31,NCIL,Trafford Council",
    "T-7,Market Street (rear),376710,393410,Dead,Trafford public-space CCTV,No,90,Capital programme,",
    "T-8,Station Road,376800,393500,live,,,,,",
    "",
])


def test_words_repeats_and_every_field_of_a_real_list(fresh: Flask, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(LIVE_DEAD)
    run(fresh, "service-areas", "create", "CS", "Community Safety")
    run(fresh, "systems", "create", "Trafford public-space CCTV", "--service-area", "CS")
    base = ["cameras", "import", str(path), "--service-area", "CS", "--kind", "public_space_fixed"]
    refused = run(fresh, *base)
    assert refused.exit_code == 1
    assert "status 'Live' is not one of" in refused.output and "status:Live=" in refused.output
    words = ["--value", "status:Live=operational", "--value", "status:Dead=faulty"]
    repeats = run(fresh, *base, *words)
    assert repeats.exit_code == 1
    assert "asset id T-7 repeats line 2" in repeats.output and "--repeated-ids generate" in repeats.output
    result = run(fresh, *base, *words, "--repeated-ids", "generate", "--commit")
    assert result.exit_code == 0, result.output
    assert "asset_id='cam_number'" in result.output and "easting='Easting_m'" in result.output
    found = cameras(fresh)
    assert sorted(found) == ["T-7-1", "T-7-2", "T-8"]
    assert (found["T-7-1"].source_ref, found["T-7-2"].source_ref, found["T-8"].source_ref) == ("T-7", "T-7", "")
    assert (found["T-7-1"].status, found["T-7-2"].status, found["T-8"].status) == (
        CameraStatus.OPERATIONAL, CameraStatus.FAULTY, CameraStatus.OPERATIONAL)
    first = found["T-7-1"]
    assert (first.proactively_monitored, first.retention_days, str(first.funding_source), first.owner) == (
        True, 31, "ncil", "Trafford Council")
    assert (found["T-7-2"].retention_days, str(found["T-7-2"].funding_source)) == (90, "capital")
    assert 53.4 < first.latitude < 53.5 and -2.4 < first.longitude < -2.3  # from the National Grid
    with fresh.extensions["cctv_db"].session("check") as s:
        system_id = s.exec(select(CameraSystem.id)).one()
        assert first.system_id == system_id and found["T-8"].system_id is None
        changes = s.exec(select(InventoryChange.system_id).where(InventoryChange.camera_id == first.id)).all()
        assert changes == [system_id]  # the system's DPIA hears of its new camera
