"""Candidate sites where a camera's catchment holds the most harm: the model's own proposals.

A kernel-density surface (`siting.model.hotspots`) smooths every crime over 150 m and proposes its peaks, which is
what an analyst does by hand. A camera, though, sees a disc of radius r, and police.uk publishes crimes at a fixed set
of snap points that recur month after month. So the model proposes the centres whose r-disc holds the most harm
itself: every point of a fine grid (25 m by default) within reach of the window's harm is a candidate, each is
scored by the harm within r of it, and the best are kept greedily by the harm no earlier pick already sees (maximum
coverage), each at least 2r from those already kept so that no two catchments overlap. Harm recorded at places
where crimes are recorded rather than committed (`siting.model.recorded_at`: hospitals, police stations, prisons)
is left out, since a street camera there would not see it.

Measured on Hertfordshire 2025 (bench/siting_validity.py), these proposals catch more of the held-out months' harm
than the same number of kernel-density peaks with the same radius; the README gives the figures.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from siting.model.inputs import CrimeSet, Site
from siting.model.points import WindowPoints, unique_points, weight_within
from siting.model.run import ModelParams
from siting.model.scoring import prepare

DEFAULT_STEP_M = 25.0
MAX_CANDIDATES = 5_000_000  # about 120 MB of coordinates: a force's year of data is well under it


@dataclass(frozen=True)
class Catchment:
    """A proposed site: the centre of a disc of radius r and the harm inside it (recorded-at places left out)."""

    easting: float
    northing: float
    harm: float
    rank: int

    def to_site(self, prefix: str = "H") -> Site:
        """The catchment as a point `Site` with id "H1", "H2", … by rank, named "Hotspot 1", … (as a density peak
        is, so `siting.model.hotspots.labelled_peaks` names either by its street)."""
        return Site.at(f"{prefix}{self.rank}", self.easting, self.northing, name=f"Hotspot {self.rank}")

    def note(self, params: ModelParams) -> str:
        """What a kept candidate site records of how it was found."""
        return f"Hotspot catchment, {self.harm:,.1f} {params.profile.label} within {params.radius_m:g} m"


def street_harm(wp: WindowPoints) -> NDArray[np.float64]:
    """Each unique point's harm over the window, less what is recorded at hospitals, police stations and prisons."""
    harm = wp.harm
    if wp.recorded_harm is None:
        return harm
    return np.maximum(harm - wp.recorded_harm, 0.0)


def candidate_grid(easting: NDArray[np.float64], northing: NDArray[np.float64], reach_m: float,
                   step_m: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The nodes of a `step_m` grid (aligned to multiples of it in National Grid metres) within `reach_m` of any of
    the points, each once."""
    if not len(easting):
        return np.zeros(0), np.zeros(0)
    span = int(np.ceil(reach_m / step_m))
    offsets = np.arange(-span, span + 1)
    dx, dy = (a.ravel() for a in np.meshgrid(offsets, offsets))
    disc = dx * dx + dy * dy <= (span + 1) ** 2  # the square's corners are beyond reach of every point
    dx, dy = dx[disc], dy[disc]
    if len(easting) * len(dx) > MAX_CANDIDATES:
        raise ValueError(f"{len(easting):,} points at a {step_m:g} m step make too many candidate sites: "
                         "filter the crimes to the council's area, or use a coarser step")
    col = (np.rint(easting / step_m)[:, None] + dx).ravel()
    row = (np.rint(northing / step_m)[:, None] + dy).ravel()
    x, y, _ = unique_points(col, row)
    return x * step_m, y * step_m


def best_catchments(crimes: CrimeSet, params: ModelParams | None = None, *, k: int = 10,
                    area: shapely.Geometry | None = None, step_m: float = DEFAULT_STEP_M,
                    min_separation_m: float | None = None) -> list[Catchment]:
    """Up to `k` sites, best first, whose r-disc holds the most of the window's street harm (see the module).

    `area` (National Grid metres) keeps only centres inside it, e.g. the council's boundary; `min_separation_m`
    defaults to twice the radius.
    """
    params = params or ModelParams()
    if k <= 0:
        return []
    if step_m <= 0:
        raise ValueError("the grid step must be positive")
    radius = params.radius_m
    separation = 2 * radius if min_separation_m is None else min_separation_m
    wp = prepare(crimes, params)
    harm = street_harm(wp)
    keep = harm > 0
    pe, pn, pw = wp.index.easting[keep], wp.index.northing[keep], harm[keep]
    cx, cy = candidate_grid(pe, pn, radius, step_m)
    if area is not None and len(cx):
        inside = shapely.intersects_xy(area, cx, cy)
        cx, cy = cx[inside], cy[inside]
    score = weight_within(cx, cy, pe, pn, pw, radius)
    # Among centres that see the same harm, the one nearest to it: a camera in the middle of the crimes, not at the
    # edge of its reach. Harm within r/2 and r/4 break the ties, then the grid order.
    closer = (weight_within(cx, cy, pe, pn, pw, radius / 2), weight_within(cx, cy, pe, pn, pw, radius / 4))
    return _greedy(cx, cy, score, closer, (pe, pn, pw), radius, separation, k)


def _greedy(cx: NDArray[np.float64], cy: NDArray[np.float64], score: NDArray[np.float64],
            closer: tuple[NDArray[np.float64], NDArray[np.float64]], points: tuple[NDArray[np.float64], ...],
            radius: float, separation: float, k: int) -> list[Catchment]:
    """Greedy maximum coverage: each pick sees the most harm not yet seen by an earlier one (ties to the centre
    nearer the harm, `closer`), at least `separation` from them. Lazy: a candidate's full score bounds what it can
    still add, so most are never re-counted."""
    pe, pn, pw = points
    uncovered = pw.copy()
    heap = [(-float(v), -float(closer[0][i]), -float(closer[1][i]), i) for i, v in enumerate(score) if v > 0]
    heapq.heapify(heap)  # then ties pop in grid order (the candidates are sorted), so runs repeat exactly
    chosen: list[Catchment] = []
    while heap and len(chosen) < k:
        _, near_half, near_quarter, i = heapq.heappop(heap)
        x, y = float(cx[i]), float(cy[i])
        if any((x - c.easting) ** 2 + (y - c.northing) ** 2 < separation * separation for c in chosen):
            continue
        near = np.sqrt((pe - x) ** 2 + (pn - y) ** 2) <= radius
        gain = float(uncovered[near].sum())
        if gain <= 0:
            continue
        if heap and gain < -heap[0][0] - 1e-9:  # another may now add more: put this one back at its true value
            heapq.heappush(heap, (-gain, near_half, near_quarter, i))
            continue
        chosen.append(Catchment(x, y, gain, len(chosen) + 1))
        uncovered[near] = 0.0
    return chosen
