"""Candidate sites and saved model runs: what planners keep, reproduce and compare.

A saved run stores its parameters, data window, data counts and every site's figures (ModelRun.to_dict), so a
councillor's question "why this site?" can be answered later from the record, and two runs (say 100 m against
150 m) can be set side by side.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import shapely
from sqlmodel import Field, Session, SQLModel, col, func, select

from inventory.types import enum_type, utcnow
from siting.geometry import geometry_to_bng, geometry_to_wgs84
from siting.model.inputs import Site
from siting.model.place import site_label
from siting.model.run import ModelRun


class SiteSource(StrEnum):
    """How a candidate site came to be."""

    TYPED = "typed"
    DRAWN = "drawn"
    UPLOADED = "uploaded"
    HOTSPOT = "hotspot"


class CandidateSiteBase(SQLModel):
    """A place a planner is considering for cameras: a point or a polygon, stored as WGS84 WKT."""

    name: str = Field(max_length=120, unique=True)
    geometry_wkt: str = Field(max_length=20000)
    source: SiteSource = Field(default=SiteSource.TYPED, sa_type=enum_type(SiteSource))
    notes: str = Field(default="", max_length=1000)


class CandidateSite(CandidateSiteBase, table=True):
    """A candidate site as stored."""

    __tablename__ = "candidate_site"
    id: int | None = Field(default=None, primary_key=True)
    created_by: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    active: bool = True  # withdrawn sites stay for the runs that scored them

    def to_model(self) -> Site:
        """The site in National Grid metres, keyed by its id, for the model."""
        return sites_for_model([self])[0]


class SitingRunBase(SQLModel):
    """A saved run: everything needed to reproduce it and read it later."""

    kind: str = Field(default="score", max_length=20)  # score, best, validate
    title: str = Field(default="", max_length=200)
    window_first: date
    window_last: date
    params_json: str
    counts_json: str
    result_json: str


class SitingRun(SitingRunBase, table=True):
    """A saved run as stored."""

    __tablename__ = "siting_run"
    id: int | None = Field(default=None, primary_key=True)
    created_by: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow, index=True)

    def data(self) -> dict[str, Any]:
        """The run as ModelRun.to_dict gave it."""
        return json.loads(self.result_json)


class DuplicateSiteName(ValueError):
    """Another candidate site already has that name."""


def add_site(session: Session, site: Site, *, source: SiteSource, actor: str, notes: str = "") -> CandidateSite:
    """Keep a candidate site (given in BNG metres, stored in WGS84); names are unique, whatever the case."""
    name = (site.name or site.site_id).strip()
    if session.exec(select(CandidateSite.id).where(func.lower(CandidateSite.name) == name.lower())).first():
        raise DuplicateSiteName(f"a candidate site named {name} already exists")
    wkt = shapely.to_wkt(geometry_to_wgs84(site.geometry), rounding_precision=7)
    candidate = CandidateSite(name=name, geometry_wkt=wkt, source=source, notes=notes, created_by=actor)
    session.add(candidate)
    session.flush()
    return candidate


def active_sites(session: Session) -> list[CandidateSite]:
    """The sites still under consideration, by name."""
    return list(session.exec(select(CandidateSite).where(col(CandidateSite.active)).order_by(CandidateSite.name)))


def sites_for_model(sites: Sequence[CandidateSite]) -> list[Site]:
    """`CandidateSite.to_model` of many sites at once: their geometries re-expressed in one pass (each call into
    pyproj has a fixed cost that, site by site, came to a tenth of a second for 200 sites)."""
    geometries = geometry_to_bng(shapely.from_wkt([site.geometry_wkt for site in sites]))
    return [Site(str(site.id), geometry, site.name) for site, geometry in zip(sites, geometries, strict=True)]


def save_run(session: Session, run: ModelRun, *, actor: str, kind: str = "score", title: str = "") -> SitingRun:
    """Store a run with its parameters, window, counts and results."""
    data = run.to_dict()
    saved = SitingRun(
        kind=kind, title=title, window_first=run.window_first, window_last=run.window_last,
        params_json=json.dumps(data["params"]), counts_json=json.dumps(data["counts"]),
        result_json=json.dumps(data), created_by=actor,
    )
    session.add(saved)
    session.flush()
    return saved


@dataclass(frozen=True)
class RankChange:
    """One site's place in two runs (None where a run did not score it)."""

    site_id: str
    name: str
    rank_a: int | None
    rank_b: int | None
    marginal_a: float | None
    marginal_b: float | None
    place: str = ""  # street and LSOA (`siting.model.place.site_label`); "" for runs saved before sites had one


def compare_runs(a: SitingRun, b: SitingRun) -> tuple[dict[str, tuple[Any, Any]], list[RankChange]]:
    """The parameters and counts that differ between two runs, and every site's rank and marginal in each."""
    differences = {}
    for first, second in ((json.loads(a.params_json), json.loads(b.params_json)),
                          (json.loads(a.counts_json), json.loads(b.counts_json))):
        for key in sorted(set(first) | set(second)):
            if first.get(key) != second.get(key):
                differences[key] = (first.get(key), second.get(key))
    results_a = {r["site_id"]: r for r in a.data()["results"]}
    results_b = {r["site_id"]: r for r in b.data()["results"]}
    changes = []
    for site_id in sorted(set(results_a) | set(results_b)):
        ra, rb = results_a.get(site_id), results_b.get(site_id)
        either = ra or rb or {}
        label = site_label(site_id, either.get("name", ""), either.get("street", ""), either.get("lsoa_code", ""),
                           either.get("lsoa_name", ""), either.get("locality", ""))
        changes.append(RankChange(
            site_id, label.name,
            ra["rank"] if ra else None, rb["rank"] if rb else None,
            ra["marginal"] if ra else None, rb["marginal"] if rb else None, label.place,
        ))
    changes.sort(key=lambda c: (c.rank_b is None, c.rank_b or 0, c.rank_a or 0))
    return differences, changes
