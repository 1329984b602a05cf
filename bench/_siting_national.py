"""Part (d) of bench/siting.py: synthetic England and Wales on PostGIS — import, hotspots and the top 100 sites.

The real Hertfordshire year (police.uk, 12 files, 108,638 rows) is read once by the project's own reader and
projected once; then copies of it are tiled over England and Wales (`TILES` tiles of the county's extent, offset in
easting/northing, longitude/latitude recomputed from the offset National Grid position) and over three years (the
months shifted back 12 and 24), each copy's keys suffixed so that every row is new: about 18 million crimes.

Stages, each timed (wall clock, on a machine shared with other work, so the load is printed beside them):
- import: every copy through one `siting.store.pg_copy.CrimeCopy`, the importer's own PostgreSQL writer, as one
  import of all the forces' files would be (binary COPY straight into `crime`, the PostGIS point generated; a load
  this large against what is stored goes in without the indexes, unique key and foreign key, built after it, the
  repeats against the stored keys found then), committed; the CSV parsing of the copies is not repeated (it is the
  same 12 files' parsing, measured in part (c));
- hotspots: the 3-year high-harm surface's 3,000 densest 50 m cells, kernel density in SQL
  (`siting.store.postgis_grid.hotspot_cells`) over the whole country;
- top 100: the model's 100 proposed sites (`siting.store.postgis_best.best_catchments_sql`), in SQL.
Peak memory: this process's peak RSS (`ru_maxrss`) and the PostgreSQL backend's (`VmHWM`, when readable).
Also checked: the in-memory path refuses the national data cleanly with the PostGIS advice
(`siting.store.capacity.check_fits` at the default setting), before reading anything.

Default run: one copy (one tile, one year: the real year itself) through the same stages. `--full`: all of them.
The database is CCTV_BENCH_DATABASE_URL or CCTV_TEST_DATABASE_URL (PostgreSQL with PostGIS); its public schema is
dropped and migrated afresh.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

# Run as `python bench/_siting_national.py`, bench/ is on the path and bench/inventory.py would shadow the package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import numpy as np  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench._common import empty_postgres  # noqa: E402
from cctv.db import Database, normalise_url  # noqa: E402
from cctv.migrate import upgrade  # noqa: E402
from siting.geometry import to_bng, to_wgs84  # noqa: E402
from siting.model.inputs import month_date, month_index  # noqa: E402
from siting.model.run import ModelParams  # noqa: E402
from siting.sources.police import RECORD_FIELDS, read_crime_rows  # noqa: E402
from siting.store import capacity, postgis  # noqa: E402
from siting.store.pg_copy import CrimeCopy  # noqa: E402
from siting.store.postgis_best import best_catchments_sql  # noqa: E402
from siting.store.postgis_grid import hotspot_cells  # noqa: E402
from siting.store.tables import CrimeImport  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "police-uk-hertfordshire-2025"
TILE_STEP = (60_000.0, 65_000.0)  # the county's extent, so copies do not overlap
TILE_ORIGIN = (-360_000.0, -170_000.0)  # moves the county's copy (0, 0) to the south-west of England
TILE_COLUMNS = 8
TILES = 55  # × 3 years × 108,638 rows ≈ 17.9 M crimes
YEARS = 3
LIMIT_S, LIMIT_MB = 600.0, 2048.0
_F = {name: RECORD_FIELDS.index(name) for name in ("dedup_key", "crime_id", "month", "category", "longitude",
                                                   "latitude", "location", "lsoa_code", "lsoa_name", "outcome",
                                                   "falls_within", "source")}


def _base() -> tuple[list[tuple], np.ndarray, np.ndarray]:
    """The real year's rows as the reader gives them, with their National Grid positions (NaN when unlocated)."""
    rows = list(read_crime_rows(*sorted(DATA.glob("*-street.csv"))))
    lon = np.array([np.nan if r[_F["longitude"]] is None else r[_F["longitude"]] for r in rows], dtype=np.float64)
    lat = np.array([np.nan if r[_F["latitude"]] is None else r[_F["latitude"]] for r in rows], dtype=np.float64)
    easting, northing = to_bng(lon, lat)
    return rows, easting, northing


def _copy_rows(rows: list[tuple], easting: np.ndarray, northing: np.ndarray, tile: int, year: int,
               import_id: int) -> list[tuple]:
    """One copy: offset to tile `tile` and back `year` years, every key made new."""
    dx = TILE_ORIGIN[0] + (tile % TILE_COLUMNS) * TILE_STEP[0] if tile else 0.0
    dy = TILE_ORIGIN[1] + (tile // TILE_COLUMNS) * TILE_STEP[1] if tile else 0.0
    e, n = easting + dx, northing + dy
    lon, lat = to_wgs84(e, n)
    located = np.isfinite(e)
    east = np.where(located, e, None).tolist()
    north = np.where(located, n, None).tolist()
    lons = np.where(located, lon, None).tolist()
    lats = np.where(located, lat, None).tolist()
    months = {m: month_date(month_index(m) - 12 * year) for m in {r[_F["month"]] for r in rows}}
    suffix = f"|{tile}|{year}" if tile or year else ""
    f = _F
    return [(r[f["dedup_key"]] + suffix, r[f["crime_id"]], months[r[f["month"]]], r[f["category"]], x, y, ee, nn,
             r[f["location"]], r[f["lsoa_code"]], r[f["lsoa_name"]], r[f["outcome"]], r[f["falls_within"]],
             r[f["source"]], import_id)
            for r, x, y, ee, nn in zip(rows, lons, lats, east, north, strict=True)]


def _backend_peak_mb(connection) -> float | None:
    pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _fresh(url: str) -> Database:
    """The scratch database emptied and migrated afresh."""
    empty_postgres(url)
    upgrade(url)
    return Database(url)


def run(full: bool, tiles: int | None = None) -> dict:
    """Import, hotspots and the top 100 on PostGIS; the figures and targets (see the module). `tiles` runs fewer
    copies than the nation's (`--tiles N`, to measure a part of it); its figures are then not the target's."""
    url = os.environ.get("CCTV_BENCH_DATABASE_URL") or os.environ.get("CCTV_TEST_DATABASE_URL")
    years = YEARS if full else 1
    partial = tiles is not None and tiles < TILES
    tiles = tiles if tiles is not None else (TILES if full else 1)
    print(f"national (PostGIS): {tiles} tile(s) × {years} year(s) of the real Hertfordshire year; "
          f"load {os.getloadavg()[0]:.1f}")
    refusal = _refusal(tiles * years * 108_638 if full else TILES * YEARS * 108_638)
    if not url or not url.startswith("postgresql"):
        print("  no PostgreSQL database (CCTV_BENCH_DATABASE_URL): the PostGIS stages were not run")
        return {"targets": {"in-memory refusal": refusal}, "measured": False}
    url = normalise_url(url)
    database = _fresh(url)
    started = time.perf_counter()
    rows, easting, northing = _base()
    read_s = time.perf_counter() - started
    stages: dict[str, float] = {}
    with database.session("bench") as session:  # the import record every copied crime points at
        record = CrimeImport(imported_by="bench", files_json=json.dumps(["synthetic national copies"]))
        session.add(record)
        session.commit()
        import_id = record.id
    with database.engine.connect() as connection:
        if postgis.crime_geometry(connection) is None:
            print("  this PostgreSQL server has no PostGIS: the PostGIS stages were not run")
            return {"targets": {"in-memory refusal": refusal}, "measured": False}
        t = time.perf_counter()
        # One import of every copy, as `cctv crimes import` of all the forces' files would be: the writer told how
        # many rows to expect, as the importer tells it from the files' sizes.
        writer = CrimeCopy(connection, expected_rows=tiles * years * len(rows))
        for tile in range(tiles):
            for year in range(years):
                writer.run(_copy_rows(rows, easting, northing, tile, year, import_id))
        finishing = time.perf_counter()
        writer.finish()
        finish_s = time.perf_counter() - finishing
        connection.commit()
        stages["import"] = time.perf_counter() - t
        stored = connection.execute(text("SELECT count(*) FROM crime")).scalar()
        built = "the indexes built" if writer.deferred else "no index to build: kept"
        print(f"  import: {stored:,} crimes in {stages['import']:.1f} s, of which {finish_s:.1f} s finishing (the last "
              f"buffer, {built}, ANALYZE); + {read_s:.1f} s reading the real files once; load {os.getloadavg()[0]:.1f}")
        params = ModelParams()
        t = time.perf_counter()
        cells = hotspot_cells(connection, params, limit=3000)
        stages["hotspots"] = time.perf_counter() - t
        print(f"  hotspots: the {len(cells[0]):,} densest 50 m cells of the {years * 12}-month surface in "
              f"{stages['hotspots']:.1f} s; load {os.getloadavg()[0]:.1f}")
        t = time.perf_counter()
        top = best_catchments_sql(connection, params, k=100)
        stages["top 100"] = time.perf_counter() - t
        print(f"  top 100: {len(top)} proposed sites in {stages['top 100']:.1f} s (best {top[0].harm:.0f} harm "
              f"within {params.radius_m:g} m); load {os.getloadavg()[0]:.1f}")
        server_mb = _backend_peak_mb(connection)
    database.engine.dispose()
    total = sum(stages.values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  total {total:.1f} s (limit {LIMIT_S:.0f} s); peak RSS {peak_mb:,.0f} MB (limit {LIMIT_MB:,.0f} MB); "
          f"PostgreSQL backend peak {server_mb if server_mb is None else f'{server_mb:,.0f} MB'}")
    name = ("England & Wales 3 years on PostGIS" if full and not partial else
            f"{tiles} tile(s) × {years} year(s) on PostGIS (not the national target)")
    targets = {
        f"{name}: import + hotspots + top 100 (s)": {"figure": round(total, 1), "target": LIMIT_S,
                                                       "met": total <= LIMIT_S and len(top) == 100},
        f"{name}: peak memory (MB)": {"figure": round(peak_mb), "target": LIMIT_MB, "met": peak_mb <= LIMIT_MB},
        "in-memory refusal": refusal,
    }
    return {"targets": targets, "crimes": stored, "stages_s": {k: round(v, 1) for k, v in stages.items()},
            "server_peak_mb": server_mb, "measured": True}


def _refusal(rows: int) -> dict:
    """The in-memory path at the default setting, asked to model the national data: refused with the advice."""
    try:
        capacity.check_fits(rows, memory_mb=capacity.DEFAULT_MEMORY_MB)
    except capacity.TooLargeForMemory as exc:
        message = str(exc)
        ok = capacity.SETTING in message and "PostGIS" in message
        print(f"  in-memory path at {rows:,} crimes: refused ({message[:90]}…)")
        return {"figure": "refused", "target": "refused, naming the setting and PostGIS", "met": ok}
    print(f"  in-memory path at {rows:,} crimes: NOT refused")
    return {"figure": "not refused", "target": "refused, naming the setting and PostGIS", "met": False}


if __name__ == "__main__":
    arguments = sys.argv[1:]
    result = run("--full" in arguments, int(arguments[arguments.index("--tiles") + 1]) if "--tiles" in arguments
                 else None)
    result["met"] = all(t["met"] for t in result["targets"].values())
    print(json.dumps(result, default=str))
