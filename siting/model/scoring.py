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
from itertools import pairwise

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from siting.model.inputs import CrimeSet, Site, camera_points, month_date, month_index, year_label
from siting.model.points import WindowPoints, window_points
from siting.model.rules import sector_of, top_decile, trend_words, year_rates
from siting.model.run import ModelParams, ModelRun
from siting.model.site_results import SiteFigures, SiteResults
from siting.model.within import geometry_array, site_pairs


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
    return wp.places(site_idx, point_idx, len(sites))


def score_sites(
    crimes: CrimeSet,
    sites: Sequence[Site],
    cameras: ArrayLike | Sequence[shapely.Geometry] | None = None,
    params: ModelParams | None = None,
) -> ModelRun:
    """Score every candidate site; `cameras` are the existing working cameras as (easting, northing) rows.

    Every figure that ranks a site comes from one join of the sites to the window's unique points
    (`site_figures`); each site's full `SiteResult`, with its places and explanation, is built when it is read
    (`ModelRun.top`, `result`, `results`), so scoring every cell of a county and showing twenty costs twenty."""
    started = time.perf_counter()
    params = params or ModelParams()
    ids = [s.site_id for s in sites]
    if len(set(ids)) != len(ids):
        raise ValueError("site ids must be unique")
    wp = prepare(crimes, params)
    if params.window_months is None:  # the run records the window it used, taken from the months held
        params = replace(params, window_months=wp.years * 12)
    cams = camera_points(cameras)
    years = tuple((month_date(a), month_date(b)) for a, b in wp.year_bounds())
    labels = tuple(year_label(a, b) for a, b in years)
    figures = site_figures(wp, [s.geometry for s in sites], cams, params)
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
        site_results=SiteResults(sites, figures, wp, params, labels),
        months_held_by_year=wp.months_held,
        window_from_data=wp.window_from_data,
        seconds=time.perf_counter() - started,
    )


def site_figures(wp: WindowPoints, geometries: Sequence[shapely.Geometry], cameras: NDArray[np.float64],
                 params: ModelParams) -> SiteFigures:
    """Every site's figures from one pass over the (site, point) pairs, a chunk of sites at a time: every measure
    is a column of one per-point table summed over the site's catchment."""
    n, r = len(geometries), params.radius_m
    covered_point = wp.index.covered(cameras, r)
    point_harm = wp.harm
    recorded_harm = wp.recorded_harm if wp.recorded_harm is not None else np.zeros(len(wp.index))
    columns = [wp.harm_by_year, wp.harm_crimes_by_year, wp.crimes_by_category, wp.harm_by_category,
               (point_harm * covered_point)[:, None], recorded_harm[:, None]]
    edges = np.cumsum([0] + [c.shape[1] for c in columns])
    table = np.hstack(columns)
    sums, by_sector, top_point = np.zeros((n, table.shape[1])), np.zeros((n, 4)), np.zeros(n)
    sites, centres = _sites_and_centres(geometries)
    new_harm = point_harm * ~covered_point  # what a camera at the site would add, per point
    pe, pn = wp.index.easting, wp.index.northing
    for chunk in site_pairs(sites, pe, pn, r, index=wp.index):
        sums[chunk.sites] = chunk.sums(table)
        top_point[chunk.sites] = chunk.largest(point_harm)
        # The harm each site would add, split by direction from its centre, for the one-camera-per-sector rule.
        site = chunk.sites[chunk.site]
        sector = sector_of(pe[chunk.point] - centres[site, 0], pn[chunk.point] - centres[site, 1])
        weights = np.where(sector >= 0, new_harm[chunk.point], 0.0)
        by_sector[chunk.sites] = np.bincount(chunk.site * 4 + np.maximum(sector, 0), weights=weights,
                                             minlength=len(chunk.sites) * 4).reshape(-1, 4)
    harm_year, harm_crimes_year, crimes_cat, harm_cat, covered, recorded = (
        sums[:, a:b] for a, b in pairwise(edges))
    crimes_cat = np.rint(crimes_cat).astype(np.int64)
    harm_count_cat = crimes_cat * (wp.category_weights > 0)  # crimes in the categories that weigh anything
    harm = harm_year.sum(axis=1)
    covered, recorded = covered[:, 0], recorded[:, 0]
    marginal = np.maximum(harm - covered, 0.0)
    rates = year_rates(harm_year, wp.months_held, params.min_months_per_year)
    usable = np.array([h >= params.min_months_per_year for h in wp.months_held], dtype=bool)
    tops = np.column_stack([top_decile(harm_year[:, y], params.persistence_decile) for y in range(wp.years)]) \
        if n else np.zeros((0, wp.years), dtype=bool)
    slope, words, trend_years = trend_words(rates, harm, params.trend_threshold)
    with np.errstate(divide="ignore", invalid="ignore"):
        top_share = np.where(harm > 0, top_point / harm, np.nan)
        recorded_share = np.where(harm > 0, recorded / harm, np.nan)
    flagged = recorded_share >= params.recorded_at_share - 1e-9  # NaN (no harm) compares False
    held_back = flagged & (not params.include_recorded_at)
    order = np.lexsort((np.arange(n), -harm, -marginal, held_back))  # held-back sites rank last
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return SiteFigures(
        harm_year=harm_year, harm=harm, harm_crimes_year=np.rint(harm_crimes_year).astype(np.int64),
        crimes_cat=crimes_cat, harm_cat=harm_cat, harm_count_cat=harm_count_cat, covered=covered, marginal=marginal,
        by_sector=by_sector, rates=rates, tops=tops, usable=usable, slope=slope, trend=words,
        trend_years=trend_years, top_share=top_share, recorded_share=recorded_share, flagged=flagged,
        held_back=held_back, rank=rank)


def _sites_and_centres(geometries: Sequence[shapely.Geometry]
                       ) -> tuple[NDArray[np.float64] | NDArray[np.object_], NDArray[np.float64]]:
    """The sites as `site_pairs` takes them (an (n, 2) array when all are points, the quick case) and the
    (easting, northing) each site's cameras would look out from: a point itself, or a shape's centroid."""
    array = geometry_array(geometries)
    if not len(array):
        return np.zeros((0, 2)), np.zeros((0, 2))
    shapes = shapely.get_type_id(array) != 0
    if not shapes.any():
        xy = shapely.get_coordinates(array).reshape(-1, 2)
        return xy, xy
    centres = array.copy()
    centres[shapes] = shapely.centroid(array[shapes])
    return array, np.column_stack([shapely.get_x(centres), shapely.get_y(centres)]).astype(np.float64)
