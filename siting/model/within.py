"""Which points lie within a radius of each site, a chunk of sites at a time, and sums over those catchments.

Every measure the model needs of a site (crimes, high-harm crimes, harm; per year, per category) is a sum over the
points within r of it of a per-point table, so one join of sites to points answers all of them: the points are the
crimes' unique snap points (police.uk publishes crimes at a limited set of points, so a county year of about 106k
crimes has about 13k), each carrying its crimes as weights in the columns of that table. The join runs over sites
in chunks whose candidate pairs stay under a bound, so memory follows points and sites, never (site, crime) pairs.

Point sites, the usual case, are joined by a grid in numpy (`_GridJoin`); other geometries (a street, an area) by
shapely's `dwithin` on an STRtree (`siting.model.points.PointIndex`). Both count a point at exactly r.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from scipy import sparse

    from siting.model.points import PointIndex

DEFAULT_MAX_PAIRS = 1 << 20  # candidate (site, point) pairs per chunk: about 70 MB of working arrays at most
_MAX_GRID_CELLS = 2**60  # cell keys are int64; only absurd coordinates (not metres) come near this
_DENSE_COLUMNS = 4  # up to this many weight columns, one bincount each beats building a sparse matrix
_DENSE_CELLS = 1 << 18  # pairs × columns summed densely (2 MB) before a sparse product (and scipy, 0.1 s to load)


@dataclass(frozen=True)
class PairChunk:
    """The (site, point) pairs within r for one chunk of sites.

    `sites` are the chunk's site indices (every one of them, with pairs or none); `site` gives, for each pair, the
    position in `sites` (non-decreasing: pairs come grouped by site) and `point` the point's index."""

    sites: NDArray[np.intp]
    site: NDArray[np.intp]
    point: NDArray[np.intp]

    def indptr(self) -> NDArray[np.intp]:
        """Where each site's pairs start and end (CSR row pointers over `sites`)."""
        counts = np.bincount(self.site, minlength=len(self.sites))
        return np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)

    def matrix(self, n_points: int) -> sparse.csr_matrix:
        """A len(sites) × points 0/1 matrix of the pairs; multiplying it by a per-point table sums that table over
        each site's catchment."""
        from scipy import sparse  # loads in 0.2 s: only when a model runs, not when the app or the CLI starts

        data = np.ones(len(self.point), dtype=np.float64)
        return sparse.csr_matrix((data, self.point, self.indptr()), shape=(len(self.sites), n_points))

    def sums(self, weights: NDArray[np.float64]) -> NDArray[np.float64]:
        """[site, column]: each column of the per-point `weights` [point, column] summed over each site's points."""
        if weights.shape[1] <= _DENSE_COLUMNS:
            return np.column_stack([np.bincount(self.site, weights=weights[self.point, c], minlength=len(self.sites))
                                    for c in range(weights.shape[1])]).reshape(len(self.sites), weights.shape[1])
        if len(self.point) * weights.shape[1] <= _DENSE_CELLS:
            # A few hundred sites (what `cctv siting score` and the pages rank): the pairs' rows added one by one in
            # pair order, as the sparse product adds them (the same sums, bit for bit: reduceat would add in another
            # order), without loading scipy.
            out = np.zeros((len(self.sites), weights.shape[1]))
            np.add.at(out, self.site, weights[self.point])
            return out
        return np.asarray(self.matrix(len(weights)) @ weights).reshape(len(self.sites), weights.shape[1])

    def largest(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Per site, the largest of `values` [point] among its points (0 for a site with none)."""
        out = np.zeros(len(self.sites))
        if len(self.point):
            indptr = self.indptr()
            has = indptr[1:] > indptr[:-1]
            out[has] = np.maximum.reduceat(values[self.point], indptr[:-1][has])
        return out


def site_pairs(sites: Sequence[shapely.Geometry] | NDArray[np.float64], easting: NDArray[np.float64],
               northing: NDArray[np.float64], radius_m: float, *, index: PointIndex | None = None,
               max_pairs: int = DEFAULT_MAX_PAIRS) -> Iterator[PairChunk]:
    """The pairs within `radius_m` (inclusive) of each site among the given points, in chunks of sites.

    `sites` are shapely geometries or an (n, 2) array of point sites' (easting, northing); `index`, when the caller
    has one, is a `PointIndex` of the same points (used for sites that are not points)."""
    e, n = np.asarray(easting, dtype=np.float64), np.asarray(northing, dtype=np.float64)
    if isinstance(sites, np.ndarray) and sites.dtype != object:
        xy = sites.reshape(-1, 2).astype(np.float64)
        ids, others = np.arange(len(xy), dtype=np.intp), np.empty(0, dtype=np.intp)
        geometries = None
    else:
        geometries = geometry_array(sites)
        is_point = (shapely.get_type_id(geometries) == 0) & ~shapely.is_empty(geometries) if len(geometries) \
            else np.zeros(0, dtype=bool)
        ids, others = np.flatnonzero(is_point), np.flatnonzero(~is_point)
        xy = shapely.get_coordinates(geometries[ids]).reshape(-1, 2)
    finite = np.isfinite(xy).all(axis=1)
    if not finite.all():  # a site at NaN or infinity is within reach of nothing, as in shapely
        yield PairChunk(ids[~finite], np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp))
        ids, xy = ids[finite], xy[finite]
    join = _GridJoin.build(xy[:, 0], xy[:, 1], e, n, float(radius_m)) if len(ids) and len(e) else None
    if join is None and len(ids) and len(e):  # absurd coordinates: every site through shapely instead
        geometries = shapely.points(xy) if geometries is None else geometries
        others = np.sort(np.concatenate([others, ids]))
    elif join is not None:
        for chunk in join.chunks(max_pairs):
            yield PairChunk(ids[chunk.sites], chunk.site, chunk.point)
    else:
        yield PairChunk(ids, np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp))
    if len(others):
        yield from _tree_chunks(geometries, others, e, n, float(radius_m), index, max_pairs)


def geometry_array(geometries: Sequence[shapely.Geometry]) -> NDArray[np.object_]:
    """Geometries as a numpy object array (np.asarray would probe each one as a possible sequence: 10x slower)."""
    if isinstance(geometries, np.ndarray):
        return geometries
    return np.fromiter(geometries, dtype=object, count=len(geometries))


def catchment_sums(chunks: Iterable[PairChunk], n_sites: int, weights: NDArray[np.float64]) -> NDArray[np.float64]:
    """[site, column]: each column of the per-point `weights` summed over each site's catchment."""
    out = np.zeros((n_sites, weights.shape[1]))
    for chunk in chunks:
        out[chunk.sites] = chunk.sums(weights)
    return out


def sums_near(site_xy: ArrayLike, easting: ArrayLike, northing: ArrayLike, weights: ArrayLike | None,
              radius_m: float, *, max_pairs: int = DEFAULT_MAX_PAIRS) -> NDArray[np.float64]:
    """For each point site, the crimes within `radius_m` (inclusive) counted, or with `weights` [crime, column] each
    column summed: every measure in one join, on the crimes' unique points. Crimes without a location are ignored.

    The figures equal geopandas' `sjoin(sites, crimes, predicate="dwithin")` grouped by site (bench/siting.py)."""
    from siting.model.points import unique_points

    xy = np.asarray(site_xy, dtype=np.float64).reshape(-1, 2)
    e, n = np.asarray(easting, dtype=np.float64).ravel(), np.asarray(northing, dtype=np.float64).ravel()
    w = np.ones((len(e), 1)) if weights is None else np.asarray(weights, dtype=np.float64).reshape(len(e), -1)
    keep = np.isfinite(e) & np.isfinite(n)
    ue, un, point = unique_points(e[keep], n[keep])
    kept = w[keep]
    per_point = np.column_stack([np.bincount(point, weights=kept[:, c], minlength=len(ue))
                                 for c in range(w.shape[1])]).reshape(len(ue), w.shape[1])
    return catchment_sums(site_pairs(xy, ue, un, radius_m, max_pairs=max_pairs), len(xy), per_point)


def _tree_chunks(geometries: NDArray[np.object_], ids: NDArray[np.intp], e: NDArray[np.float64],
                 n: NDArray[np.float64], radius_m: float, index: PointIndex | None, max_pairs: int
                 ) -> Iterator[PairChunk]:
    from siting.model.points import PointIndex

    index = index if index is not None else PointIndex(e, n)
    step = max(1, max_pairs // 1024)  # non-point sites are few and large: a thousand points each is a guess
    for lo in range(0, len(ids), step):
        chunk = ids[lo:lo + step]
        rows, points = index.pairs(list(geometries[chunk]), radius_m)
        order = np.argsort(rows, kind="stable")
        yield PairChunk(chunk, rows[order].astype(np.intp), points[order].astype(np.intp))


@dataclass(frozen=True)
class _GridJoin:
    """Point sites against points by a grid (see `build`); `chunks` expands the candidate pairs a chunk at a time.

    Cells are a little wider than the radius, so a point within reach of a site lies in the site's cell or one of
    its 8 neighbours, whatever the rounding. The points are sorted by cell, and so are the sites; each site then
    reads three runs of consecutive cells (one per row) and tests every point in them. The test is GEOS's own for
    two points, sqrt(dx² + dy²) ≤ r in the same floating-point operations, so the pairs equal shapely's `dwithin`
    exactly (tests and bench/siting.py check this against brute force and geopandas). No tree, no shapely objects;
    the sites are taken in cell order because binary searches of sorted keys run several times faster.
    """

    site_x: NDArray[np.float64]  # the sites in cell order
    site_y: NDArray[np.float64]
    site_order: NDArray[np.intp]  # each of them's index among the sites given
    e: NDArray[np.float64]  # the points in cell order
    n: NDArray[np.float64]
    point_order: NDArray[np.intp]  # each of them's index among the points given
    low: NDArray[np.intp]  # [site, row]: the first point of each of the site's three runs
    lengths: NDArray[np.intp]  # [site, row]: how many points each run holds
    radius_m: float

    @classmethod
    def build(cls, site_x: NDArray[np.float64], site_y: NDArray[np.float64], e: NDArray[np.float64],
              n: NDArray[np.float64], radius_m: float) -> _GridJoin | None:
        """The join's index, or None for coordinates too large for the grid."""
        cell = radius_m + 1.0
        inverse = 1.0 / cell
        # Two spare cells around the sites: the outermost ring is never next to a site, so points beyond it can be
        # clamped into it (one pass, no bounding-box filter) and are never read.
        x0, y0 = float(site_x.min()) - 2 * cell, float(site_y.min()) - 2 * cell
        cols = int((float(site_x.max()) - x0) * inverse) + 3
        rows = int((float(site_y.max()) - y0) * inverse) + 3
        if cols * rows > _MAX_GRID_CELLS:
            return None

        def cells(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.int64]:
            # The same arithmetic for sites and points, so two points less than a cell apart are at most one apart.
            column = np.clip((x - x0) * inverse, 0, cols - 1).astype(np.int64)
            row = np.clip((y - y0) * inverse, 0, rows - 1).astype(np.int64)
            return row * cols + column

        key = cells(e, n)
        point_order = np.argsort(key, kind="stable")
        key = key[point_order]
        site_key = cells(site_x, site_y)
        site_order = np.argsort(site_key, kind="stable")
        site_key = site_key[site_order]
        # Each row of a site's 3×3 block is one run of consecutive keys, so one slice of the sorted points.
        runs = [site_key + row * cols for row in (-1, 0, 1)]
        low = np.column_stack([np.searchsorted(key, run - 1, side="left") for run in runs])
        high = np.column_stack([np.searchsorted(key, run + 1, side="right") for run in runs])
        return cls(site_x[site_order], site_y[site_order], site_order.astype(np.intp), e[point_order],
                   n[point_order], point_order.astype(np.intp), low.astype(np.intp), (high - low).astype(np.intp),
                   radius_m)

    def chunks(self, max_pairs: int) -> Iterator[PairChunk]:
        """The pairs, a run of sites at a time, each run's candidates at most `max_pairs` (or one site)."""
        ends = np.cumsum(self.lengths.sum(axis=1))
        lo = 0
        while lo < len(ends):
            start = ends[lo - 1] if lo else 0
            hi = max(lo + 1, int(np.searchsorted(ends, start + max_pairs, side="right")))
            yield self._pairs(lo, hi)
            lo = hi

    def _pairs(self, lo: int, hi: int) -> PairChunk:
        low, lengths = self.low[lo:hi].ravel(), self.lengths[lo:hi].ravel()
        site = np.repeat(np.repeat(np.arange(hi - lo, dtype=np.intp), 3), lengths)
        point = np.repeat(low - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
        dx, dy = self.e[point] - self.site_x[lo + site], self.n[point] - self.site_y[lo + site]
        within = np.sqrt(dx * dx + dy * dy) <= self.radius_m
        return PairChunk(self.site_order[lo:hi], site[within], self.point_order[point[within]])
