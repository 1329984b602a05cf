"""A hotspot surface: quartic (biweight) kernel density of harm on a grid of square cells, and its peaks.

Defaults follow DESIGN §4: 50 m cells, 150 m bandwidth. The kernel is the one most crime-mapping tools use,
K(d) = 3 / (π h²) · (1 − d²/h²)² for d < h and 0 beyond, so each crime spreads exactly its weight over the disc
of radius h around it. Densities are reported in harm per square kilometre. The grid is aligned to multiples of
the cell size in National Grid metres, so two runs over the same area share cells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from siting.model.inputs import CrimeSet, Site
from siting.model.place import SiteLabel, lsoa_district, site_label
from siting.model.points import unique_points
from siting.model.run import ModelParams
from siting.model.scoring import prepare, site_places

if TYPE_CHECKING:
    from siting.model.catchments import Catchment

MAX_CELLS = 25_000_000  # about 200 MB of float64; a stray coordinate far away would otherwise exhaust memory
_CHUNK = 2_000_000  # (point, cell) pairs evaluated at once


@dataclass(frozen=True)
class Peak:
    """A local maximum of the surface proposed as a candidate site (cell centre in metres)."""

    easting: float
    northing: float
    density: float
    rank: int

    def to_site(self, prefix: str = "H", name: str = "") -> Site:
        """The peak as a point `Site` with id "H1", "H2", … by rank, named `name` (default "Hotspot 1", …)."""
        return Site.at(f"{prefix}{self.rank}", self.easting, self.northing, name=name or f"Hotspot {self.rank}")


@dataclass(frozen=True, eq=False)
class HotspotSurface:
    """Density on a grid: `density[row, col]`, row 0 at the south; cell (row, col) spans
    [x0 + col·cell, x0 + (col+1)·cell) × [y0 + row·cell, y0 + (row+1)·cell)."""

    x0: float
    y0: float
    cell_m: float
    bandwidth_m: float
    density: NDArray[np.float64]  # harm per km²

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return self.density.shape  # type: ignore[return-value]

    @property
    def cell_area_m2(self) -> float:
        """The area of one cell."""
        return self.cell_m * self.cell_m

    def centres(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Easting and northing of every cell centre, shaped like `density`."""
        rows, cols = self.shape
        xs = self.x0 + (np.arange(cols) + 0.5) * self.cell_m
        ys = self.y0 + (np.arange(rows) + 0.5) * self.cell_m
        return np.meshgrid(xs, ys)  # type: ignore[return-value]

    def cells(self, min_density: float = 0.0) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """(easting, northing, density) of the cells whose density exceeds `min_density`, as flat arrays."""
        keep = self.density > min_density
        rows, cols = np.nonzero(keep)
        return (self.x0 + (cols + 0.5) * self.cell_m, self.y0 + (rows + 0.5) * self.cell_m, self.density[keep])

    def cell_of(self, easting: ArrayLike, northing: ArrayLike) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """(row, col) of the cell holding each point; −1 for points off the grid."""
        col = np.floor((np.asarray(easting, dtype=np.float64) - self.x0) / self.cell_m)
        row = np.floor((np.asarray(northing, dtype=np.float64) - self.y0) / self.cell_m)
        rows, cols = self.shape
        off = ~((row >= 0) & (row < rows) & (col >= 0) & (col < cols))
        return np.where(off, -1, row).astype(np.intp), np.where(off, -1, col).astype(np.intp)

    def peaks(self, k: int = 10, min_separation_m: float = 200.0) -> list[Peak]:
        """Up to `k` local maxima (no higher neighbour among the 8 around), densest first, each at least
        `min_separation_m` from every peak already chosen, so one hotspot does not propose a cluster of sites."""
        from scipy import ndimage  # scipy loads in 0.2 s: only when peaks are asked for, not at start-up

        if k <= 0 or not self.density.size:
            return []
        highest = ndimage.maximum_filter(self.density, size=3, mode="constant", cval=0.0)
        rows, cols = np.nonzero((self.density >= highest) & (self.density > 0))
        values = self.density[rows, cols]
        order = np.lexsort((cols, rows, -values))  # ties in a stable grid order
        chosen: list[Peak] = []
        xs: list[float] = []
        ys: list[float] = []
        for i in order:
            x = self.x0 + (cols[i] + 0.5) * self.cell_m
            y = self.y0 + (rows[i] + 0.5) * self.cell_m
            if xs and np.min(np.hypot(np.subtract(xs, x), np.subtract(ys, y))) < min_separation_m:
                continue
            xs.append(x)
            ys.append(y)
            chosen.append(Peak(float(x), float(y), float(values[i]), len(chosen) + 1))
            if len(chosen) == k:
                break
        return chosen


def quartic(distance_m: ArrayLike, bandwidth_m: float) -> NDArray[np.float64]:
    """The quartic kernel per square metre at these distances (0 at and beyond the bandwidth)."""
    d2 = np.square(np.asarray(distance_m, dtype=np.float64)) / (bandwidth_m * bandwidth_m)
    return np.where(d2 < 1, 3.0 / (math.pi * bandwidth_m * bandwidth_m) * np.square(1 - d2), 0.0)


def hotspot_surface(
    easting: ArrayLike,
    northing: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    cell_m: float = 50.0,
    bandwidth_m: float = 150.0,
    bounds: tuple[float, float, float, float] | None = None,
) -> HotspotSurface:
    """Kernel density of the weighted points (e.g. crimes with their harm weights) in harm per km².

    The grid covers `bounds` (min e, min n, max e, max n) if given, else the points plus one bandwidth. Points with
    no location (NaN) or zero weight are ignored. Crimes are summed per unique point first, then each point adds its
    kernel to the cells within one bandwidth (a window of cells around it, all points at once), so the cost is
    points × window cells, never points × grid cells.
    """
    if cell_m <= 0 or bandwidth_m <= 0:
        raise ValueError("cell size and bandwidth must be positive")
    e, n = np.asarray(easting, dtype=np.float64).ravel(), np.asarray(northing, dtype=np.float64).ravel()
    w = np.ones(len(e)) if weights is None else np.asarray(weights, dtype=np.float64).ravel()
    keep = np.isfinite(e) & np.isfinite(n) & (w != 0)
    ue, un, inverse = unique_points(e[keep], n[keep])
    uw = np.bincount(inverse, weights=w[keep], minlength=len(ue))

    if bounds is None:
        if not len(ue):
            return HotspotSurface(0.0, 0.0, cell_m, bandwidth_m, np.zeros((0, 0)))
        bounds = (ue.min() - bandwidth_m, un.min() - bandwidth_m, ue.max() + bandwidth_m, un.max() + bandwidth_m)
    x0 = math.floor(bounds[0] / cell_m) * cell_m
    y0 = math.floor(bounds[1] / cell_m) * cell_m
    cols = max(1, math.ceil((bounds[2] - x0) / cell_m))
    rows = max(1, math.ceil((bounds[3] - y0) / cell_m))
    if rows * cols > MAX_CELLS:
        raise ValueError(f"a {rows} × {cols} grid is too large: filter crimes to the council's area or give bounds")

    flat = np.zeros(rows * cols, dtype=np.float64)
    reach = math.ceil(bandwidth_m / cell_m) + 1
    offsets = np.arange(-reach, reach + 1)
    d_col, d_row = (a.ravel() for a in np.meshgrid(offsets, offsets))
    step = max(1, _CHUNK // len(d_col))
    for start in range(0, len(ue), step):
        px, py, pw = ue[start:start + step, None], un[start:start + step, None], uw[start:start + step, None]
        col = np.floor((px - x0) / cell_m).astype(np.intp) + d_col
        row = np.floor((py - y0) / cell_m).astype(np.intp) + d_row
        dist = np.hypot(x0 + (col + 0.5) * cell_m - px, y0 + (row + 0.5) * cell_m - py)
        value = quartic(dist, bandwidth_m) * pw
        inside = (value != 0) & (row >= 0) & (row < rows) & (col >= 0) & (col < cols)
        flat += np.bincount(row[inside] * cols + col[inside], weights=value[inside], minlength=rows * cols)
    return HotspotSurface(float(x0), float(y0), float(cell_m), float(bandwidth_m), flat.reshape(rows, cols) * 1e6)


def harm_surface(crimes: CrimeSet, params: ModelParams | None = None, *, cell_m: float = 50.0,
                 bandwidth_m: float = 150.0, bounds: tuple[float, float, float, float] | None = None) -> HotspotSurface:
    """The hotspot surface of the model window's harm (same window and harm profile as `score_sites`)."""
    wp = prepare(crimes, params or ModelParams())
    return hotspot_surface(wp.index.easting, wp.index.northing, wp.harm, cell_m=cell_m, bandwidth_m=bandwidth_m,
                           bounds=bounds)


def named_peaks(crimes: CrimeSet, peaks: Sequence[Peak | Catchment], params: ModelParams | None = None) -> list[Site]:
    """The peaks as sites named by their street (`siting.model.place`), ids "H1", "H2", … by rank."""
    return [site for site, _ in labelled_peaks(crimes, peaks, params)]


def labelled_peaks(crimes: CrimeSet, peaks: Sequence[Peak | Catchment], params: ModelParams | None = None
                   ) -> list[tuple[Site, SiteLabel]]:
    """The peaks as sites named by their street, ids "H1", "H2", … by rank, each with its name and place line.

    A peak with no labelled crime within the radius keeps "Hotspot N". Two peaks on streets of the same name
    (a High Street in two towns) are told apart by the district of their LSOA, then by their id.
    """
    sites = [peak.to_site() for peak in peaks]
    places = site_places(crimes, sites, params) if sites else []
    streets = [street or site.name for site, (street, _, _) in zip(sites, places, strict=True)]
    names = [f"{street}, {lsoa_district(lsoa_name)}" if streets.count(street) > 1 and lsoa_district(lsoa_name)
             else street for street, (_, _, lsoa_name) in zip(streets, places, strict=True)]
    seen: set[str] = set()
    named = []
    for site, name, (street, code, lsoa_name) in zip(sites, names, places, strict=True):
        name = name if names.count(name) == 1 and name.lower() not in seen else f"{name} ({site.site_id})"
        seen.add(name.lower())
        named.append((Site(site.site_id, site.geometry, name), site_label(site.site_id, name, street, code, lsoa_name)))
    return named
