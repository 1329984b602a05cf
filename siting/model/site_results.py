"""Every site's figures as arrays, and its `SiteResult` (with places and explanation) built only when asked for.

`score_sites` computes what ranking needs for every site in one pass (`SiteFigures`); a planner then reads the top
twenty, a report the top ten, the site page one. Building a `SiteResult` (its street and LSOA, its cameras, its
paragraph of explanation) costs tens of microseconds, which for every occupied cell of a county was most of a
run; `SiteResults` builds them for the sites asked for, once each, and keeps them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely
from numpy.typing import NDArray

from siting.model.explain import explain_site
from siting.model.inputs import Site, month_date
from siting.model.points import WindowPoints
from siting.model.rules import persistence, recommend_cameras, trend_basis
from siting.model.run import ModelParams, SiteResult
from siting.model.within import site_pairs

_FEW = 64  # sites built at once below which one look-up each beats building a grid of every point


@dataclass(frozen=True, eq=False)
class SiteFigures:
    """Every site's figures, arrays indexed [site] or [site, year/category/sector], in the order sites were given."""

    harm_year: NDArray[np.float64]
    harm: NDArray[np.float64]
    harm_crimes_year: NDArray[np.int64]
    crimes_cat: NDArray[np.int64]
    harm_cat: NDArray[np.float64]
    harm_count_cat: NDArray[np.int64]
    covered: NDArray[np.float64]
    marginal: NDArray[np.float64]
    by_sector: NDArray[np.float64]  # [site, sector]: harm not yet covered, by direction from the site's centre
    rates: NDArray[np.float64]
    tops: NDArray[np.bool_]  # [site, year]: in that year's top decile
    usable: NDArray[np.bool_]  # [year]: holds enough months
    slope: NDArray[np.float64]
    trend: NDArray[np.str_]
    trend_years: tuple[int, int] | tuple[()]  # the two years the trend compares (`rules.trend_words`)
    top_share: NDArray[np.float64]  # NaN: no harm
    recorded_share: NDArray[np.float64]
    flagged: NDArray[np.bool_]
    held_back: NDArray[np.bool_]
    rank: NDArray[np.int64]


class SiteResults:
    """The run's `SiteResult`s, built on demand for the sites asked for and kept (see the module's docstring)."""

    def __init__(self, sites: Sequence[Site], figures: SiteFigures, wp: WindowPoints, params: ModelParams,
                 year_labels: tuple[str, ...]) -> None:
        """Results for `sites` from their `figures`, the window's points (for places) and the run's parameters."""
        self._sites = list(sites)
        self._figures = figures
        self._wp = wp
        self._params = params
        self._labels = year_labels
        self._index: dict[str, int] | None = None  # site id → position, made on the first look-up by id
        self._built: dict[int, SiteResult] = {}
        self._locality: Callable[[Site], str] | None = None
        self._order = np.argsort(figures.rank, kind="stable")

    def __len__(self) -> int:
        return len(self._sites)

    @property
    def figures(self) -> SiteFigures:
        """Every site's figures as arrays (for callers that rank or filter all sites without their explanations)."""
        return self._figures

    def name_places(self, locality: Callable[[Site], str]) -> None:
        """Name each result's place from the council's data ("Chaulden ward, Hemel Hempstead") as it is built;
        results already built are named now."""
        self._locality = locality
        for i, result in self._built.items():
            object.__setattr__(result, "locality", locality(self._sites[i]))  # this run's own, not yet shown

    def flagged(self) -> int:
        """How many sites have most of their harm where crimes are recorded rather than committed."""
        return int(self._figures.flagged.sum())

    def all(self) -> tuple[SiteResult, ...]:
        """Every site's result, in the order the sites were given."""
        return tuple(self._get(range(len(self._sites))))

    def ranked(self, n: int | None = None) -> list[SiteResult]:
        """The best `n` results (all when None), best first."""
        return self._get(self._order[:n].tolist())

    def by_id(self, site_id: str) -> SiteResult:
        """One site's result by its id (KeyError if it was not scored)."""
        if self._index is None:
            self._index = {site.site_id: i for i, site in enumerate(self._sites)}
        return self._get([self._index[site_id]])[0]

    def _get(self, indices: Sequence[int]) -> list[SiteResult]:
        missing = [i for i in indices if i not in self._built]
        if missing:
            for i, result in zip(missing, self._build(missing), strict=True):
                self._built[i] = result
        return [self._built[i] for i in indices]

    def _build(self, indices: list[int]) -> list[SiteResult]:
        """The results of the given sites, with their places and recorded-at labels from one join of just them."""
        wp, params = self._wp, self._params
        geometries = [self._sites[i].geometry for i in indices]
        if len(indices) <= _FEW:  # a page's worth: the index's sorted eastings find their points without a grid
            row, point = wp.index.pairs(geometries, params.radius_m)
        else:
            rows, points = [], []
            for chunk in site_pairs(geometries, wp.index.easting, wp.index.northing, params.radius_m,
                                    index=wp.index):
                rows.append(chunk.sites[chunk.site])
                points.append(chunk.point)
            row, point = (np.concatenate(rows), np.concatenate(points)) if rows else (np.empty(0, np.intp),) * 2
        places = wp.places(row, point, len(indices))
        labels = _recorded_labels(row, point, len(indices), wp)
        last = month_date(wp.last_month)
        return [self._one(i, places[k], labels[k], last, geometries[k]) for k, i in enumerate(indices)]

    def _one(self, i: int, place: tuple[str, str, str], recorded_label: str, last: date,
             geometry: shapely.Geometry) -> SiteResult:
        f, params, wp, names = self._figures, self._params, self._wp, self._wp.categories
        site = self._sites[i]
        trend = str(f.trend[i])
        fixed, deployable, earned = recommend_cameras(f.by_sector[i], float(f.marginal[i]), trend,
                                                      params.sector_share, params.deployable_per_site)
        if f.held_back[i]:  # crimes recorded here happened elsewhere: a camera here would not see them
            fixed, deployable, earned = 0, 0, ()
        harm = float(f.harm[i])
        result = SiteResult(
            site_id=site.site_id,
            name=site.name,
            harm=harm,
            harm_by_year=tuple(float(v) for v in f.harm_year[i]),
            months_held_by_year=wp.months_held,
            rate_by_year=tuple(None if np.isnan(v) else float(v) for v in f.rates[i]),
            year_labels=self._labels,
            harm_crimes=int(f.harm_crimes_year[i].sum()),
            harm_crimes_by_year=tuple(int(v) for v in f.harm_crimes_year[i]),
            crimes=int(f.crimes_cat[i].sum()),
            trend_slope=float(f.slope[i]),
            trend=trend,
            trend_basis=trend_basis(f.rates[i], f.trend_years, self._labels),
            top_decile_years=tuple(bool(v) if ok else None for v, ok in zip(f.tops[i], f.usable, strict=True)),
            persistent=persistence(f.tops[i], f.usable, params.years_needed),
            harm_counts={names[c]: int(v) for c, v in enumerate(f.harm_count_cat[i]) if v},
            harm_by_category={names[c]: float(v) for c, v in enumerate(f.harm_cat[i]) if v},
            crime_counts={names[c]: int(v) for c, v in enumerate(f.crimes_cat[i]) if v},
            covered_harm=float(f.covered[i]),
            covered_share=float(f.covered[i] / f.harm[i]) if harm > 0 else None,
            marginal=float(f.marginal[i]),
            rank=int(f.rank[i]),
            fixed_cameras=fixed,
            deployable_cameras=deployable,
            directions=earned,
            top_point_share=None if np.isnan(f.top_share[i]) else float(f.top_share[i]),
            recorded_at_share=None if np.isnan(f.recorded_share[i]) else float(f.recorded_share[i]),
            recorded_at_label=recorded_label,
            recorded_at=bool(f.flagged[i]),
            street=place[0],
            lsoa_code=place[1],
            lsoa_name=place[2],
            locality="" if self._locality is None else self._locality(site),
        )
        text = explain_site(result, params, last, is_point=bool(shapely.get_type_id(geometry) == 0))
        return _with_explanation(result, text)


def _with_explanation(result: SiteResult, text: str) -> SiteResult:
    object.__setattr__(result, "explanation", text)  # built moments ago and not yet shared: no copy needed
    return result


def _recorded_labels(row: NDArray[np.intp], point: NDArray[np.intp], n: int, wp: WindowPoints) -> list[str]:
    """Per site, the recorded-at label of its point with the most harm at such labels ("" for none; ties go to the
    first point)."""
    labels = [""] * n
    if wp.recorded_harm is None or wp.recorded_label is None or not len(row):
        return labels
    value = wp.recorded_harm[point]
    keep = value > 0
    row, point, value = row[keep], point[keep], value[keep]
    order = np.lexsort((point, -value, row))  # per site: the most harm first, then the lowest point
    first = np.ones(len(order), dtype=bool)
    first[1:] = row[order][1:] != row[order][:-1]
    for k in order[first]:
        label = wp.recorded_label[point[k]]
        if label >= 0:
            labels[row[k]] = wp.locations[label]
    return labels
