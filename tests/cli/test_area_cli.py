"""`cctv area …`: the council's area set once and used by the crime import and the siting commands by default."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import select

from cctv.audit import AuditEntry
from siting.store.council_area import CouncilArea
from tests.cli.test_crimes_cli import JANUARY, counts, run
from tests.conftest import BACKENDS, build_app, database_url

# Two LSOA-like squares side by side (as a council's LSOAs would be), together the Wycombe box of the fixture.
WEST = [[-0.80, 51.60], [-0.75, 51.60], [-0.75, 51.65], [-0.80, 51.65], [-0.80, 51.60]]
EAST = [[-0.75, 51.60], [-0.70, 51.60], [-0.70, 51.65], [-0.75, 51.65], [-0.75, 51.60]]


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app with the small estate, on each backend under test."""
    app = build_app(database_url(request.param, tmp_path))
    yield app
    app.extensions["cctv_db"].engine.dispose()


@pytest.fixture
def lsoas(tmp_path: Path) -> Path:
    path = tmp_path / "wycombe-lsoas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for code, ring in (("E1", WEST), ("E2", EAST))]}))
    return path


def test_the_area_is_merged_kept_and_used_by_the_import(app: Flask, lsoas: Path) -> None:
    assert "No council area" in run(app, "area", "show").output
    result = run(app, "area", "set", str(lsoas), "--name", "Wycombe")
    assert result.exit_code == 0, result.output
    # 0.1° × 0.05° at 51.6°N: about 6.9 km × 5.6 km; the two squares merge into one part.
    assert "The council's area is now Wycombe:" in result.output and "in 1 part." in result.output
    with app.extensions["cctv_db"].session("t") as s:
        (row,) = s.exec(select(CouncilArea)).all()
        assert 36 < row.area_km2 < 40 and row.parts == 1 and row.uploaded_by == "cli"
        assert s.exec(select(AuditEntry).where(AuditEntry.table_name == "council_area")).first() is not None
    imported = run(app, "crimes", "import", JANUARY)
    assert ("5 added, 0 already imported (skipped), 1 outside the area, 2 without a location (not stored: the area "
            "cannot place them).") in imported.output
    assert "Area: Wycombe" in imported.output


def test_everywhere_keeps_every_crime_and_clear_stops_using_the_area(app: Flask, lsoas: Path) -> None:
    run(app, "area", "set", str(lsoas))
    assert "8 added" in run(app, "crimes", "import", JANUARY, "--everywhere").output
    assert counts(app) == (8, 1)
    assert run(app, "area", "clear").output.strip() == "Cleared."
    assert "No council area" in run(app, "area", "show").output


def test_a_file_that_is_not_an_area_is_refused_and_nothing_changes(app: Flask, tmp_path: Path, lsoas: Path) -> None:
    run(app, "area", "set", str(lsoas), "--name", "Wycombe")
    bad = tmp_path / "point.geojson"
    bad.write_text(json.dumps({"type": "Point", "coordinates": [0, 51]}))
    result = run(app, "area", "set", str(bad))
    assert result.exit_code != 0 and "point.geojson" in result.output and "not an area" in result.output
    assert "Wycombe" in run(app, "area", "show").output


def test_setting_the_area_after_an_import_removes_the_crimes_outside_it_and_audits_each_import(
        app: Flask, lsoas: Path) -> None:
    from siting.store.tables import CrimeImport

    run(app, "crimes", "import", JANUARY)
    assert counts(app) == (8, 1)
    result = run(app, "area", "set", str(lsoas), "--name", "Wycombe")
    assert result.exit_code == 0, result.output
    # The fixture's 8 rows, by hand: 5 inside the two squares, 1 in Barnet (-0.20, east of them), 2 without coordinates.
    assert "3 crimes imported earlier were removed (1 outside the area and 2 without a location); 5 are kept." \
        in result.output
    assert counts(app) == (5, 1)
    with app.extensions["cctv_db"].session("t") as s:
        (record,) = s.exec(select(CrimeImport)).all()
        assert (record.added, record.outside_area, record.unplaced, record.without_location) == (5, 1, 2, 0)
        assert record.area.startswith("re-filtered to Wycombe")
        changes = [e.changed() for e in s.exec(select(AuditEntry).where(
            AuditEntry.table_name == "crime_import", AuditEntry.action == "update"))]
        assert any(c.get("added") == {"before": 8, "after": 5} for c in changes)
    again = run(app, "area", "set", str(lsoas), "--name", "Wycombe")
    assert "All 5 crimes held are inside the area: none removed." in again.output


def test_keep_crimes_leaves_earlier_imports_as_they_were(app: Flask, lsoas: Path) -> None:
    run(app, "crimes", "import", JANUARY)
    result = run(app, "area", "set", str(lsoas), "--keep-crimes")
    assert result.exit_code == 0 and "removed" not in result.output
    assert counts(app) == (8, 1)


def test_setting_the_area_on_an_empty_database_says_there_is_nothing_to_refilter(app: Flask, lsoas: Path) -> None:
    assert "No crimes are held yet: nothing to re-filter." in run(app, "area", "set", str(lsoas)).output
