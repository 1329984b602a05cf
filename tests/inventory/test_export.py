"""Exports: CSV and GeoJSON of what the user may see, with National Grid coordinates alongside; an export can be
imported again."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from cctv.db import Database
from cctv.models import metadata
from inventory.cameras import CameraFilter, all_matching
from inventory.exporting import to_csv, to_geojson, to_geojson_text
from inventory.import_rows import commit_import, plan_import
from inventory.importing import ImportDefaults, guess_mapping, read_table
from inventory.models import Camera, ServiceArea
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus, FundingSource
from tests.conftest import Estate
from tests.inventory.test_geo import independent_bng

TODAY = date(2025, 6, 15)


def visible(session: Session, scope: CameraScope) -> list[Camera]:
    """What an export for this scope is built from."""
    return all_matching(session, scope, CameraFilter(), today=TODAY)


def add_unplaced_camera(session: Session, estate: Estate) -> None:
    """A body-worn camera (no point) with notes that need quoting."""
    session.add(Camera(asset_id="CS-BWV-1", name="Body-worn unit 1", service_area_id=estate.community_safety,
                       kind=CameraKind.BODY_WORN, status=CameraStatus.IN_STORAGE, retention_days=90,
                       funding_source=FundingSource.NCIL, notes='Issued to wardens, "night shift"\nsecond line'))
    session.commit()


def csv_rows(text: str) -> list[dict[str, str]]:
    """The exported CSV read back as a user's spreadsheet would."""
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_grid_references_and_every_visible_camera(session: Session, estate: Estate) -> None:
    add_unplaced_camera(session, estate)
    rows = csv_rows(to_csv(visible(session, CameraScope())))
    assert [r["asset_id"] for r in rows] == ["CS-001", "CS-BWV-1", "PARK-001"]  # no covert camera
    town = rows[0]
    assert {"easting", "northing", "longitude", "latitude"} <= set(town)
    expected_e, expected_n = independent_bng(-0.7493, 51.6295)
    assert float(town["easting"]) == pytest.approx(expected_e, abs=10)
    assert float(town["northing"]) == pytest.approx(expected_n, abs=10)
    assert (town["service_area"], town["kind"], town["status"], town["install_date"], town["town"]) == (
        "Community Safety", "public_space_fixed", "operational", "2012-05-01", "High Wycombe")
    unplaced = rows[1]
    assert (unplaced["easting"], unplaced["northing"], unplaced["longitude"], unplaced["latitude"]) == ("",) * 4
    assert unplaced["notes"] == 'Issued to wardens, "night shift"\nsecond line'
    assert (unplaced["funding_source"], unplaced["retention_days"], unplaced["install_date"]) == ("ncil", "90", "")


def test_geojson_has_only_cameras_with_a_point(session: Session, estate: Estate) -> None:
    add_unplaced_camera(session, estate)
    doc = json.loads(to_geojson_text(visible(session, CameraScope.everything())))
    assert doc["type"] == "FeatureCollection"
    by_asset = {f["properties"]["asset_id"]: f for f in doc["features"]}
    assert sorted(by_asset) == ["CS-001", "PARK-001", "PARK-COV-1"]  # the body-worn camera has no point
    town = by_asset["CS-001"]
    assert town["geometry"] == {"type": "Point", "coordinates": [-0.7493, 51.6295]}
    expected_e, expected_n = independent_bng(-0.7493, 51.6295)
    assert town["properties"]["easting"] == pytest.approx(expected_e, abs=10)
    assert town["properties"]["northing"] == pytest.approx(expected_n, abs=10)
    assert town["properties"]["id"] == estate.town_camera
    assert town["properties"]["service_area"] == "Community Safety"


def test_exports_hold_only_what_the_user_may_see(session: Session, estate: Estate) -> None:
    manager = CameraScope(service_area_ids=frozenset({estate.parking}))
    assert [r["asset_id"] for r in csv_rows(to_csv(visible(session, manager)))] == ["PARK-001"]
    features = to_geojson(visible(session, manager))["features"]
    assert [f["properties"]["asset_id"] for f in features] == ["PARK-001"]
    assert "PARK-COV-1" not in to_csv(visible(session, CameraScope()))
    assert "Fly-tipping" not in to_geojson_text(visible(session, CameraScope()))


def test_extra_properties_are_added_per_camera(session: Session, estate: Estate) -> None:
    doc = to_geojson(visible(session, CameraScope()), extra={estate.town_camera: {"end_of_life": True}})
    props = {f["properties"]["asset_id"]: f["properties"] for f in doc["features"]}
    assert props["CS-001"]["end_of_life"] is True
    assert "end_of_life" not in props["PARK-001"]


def test_an_exported_csv_imports_into_another_register(session: Session, estate: Estate, tmp_path: Path) -> None:
    add_unplaced_camera(session, estate)
    exported = to_csv(visible(session, CameraScope())).encode()
    target = Database(f"sqlite:///{tmp_path}/other.sqlite3")
    metadata.create_all(target.engine)
    try:
        with target.session("importer") as other:
            # the same service areas, created in the other order so their ids differ
            other.add_all([ServiceArea(code="PARK", name="Parking Services"),
                           ServiceArea(code="CS", name="Community Safety")])
            other.commit()
            table = read_table("export.csv", exported)
            mapping = guess_mapping(table.headers)
            assert mapping["service_area"] == "service_area"
            plan = plan_import(other, table, mapping, ImportDefaults(), CameraScope.everything())
            assert plan.errors == []
            commit_import(other, plan, CameraScope.everything(), actor="importer")
            other.commit()
            copied = {c.asset_id: c for c in other.exec(select(Camera))}
            areas = {a.id: a.code for a in other.exec(select(ServiceArea))}
    finally:
        target.engine.dispose()
    assert sorted(copied) == ["CS-001", "CS-BWV-1", "PARK-001"]
    town = copied["CS-001"]
    assert (areas[town.service_area_id], town.kind, town.status, town.install_date) == (
        "CS", CameraKind.PUBLIC_SPACE_FIXED, CameraStatus.OPERATIONAL, date(2012, 5, 1))
    assert (town.longitude, town.latitude, town.location_text, town.town) == (-0.7493, 51.6295, "Frogmoor",
                                                                              "High Wycombe")
    assert areas[copied["PARK-001"].service_area_id] == "PARK"
    unplaced = copied["CS-BWV-1"]
    assert (unplaced.kind, unplaced.status, unplaced.longitude) == (CameraKind.BODY_WORN, CameraStatus.IN_STORAGE, None)
    assert unplaced.notes == 'Issued to wardens, "night shift"\nsecond line'


def test_export_then_import_loses_no_field_of_the_register(session: Session, estate: Estate, tmp_path: Path) -> None:
    """Every column of the register goes out and comes back: the system by name, owner, data controller, retention,
    control room, monitored flag, funding and the source reference among them."""
    from inventory.exporting import EXPORT_COLUMNS, camera_row
    from inventory.models import CameraSystem

    system = CameraSystem(name="Wycombe town centre", service_area_id=estate.community_safety)
    session.add(system)
    session.flush()
    session.add(Camera(
        asset_id="CS-FULL-1", name="Frogmoor south", service_area_id=estate.community_safety, system_id=system.id,
        kind=CameraKind.PUBLIC_SPACE_PTZ, status=CameraStatus.FAULTY, location_text="Frogmoor", town="High Wycombe",
        ward="Abbey", longitude=-0.7489, latitude=51.6291, control_room="Wycombe", proactively_monitored=True,
        retention_days=45, manufacturer="Axis", model="Q6155", install_date=date(2019, 3, 4), owner="Town Council",
        data_controller="Wycombe Town Council", funding_source=FundingSource.S106, notes="On the clock tower",
        source_ref="WY/77"))
    session.commit()
    original = next(c for c in visible(session, CameraScope.everything()) if c.asset_id == "CS-FULL-1")
    exported = to_csv([original]).encode()
    target = Database(f"sqlite:///{tmp_path}/other.sqlite3")
    metadata.create_all(target.engine)
    try:
        with target.session("importer") as other:
            other.add(ServiceArea(code="CS", name="Community Safety"))
            other.flush()
            other.add(CameraSystem(name="Wycombe town centre",
                                   service_area_id=other.exec(select(ServiceArea.id)).one()))
            other.commit()
            table = read_table("export.csv", exported)
            plan = plan_import(other, table, guess_mapping(table.headers, table), ImportDefaults(data_controller="X"),
                               CameraScope.everything())
            assert plan.errors == []
            commit_import(other, plan, CameraScope.everything(), actor="importer")
            other.commit()
            [copy] = all_matching(other, CameraScope.everything(), CameraFilter(), today=TODAY)
            copied = camera_row(copy)
    finally:
        target.engine.dispose()
    assert {name: copied[name] for name in EXPORT_COLUMNS} == {name: camera_row(original)[name]
                                                               for name in EXPORT_COLUMNS}
