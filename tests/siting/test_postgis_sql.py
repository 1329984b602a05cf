"""PostGIS (siting/store/postgis*.py): the crimes' point is filled by every insert path, and counting, coverage, the
hotspot grid and the proposed sites computed in SQL equal the in-memory model's answers on the real Hertfordshire
year. Skipped on SQLite and on a PostgreSQL server without PostGIS, where the in-memory path is the only one."""

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import shapely
from sqlalchemy import text
from sqlmodel import Session

from cctv.db import Database
from siting import planning
from siting.model.catchments import best_catchments
from siting.model.hotspots import harm_surface
from siting.model.inputs import Site
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from siting.store import bulk, pg_copy, postgis_best
from siting.store.council_area import set_council_area
from siting.store.crimes import import_crimes
from siting.store.postgis import crime_geometry
from siting.store.postgis_best import best_catchments_sql
from siting.store.postgis_grid import hotspot_cells, occupied_cells
from siting.store.postgis_sql import site_counts
from siting.store.reading import load_crimes
from siting.store.tables import Crime, CrimeImport

HERTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "police-uk-hertfordshire-2025"


@pytest.fixture
def pg_session(database: Database) -> Session:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("PostGIS is PostgreSQL's")
    with database.session("tester") as session:
        if crime_geometry(session.connection()) is None:
            pytest.skip("this PostgreSQL server has no PostGIS")
        yield session


def _point(session: Session, key: str) -> tuple:
    return session.connection().execute(text(
        "SELECT postgis.ST_X(geom), postgis.ST_Y(geom), postgis.ST_SRID(geom) FROM crime WHERE dedup_key = :k"),
        {"k": key}).one()


def test_every_insert_path_fills_the_point(pg_session: Session) -> None:
    record = CrimeImport(imported_by="tester")
    pg_session.add(record)
    pg_session.flush()
    pg_session.add(Crime(dedup_key="orm", month=date(2025, 1, 1), category="Burglary", easting=512345.25,
                         northing=212345.5, import_id=record.id))
    pg_session.add(Crime(dedup_key="unlocated", month=date(2025, 1, 1), category="Burglary", import_id=record.id))
    pg_session.flush()
    connection = pg_session.connection()
    row = ("many", None, date(2025, 1, 1), "Robbery", -0.2, 51.7, 520000.0, 210000.0, "", "", "", "", "", "f",
           record.id)
    insert = bulk.CrimeInsert(connection)
    insert.run([row])
    copy = pg_copy.CrimeCopy(connection)
    copy.run([("copied", *row[1:6], 530000.5, 220000.75, *row[8:])])
    copy.finish()
    assert _point(pg_session, "orm") == (512345.25, 212345.5, 27700)
    assert _point(pg_session, "many") == (520000.0, 210000.0, 27700)
    assert _point(pg_session, "copied") == (530000.5, 220000.75, 27700)
    assert _point(pg_session, "unlocated") == (None, None, None)
    kind = connection.execute(text("SELECT am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                   "JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'ix_crime_geom'")).scalar()
    assert kind == "gist"


@pytest.mark.skipif(not HERTS.is_dir(), reason="the real Hertfordshire year is not here")
def test_sql_answers_equal_the_in_memory_model_on_a_real_year(pg_session: Session) -> None:
    import_crimes(pg_session, sorted(HERTS.glob("*-street.csv")), actor="tester")
    pg_session.commit()
    connection = pg_session.connection()
    crimes = load_crimes(pg_session)
    params = ModelParams()
    located = crimes.located

    # Every occupied 50 m cell's centre as a candidate site, and one polygon; 40 existing cameras at crimes.
    cells = np.unique(np.column_stack([np.floor(crimes.easting[located] / 50),
                                       np.floor(crimes.northing[located] / 50)]), axis=0)
    centres = (cells + 0.5) * 50
    sites = [Site.at(f"c{i}", x, y) for i, (x, y) in enumerate(centres)]
    sites.append(Site("poly", shapely.box(*centres[0], *(centres[0] + 400))))
    cameras = np.column_stack([crimes.easting[located][::2700], crimes.northing[located][::2700]])
    run = score_sites(crimes, sites, cameras, params)
    found = site_counts(connection, sites, params, cameras)
    assert len(sites) > 10_000 and found.crimes.sum() > 0 and found.covered_harm.sum() > 0
    assert found.crimes.tolist() == [r.crimes for r in run.results]
    assert found.harm_crimes.tolist() == [r.harm_crimes for r in run.results]
    assert found.harm.tolist() == [r.harm for r in run.results]
    assert found.covered_harm.tolist() == [r.covered_harm for r in run.results]

    # The grid: crimes and harm per occupied cell, against numpy on the crimes read back.
    col, row, counts, harm = occupied_cells(connection, params)
    key = np.floor(crimes.easting[located] / 50).astype(np.int64) * 10**7 + np.floor(
        crimes.northing[located] / 50).astype(np.int64)
    weights = params.profile.weights_for(crimes.categories)[crimes.category[located]]
    expected, inverse = np.unique(key, return_inverse=True)
    assert sorted((col * 10**7 + row).tolist()) == expected.tolist()
    by_key = dict(zip((col * 10**7 + row).tolist(), zip(counts.tolist(), harm.tolist(), strict=True), strict=True))
    assert [by_key[k] for k in expected.tolist()] == list(zip(np.bincount(inverse).tolist(),
                                                             np.bincount(inverse, weights=weights).tolist(),
                                                             strict=True))

    # The hotspot surface: the same cells, densities equal up to summation order.
    herts = (480_000.0, 180_000.0, 560_000.0, 250_000.0)  # the county: a few stray crimes lie far outside it
    surface = harm_surface(crimes, params, bounds=herts)
    x, y, density = surface.cells()
    sx, sy, sd = hotspot_cells(connection, params, bounds=herts)
    memory = {(round(a, 3), round(b, 3)): d for a, b, d in zip(x, y, density, strict=True) if d > 1e-9}
    sql = {(round(a, 3), round(b, 3)): d for a, b, d in zip(sx, sy, sd, strict=True) if d > 1e-9}
    assert len(memory) > 10_000 and memory.keys() == sql.keys()
    np.testing.assert_allclose([sql[k] for k in memory], list(memory.values()), rtol=1e-12,
                               atol=1e-12 * max(memory.values()))
    assert hotspot_cells(connection, params, bounds=herts, limit=5)[2].tolist() == sorted(sd, reverse=True)[:5]

    # The proposed sites, with and without an area.
    best = best_catchments(crimes, params, k=25)
    assert best_catchments_sql(connection, params, k=25) == best
    area = shapely.box(510_000, 200_000, 530_000, 220_000)
    assert best_catchments_sql(connection, params, k=8, area=area) == best_catchments(crimes, params, k=8, area=area)
    # The same when the greedy reads past the first nodes sorted, into the next sorts (7, 28, 112, … nodes).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(postgis_best, "FIRST_NODES", 7)
        patch.setattr(postgis_best, "PAGE", 3)
        assert best_catchments_sql(connection, params, k=25) == best


@pytest.mark.skipif(not HERTS.is_dir(), reason="the real Hertfordshire year is not here")
def test_the_map_layer_on_postgis_equals_the_in_memory_one(pg_session: Session,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for month in ("2025-06", "2025-07", "2025-08"):
        import_crimes(pg_session, HERTS / f"{month}-hertfordshire-street.csv", actor="tester")
    # A council area (the county's box): the in-memory surface needs one, as a few crimes lie far outside it.
    box = [[-0.75, 51.6], [0.2, 51.6], [0.2, 52.1], [-0.75, 52.1], [-0.75, 51.6]]
    set_council_area(pg_session, json.dumps({"type": "Polygon", "coordinates": [box]}), name="Herts",
                     actor="tester")
    pg_session.commit()
    params = ModelParams()
    in_sql = planning.hotspot_layer(pg_session, params, max_cells=500, peaks=10)
    monkeypatch.setattr(planning, "crime_geometry", lambda connection: None)
    in_memory = planning.hotspot_layer(pg_session, params, max_cells=500, peaks=10)
    peaks = [f["properties"] for f in in_sql["features"] if f["properties"]["kind"] == "peak"]
    assert len(peaks) == 10 and peaks == [f["properties"] for f in in_memory["features"]
                                          if f["properties"]["kind"] == "peak"]
    assert len(in_sql["features"]) == len(in_memory["features"]) == 510
    np.testing.assert_allclose(_coordinates(in_sql), _coordinates(in_memory), rtol=0, atol=1e-9)
    cells = [(f["properties"]["density"], g["properties"]["density"]) for f, g in
             zip(in_sql["features"], in_memory["features"], strict=True) if f["properties"]["kind"] == "cell"]
    assert all(abs(a - b) <= 0.01 for a, b in cells)  # rounded to 2 places from densities equal to 1e-12
    assert in_sql["max_density"] == pytest.approx(in_memory["max_density"], rel=1e-12)


def _coordinates(layer: dict) -> np.ndarray:
    return np.concatenate([np.asarray(f["geometry"]["coordinates"], dtype=np.float64).ravel()
                           for f in layer["features"]])
