"""The model's proposed sites (`siting.model.catchments.best_catchments`) worked out in the database on PostGIS.

The in-memory proposal scores every node of a 25 m grid within reach of the window's street harm by the harm within
r of it (and within r/2 and r/4, the tie-breaks), then keeps the best greedily by the harm no earlier pick sees, each
at least 2r from those kept. Here the database enumerates the same (point, node) pairs, for each street-harm snap
point the nodes of the same disc of offsets around its nearest node, keeps the pairs with sqrt(dx² + dy²) ≤ r (the
in-memory test, written out) and sums per node; the nodes are then read best first, and the same lazy greedy runs
on them, with the street points (police.uk's snap points, a few hundred thousand for a country) read once for the
gains. The greedy reads few of the nodes (the best few tens of thousands for 100 sites), so the database sorts only
the best `FIRST_NODES` (a top-N sort, where ordering every node of 1.6 M crimes spilled 110 MB to disk and took a
quarter of the time), and the next ones, four times as many each time, only if the greedy reads past them: one
order throughout (ties broken by the node), so the pages join up exactly. Memory follows the snap points and the
nodes read, not the crimes. The answer is the in-memory one: the same
candidates, scores, tie order (score, r/2, r/4, then the node's easting and northing) and gains
(`tests/siting/test_postgis_sql.py` compares them on the real Hertfordshire year).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator

import numpy as np
import shapely
from sqlalchemy import text
from sqlalchemy.engine import Connection

from siting.model.catchments import DEFAULT_STEP_M, Catchment
from siting.model.run import ModelParams
from siting.store.postgis_sql import PAD_M, SqlWindow, grid_memory, schema, sql_window, window_crimes

PAGE = 20_000  # candidate nodes the greedy takes at a time
FIRST_NODES = 100_000  # candidate nodes sorted and read at first; more only when the greedy reads past them


def _street_points(postgis: str) -> str:
    """Unique points of the window with their street harm (recorded-at crimes left out), harm > 0."""
    return (f"SELECT e, n, sum(w) AS w FROM ({window_crimes(postgis)}) AS crimes "
            f"WHERE w <> 0 AND NOT coalesce(recorded, false) GROUP BY e, n HAVING sum(w) > 0")


def _candidates(postgis: str) -> str:
    span = "CAST(:span AS int)"
    return (
        f"WITH point AS ({_street_points(postgis)}), "
        f"disc AS (SELECT dx, dy FROM generate_series(-{span}, {span}) AS dx, generate_series(-{span}, {span}) AS dy "
        f"WHERE dx * dx + dy * dy <= ({span} + 1) * ({span} + 1)), "
        f"pair AS (SELECT col, row, w, sqrt((col * :step - e) * (col * :step - e) + (row * :step - n) * "
        f"(row * :step - n)) AS d FROM (SELECT round(point.e / :step) + dx AS col, round(point.n / :step) + dy AS row, "
        f"point.e AS e, point.n AS n, point.w AS w FROM point CROSS JOIN disc) AS near) "
        f"SELECT col * :step AS x, row * :step AS y, sum(w) AS score, coalesce(sum(w) FILTER (WHERE d <= :half), 0), "
        f"coalesce(sum(w) FILTER (WHERE d <= :quarter), 0) FROM pair WHERE d <= :r GROUP BY col, row "
        f"ORDER BY 3 DESC, 4 DESC, 5 DESC, col, row")


def _best_first(connection: Connection, postgis: str, bound: dict) -> Iterator[list]:
    """The candidate nodes best first, `PAGE` at a time: the best `FIRST_NODES`, then the next four times as many,
    and so on, each a top-N sort of the same order (see the module)."""
    query = text(f"{_candidates(postgis)} LIMIT :limit OFFSET :offset")
    offset, limit = 0, FIRST_NODES
    while True:
        rows = connection.execute(query, {**bound, "limit": limit, "offset": offset}).all()
        for start in range(0, len(rows), PAGE):
            yield rows[start:start + PAGE]
        if len(rows) < limit:
            return
        offset, limit = offset + limit, 4 * limit


def best_catchments_sql(connection: Connection, params: ModelParams | None = None, *, k: int = 10,
                        area: shapely.Geometry | None = None, step_m: float = DEFAULT_STEP_M,
                        min_separation_m: float | None = None, window: SqlWindow | None = None) -> list[Catchment]:
    """Up to `k` proposed sites, best first: `best_catchments` on the database's crimes (see the module)."""
    params = params or ModelParams()
    if k <= 0:
        return []
    if step_m <= 0:
        raise ValueError("the grid step must be positive")
    postgis = schema(connection)
    window = window or sql_window(connection, params, labels=True)
    radius = float(params.radius_m)
    separation = 2 * radius if min_separation_m is None else min_separation_m
    bound = {**window.params(), "step": float(step_m), "span": math.ceil(radius / step_m), "r": radius,
             "half": radius / 2, "quarter": radius / 4, "reach": radius + PAD_M}
    # The street points themselves are few (police.uk's snap points, a few hundred thousand for the whole country):
    # read once, in (easting, northing) order as the in-memory model holds them, so each gain is its very sum.
    points = connection.execute(text(f"{_street_points(postgis)} ORDER BY e, n"), bound).all()
    pe, pn, pw = (np.array(column, dtype=np.float64) for column in (zip(*points, strict=True) if points
                                                                      else ((), (), ())))
    uncovered = pw.copy()
    order = np.argsort(pe, kind="stable")  # already sorted by easting: slices of it hold every point within r
    sorted_e = pe[order]

    def near(x: float, y: float) -> np.ndarray:
        low, high = np.searchsorted(sorted_e, [x - radius - PAD_M, x + radius + PAD_M])
        within = order[low:high]
        return within[np.sqrt((pe[within] - x) ** 2 + (pn[within] - y) ** 2) <= radius]

    grid_memory(connection)  # the candidates are aggregated and sorted by the database
    nodes = _best_first(connection, postgis, bound)
    heap: list[tuple[float, float, float, float, float]] = []  # (-value, -half, -quarter, x, y): x, y as grid order
    boundary: tuple[float, float, float, float, float] | None = None
    exhausted = False

    def fetch() -> None:
        nonlocal boundary, exhausted
        page = next(nodes, None)
        if not page:
            exhausted = True
            return
        xs = np.array([row[0] for row in page], dtype=np.float64)
        ys = np.array([row[1] for row in page], dtype=np.float64)
        inside = shapely.intersects_xy(area, xs, ys) if area is not None else np.ones(len(page), dtype=bool)
        for (x, y, score, half, quarter), keep in zip(page, inside.tolist(), strict=True):
            boundary = (-float(score), -float(half), -float(quarter), float(x), float(y))
            if keep and score > 0:
                heapq.heappush(heap, boundary)

    chosen: list[Catchment] = []
    try:
        while len(chosen) < k:
            # The heap's top is the best of all candidates only once every unread one ranks after it.
            while not exhausted and (not heap or boundary is None or heap[0] > boundary):
                fetch()
            if not heap:
                break
            _, near_half, near_quarter, x, y = heapq.heappop(heap)
            if any((x - c.easting) ** 2 + (y - c.northing) ** 2 < separation * separation for c in chosen):
                continue
            found = near(x, y)
            gain = float(uncovered[found].sum())
            if gain <= 0:
                continue
            while not exhausted and (not heap or boundary is None or heap[0] > boundary):
                fetch()
            if heap and gain < -heap[0][0] - 1e-9:
                heapq.heappush(heap, (-gain, near_half, near_quarter, x, y))
                continue
            chosen.append(Catchment(x, y, gain, len(chosen) + 1))
            uncovered[found] = 0.0
    finally:
        nodes.close()
    return chosen
