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
from siting.model.within import catchment_sums, site_pairs

if TYPE_CHECKING:
    from scipy import sparse


def unique_points(
    easting: ArrayLike, northing: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    """The distinct (easting, northing) pairs, sorted by easting then northing, and for each input the index of its
    pair (inputs must be finite)."""
    e, n = np.asarray(easting, dtype=np.float64).ravel(), np.asarray(northing, dtype=np.float64).ravel()
    if not len(e):
        return np.empty(0), np.empty(0), np.empty(0, dtype=np.intp)
    # Snap points rarely share an easting, so one sort by easting nearly always groups them (3x quicker than
    # np.unique on both columns); when two points do share one, both columns are sorted.
    order = np.argsort(e)
    es, ns = e[order], n[order]
    same_e = es[1:] == es[:-1]
    if (same_e & (ns[1:] != ns[:-1])).any():
        order = np.lexsort((n, e))
        es, ns = e[order], n[order]
        same_e = es[1:] == es[:-1]
    new = np.ones(len(e), dtype=bool)
    new[1:] = ~(same_e & (ns[1:] == ns[:-1]))
    inverse = np.empty(len(e), dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return es[new], ns[new], inverse


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
    geopandas' `sjoin(predicate="dwithin")`. Crimes without a location (NaN) are ignored.

    One join of the sites to the crimes' unique points, the crimes riding along as counts (`siting.model.within`);
    `sums_near` gives several measures (total, high-harm, harm, ...) from the same join.
    """
    e, n = np.asarray(easting, dtype=np.float64).ravel(), np.asarray(northing, dtype=np.float64).ravel()
    keep = np.isfinite(e) & np.isfinite(n)
    geometries = [s.geometry if isinstance(s, Site) else s for s in sites]
    ue, un, point = unique_points(e[keep], n[keep])
    per_point = np.bincount(point, minlength=len(ue)).astype(np.float64)[:, None]
    sums = catchment_sums(site_pairs(geometries, ue, un, radius_m), len(geometries), per_point)
    return np.rint(sums[:, 0]).astype(np.int64)


def weight_within(site_x: ArrayLike, site_y: ArrayLike, easting: ArrayLike, northing: ArrayLike,
                  weights: ArrayLike, radius_m: float) -> NDArray[np.float64]:
    """For each point site, the summed weight of the points within `radius_m` (inclusive), e.g. the harm a
    camera there would see. The same join as `count_within`, so the same points are within reach."""
    sx, sy = np.asarray(site_x, dtype=np.float64).ravel(), np.asarray(site_y, dtype=np.float64).ravel()
    e, n = np.asarray(easting, dtype=np.float64).ravel(), np.asarray(northing, dtype=np.float64).ravel()
    w = np.asarray(weights, dtype=np.float64).ravel()
    keep = np.isfinite(e) & np.isfinite(n)
    chunks = site_pairs(np.column_stack([sx, sy]), e[keep], n[keep], radius_m)
    return catchment_sums(chunks, len(sx), w[keep][:, None])[:, 0]


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
    crime_point: NDArray[np.intp] | None = None  # [crime in window]: its point (for `places`)
    crime_location: NDArray[np.intp] | None = None  # [crime in window]: its label (None: no labels)
    crime_lsoa: NDArray[np.intp] | None = None  # [crime in window]: its LSOA (None: no LSOAs)
    lsoas: tuple[tuple[str, str], ...] = ()

    def _codes_near(self, site: NDArray[np.intp], point: NDArray[np.intp], n_sites: int,
                    codes: NDArray[np.intp] | None, width: int) -> list[list[tuple[int, int]]] | None:
        """Per site, (code, crimes) for each code (a label or an LSOA, `crime_location` or `crime_lsoa`) the
        window's crimes at its catchment's points carry, from the (site, point) pairs; None when the crimes have no
        codes. In numpy (the sparse product it replaces loaded scipy for the few dozen sites a page or the CLI
        names); memory follows the crimes within reach of the sites, a few million entries for every cell of a
        county."""
        if self.crime_point is None or codes is None or not width:
            return None
        wanted = np.zeros(len(self.index), dtype=bool)
        wanted[point] = True
        # Only the crimes at the catchments' points, grouped by point (a whole window's sort cost the twenty sites
        # a page shows more than scoring every cell of a county).
        chosen = np.flatnonzero(wanted[self.crime_point])
        order = chosen[np.argsort(self.crime_point[chosen], kind="stable")]
        starts = np.searchsorted(self.crime_point[order], np.arange(len(self.index) + 1))
        lengths = starts[point + 1] - starts[point]
        pair = np.repeat(np.arange(len(point)), lengths)  # one entry per (pair, crime at its point)
        crime = order[starts[point][pair] + np.arange(len(pair)) - np.repeat(np.cumsum(lengths) - lengths, lengths)]
        keys, counts = np.unique(site[pair].astype(np.int64) * width + codes[crime], return_counts=True)
        found: list[list[tuple[int, int]]] = [[] for _ in range(n_sites)]
        for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
            found[key // width].append((key % width, count))
        return found

    def places(self, site: NDArray[np.intp], point: NDArray[np.intp], n_sites: int) -> list[tuple[str, str, str]]:
        """(street, LSOA code, LSOA name) of each of `n_sites` sites, from the (site, point) pairs of their
        catchments: the labels and LSOAs of all the window's crimes within reach (`siting.model.place`)."""
        streets = [""] * n_sites
        lsoas = [("", "")] * n_sites
        by_label = self._codes_near(site, point, n_sites, self.crime_location, len(self.locations))
        if by_label is not None:
            streets = [street_line((self.locations[j], v) for j, v in found) for found in by_label]
        by_lsoa = self._codes_near(site, point, n_sites, self.crime_lsoa, len(self.lsoas))
        if by_lsoa is not None:
            lsoas = [top_lsoa((self.lsoas[j], v) for j, v in found) for found in by_lsoa]
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

    used = np.flatnonzero(np.bincount(cat, minlength=n_cats))  # category codes are small: a count, not a sort
    unknown = tuple(profile.unknown(crimes.categories[i] for i in used))
    month_in = crimes.month[(crimes.month >= first) & (crimes.month <= end_month)] - first
    months_seen = set((np.flatnonzero(np.bincount(month_in, minlength=window_months)) + first).tolist())
    missing = tuple(m for m in range(first, end_month + 1) if m not in months_seen)
    held = tuple(sum(1 for m in months_seen if (m - first) // 12 == y) for y in range(years))
    recorded_harm = np.zeros(n_points)
    recorded_label = np.full(n_points, -1, dtype=np.intp)
    if crimes.location is not None and len(point):
        label = crimes.location[in_window].astype(np.intp)
        recorded = recorded_at_codes(crimes.locations)[label] if crimes.locations else np.zeros(len(label), bool)
        recorded_harm = np.bincount(point[recorded], weights=weight[recorded], minlength=n_points).astype(np.float64)
        recorded_label[point[recorded]] = label[recorded]  # one snap point, one label: any of its crimes names it
    located_codes = crimes.location is not None and bool(crimes.locations)
    lsoa_codes = crimes.lsoa is not None and bool(crimes.lsoas)
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
        crime_point=point,
        crime_location=crimes.location[in_window].astype(np.intp) if located_codes else None,  # type: ignore[index]
        crime_lsoa=crimes.lsoa[in_window].astype(np.intp) if lsoa_codes else None,  # type: ignore[index]
        lsoas=crimes.lsoas,
    )
