"""The 3-year high-harm siting model (DESIGN §4): score candidate sites by the harm within r of each.

Call `score_sites(crimes, sites, cameras, params)` with plain data (a `CrimeSet`, `Site`s, camera eastings/northings)
and get a `ModelRun`: the parameters, the data window and counts, and one `SiteResult` per site. Those types are in
`siting.model.run`; everything needed to reproduce a run is in `ModelRun.to_dict()`.

The judgement rules (persistence, trend, how many cameras) are in `siting.model.rules`, written for planners to read.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from siting.model.explain import explain_site
from siting.model.inputs import CrimeSet, Site, camera_points, month_date, month_index, year_label
from siting.model.points import WindowPoints, pairs_matrix, window_points
from siting.model.rules import persistence, recommend_cameras, sector_of, top_decile, trend_of, year_rates
from siting.model.run import ModelParams, ModelRun, SiteResult

if TYPE_CHECKING:
    from scipy import sparse


def prepare(crimes: CrimeSet, params: ModelParams) -> WindowPoints:
    """The window's crimes aggregated to unique points under `params` (shared with best-K and validation)."""
    end = month_index(params.end_month) if params.end_month else None
    return window_points(crimes, params.profile, end_month=end, window_months=params.window_months)


def site_places(crimes: CrimeSet, sites: Sequence[Site], params: ModelParams | None = None
                ) -> list[tuple[str, str, str]]:
    """(street, LSOA code, LSOA name) of each site from the window's crimes within the radius (`siting.model.place`)."""
    params = params or ModelParams()
    wp = prepare(crimes, params)
    site_idx, point_idx = wp.index.pairs([s.geometry for s in sites], params.radius_m)
    return wp.places(pairs_matrix(site_idx, point_idx, (len(sites), len(wp.index))))


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
    if params.window_months is None:  # the run records the window it used, taken from the months held
        params = replace(params, window_months=wp.years * 12)
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

    years = tuple((month_date(a), month_date(b)) for a, b in wp.year_bounds())
    labels = tuple(year_label(a, b) for a, b in years)
    rates = year_rates(harm_year, wp.months_held, params.min_months_per_year)
    usable = np.array([h >= params.min_months_per_year for h in wp.months_held], dtype=bool)
    tops = np.column_stack([top_decile(harm_year[:, y], params.persistence_decile) for y in range(wp.years)]) \
        if len(sites) else np.zeros((0, wp.years), dtype=bool)
    slope, words, bases = trend_of(rates, harm, params.trend_threshold, labels)
    top_point, recorded, recorded_label = _single_points(matrix, point_harm, wp)
    places = wp.places(matrix)
    with np.errstate(divide="ignore", invalid="ignore"):
        top_share = np.where(harm > 0, top_point / harm, np.nan)
        recorded_share = np.where(harm > 0, recorded / harm, np.nan)
    flagged = recorded_share >= params.recorded_at_share - 1e-9  # NaN (no harm) compares False
    held_back = flagged & (not params.include_recorded_at)
    order = np.lexsort((np.arange(len(sites)), -harm, -marginal, held_back))  # held-back sites rank last
    rank = np.empty(len(sites), dtype=int)
    rank[order] = np.arange(1, len(sites) + 1)
    names = wp.categories

    results = []
    for i, site in enumerate(sites):
        fixed, deployable, earned = recommend_cameras(by_sector[i], float(marginal[i]), words[i],
                                                      params.sector_share, params.deployable_per_site)
        if held_back[i]:  # crimes recorded here happened elsewhere: a camera here would not see them
            fixed, deployable, earned = 0, 0, ()
        result = SiteResult(
            site_id=site.site_id,
            name=site.name,
            harm=float(harm[i]),
            harm_by_year=tuple(float(v) for v in harm_year[i]),
            months_held_by_year=wp.months_held,
            rate_by_year=tuple(None if np.isnan(v) else float(v) for v in rates[i]),
            year_labels=labels,
            harm_crimes=int(harm_crimes_year[i].sum()),
            harm_crimes_by_year=tuple(int(v) for v in harm_crimes_year[i]),
            crimes=int(crimes_cat[i].sum()),
            trend_slope=float(slope[i]),
            trend=words[i],
            trend_basis=bases[i],
            top_decile_years=tuple(bool(v) if ok else None for v, ok in zip(tops[i], usable, strict=True)),
            persistent=persistence(tops[i], usable, params.years_needed),
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
            top_point_share=None if np.isnan(top_share[i]) else float(top_share[i]),
            recorded_at_share=None if np.isnan(recorded_share[i]) else float(recorded_share[i]),
            recorded_at_label=recorded_label[i],
            recorded_at=bool(flagged[i]),
            street=places[i][0],
            lsoa_code=places[i][1],
            lsoa_name=places[i][2],
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
        months_held_by_year=wp.months_held,
        window_from_data=wp.window_from_data,
        seconds=time.perf_counter() - started,
    )


def _single_points(matrix: sparse.csr_matrix, point_harm: NDArray[np.float64], wp: WindowPoints
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64], list[str]]:
    """Per site: the harm at its largest single snap point, its harm at recorded-at labels, and the label holding
    most of that ("" for none)."""
    n = matrix.shape[0]
    if not matrix.nnz:
        return np.zeros(n), np.zeros(n), [""] * n
    top = matrix.multiply(point_harm[None, :]).tocsr().max(axis=1).toarray().ravel()
    if wp.recorded_harm is None or not wp.recorded_harm.any():
        return top, np.zeros(n), [""] * n
    at_labels = matrix.multiply(wp.recorded_harm[None, :]).tocsr()
    recorded = np.asarray(at_labels.sum(axis=1)).ravel()
    biggest = np.asarray(at_labels.argmax(axis=1)).ravel()
    labels = [wp.locations[wp.recorded_label[p]] if r > 0 and wp.recorded_label[p] >= 0 else ""
              for p, r in zip(biggest, recorded, strict=True)]
    return top, recorded, labels


def _with_explanation(result: SiteResult, params: ModelParams, wp: WindowPoints, site: Site) -> SiteResult:
    text = explain_site(result, params, month_date(wp.last_month), is_point=shapely.get_type_id(site.geometry) == 0)
    return replace(result, explanation=text)
