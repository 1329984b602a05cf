"""Does the model point at next period's harm? The Predictive Accuracy Index on held-out months.

PAI = (share of the test period's harm captured) ÷ (share of the study area flagged). 1 is no better than chance;
crime-mapping studies commonly report 5–20 for good hotspot methods. The model is scored on a training window (the
36 months ending `params.end_month`, by default the last month before the test months); its top N sites by harm
flag the union of their catchments. The baseline flags the densest cells of a plain kernel-density surface of the
same training harm, as many cells as cover the same area, so the two are compared at the same share of area.
Existing cameras play no part: this tests prediction, not what is already watched.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import box

from siting.model.explain import number, percent
from siting.model.hotspots import HotspotSurface, hotspot_surface
from siting.model.inputs import CrimeSet, Site, month_date, month_index, month_label
from siting.model.points import PointIndex, held_window, unique_points
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from siting.sources.area import AreaFilter


def pai(captured: float, total: float, flagged_area_m2: float, study_area_m2: float) -> float | None:
    """(captured ÷ total) ÷ (flagged area ÷ study area); None when either share is undefined (nothing to find)."""
    if total <= 0 or flagged_area_m2 <= 0 or study_area_m2 <= 0:
        return None
    return (captured / total) / (flagged_area_m2 / study_area_m2)


@dataclass(frozen=True)
class PaiScore:
    """One method's hit rate and area on the test months."""

    method: str
    captured_harm: float
    total_harm: float
    flagged_area_m2: float
    study_area_m2: float

    @property
    def hit_share(self) -> float:
        """Share of the test period's harm inside the flagged area."""
        return self.captured_harm / self.total_harm if self.total_harm > 0 else 0.0

    @property
    def area_share(self) -> float:
        """Share of the study area flagged."""
        return self.flagged_area_m2 / self.study_area_m2 if self.study_area_m2 > 0 else 0.0

    @property
    def pai(self) -> float | None:
        """The Predictive Accuracy Index."""
        return pai(self.captured_harm, self.total_harm, self.flagged_area_m2, self.study_area_m2)


@dataclass(frozen=True)
class Validation:
    """The model's top sites against the kernel-density baseline on the same held-out months."""

    params: ModelParams
    train_first: str  # ISO dates of first days of months
    train_last: str
    test_first: str
    test_last: str
    top_n: int
    site_ids: tuple[str, ...]
    model: PaiScore
    baseline: PaiScore
    top_sites: tuple[str, ...] = ()  # the top sites as "name — place" (`SiteResult.label`), best first

    def explanation(self) -> str:
        """A paragraph a planner can read."""
        def describe(score: PaiScore) -> str:
            value = "undefined" if score.pai is None else f"{score.pai:,.1f}"
            return f"{number(score.captured_harm)} ({percent(score.hit_share)}, PAI {value})"

        def month(iso: str) -> str:
            return month_label(month_index(iso))

        area = f"{self.model.area_share * 100:.2g}%"
        return (f"Scored on {month(self.train_first)} to {month(self.train_last)} and tested on "
                f"{month(self.test_first)} to {month(self.test_last)}: the top {self.top_n} sites cover {area} of the "
                f"study area and caught {describe(self.model)} of the {number(self.model.total_harm)} "
                f"{self.params.profile.label} in the test months; the densest hotspot cells covering the same area "
                f"caught {describe(self.baseline)}. A PAI of 1 is no better than chance; higher is better.")


def cells_score(surface: HotspotSurface, study: shapely.Geometry, flagged_area_m2: float,
                te: NDArray[np.float64], tn: NDArray[np.float64], test_harm: NDArray[np.float64]) -> PaiScore:
    """The classic equal-area baseline: the densest cells of `surface` inside the study area, as many as cover
    `flagged_area_m2`, scored on the test harm at points (te, tn)."""
    ce, cn = surface.centres()
    in_study = shapely.intersects_xy(study, ce, cn)
    density = np.where(in_study, surface.density, -np.inf).ravel()
    cells = max(1, math.floor(flagged_area_m2 / surface.cell_area_m2 + 0.5))
    flagged_cells = np.zeros(density.size, dtype=bool)
    flagged_cells[np.argsort(-density, kind="stable")[:cells]] = True
    flagged_cells &= np.isfinite(density)
    row, col = surface.cell_of(te, tn)
    on_grid = row >= 0
    cell_hit = np.zeros(len(te), dtype=bool)
    cell_hit[on_grid] = flagged_cells[row[on_grid] * surface.shape[1] + col[on_grid]]
    return PaiScore("kernel density", float(test_harm[cell_hit].sum()), float(test_harm.sum()),
                    float(flagged_cells.sum() * surface.cell_area_m2), float(study.area))


def validate(
    crimes: CrimeSet,
    sites: Sequence[Site],
    *,
    params: ModelParams | None = None,
    test_months: int = 3,
    top_n: int = 10,
    area: AreaFilter | None = None,
    cell_m: float = 50.0,
    bandwidth_m: float = 150.0,
) -> Validation:
    """PAI of the top `top_n` sites scored before the test months, and of the kernel-density baseline.

    The study area is `area` if given, otherwise the bounding box of the located crimes in the training and test
    months. Test harm outside the study area is left out of both shares.
    """
    params = params or ModelParams()
    if test_months <= 0 or top_n <= 0:
        raise ValueError("test_months and top_n must be positive")
    if params.end_month is None:
        if not len(crimes):
            raise ValueError("no crimes to validate on")
        params = replace(params, end_month=month_date(int(crimes.month.max()) - test_months))
    train_last = month_index(params.end_month)  # type: ignore[arg-type]
    if params.window_months is None:  # the months held before the test months, as a scoring run would take
        params = replace(params, window_months=held_window(crimes.month, train_last))
    train_first = train_last - params.window_months + 1  # type: ignore[operator]
    test_first, test_last = train_last + 1, train_last + test_months
    located = crimes.located
    if not (located & (crimes.month >= test_first) & (crimes.month <= test_last)).any():
        raise ValueError(f"no located crimes in the test months {month_label(test_first)}–{month_label(test_last)}")

    if area is not None:
        study = area.geometry_bng
    else:
        used = located & (crimes.month >= train_first) & (crimes.month <= test_last)
        e, n = crimes.easting[used], crimes.northing[used]
        study = box(e.min(), n.min(), max(e.max(), e.min() + 1), max(n.max(), n.min() + 1))
    study_area = float(study.area)
    shapely.prepare(study)

    # The test period's harm, per unique point, inside the study area.
    weights = params.profile.weights_for(crimes.categories)
    is_test = located & (crimes.month >= test_first) & (crimes.month <= test_last)
    test = crimes.subset(is_test)
    inside = shapely.intersects_xy(study, test.easting, test.northing)
    test = test.subset(inside)
    te, tn, which = unique_points(test.easting, test.northing)
    test_harm = np.bincount(which, weights=weights[test.category], minlength=len(te)) if len(te) else np.empty(0)
    total = float(test_harm.sum())

    # Model: the top sites on the training window (no cameras, so ranked by harm).
    run = score_sites(crimes, sites, None, params)
    top = [r.site_id for r in run.top(top_n)]
    top_sites = tuple(str(r.label()) for r in run.top(top_n))
    by_id = {s.site_id: s for s in sites}
    chosen = [by_id[i].geometry for i in top]
    flagged = shapely.union_all([g.buffer(params.radius_m, quad_segs=64) for g in chosen]).intersection(study)
    hit = np.zeros(len(te), dtype=bool)
    if len(te):
        hit[PointIndex(te, tn).pairs(chosen, params.radius_m)[1]] = True
    model = PaiScore("model top sites", float(test_harm[hit].sum()), total, float(flagged.area), study_area)

    # Baseline: the densest training-harm cells covering the same area.
    train = crimes.subset(located & (crimes.month >= train_first) & (crimes.month <= train_last))
    surface = hotspot_surface(train.easting, train.northing, weights[train.category], cell_m=cell_m,
                              bandwidth_m=bandwidth_m, bounds=study.bounds)
    baseline = cells_score(surface, study, float(flagged.area), te, tn, test_harm)
    return Validation(params, month_date(train_first).isoformat(), month_date(train_last).isoformat(),
                      month_date(test_first).isoformat(), month_date(test_last).isoformat(), top_n, tuple(top),
                      model, baseline, top_sites)
