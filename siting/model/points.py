"""Crimes aggregated to their unique map points, and which points fall within a radius of sites or cameras.

police.uk snaps every crime to one of a fixed set of anonymous points, so tens of thousands of crimes share a few
thousand coordinates. Everything spatial is therefore done once per unique point (an STRtree of points queried
with shapely's `dwithin`, so a crime at exactly the radius counts) and the crimes ride along as weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from siting.model.harm import HarmProfile
from siting.model.inputs import CrimeSet, Site, month_date
from siting.model.place import street_line, top_lsoa
from siting.model.recorded_at import recorded_at_codes

if TYPE_CHECKING:
    from scipy import sparse


def unique_points(
    easting: ArrayLike, northing: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    """The distinct (easting, northing) pairs and, for each input, the index of its pair (inputs must be finite)."""
    e, n = np.asarray(easting, dtype=np.float64).ravel(), np.asarray(northing, dtype=np.float64).ravel()
    # One complex key per point sorts lexicographically by (x, y): about twice as fast as lexsort on two columns.
    key = np.empty(len(e), dtype=np.complex128)
    key.real, key.imag = e, n
    distinct, inverse = np.unique(key, return_inverse=True)
    return distinct.real.copy(), distinct.imag.copy(), inverse.ravel().astype(np.intp)


class PointIndex:
    """Points in metres, answering "which points are within r of these geometries" with shapely's `dwithin`.

    Building shapely points for every crime costs more than the query itself, so each query first keeps the points
    inside the geometries' bounding boxes grown by r (a sorted-easting slice per geometry, plain numpy), then builds
    an STRtree of just those. The pre-filter only discards points that cannot be within r, so results are exact.
    """

    _PAD = 1.0  # metres of slack in the pre-filter, so floating-point rounding can never drop a point at exactly r

    def __init__(self, easting: NDArray[np.float64], northing: NDArray[np.float64]) -> None:
        """Index the given points (unique points, normally)."""
        self.easting = np.asarray(easting, dtype=np.float64)
        self.northing = np.asarray(northing, dtype=np.float64)
        self._order = np.argsort(self.easting, kind="stable")
        self._sorted = self.easting[self._order]

    def __len__(self) -> int:
        return len(self.easting)

    def near(self, geometries: Sequence[shapely.Geometry], radius_m: float) -> NDArray[np.intp]:
        """Indices of the points inside any geometry's bounding box grown by `radius_m` (a superset of the answer)."""
        bounds = shapely.bounds(np.asarray(geometries, dtype=object)).reshape(-1, 4)
        reach = float(radius_m) + self._PAD
        low = np.searchsorted(self._sorted, bounds[:, 0] - reach, side="left")
        high = np.searchsorted(self._sorted, bounds[:, 2] + reach, side="right")
        found = []
        for a, b, (_, min_y, _, max_y) in zip(low, high, bounds, strict=True):
            if b > a:
                slice_ = self._order[a:b]
                north = self.northing[slice_]
                found.append(slice_[(north >= min_y - reach) & (north <= max_y + reach)])
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.intp)

    def pairs(self, geometries: Sequence[shapely.Geometry], radius_m: float) -> tuple[NDArray[np.intp], ...]:
        """(geometry index, point index) for every point within `radius_m` (≤, inclusive) of each geometry."""
        if len(geometries) == 0 or len(self) == 0:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        candidates = self.near(geometries, radius_m)
        if not len(candidates):
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        tree = shapely.STRtree(shapely.points(self.easting[candidates], self.northing[candidates]))
        found = tree.query(np.asarray(geometries, dtype=object), predicate="dwithin", distance=float(radius_m))
        return found[0].astype(np.intp), candidates[found[1]].astype(np.intp)

    def incidence(self, geometries: Sequence[shapely.Geometry], radius_m: float) -> sparse.csr_matrix:
        """A geometries × points 0/1 sparse matrix of "point within radius of geometry"."""
        rows, cols = self.pairs(geometries, radius_m)
        return pairs_matrix(rows, cols, (len(geometries), len(self)))

    def covered(self, cameras_xy: NDArray[np.float64], radius_m: float) -> NDArray[np.bool_]:
        """For each point, whether it is within `radius_m` of any camera."""
        mask = np.zeros(len(self), dtype=bool)
        if len(cameras_xy) and len(self):
            _, points = self.pairs(list(shapely.points(cameras_xy[:, 0], cameras_xy[:, 1])), radius_m)
            mask[points] = True
        return mask


def pairs_matrix(rows: NDArray[np.intp], cols: NDArray[np.intp], shape: tuple[int, int]) -> sparse.csr_matrix:
    """A 0/1 sparse matrix from (row, column) pairs, e.g. sites × points; multiplying it by a per-point table
    sums that table over each site's catchment."""
    from scipy import sparse  # scipy loads in 0.2 s: only when a model runs, not when the app or the CLI starts

    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=shape)


def count_within(sites: Sequence[Site | shapely.Geometry], easting: ArrayLike, northing: ArrayLike,
                 radius_m: float) -> NDArray[np.int64]:
    """How many crimes lie within `radius_m` (inclusive) of each site: the figure the benchmark checks against
    geopandas' `sjoin(predicate="dwithin")`.

    Point sites, the usual case, are counted by a grid join in numpy (`_count_near_points`); other geometries go
    through shapely's `dwithin` on the crimes' unique points. Crimes without a location (NaN) are ignored.
    """
    e, n = np.asarray(easting, dtype=np.float64), np.asarray(northing, dtype=np.float64)
    keep = np.isfinite(e) & np.isfinite(n)
    e, n = e[keep], n[keep]
    geometries = np.asarray([s.geometry if isinstance(s, Site) else s for s in sites], dtype=object)
    counts = np.zeros(len(geometries), dtype=np.int64)
    if not len(geometries):
        return counts
    is_point = (shapely.get_type_id(geometries) == 0) & ~shapely.is_empty(geometries)
    if is_point.any():
        xy = shapely.get_coordinates(geometries[is_point])
        found = _count_near_points(xy[:, 0], xy[:, 1], e, n, float(radius_m))
        if found is None:
            is_point[:] = False
        else:
            counts[is_point] = found
    if not is_point.all():
        others = list(geometries[~is_point])
        # Only crimes near some site matter: drop the rest before aggregating (exact; see PointIndex.near).
        near = PointIndex(e, n).near(others, radius_m)
        ue, un, inverse = unique_points(e[near], n[near])
        per_point = np.bincount(inverse, minlength=len(ue)).astype(np.float64)
        matrix = PointIndex(ue, un).incidence(others, radius_m)
        counts[~is_point] = np.rint(matrix @ per_point).astype(np.int64)
    return counts


def weight_within(site_x: ArrayLike, site_y: ArrayLike, easting: ArrayLike, northing: ArrayLike,
                  weights: ArrayLike, radius_m: float) -> NDArray[np.float64]:
    """For each point site, the summed weight of the points within `radius_m` (inclusive), e.g. the harm a
    camera there would see. The same grid join as `count_within`, so the same points are within reach."""
    sx, sy = np.asarray(site_x, dtype=np.float64), np.asarray(site_y, dtype=np.float64)
    e, n = np.asarray(easting, dtype=np.float64), np.asarray(northing, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    keep = np.isfinite(e) & np.isfinite(n)
    if not len(sx):
        return np.zeros(0)
    found = _count_near_points(sx, sy, e[keep], n[keep], float(radius_m), w[keep])
    if found is None:  # absurd coordinates: shapely's dwithin on each site instead
        rows, cols = PointIndex(e[keep], n[keep]).pairs(list(shapely.points(sx, sy)), radius_m)
        return np.bincount(rows, weights=w[keep][cols], minlength=len(sx))
    return np.asarray(found, dtype=np.float64)


_MAX_GRID_CELLS = 2**60  # cell keys are int64; only absurd coordinates (not metres) come near this


def _count_near_points(site_x: NDArray[np.float64], site_y: NDArray[np.float64], e: NDArray[np.float64],
                       n: NDArray[np.float64], radius_m: float, weights: NDArray[np.float64] | None = None
                       ) -> NDArray[np.int64] | NDArray[np.float64] | None:
    """Crimes within `radius_m` of each point site, by a grid join (None for coordinates too large for the grid);
    with `weights` (one per crime), the sum of their weights instead of the count.

    Cells are a little wider than the radius, so a crime within reach of a site lies in the site's cell or one of
    its 8 neighbours, whatever the rounding. Only crimes in such cells are kept, and sorted by cell; each site then
    reads three runs of consecutive cells (one per row) and tests every crime in them. The test is GEOS's own for
    two points, sqrt(dx² + dy²) ≤ r in the same floating-point operations, so the counts equal shapely's `dwithin`
    exactly (tests and bench/siting.py check this against shapely and geopandas). No tree, no shapely objects and
    no sort of all the crimes, which is what makes it several times quicker than an STRtree join.
    """
    cell = radius_m + 1.0
    inverse = 1.0 / cell
    # Two spare cells around the sites: the outermost ring is never next to a site, so crimes beyond it can be
    # clamped into it (one pass, no bounding-box filter) and fall out with the unwanted cells.
    x0, y0 = float(site_x.min()) - 2 * cell, float(site_y.min()) - 2 * cell
    cols = int((float(site_x.max()) - x0) * inverse) + 3
    rows = int((float(site_y.max()) - y0) * inverse) + 3
    if cols * rows > _MAX_GRID_CELLS:
        return None

    def cells(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.int64]:
        # The same arithmetic for sites and crimes, so two points less than a cell apart are at most one cell apart.
        column = np.clip((x - x0) * inverse, 0, cols - 1).astype(np.int64)
        row = np.clip((y - y0) * inverse, 0, rows - 1).astype(np.int64)
        return row * cols + column

    key = cells(e, n)
    blocks = (cells(site_x, site_y)[:, None] + np.array([-1, 0, 1]) * cols)[:, :, None] + np.array([-1, 0, 1])
    if cols * rows <= max(8 * len(key), 1 << 22):  # a table of the grid: one lookup per crime
        table = np.zeros(cols * rows, dtype=bool)
        table[blocks.ravel()] = True
        near = np.flatnonzero(table[key])
    else:  # sites spread far apart: a binary search among the few cells next to them
        wanted = np.unique(blocks)
        near = np.flatnonzero(wanted[np.minimum(np.searchsorted(wanted, key), len(wanted) - 1)] == key)
    near = near[np.argsort(key[near], kind="stable")]
    key, e, n = key[near], e[near], n[near]
    w = None if weights is None else np.asarray(weights, dtype=np.float64)[near]
    # Each row of a site's 3×3 block is one run of consecutive keys, so one slice of the sorted crimes.
    low = np.searchsorted(key, blocks[:, :, 0], side="left").ravel()
    high = np.searchsorted(key, blocks[:, :, 2], side="right").ravel()
    lengths = high - low
    site = np.repeat(np.repeat(np.arange(len(site_x)), 3), lengths)
    crime = np.repeat(low - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
    dx, dy = e[crime] - site_x[site], n[crime] - site_y[site]
    within = np.sqrt(dx * dx + dy * dy) <= radius_m
    if w is not None:
        return np.bincount(site[within], weights=w[crime[within]], minlength=len(site_x))
    return np.bincount(site[within], minlength=len(site_x)).astype(np.int64)


@dataclass(frozen=True, eq=False)
class WindowPoints:
    """The crimes of one model window, aggregated to unique points. Arrays are indexed [point] or [point, year/cat].

    `first_month`/`last_month` are month indices; year 0 is the oldest 12 months of the window.
    """

    first_month: int
    last_month: int
    years: int
    categories: tuple[str, ...]
    category_weights: NDArray[np.float64]
    index: PointIndex
    harm_by_year: NDArray[np.float64]  # [point, year]: summed harm weights
    harm_crimes_by_year: NDArray[np.float64]  # [point, year]: crimes with weight > 0
    crimes_by_category: NDArray[np.float64]  # [point, category]: all crimes
    harm_by_category: NDArray[np.float64]  # [point, category]: summed harm weights
    crimes_total: int
    crimes_without_location: int
    crimes_in_window: int
    crimes_with_harm: int
    unknown_categories: tuple[str, ...]
    months_missing: tuple[int, ...]  # months in the window with no crime at all, located or not
    months_held: tuple[int, ...] = ()  # per year, oldest first: how many of its 12 months hold any crime data
    window_from_data: bool = False  # the window was not given: it is the months held (see `held_window`)
    recorded_harm: NDArray[np.float64] | None = None  # [point]: harm at labels where crimes are recorded (recorded_at)
    recorded_label: NDArray[np.intp] | None = None  # [point]: index into `locations` of that label, −1 for none
    locations: tuple[str, ...] = ()
    label_crimes: sparse.csr_matrix | None = None  # [point, location]: crimes with each label (None: no labels)
    lsoa_crimes: sparse.csr_matrix | None = None  # [point, lsoa]: crimes in each LSOA (None: no LSOAs)
    lsoas: tuple[tuple[str, str], ...] = ()

    def places(self, catchments: sparse.csr_matrix) -> list[tuple[str, str, str]]:
        """(street, LSOA code, LSOA name) of each site, from a sites × points 0/1 matrix of their catchments:
        the labels and LSOAs of all the window's crimes within reach (`siting.model.place`)."""
        n = catchments.shape[0]
        streets = [""] * n
        lsoas = [("", "")] * n
        if self.label_crimes is not None and self.locations:
            table = (catchments @ self.label_crimes).tocsr()
            streets = [street_line((self.locations[j], v) for j, v in
                                   zip(table.indices[table.indptr[i]:table.indptr[i + 1]],
                                       table.data[table.indptr[i]:table.indptr[i + 1]], strict=True))
                       for i in range(n)]
        if self.lsoa_crimes is not None and self.lsoas:
            table = (catchments @ self.lsoa_crimes).tocsr()
            lsoas = [top_lsoa((self.lsoas[j], v) for j, v in
                              zip(table.indices[table.indptr[i]:table.indptr[i + 1]],
                                  table.data[table.indptr[i]:table.indptr[i + 1]], strict=True))
                     for i in range(n)]
        return [(street, code, name) for street, (code, name) in zip(streets, lsoas, strict=True)]

    @property
    def harm(self) -> NDArray[np.float64]:
        """Each point's harm over the whole window."""
        return self.harm_by_year.sum(axis=1)

    def year_bounds(self) -> list[tuple[int, int]]:
        """(first, last) month index of each model year, oldest first."""
        return [(self.first_month + 12 * y, self.first_month + 12 * y + 11) for y in range(self.years)]

    @property
    def window(self) -> tuple[str, str]:
        """The first and last month as ISO dates (for saving)."""
        return month_date(self.first_month).isoformat(), month_date(self.last_month).isoformat()


MAX_WINDOW_MONTHS = 36  # DESIGN §4: three years


def held_window(months: NDArray[np.int64], end_month: int, most: int = MAX_WINDOW_MONTHS) -> int:
    """The default window: from the earliest month held to `end_month`, rounded up to whole years, at most `most`.

    A window longer than the data would only add years of nothing, which read as zero harm and fake a rising
    trend; 12 months of data give a 12-month window (one year: no trend, no persistence).
    """
    held = months[months <= end_month]
    if not len(held):
        return 12
    span = end_month - int(held.min()) + 1
    return min(most, -(-span // 12) * 12)


def window_points(crimes: CrimeSet, profile: HarmProfile, *, end_month: int | None,
                  window_months: int | None) -> WindowPoints:
    """Keep the located crimes in the `window_months` ending at `end_month` (default: the latest month in the data,
    located or not; default window: `held_window`) and sum them per unique point, per year and per category."""
    if window_months is not None and (window_months <= 0 or window_months % 12):
        raise ValueError("the window must be a whole number of years (a positive multiple of 12 months)")
    if end_month is None:
        if len(crimes) == 0:
            raise ValueError("no crimes, so no latest month: give an end month")
        end_month = int(crimes.month.max())
    window_from_data = window_months is None
    if window_months is None:
        window_months = held_window(crimes.month, end_month)
    first = end_month - window_months + 1
    years = window_months // 12
    located = crimes.located
    in_window = located & (crimes.month >= first) & (crimes.month <= end_month)
    cat_w = profile.weights_for(crimes.categories)
    e, n = crimes.easting[in_window], crimes.northing[in_window]
    year = (crimes.month[in_window] - first) // 12
    cat = crimes.category[in_window].astype(np.intp)
    weight = cat_w[cat] if len(cat) else np.empty(0)
    ue, un, point = unique_points(e, n)
    n_points, n_cats = len(ue), len(crimes.categories)

    def table(column: NDArray[np.intp], width: int, weights: NDArray | None) -> NDArray[np.float64]:
        flat = np.bincount(point * width + column, weights=weights, minlength=n_points * width)
        return flat.astype(np.float64).reshape(n_points, width)

    used = np.unique(crimes.category[in_window]) if in_window.any() else np.empty(0, dtype=np.int32)
    unknown = tuple(profile.unknown(crimes.categories[i] for i in used))
    months_seen = set(np.unique(crimes.month[(crimes.month >= first) & (crimes.month <= end_month)]).tolist())
    missing = tuple(m for m in range(first, end_month + 1) if m not in months_seen)
    held = tuple(sum(1 for m in months_seen if (m - first) // 12 == y) for y in range(years))
    recorded_harm = np.zeros(n_points)
    recorded_label = np.full(n_points, -1, dtype=np.intp)
    if crimes.location is not None and len(point):
        label = crimes.location[in_window].astype(np.intp)
        recorded = recorded_at_codes(crimes.locations)[label] if crimes.locations else np.zeros(len(label), bool)
        recorded_harm = np.bincount(point[recorded], weights=weight[recorded], minlength=n_points).astype(np.float64)
        recorded_label[point[recorded]] = label[recorded]  # one snap point, one label: any of its crimes names it
    label_crimes = lsoa_crimes = None
    if crimes.location is not None and crimes.locations:
        label_crimes = pairs_matrix(point, crimes.location[in_window].astype(np.intp),
                                    (n_points, len(crimes.locations)))
    if crimes.lsoa is not None and crimes.lsoas:
        lsoa_crimes = pairs_matrix(point, crimes.lsoa[in_window].astype(np.intp), (n_points, len(crimes.lsoas)))
    return WindowPoints(
        first_month=first,
        last_month=end_month,
        years=years,
        categories=crimes.categories,
        category_weights=cat_w,
        index=PointIndex(ue, un),
        harm_by_year=table(year, years, weight),
        harm_crimes_by_year=table(year, years, (weight > 0).astype(np.float64)),
        crimes_by_category=table(cat, n_cats, None),
        harm_by_category=table(cat, n_cats, weight),
        crimes_total=len(crimes),
        crimes_without_location=int((~located).sum()),
        crimes_in_window=int(in_window.sum()),
        crimes_with_harm=int((weight > 0).sum()),
        unknown_categories=unknown,
        months_missing=missing,
        months_held=held,
        window_from_data=window_from_data,
        recorded_harm=recorded_harm,
        recorded_label=recorded_label,
        locations=crimes.locations,
        label_crimes=label_crimes,
        lsoa_crimes=lsoa_crimes,
        lsoas=crimes.lsoas,
    )
