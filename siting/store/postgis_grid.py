"""The hotspot grid in the database on PostGIS: harm per occupied cell, and the quartic kernel-density surface.

`siting.model.hotspots.hotspot_surface` holds a dense grid in memory (at most 25 million cells, a county); England
and Wales at 50 m is 150 million. Here the database sums the window's harm per unique snap point, spreads each
point's harm over the cells within one bandwidth (the same cells, kernel and arithmetic as the in-memory surface:
cells aligned to multiples of the cell size in National Grid metres, K(d) = 3 / (π h²) · (1 − d²/h²)², harm per km²),
and returns only the cells with density: the answer is as sparse as the crimes. Densities equal the in-memory
surface's up to the order of floating-point summation (within 1e-12 of the densest cell); counts and harm per cell
are exact.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import text
from sqlalchemy.engine import Connection

from siting.model.run import ModelParams
from siting.store.postgis_sql import SqlWindow, grid_memory, schema, sql_window, window_crimes


def occupied_cells(connection: Connection, params: ModelParams, *, cell_m: float = 50.0,
                   window: SqlWindow | None = None) -> tuple[NDArray[np.int64], NDArray[np.int64],
                                                             NDArray[np.int64], NDArray[np.float64]]:
    """(column, row, crimes, harm) of every cell holding a located crime of the window; cell (column, row) spans
    [column·cell, (column+1)·cell) × [row·cell, (row+1)·cell) in National Grid metres. Sorted by row, then column."""
    postgis = schema(connection)
    window = window or sql_window(connection, params)
    query = (f"SELECT floor(e / :cell)::bigint AS col, floor(n / :cell)::bigint AS row, count(*), sum(w) "
             f"FROM ({window_crimes(postgis)}) AS crimes GROUP BY 1, 2 ORDER BY 2, 1")
    rows = connection.execute(text(query), {**window.params(), "recorded": [], "cell": float(cell_m)}).all()
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    col, row, crimes, harm = zip(*rows, strict=True)
    return (np.array(col, np.int64), np.array(row, np.int64), np.array(crimes, np.int64),
            np.array(harm, np.float64))


def hotspot_cells(connection: Connection, params: ModelParams, *, cell_m: float = 50.0, bandwidth_m: float = 150.0,
                  bounds: tuple[float, float, float, float] | None = None, limit: int | None = None,
                  window: SqlWindow | None = None
                  ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """(easting, northing, density) of the cell centres with density > 0 of the window's harm surface, densest
    first (ties by row, then column), at most `limit` of them; with `bounds` (min e, min n, max e, max n), only the
    cells of the grid `hotspot_surface` lays over those bounds."""
    if cell_m <= 0 or bandwidth_m <= 0:
        raise ValueError("cell size and bandwidth must be positive")
    postgis = schema(connection)
    window = window or sql_window(connection, params)
    reach = math.ceil(bandwidth_m / cell_m) + 1
    # The in-memory surface's own arithmetic: offsets around the point's cell, distance to each cell centre, the
    # kernel times the point's harm, summed per cell, in harm per m² (× 1e6 for km² after summing, as there).
    query = (
        f"WITH point AS (SELECT e, n, sum(w) AS w FROM ({window_crimes(postgis)}) AS crimes "
        f"WHERE w <> 0 GROUP BY e, n HAVING sum(w) <> 0), "
        "offsets AS (SELECT dc, dr FROM generate_series(-CAST(:reach AS int), CAST(:reach AS int)) AS dc, "
        "generate_series(-CAST(:reach AS int), CAST(:reach AS int)) AS dr), "
        f"spread AS (SELECT col, row, w, dx * dx + dy * dy AS d2m FROM ("
        f"  SELECT floor(point.e / :cell)::bigint + dc AS col, floor(point.n / :cell)::bigint + dr AS row, point.w, "
        f"  (floor(point.e / :cell) + dc + 0.5) * :cell - point.e AS dx, "
        f"  (floor(point.n / :cell) + dr + 0.5) * :cell - point.n AS dy FROM point CROSS JOIN offsets) AS near), "
        f"density AS (SELECT col, row, sum(:k * ((1 - d2m / :h2) * (1 - d2m / :h2)) * w) AS value FROM spread "
        f"WHERE d2m / :h2 < 1 GROUP BY col, row) "
        f"SELECT (col + 0.5) * :cell, (row + 0.5) * :cell, value * 1e6 FROM density WHERE value > 0 "
        f"ORDER BY value DESC, row, col" + (" LIMIT :limit" if limit is not None else ""))
    h2 = float(bandwidth_m) * float(bandwidth_m)
    bound = {**window.params(), "recorded": [], "cell": float(cell_m), "reach": reach, "h2": h2,
             "k": 3.0 / (math.pi * h2), "limit": limit}
    where = "value > 0"
    if bounds is not None:
        first_col, first_row = math.floor(bounds[0] / cell_m), math.floor(bounds[1] / cell_m)
        cols = max(1, math.ceil((bounds[2] - first_col * cell_m) / cell_m))
        rows_ = max(1, math.ceil((bounds[3] - first_row * cell_m) / cell_m))
        where += (f" AND col BETWEEN {first_col} AND {first_col + cols - 1} "
                  f"AND row BETWEEN {first_row} AND {first_row + rows_ - 1}")
    query = query.replace("WHERE value > 0", f"WHERE {where}")
    grid_memory(connection)
    rows = connection.execute(text(query), bound).all()
    if not rows:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    easting, northing, density = (np.array(column, dtype=np.float64) for column in zip(*rows, strict=True))
    return easting, northing, density
