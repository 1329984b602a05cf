"""What the planner pages and the CLI ask of the siting model, with the database as the source of the inputs.

Each function reads crimes (imported police.uk data), the inventory's working cameras and the candidate sites,
and calls the pure model; nothing here decides anything the model does not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import shapely
from sqlmodel import Session

from siting.model.bid import BidCosts, CapitalBid, ReplacementYear
from siting.model.bid import capital_bid as make_bid
from siting.model.inputs import CrimeSet, Site, month_index, month_label
from siting.model.run import ModelParams, ModelRun, SiteResult
from siting.model.scoring import score_sites
from siting.sources.area import AreaFilter
from siting.store import capacity
from siting.store.council_area import current_area
from siting.store.existing import ExistingCameras, working_cameras
from siting.store.localities import Localities, load_localities, with_localities
from siting.store.postgis import crime_geometry
from siting.store.saved import CandidateSite, SiteSource, active_sites, add_site, sites_for_model


class NoCrimeData(LookupError):
    """No crimes have been imported yet: the model has nothing to work on."""


class TooLargeForMemory(NoCrimeData):
    """The run would read more crimes than the in-memory model may hold (`siting.store.capacity`): refused before
    reading any, with the PostGIS advice; the pages and the CLI show it as they show "no crimes", as the model
    cannot run."""


@dataclass(frozen=True)
class ModelInputs:
    """Everything one model run reads from the database."""

    crimes: CrimeSet
    cameras: ExistingCameras
    sites: list[Site]
    area: AreaFilter | None = None  # the council's area (`siting.store.council_area`), None when none is set
    localities: Localities | None = None  # the register's towns and wards, to name each site's place

    def score(self, params: ModelParams, sites: list[Site] | None = None) -> ModelRun:
        """Score `sites` (default: the active candidate sites) against the working cameras, each site's result
        carrying its ward and town where the council's data gives them."""
        sites = self.sites if sites is None else sites
        run = score_sites(self.crimes, sites, self.cameras.points_bng, params)
        return run if self.localities is None else with_localities(run, sites, self.localities)

    @property
    def area_bng(self) -> shapely.Geometry | None:
        """The council's area in National Grid metres, for proposals and validation."""
        return None if self.area is None else self.area.geometry_bng


def model_inputs(session: Session, params: ModelParams | None = None, *, places: bool = True) -> ModelInputs:
    """Crimes, working cameras, active candidate sites, the council's area and (unless `places` is False: nothing
    will be scored) the register's towns and wards; NoCrimeData when no crimes were imported. With `params`, only
    the crimes of the run's window are read (`load_window`: the same run, read in a fraction of the time); without,
    every stored crime (validation trains on earlier months)."""
    from siting.store.reading import load_crimes, load_window  # the store's tables are optional until crimes exist

    try:  # refused before any crime is read when the months read would not fit (`siting.store.capacity`)
        crimes = (load_crimes(session) if params is None
                  else load_window(session, end_month=params.end_month, window_months=params.window_months))
    except capacity.TooLargeForMemory as exc:
        raise TooLargeForMemory(str(exc)) from exc
    if len(crimes) == 0:
        raise NoCrimeData("no crimes have been imported: import police.uk street-level files first")
    council = current_area(session)
    area = None if council is None else council.to_filter()
    named = None if not places else \
        load_localities(session, None if area is None else area.geometry_bng, "" if area is None else area.name)
    return ModelInputs(crimes, working_cameras(session), sites_for_model(active_sites(session)), area, named)


def score_candidates(session: Session, params: ModelParams) -> ModelRun:
    """Score every active candidate site against the existing working cameras."""
    return model_inputs(session, params).score(params)


@dataclass(frozen=True)
class SiteDetail:
    """One site's result with its crimes by year and category, and the points a map of it draws."""

    site: CandidateSite
    result: SiteResult
    run: ModelRun
    year_labels: tuple[str, ...]
    categories: tuple[str, ...]
    by_year_and_category: tuple[tuple[int, ...], ...]  # [category][year] crimes within r
    nearby_crimes_bng: np.ndarray  # (n, 2) located crimes within 3 r in the window, for the site map
    nearby_harmful: np.ndarray  # (n,) whether each of those carries harm in the profile
    nearby_cameras_bng: np.ndarray  # (n, 2) working cameras within 3 r


def site_detail(session: Session, site: CandidateSite, params: ModelParams) -> SiteDetail:
    """The site scored among all active sites (so its rank is meaningful), with its crimes by year and category."""
    inputs = model_inputs(session, params)
    sites = inputs.sites if any(s.site_id == str(site.id) for s in inputs.sites) else [*inputs.sites, site.to_model()]
    run = inputs.score(params, sites)
    geometry = site.to_model().geometry
    crimes = inputs.crimes
    first, last = month_index(run.window_first), month_index(run.window_last)
    in_window = crimes.located & (crimes.month >= first) & (crimes.month <= last)
    distance = np.full(len(crimes), np.inf)
    distance[in_window] = shapely.distance(geometry, shapely.points(crimes.easting[in_window],
                                                                    crimes.northing[in_window]))
    within = distance <= params.radius_m
    years = run.params.years
    year_of = (crimes.month[within] - first) // 12
    table = np.zeros((len(crimes.categories), years), dtype=int)
    np.add.at(table, (crimes.category[within], year_of), 1)
    used = [i for i in range(len(crimes.categories)) if table[i].any()]
    used.sort(key=lambda i: -table[i].sum())
    near = distance <= 3 * params.radius_m
    cams = inputs.cameras.points_bng
    cam_near = cams[shapely.distance(geometry, shapely.points(cams)) <= 3 * params.radius_m] if len(cams) else cams
    return SiteDetail(
        site=site, result=run.result(str(site.id)), run=run,
        year_labels=tuple(f"{month_label(a)}–{month_label(b)}" for a, b in run.years),
        categories=tuple(crimes.categories[i] for i in used),
        by_year_and_category=tuple(tuple(int(v) for v in table[i]) for i in used),
        nearby_crimes_bng=np.column_stack([crimes.easting[near], crimes.northing[near]]),
        nearby_harmful=params.profile.weights_for(crimes.categories)[crimes.category[near]] > 0,
        nearby_cameras_bng=cam_near,
    )


def ranking_csv_rows(session: Session, params: ModelParams) -> list[list[object]]:
    """The ranking of the active sites as CSV rows (`siting.report.ranking_csv`)."""
    from siting.report.ranking_csv import ranking_rows

    inputs = model_inputs(session)
    return ranking_rows(inputs.score(params), inputs.sites)


def site_report(session: Session, params: ModelParams, *, title: str, generated_at: datetime,
                prepared_for: str = "", top_n: int = 10, bid: BidRequest | None = None) -> bytes:
    """The capital-bid PDF of the active sites: the bid when asked for, the ranking, each top site's figures and
    a drawn map."""
    from siting.report.pdf import site_report_pdf

    inputs = model_inputs(session, params if bid is None or not bid.validate else None)
    run = inputs.score(params)
    chosen = None if bid is None else _bid(inputs, run, bid)
    return site_report_pdf(run, crimes=inputs.crimes, cameras_bng=inputs.cameras.points_bng, sites=inputs.sites,
                           title=title, prepared_for=prepared_for, top_n=top_n, generated_at=generated_at,
                           bid=chosen, area_bng=inputs.area_bng,
                           area_name="" if inputs.area is None else inputs.area.name)


@dataclass(frozen=True)
class BidRequest:
    """What a planner asks of the capital bid: how many sites, the unit costs and budget, and whether to validate."""

    k: int
    costs: BidCosts
    validate: bool = False
    replacement: tuple[ReplacementYear, ...] = ()  # the replacement programme's years, to show beside the new sites
    site_ids: tuple[str, ...] = ()  # the sites the planner picked on the map to choose among; () = every site


def capital_bid(session: Session, params: ModelParams, request: BidRequest) -> CapitalBid:
    """The best sites within the budget among the active candidate sites, with the validation when asked for."""
    inputs = model_inputs(session, None if request.validate else params)  # validation trains on earlier months
    return _bid(inputs, inputs.score(params), request)


def _bid(inputs: ModelInputs, run: ModelRun, request: BidRequest) -> CapitalBid:
    """The bid among the sites picked (every active site when none was), all scored together so each site's
    figures are those of the ranking; ValueError when a picked site is not an active candidate site."""
    sites = inputs.sites
    if request.site_ids:
        known = {s.site_id for s in sites}
        unknown = [i for i in request.site_ids if i not in known]
        if unknown:
            raise ValueError(f"no active candidate site {', '.join(unknown)}: pick the sites again on the map")
        sites = [s for s in sites if s.site_id in set(request.site_ids)]
    return make_bid(run, inputs.crimes, sites, inputs.cameras.points_bng, k=request.k, costs=request.costs,
                    area=inputs.area_bng, validate=request.validate, replacement=request.replacement)


def add_sites(session: Session, sites: list[Site], *, source: SiteSource, actor: str) -> list[CandidateSite]:
    """Keep several sites at once; a duplicate name refuses the lot (the caller rolls back)."""
    return [add_site(session, site, source=source, actor=actor) for site in sites]


def hotspot_layer(session: Session, params: ModelParams, *, max_cells: int = 3000, peaks: int = 10) -> dict:
    """The densest hotspot cells (as squares) and the proposed sites (`siting.model.catchments`: the discs of the
    radius holding the most street harm), as a GeoJSON FeatureCollection in lon/lat.

    Only the `max_cells` densest cells are sent: a county's surface has millions of cells, nearly all empty.
    """
    from siting.model.catchments import best_catchments
    from siting.model.hotspots import harm_surface, labelled_peaks

    if crime_geometry(session.connection()) is not None:  # PostGIS: the database does it, whatever the size
        return _postgis_hotspot_layer(session, params, max_cells=max_cells, peaks=peaks)
    inputs = model_inputs(session, params, places=False)
    crimes = inputs.crimes
    # Inside the council's area when one is set: its grid spans the area, not every stray coordinate of the files.
    bounds = inputs.area.bounds_bng if inputs.area is not None else None
    surface = harm_surface(crimes, params, bounds=bounds)
    easting, northing, density = surface.cells(min_density=0.0)
    keep = np.argsort(-density, kind="stable")[:max_cells]
    found = best_catchments(crimes, params, k=peaks, area=inputs.area_bng)
    return _layer(easting[keep], northing[keep], density[keep], surface.cell_m, found,
                  labelled_peaks(crimes, found, params))


def _postgis_hotspot_layer(session: Session, params: ModelParams, *, max_cells: int, peaks: int) -> dict:
    """`hotspot_layer` on PostGIS: the surface's densest cells and the proposals in SQL, the proposals named from the
    crimes near them only (`siting.store.postgis_grid`, `postgis_best`; the same answers as in memory)."""
    from siting.model.hotspots import labelled_peaks
    from siting.store.postgis_best import best_catchments_sql
    from siting.store.postgis_grid import hotspot_cells
    from siting.store.postgis_sql import NoCrimes, crimes_near, sql_window

    connection = session.connection()
    try:
        window = sql_window(connection, params, labels=True)
    except NoCrimes as exc:
        raise NoCrimeData(str(exc)) from exc
    council = current_area(session)
    area = None if council is None else council.to_filter()
    easting, northing, density = hotspot_cells(connection, params, bounds=None if area is None else area.bounds_bng,
                                               limit=max_cells, window=window)
    found = best_catchments_sql(connection, params, k=peaks, area=None if area is None else area.geometry_bng,
                                window=window)
    # Named with the window fixed, so the few crimes read give the same window as all of them would.
    fixed = replace(params, end_month=window.last, window_months=window.years * 12)
    near = crimes_near(connection, [(p.easting, p.northing) for p in found], params.radius_m + 1.0, window)
    return _layer(easting, northing, density, 50.0, found, labelled_peaks(near, found, fixed) if found else [])


def _layer(easting: np.ndarray, northing: np.ndarray, density: np.ndarray, cell_m: float, found: list,
           labels: list) -> dict:
    """The GeoJSON of `hotspot_layer`: the cells as squares, densest first, and the proposals as named points."""
    from siting.geometry import to_wgs84

    half = cell_m / 2
    features = []
    corners = ((-half, -half), (half, -half), (half, half), (-half, half), (-half, -half))
    for e, n, d in zip(easting, northing, density, strict=True):
        lon, lat = to_wgs84(np.array([e + dx for dx, _ in corners]), np.array([n + dy for _, dy in corners]))
        features.append({"type": "Feature", "properties": {"kind": "cell", "density": round(float(d), 2)},
                         "geometry": {"type": "Polygon", "coordinates": [list(zip(lon.tolist(), lat.tolist(),
                                                                                  strict=True))]}})
    for peak, (_, label) in zip(found, labels, strict=True):
        lon, lat = to_wgs84(peak.easting, peak.northing)
        features.append({"type": "Feature", "properties": {"kind": "peak", "rank": peak.rank,
                                                           "harm": round(peak.harm, 2),
                                                           "name": label.name, "place": label.place},
                         "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]}})
    return {"type": "FeatureCollection", "features": features,
            "max_density": float(density.max()) if len(density) else 0.0}
