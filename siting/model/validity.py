"""Does the model beat an analyst's afternoon? Its top sites against kernel-density peaks on held-out months.

An analyst without this tool would draw a kernel-density map of the training months' high-harm crimes and put
cameras on its K highest peaks. `rolling_validation` asks whether the model's K proposals
(`siting.model.catchments`) catch more of the next months' harm than those K peaks, with the same radius, the same
study area (the council's boundary) and the same test crimes, at several train/test splits ("rolling origins": the
test months slide back one month at a time, each split trained only on the months before its test months).

Both are scored on the harm of the test months inside the study area that a street camera could address: crimes
at places where they are recorded rather than committed (`siting.model.recorded_at`: hospitals, police stations,
prisons) are left out. The figure with them kept ("all") is reported beside it. The PAI (captured share ÷ area
share, `siting.model.validate.pai`) compares methods that flag different areas; the classic equal-area cells of
the same surface are reported too.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import box

from siting.model.catchments import best_catchments
from siting.model.hotspots import HotspotSurface, hotspot_surface
from siting.model.inputs import CrimeSet, month_date, month_label
from siting.model.points import PointIndex, unique_points
from siting.model.recorded_at import recorded_at_codes
from siting.model.run import ModelParams
from siting.model.scoring import prepare
from siting.model.validate import PaiScore, cells_score

CELL_M = 50.0  # DESIGN §4's hotspot grid
BANDWIDTH_M = 150.0


@dataclass(frozen=True)
class TestHarm:
    """The test months' harm per unique point inside the study area; `street` leaves out recorded-at places."""

    easting: NDArray[np.float64]
    northing: NDArray[np.float64]
    street: NDArray[np.float64]
    every: NDArray[np.float64]

    def caught(self, xy: Sequence[tuple[float, float]], radius_m: float) -> tuple[float, float]:
        """(street harm, all harm) within `radius_m` of any of the sites."""
        hit = np.zeros(len(self.easting), dtype=bool)
        if len(xy) and len(self.easting):
            hit[PointIndex(self.easting, self.northing).pairs(list(shapely.points(np.asarray(xy))), radius_m)[1]] = True
        return float(self.street[hit].sum()), float(self.every[hit].sum())


@dataclass(frozen=True)
class Split:
    """One train/test split: the model's top sites, the density peaks and the equal-area cells, scored alike."""

    train_first: date
    train_last: date
    test_first: date
    test_last: date
    model: PaiScore
    peaks: PaiScore
    cells: PaiScore
    model_all: PaiScore  # the same sites scored on every high-harm test crime, recorded-at places included
    peaks_all: PaiScore
    sites: tuple[tuple[float, float], ...]  # the model's sites, best first (National Grid metres)

    @property
    def ratio_vs_peaks(self) -> float | None:
        """The model's PAI over the peaks' (None when either is undefined)."""
        return _ratio(self.model.pai, self.peaks.pai)

    @property
    def ratio_vs_cells(self) -> float | None:
        """The model's PAI over the equal-area cells'."""
        return _ratio(self.model.pai, self.cells.pai)

    def line(self) -> str:
        """"train Jan 2025–Jun 2025, test Jul 2025–Sep 2025: model 162 (PAI 40.1), peaks 87 (21.5): 1.86×"."""
        def score(s: PaiScore) -> str:
            return f"{s.captured_harm:,.0f} (PAI {'n/a' if s.pai is None else f'{s.pai:,.1f}'})"

        ratio = self.ratio_vs_peaks
        return (f"train {month_label(self.train_first)}–{month_label(self.train_last)}, test "
                f"{month_label(self.test_first)}–{month_label(self.test_last)}: model {score(self.model)}, "
                f"peaks {score(self.peaks)}, equal-area cells {score(self.cells)} of {self.model.total_harm:,.0f}; "
                f"model ÷ peaks {'n/a' if ratio is None else f'{ratio:.2f}×'}")


@dataclass(frozen=True)
class RollingValidation:
    """Every split and the medians over them."""

    params: ModelParams
    top_n: int
    test_months: int
    study_area_m2: float
    splits: tuple[Split, ...]

    @property
    def median_vs_peaks(self) -> float | None:
        """The median over splits of the model's PAI ÷ the peaks' PAI."""
        return _median([s.ratio_vs_peaks for s in self.splits])

    @property
    def median_vs_cells(self) -> float | None:
        """The median over splits of the model's PAI ÷ the equal-area cells' PAI."""
        return _median([s.ratio_vs_cells for s in self.splits])

    def explanation(self) -> str:
        """A paragraph a planner can read."""
        peaks, cells = self.median_vs_peaks, self.median_vs_cells
        if peaks is None:
            return (f"Over {len(self.splits)} train/test splits the kernel-density peaks caught none of the held-out "
                    "harm, so no ratio can be given: compare the figures of each split.")
        verdict = "better than" if peaks > 1.05 else "worse than" if peaks < 0.95 else "about the same as"
        return (f"Over {len(self.splits)} train/test splits ({self.test_months} test months each), the model's top "
                f"{self.top_n} sites caught held-out harm {peaks:.2f} times as well per square metre as the top "
                f"{self.top_n} peaks of a kernel-density map of the same training crimes (median PAI ratio; "
                f"{'n/a' if cells is None else f'{cells:.2f}'} times the densest cells of equal area): "
                f"{verdict} an analyst's hotspot map. Crimes recorded at hospitals, police stations and prisons "
                "are left out of the test, as no street camera would see them.")


def rolling_validation(crimes: CrimeSet, area: shapely.Geometry | None = None, *, params: ModelParams | None = None,
                       top_n: int = 10, test_months: int = 3, origins: int = 4) -> RollingValidation:
    """Validate at `origins` splits whose `test_months` end at the latest month and then one month earlier each.

    `area` is the study area in National Grid metres (the council's boundary); without it, the bounding box of the
    located crimes grown by the radius. Each split trains on the months held before its test months
    (`params.window_months` if set).
    """
    params = params or ModelParams()
    if test_months <= 0 or top_n <= 0 or origins <= 0:
        raise ValueError("test months, top sites and origins must be positive")
    located = crimes.located
    if not located.any():
        raise ValueError("no located crimes to validate on")
    study = area if area is not None else box(*_bounds(crimes.easting[located], crimes.northing[located],
                                                       params.radius_m))
    shapely.prepare(study)
    last = int(crimes.month[located].max())
    splits = []
    for back in range(origins):
        train_last = last - test_months - back
        if train_last < int(crimes.month[located].min()):
            break
        split = _split(crimes, study, replace(params, end_month=month_date(train_last)), top_n, test_months)
        if split is not None:
            splits.append(split)
    if not splits:
        raise ValueError("too few months for a train/test split: import more months of crimes")
    return RollingValidation(params, top_n, test_months, float(study.area), tuple(reversed(splits)))


def _split(crimes: CrimeSet, study: shapely.Geometry, params: ModelParams, top_n: int, test_months: int
           ) -> Split | None:
    """One split trained up to `params.end_month`; None when its test months hold no harm in the study area."""
    wp = prepare(crimes, params)
    test = _test_harm(crimes, params, study, wp.last_month + 1, wp.last_month + test_months)
    total, total_all = float(test.street.sum()), float(test.every.sum())
    if total <= 0:
        return None
    radius = params.radius_m
    model_xy = [(c.easting, c.northing) for c in best_catchments(crimes, params, k=top_n, area=study)]
    surface = _inside(hotspot_surface(wp.index.easting, wp.index.northing, wp.harm, cell_m=CELL_M,
                                      bandwidth_m=BANDWIDTH_M, bounds=study.bounds), study)
    peaks_xy = [(p.easting, p.northing) for p in surface.peaks(top_n, min_separation_m=2 * radius)]

    def scored(method: str, xy: list[tuple[float, float]]) -> tuple[PaiScore, PaiScore]:
        flagged = _flagged_area(xy, radius, study)
        street, every = test.caught(xy, radius)
        return (PaiScore(method, street, total, flagged, float(study.area)),
                PaiScore(method, every, total_all, flagged, float(study.area)))

    model, model_all = scored("model top sites", model_xy)
    peaks, peaks_all = scored("kernel-density peaks", peaks_xy)
    cells = cells_score(surface, study, model.flagged_area_m2, test.easting, test.northing, test.street)
    return Split(month_date(wp.first_month), month_date(wp.last_month), month_date(wp.last_month + 1),
                 month_date(wp.last_month + test_months), model, peaks, cells, model_all, peaks_all,
                 tuple(model_xy))


def _test_harm(crimes: CrimeSet, params: ModelParams, study: shapely.Geometry, first: int, last: int) -> TestHarm:
    """The harm of months `first`..`last` inside the study area per unique point, street and all."""
    is_test = crimes.located & (crimes.month >= first) & (crimes.month <= last)
    is_test[is_test] = shapely.intersects_xy(study, crimes.easting[is_test], crimes.northing[is_test])
    weights = params.profile.weights_for(crimes.categories)[crimes.category[is_test]]
    recorded = np.zeros(int(is_test.sum()), dtype=bool)
    if crimes.location is not None and crimes.locations:
        recorded = recorded_at_codes(crimes.locations)[crimes.location[is_test]]
    te, tn, point = unique_points(crimes.easting[is_test], crimes.northing[is_test])
    every = np.bincount(point, weights=weights, minlength=len(te))
    street = np.bincount(point, weights=np.where(recorded, 0.0, weights), minlength=len(te))
    return TestHarm(te, tn, street, every)


def _inside(surface: HotspotSurface, study: shapely.Geometry) -> HotspotSurface:
    """The surface with every cell whose centre is outside the study area set to 0 (no peak proposed there)."""
    ce, cn = surface.centres()
    density = np.where(shapely.intersects_xy(study, ce, cn), surface.density, 0.0)
    return replace(surface, density=density)


def _flagged_area(xy: Sequence[tuple[float, float]], radius_m: float, study: shapely.Geometry) -> float:
    """The area of the union of the sites' discs inside the study area."""
    if not xy:
        return 0.0
    discs = shapely.buffer(shapely.points(np.asarray(xy)), radius_m, quad_segs=64)
    return float(shapely.union_all(discs).intersection(study).area)


def _bounds(e: NDArray[np.float64], n: NDArray[np.float64], pad: float) -> tuple[float, float, float, float]:
    """The points' bounding box grown by `pad` metres (so a site at its edge keeps its whole disc)."""
    return float(e.min()) - pad, float(n.min()) - pad, float(e.max()) + pad, float(n.max()) + pad


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None
