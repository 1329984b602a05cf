"""The 3-year high-harm siting model (DESIGN §4): score candidate sites by the harm within r of each.

Call `score_sites(crimes, sites, cameras, params)` with plain data (a `CrimeSet`, `Site`s, camera eastings/northings)
and get a `ModelRun`: the parameters, the data window and counts, and one `SiteResult` per site. Everything needed
to reproduce a run is in `ModelRun.to_dict()`.

The judgement rules (persistence, trend, how many cameras) are in `siting.model.rules`, written for planners to read.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike

from siting.model.explain import explain_site
from siting.model.harm import HIGH_HARM, HarmProfile, get_profile
from siting.model.inputs import CrimeSet, Site, camera_points, month_date, month_index, month_label
from siting.model.points import WindowPoints, pairs_matrix, window_points
from siting.model.rules import recommend_cameras, sector_of, top_decile, trend_of


@dataclass(frozen=True)
class ModelParams:
    """Every setting of a model run; the defaults are DESIGN §4's. Strings are accepted for month and profile."""

    end_month: date | None = None  # default: the latest month in the data
    window_months: int = 36
    profile: HarmProfile = HIGH_HARM
    radius_m: float = 100.0  # a public-space camera's coverage radius, for sites and existing cameras alike
    persistence_decile: float = 0.9  # "top decile": fewer than 10% of sites score higher in that year
    years_needed: int = 2  # persistent = in the top decile in at least this many of the window's years
    trend_threshold: float = 0.1  # rising/falling when the yearly slope exceeds 10% of the yearly mean
    sector_share: float = 0.25  # a 90° sector needs this share of the marginal harm to earn its own fixed camera
    deployable_per_site: int = 1

    def __post_init__(self) -> None:
        if self.end_month is not None and not isinstance(self.end_month, date):
            object.__setattr__(self, "end_month", month_date(month_index(self.end_month)))
        elif isinstance(self.end_month, date) and self.end_month.day != 1:
            object.__setattr__(self, "end_month", self.end_month.replace(day=1))
        object.__setattr__(self, "profile", get_profile(self.profile))
        if self.window_months <= 0 or self.window_months % 12:
            raise ValueError("window_months must be a positive multiple of 12")
        if not self.radius_m > 0:
            raise ValueError("radius_m must be positive")
        if not 0 < self.persistence_decile < 1:
            raise ValueError("persistence_decile must be between 0 and 1")
        if not 1 <= self.years_needed <= self.years:
            raise ValueError(f"years_needed must be between 1 and {self.years}")
        if not 0 < self.sector_share <= 1 or self.deployable_per_site < 0:
            raise ValueError("sector_share must be in (0, 1] and deployable_per_site ≥ 0")

    @property
    def years(self) -> int:
        """How many 12-month years the window holds."""
        return self.window_months // 12

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters, saved with a run."""
        data = {f: getattr(self, f) for f in self.__dataclass_fields__}
        data["end_month"] = self.end_month.isoformat() if self.end_month else None
        data["profile"] = self.profile.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelParams:
        """The inverse of `to_dict`."""
        values = dict(data)
        profile = values.get("profile", "high-harm")
        values["profile"] = HarmProfile.from_dict(profile) if isinstance(profile, Mapping) else profile
        return cls(**values)


@dataclass(frozen=True)
class SiteResult:
    """One site's figures. Harm is in the profile's unit (crimes for `high-harm`); years run oldest first."""

    site_id: str
    name: str
    harm: float
    harm_by_year: tuple[float, ...]
    harm_crimes: int  # crimes with weight > 0
    harm_crimes_by_year: tuple[int, ...]
    crimes: int  # all crimes within r, any category
    trend_slope: float  # least-squares change in harm per year
    trend: str  # "rising", "falling", "stable", "none" (no harm at all) or "unknown" (one-year window)
    top_decile_years: tuple[bool, ...]
    persistent: bool
    harm_counts: Mapping[str, int]  # crimes with weight > 0, by category
    harm_by_category: Mapping[str, float]
    crime_counts: Mapping[str, int]  # all crimes by category, as context
    covered_harm: float  # harm within r of an existing working camera
    covered_share: float | None  # covered_harm / harm; None when there is no harm
    marginal: float  # harm not yet covered: what a new camera here adds
    rank: int  # 1 = best: by marginal, then by harm, then input order
    fixed_cameras: int
    deployable_cameras: int
    directions: tuple[str, ...]  # the sectors that earned a fixed camera
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        data = asdict(self)
        for key in ("harm_counts", "harm_by_category", "crime_counts"):
            data[key] = dict(getattr(self, key))
        return data


@dataclass(frozen=True)
class ModelRun:
    """A whole run: parameters, data window and counts, and the results in the order the sites were given."""

    params: ModelParams
    window_first: date
    window_last: date
    years: tuple[tuple[date, date], ...]
    crimes_total: int
    crimes_without_location: int
    crimes_in_window: int  # located crimes in the window
    crimes_with_harm: int  # ... of which weigh more than 0
    unique_points: int
    sites: int
    cameras: int
    unknown_categories: tuple[str, ...]
    months_missing: tuple[date, ...]  # months in the window with no crimes at all: a gap in the data
    results: tuple[SiteResult, ...]
    seconds: float = field(default=0.0, compare=False)

    def notes(self) -> list[str]:
        """Warnings a reader of the result should see: gaps in the data, unlocated crimes, unknown categories."""
        notes = []
        if self.months_missing:
            gaps = ", ".join(month_label(m) for m in self.months_missing[:6])
            more = f" and {len(self.months_missing) - 6} more" if len(self.months_missing) > 6 else ""
            notes.append(f"{len(self.months_missing)} of the {self.params.window_months} months have no crime data "
                         f"({gaps}{more}); scores for those months are missing, not zero.")
        if self.crimes_without_location:
            notes.append(f"{self.crimes_without_location:,} of {self.crimes_total:,} crimes have no location and are "
                         "left out.")
        if self.unknown_categories:
            notes.append(f"Categories not in the {self.params.profile.name} table weigh 0: "
                         f"{', '.join(self.unknown_categories)}.")
        return notes

    def ranked(self) -> list[SiteResult]:
        """The results best first."""
        return sorted(self.results, key=lambda r: r.rank)

    def result(self, site_id: str) -> SiteResult:
        """One site's result by its id."""
        for result in self.results:
            if result.site_id == site_id:
                return result
        raise KeyError(site_id)

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to save, reproduce and compare the run, JSON-ready."""
        return {
            "params": self.params.to_dict(),
            "window": [self.window_first.isoformat(), self.window_last.isoformat()],
            "years": [[a.isoformat(), b.isoformat()] for a, b in self.years],
            "counts": {k: getattr(self, k) for k in ("crimes_total", "crimes_without_location", "crimes_in_window",
                                                       "crimes_with_harm", "unique_points", "sites", "cameras")},
            "unknown_categories": list(self.unknown_categories),
            "months_missing": [m.isoformat() for m in self.months_missing],
            "results": [r.to_dict() for r in self.results],
        }


def prepare(crimes: CrimeSet, params: ModelParams) -> WindowPoints:
    """The window's crimes aggregated to unique points under `params` (shared with best-K and validation)."""
    end = month_index(params.end_month) if params.end_month else None
    return window_points(crimes, params.profile, end_month=end, window_months=params.window_months)


def score_sites(
    crimes: CrimeSet,
    sites: Sequence[Site],
    cameras: ArrayLike | Sequence[shapely.Geometry] | None = None,
    params: ModelParams | None = None,
) -> ModelRun:
    """Score every candidate site; `cameras` are the existing working cameras as (easting, northing) rows."""
    started = time.perf_counter()
    params = params or ModelParams()
    ids = [s.site_id for s in sites]
    if len(set(ids)) != len(ids):
        raise ValueError("site ids must be unique")
    wp = prepare(crimes, params)
    cams = camera_points(cameras)
    r = params.radius_m
    site_idx, point_idx = wp.index.pairs([s.geometry for s in sites], r)
    matrix = pairs_matrix(site_idx, point_idx, (len(sites), len(wp.index)))
    harm_year = matrix @ wp.harm_by_year
    harm = harm_year.sum(axis=1)
    harm_crimes_year = np.rint(matrix @ wp.harm_crimes_by_year).astype(int)
    crimes_cat = np.rint(matrix @ wp.crimes_by_category).astype(int)
    harm_cat = matrix @ wp.harm_by_category
    harm_count_cat = np.rint(matrix @ (wp.crimes_by_category * (wp.category_weights > 0))).astype(int)
    covered_point = wp.index.covered(cams, r)
    point_harm = wp.harm
    covered = matrix @ (point_harm * covered_point)
    marginal = np.maximum(harm - covered, 0.0)

    # The harm each site would add, split by direction from its centre, for the one-camera-per-sector rule.
    centres = np.array([s.centre for s in sites], dtype=np.float64).reshape(-1, 2)
    sector = sector_of(wp.index.easting[point_idx] - centres[site_idx, 0],
                       wp.index.northing[point_idx] - centres[site_idx, 1])
    new_harm = np.where(sector >= 0, point_harm[point_idx] * ~covered_point[point_idx], 0.0)
    by_sector = np.bincount(site_idx * 4 + np.maximum(sector, 0), weights=new_harm,
                            minlength=len(sites) * 4).reshape(-1, 4)

    tops = np.column_stack([top_decile(harm_year[:, y], params.persistence_decile) for y in range(wp.years)]) \
        if len(sites) else np.zeros((0, wp.years), dtype=bool)
    slope, words = trend_of(harm_year, params.trend_threshold)
    order = np.lexsort((np.arange(len(sites)), -harm, -marginal))
    rank = np.empty(len(sites), dtype=int)
    rank[order] = np.arange(1, len(sites) + 1)
    names = wp.categories
    years = tuple((month_date(a), month_date(b)) for a, b in wp.year_bounds())

    results = []
    for i, site in enumerate(sites):
        fixed, deployable, earned = recommend_cameras(by_sector[i], float(marginal[i]), words[i],
                                                      params.sector_share, params.deployable_per_site)
        result = SiteResult(
            site_id=site.site_id,
            name=site.name,
            harm=float(harm[i]),
            harm_by_year=tuple(float(v) for v in harm_year[i]),
            harm_crimes=int(harm_crimes_year[i].sum()),
            harm_crimes_by_year=tuple(int(v) for v in harm_crimes_year[i]),
            crimes=int(crimes_cat[i].sum()),
            trend_slope=float(slope[i]),
            trend=words[i],
            top_decile_years=tuple(bool(v) for v in tops[i]),
            persistent=int(tops[i].sum()) >= params.years_needed,
            harm_counts={names[c]: int(v) for c, v in enumerate(harm_count_cat[i]) if v},
            harm_by_category={names[c]: float(v) for c, v in enumerate(harm_cat[i]) if v},
            crime_counts={names[c]: int(v) for c, v in enumerate(crimes_cat[i]) if v},
            covered_harm=float(covered[i]),
            covered_share=float(covered[i] / harm[i]) if harm[i] > 0 else None,
            marginal=float(marginal[i]),
            rank=int(rank[i]),
            fixed_cameras=fixed,
            deployable_cameras=deployable,
            directions=earned,
        )
        results.append(result)
    results = [_with_explanation(r, params, wp, site) for r, site in zip(results, sites, strict=True)]
    return ModelRun(
        params=params,
        window_first=month_date(wp.first_month),
        window_last=month_date(wp.last_month),
        years=years,
        crimes_total=wp.crimes_total,
        crimes_without_location=wp.crimes_without_location,
        crimes_in_window=wp.crimes_in_window,
        crimes_with_harm=wp.crimes_with_harm,
        unique_points=len(wp.index),
        sites=len(sites),
        cameras=len(cams),
        unknown_categories=wp.unknown_categories,
        months_missing=tuple(month_date(m) for m in wp.months_missing),
        results=tuple(results),
        seconds=time.perf_counter() - started,
    )


def _with_explanation(result: SiteResult, params: ModelParams, wp: WindowPoints, site: Site) -> SiteResult:
    text = explain_site(result, params, month_date(wp.last_month), is_point=shapely.get_type_id(site.geometry) == 0)
    return replace(result, explanation=text)
