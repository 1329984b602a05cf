"""Counting and coverage in the database on PostGIS: the figures of `siting.model.scoring` for any area it holds.

Each function takes the model window (`sql_window`, worked out as the model does from the months held) and the harm
profile, and returns numpy arrays, one value per site, equal to the in-memory model's on the same crimes
(`tests/siting/test_postgis_sql.py` compares them on the real Hertfordshire year):

- a crime is "within r" of a point site when sqrt(dx² + dy²) ≤ r in double precision: the very test of the
  in-memory grid join and of GEOS's point distance, written out in SQL so the answer cannot differ by a rounding
  (the GiST index, through `ST_DWithin` at r + 1 m, only finds the candidates); for other geometries it is
  `ST_DWithin` itself, PostGIS's own distance;
- harm weights come from the profile by category (0 for a category it does not know), so a count of harm crimes is
  the crimes with weight > 0, as in the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from sqlalchemy import text
from sqlalchemy.engine import Connection

from siting.model.inputs import CrimeSet, Site, month_date, month_index
from siting.model.points import held_window
from siting.model.recorded_at import is_recorded_at
from siting.model.run import ModelParams
from siting.store.postgis import SRID, crime_geometry

PAD_M = 1.0  # the index search reaches this much further than r; the exact test then decides
# work_mem for the grid's aggregations (each point spread over the cells around it, then grouped by cell): at the
# default 4 MB the hash aggregate and the (then full) sort of the top-100 candidates spilled to disk (146 MB and
# 110 MB on 1.6 M crimes); with this, the top 100 of 5 tiles × 3 years took 10.3 s against 13.8 s (medians of 3,
# load 3-4).
# Only what a query needs is taken, so a council's small grid uses no more than before.
GRID_WORK_MEM = "256MB"
_GRID_MEMORY_SET = "cctv_grid_memory_transaction"  # connection.info: the transaction that already has it


class NoCrimes(ValueError):
    """No crimes are stored, so there is no window."""


class NoPostgis(RuntimeError):
    """The database has no PostGIS point on its crimes: use the in-memory model."""


@dataclass(frozen=True)
class SqlWindow:
    """The model window in the database's terms: first and last month (inclusive) and the harm weights."""

    first: date
    last: date
    years: int
    categories: tuple[str, ...]
    weights: tuple[float, ...]  # one per category, from the profile
    recorded_at: tuple[str, ...]  # location labels where crimes are recorded rather than committed

    def params(self) -> dict[str, object]:
        """The bound parameters every query of the window takes."""
        return {"first": self.first, "last": self.last, "cats": list(self.categories), "weights": list(self.weights),
                "recorded": list(self.recorded_at)}


def schema(connection: Connection) -> str:
    """The PostGIS schema, or NoPostgis."""
    found = crime_geometry(connection)
    if found is None:
        raise NoPostgis("the crimes carry no PostGIS point: this database has no PostGIS (see siting.store.postgis)")
    return found


def sql_window(connection: Connection, params: ModelParams, *, labels: bool = False) -> SqlWindow:
    """The window `siting.model.points.window_points` would use for these parameters on the stored crimes: ending at
    the given month or the latest held, `window_months` long or the months held (`held_window`). With `labels`,
    the window's recorded-at labels too (a scan of its crimes: only best catchments need them)."""
    months = [month_index(m) for m in connection.execute(text("SELECT DISTINCT month FROM crime")).scalars()]
    if not months:
        raise NoCrimes("no crimes have been imported: import police.uk street-level files first")
    end = month_index(params.end_month) if params.end_month else max(months)
    length = params.window_months or held_window(np.array(months, dtype=np.int64), end)
    first, last = month_date(end - length + 1), month_date(end)
    found = connection.execute(text(
        "SELECT 'category', category FROM (SELECT DISTINCT category FROM crime WHERE month BETWEEN :first AND :last) "
        "AS c UNION ALL SELECT 'label', location FROM (SELECT DISTINCT location FROM crime "
        "WHERE :labels AND month BETWEEN :first AND :last) AS l"), {"first": first, "last": last, "labels": labels})
    values: dict[str, list[str]] = {"category": [], "label": []}
    for kind, value in found:
        values[kind].append(value)
    categories = tuple(sorted(values["category"]))
    weights = tuple(float(w) for w in params.profile.weights_for(categories))
    recorded = tuple(sorted(label for label in values["label"] if label and is_recorded_at(label)))
    return SqlWindow(first, last, length // 12, categories, weights, recorded)


def grid_memory(connection: Connection) -> None:
    """`GRID_WORK_MEM` for the rest of the caller's transaction (`set_config(…, true)`, i.e. `SET LOCAL`), asked
    once a transaction: the hotspot layer runs the grid and the proposals in one, and its page has a statement
    budget. Not put back after: the transaction ends with the request or command, and only what a query needs is
    taken."""
    transaction = connection.get_transaction()
    if transaction is not None and connection.info.get(_GRID_MEMORY_SET) is transaction:
        return
    connection.execute(text("SELECT set_config('work_mem', :memory, true)"), {"memory": GRID_WORK_MEM})
    connection.info[_GRID_MEMORY_SET] = transaction


def window_crimes(postgis: str) -> str:
    """The window's located crimes with their harm weight `w` and whether they are recorded-at (`recorded`)."""
    return ("SELECT c.easting AS e, c.northing AS n, c.geom AS g, coalesce(hw.weight, 0) AS w, "
            "c.location = ANY(CAST(:recorded AS text[])) AS recorded FROM crime c "
            "LEFT JOIN unnest(CAST(:cats AS text[]), CAST(:weights AS float8[])) AS hw(category, weight) "
            "ON hw.category = c.category "
            "WHERE c.month BETWEEN :first AND :last AND c.geom IS NOT NULL")


def _within(postgis: str, crime: str, place: str) -> str:
    """SQL true when the crime row `crime` is within :r of the geometry row `place` (see the module)."""
    return (f"{postgis}.ST_DWithin({crime}.g, {place}.g, :reach) AND CASE WHEN {place}.is_point THEN "
            f"sqrt(({crime}.e - {place}.x) * ({crime}.e - {place}.x) "
            f"+ ({crime}.n - {place}.y) * ({crime}.n - {place}.y)) <= :r "
            f"ELSE {postgis}.ST_DWithin({crime}.g, {place}.g, :r) END")


def _places(postgis: str, name: str, param: str) -> str:
    """A CTE of geometries given as WKB: their 1-based order `i`, the geometry, and x/y when a point."""
    return (f"{name} AS (SELECT i, g, {postgis}.GeometryType(g) = 'POINT' AS is_point, "
            f"{postgis}.ST_X(CASE WHEN {postgis}.GeometryType(g) = 'POINT' THEN g END) AS x, "
            f"{postgis}.ST_Y(CASE WHEN {postgis}.GeometryType(g) = 'POINT' THEN g END) AS y FROM ("
            f"SELECT i, {postgis}.ST_SetSRID({postgis}.ST_GeomFromWKB(wkb), {SRID}) AS g "
            f"FROM unnest(CAST(:{param} AS bytea[])) WITH ORDINALITY AS t(wkb, i)) AS given)")


@dataclass(frozen=True)
class SiteCounts:
    """Per site, in the order given: crimes, harm crimes (weight > 0), harm, and the harm within r of an existing
    camera (`covered_harm`, as `SiteResult.covered_harm`)."""

    crimes: NDArray[np.int64]
    harm_crimes: NDArray[np.int64]
    harm: NDArray[np.float64]
    covered_harm: NDArray[np.float64]


def site_counts(connection: Connection, sites: Sequence[Site | shapely.Geometry], params: ModelParams,
                cameras: ArrayLike | None = None, window: SqlWindow | None = None) -> SiteCounts:
    """The window's crimes and harm within r of each site, and the part of that harm an existing camera (rows of
    easting, northing) already sees."""
    postgis = schema(connection)
    window = window or sql_window(connection, params)
    geometries = [s.geometry if isinstance(s, Site) else s for s in sites]
    n = len(geometries)
    result = SiteCounts(np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n), np.zeros(n))
    if not n:
        return result
    cams = np.asarray(cameras if cameras is not None else np.empty((0, 2)), dtype=np.float64).reshape(-1, 2)
    camera_wkb = [shapely.to_wkb(p) for p in shapely.points(cams)] if len(cams) else []
    query = (f"WITH {_places(postgis, 'site', 'sites')}, {_places(postgis, 'camera', 'cameras')}, "
             f"crimes AS ({window_crimes(postgis)}) "
             f"SELECT site.i, count(*), count(*) FILTER (WHERE crimes.w > 0), sum(crimes.w), "
             f"coalesce(sum(crimes.w) FILTER (WHERE EXISTS (SELECT 1 FROM camera WHERE "
             f"{_within(postgis, 'crimes', 'camera')})), 0) "
             f"FROM site JOIN crimes ON {_within(postgis, 'crimes', 'site')} GROUP BY site.i")
    bound = {**window.params(), "recorded": [], "r": float(params.radius_m), "reach": float(params.radius_m) + PAD_M,
             "sites": [shapely.to_wkb(g) for g in geometries], "cameras": camera_wkb}
    for i, crimes, harm_crimes, harm, covered in connection.execute(text(query), bound):
        result.crimes[i - 1], result.harm_crimes[i - 1] = crimes, harm_crimes
        result.harm[i - 1], result.covered_harm[i - 1] = harm, covered
    return result


def crimes_near(connection: Connection, points_xy: ArrayLike, reach_m: float, window: SqlWindow) -> CrimeSet:
    """The window's crimes within `reach_m` of any of the points (rows of easting, northing), as a `CrimeSet` with
    their location labels and LSOAs: what naming a few proposed sites needs, read by the GiST index instead of
    reading every crime."""
    postgis = schema(connection)
    xy = np.asarray(points_xy, dtype=np.float64).reshape(-1, 2)
    query = (f"SELECT easting, northing, month, category, location, lsoa_code, lsoa_name FROM crime "
             f"WHERE month BETWEEN :first AND :last AND {postgis}.ST_DWithin(geom, {postgis}.ST_SetSRID("
             f"{postgis}.ST_Collect(ARRAY(SELECT {postgis}.ST_MakePoint(x, y) FROM unnest(CAST(:xs AS float8[]), "
             f"CAST(:ys AS float8[])) AS p(x, y))), {SRID}), :reach) ORDER BY id")
    rows = connection.execute(text(query), {"first": window.first, "last": window.last, "reach": float(reach_m),
                                            "xs": xy[:, 0].tolist(), "ys": xy[:, 1].tolist()}).all() if len(xy) else []
    if not rows:
        return CrimeSet.from_columns([], [], np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32), ())
    easting, northing, months, names, labels, codes, lsoa_names = zip(*rows, strict=True)
    categories, category = _codes(names)
    locations, location = _codes([label or "" for label in labels])
    lsoas, lsoa = _codes([(c or "", n or "") for c, n in zip(codes, lsoa_names, strict=True)])
    crimes = CrimeSet.from_columns(np.array(easting, dtype=np.float64), np.array(northing, dtype=np.float64),
                                   np.array([month_index(m) for m in months], dtype=np.int64), category, categories)
    return replace(crimes, location=location, locations=locations, lsoa=lsoa, lsoas=lsoas)


def _codes(values: Sequence) -> tuple[tuple, NDArray[np.int32]]:
    """The distinct values, sorted, and each value's index among them."""
    distinct = tuple(sorted(set(values)))
    lookup = {value: i for i, value in enumerate(distinct)}
    return distinct, np.array([lookup[v] for v in values], dtype=np.int32)
