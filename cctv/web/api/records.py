"""/api/v1 reads for reporting tools: funding awards, evidence requests (their metadata), the DPIA register's status,
and saved siting runs (the outcome measures are in outcomes.py). Read-only, with bearer tokens, each for the roles whose
pages show the same (cctv/web/access.py) and scoped as those pages are: covert cameras and covert systems never
appear for a user without covert access.

Evidence requests are personal data about an incident, so each one listed leaves an audit "read" entry (as the
evidence page does); their notes, the officers' names and the footage files are not part of the API.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from flask import Blueprint, abort
from pydantic import BaseModel, Field
from sqlmodel import col, func, select

from cctv.audit import audit_reads
from cctv.controlroom.models import EvidenceCamera, EvidenceRequest
from cctv.controlroom.types import LaterUse
from cctv.web.access import VIEW_DPIA, VIEW_EVIDENCE, VIEW_FUNDING, VIEW_SITING, allow, db, scope
from cctv.web.api.declare import operation
from cctv.web.api.parsing import LENIENT
from cctv.web.api.schemas import Page, PerPage
from dpia.register import systems_status
from inventory.funding import list_funding
from inventory.models import Camera, FundingCamera
from inventory.types import FundingSource, london_date, london_today
from siting.store.saved import SitingRun

bp = Blueprint("records_api", __name__, url_prefix="/api/v1")


class FundingRead(BaseModel):
    """A funding award and the cameras it paid for that the user may see."""

    id: int
    reference: str
    source: FundingSource
    amount: Decimal
    awarded_on: date
    description: str
    sites: str
    camera_ids: list[int]


class FundingList(BaseModel):
    """Funding awards, newest first."""

    items: list[FundingRead]


def _visible_cameras(link: Any, key: Any, ids: list[int]) -> dict[int, list[int]]:
    """The cameras the user may see of each record, by record id, from a link table (record id, camera id)."""
    found: dict[int, list[int]] = {}
    if ids:
        rows = db().exec(select(key, Camera.id).join(Camera, col(Camera.id) == link.camera_id)
                         .where(col(key).in_(ids), scope().where()).order_by(col(Camera.asset_id)))
        for record_id, camera_id in rows:
            found.setdefault(record_id, []).append(camera_id)
    return found


@bp.route("/funding")
@allow(VIEW_FUNDING)
@operation(answer=FundingList)
def list_funding_awards():
    """Funding awards.

    Every award, newest first, with the cameras it paid for that the user may see."""
    awards = list_funding(db())
    cameras = _visible_cameras(FundingCamera, FundingCamera.funding_id, [a.id for a in awards if a.id is not None])
    return {"items": [a.model_dump() | {"camera_ids": cameras.get(a.id or 0, [])} for a in awards]}


class EvidenceQuery(BaseModel):
    """Which evidence requests to list."""

    open: Annotated[bool, LENIENT] = Field(False, description="Only those not yet handed over (1 or true)")
    page: Page = 1
    per_page: PerPage = 100


class EvidenceRead(BaseModel):
    """A footage request's metadata: its times, its stage and the cameras the user may see (no notes or names)."""

    id: int
    incident_id: int | None
    force: str
    police_reference: str
    window_start: datetime
    window_end: datetime
    requested_at: datetime
    produced_at: datetime | None
    handed_over_at: datetime | None
    later_use: LaterUse
    camera_ids: list[int]


class EvidencePage(BaseModel):
    """One page of evidence requests, newest first."""

    items: list[EvidenceRead]
    total: int
    page: int
    per_page: int
    pages: int


@bp.route("/evidence")
@allow(VIEW_EVIDENCE)
@operation(query=EvidenceQuery, answer=EvidencePage)
def list_evidence(query: EvidenceQuery):
    """Evidence requests.

    Footage requests, newest first, a page at a time (?open=1 for those not yet handed over): their metadata only.
    Each one listed is audited as read by the token's user."""
    stmt = select(EvidenceRequest)
    if query.open:
        stmt = stmt.where(col(EvidenceRequest.handed_over_at).is_(None))
    total = db().exec(select(func.count()).select_from(stmt.subquery())).one()
    page, per_page = query.page, query.per_page
    found = list(db().exec(stmt.order_by(col(EvidenceRequest.requested_at).desc(), col(EvidenceRequest.id).desc())
                           .offset((page - 1) * per_page).limit(per_page)))
    ids = [r.id for r in found if r.id is not None]
    cameras = _visible_cameras(EvidenceCamera, EvidenceCamera.evidence_id, ids)
    audit_reads(db(), "evidence_request", ids, "API evidence request list")
    items = [EvidenceRead.model_validate(r.model_dump() | {"camera_ids": cameras.get(r.id or 0, [])}) for r in found]
    return {"items": items, "total": total, "page": page, "per_page": per_page,
            "pages": max((total + per_page - 1) // per_page, 1)}


class DpiaStatusRead(BaseModel):
    """One camera system's line in the DPIA register."""

    system_id: int
    system: str
    service_area: str
    cameras: int
    covered: bool  # a signed-off DPIA is in force
    version_in_force: int | None
    signed_off_on: date | None
    draft_version: int | None
    next_review_due: date | None
    open_reviews: int
    overdue: bool


class DpiaStatusList(BaseModel):
    """The DPIA register at a glance, by system name."""

    items: list[DpiaStatusRead]


@bp.route("/dpia")
@allow(VIEW_DPIA)
@operation(answer=DpiaStatusList)
def dpia_status():
    """DPIA status.

    Each camera system the user may see: the version in force, any draft, the next review and the reviews open."""
    items = []
    for line in systems_status(db(), london_today(), include_covert=scope().include_covert):
        latest, draft = line.latest, line.draft
        items.append({
            "system_id": line.system.id, "system": line.system.name, "service_area": line.service_area,
            "cameras": line.cameras, "covered": line.covered, "version_in_force": latest.version if latest else None,
            "signed_off_on": london_date(latest.signed_off_at) if latest and latest.signed_off_at else None,
            "draft_version": draft.version if draft else None, "next_review_due": line.next_review_due,
            "open_reviews": line.open_reviews, "overdue": line.overdue,
        })
    return {"items": items}


class SitingRunRead(BaseModel):
    """A saved siting run: what it was asked (its parameters and counts) and, read one at a time, its result."""

    id: int
    kind: str
    title: str
    window_first: date
    window_last: date
    created_by: str
    created_at: datetime
    params: dict[str, Any]
    counts: dict[str, Any]
    result: dict[str, Any] | None = None


class SitingRunList(BaseModel):
    """Saved siting runs, newest first (without their results)."""

    items: list[SitingRunRead]


def _run(run: SitingRun, *, result: bool) -> SitingRunRead:
    return SitingRunRead(
        id=run.id or 0, kind=run.kind, title=run.title, window_first=run.window_first, window_last=run.window_last,
        created_by=run.created_by, created_at=run.created_at, params=json.loads(run.params_json or "{}"),
        counts=json.loads(run.counts_json or "{}"), result=run.data() if result else None)


@bp.route("/siting/runs")
@allow(VIEW_SITING)
@operation(answer=SitingRunList)
def list_siting_runs():
    """Saved siting runs.

    Every saved run, newest first, with its parameters and counts (read one for its result)."""
    runs = db().exec(select(SitingRun).order_by(col(SitingRun.created_at).desc(), col(SitingRun.id).desc()))
    return {"items": [_run(r, result=False) for r in runs]}


@bp.route("/siting/runs/<int:run_id>")
@allow(VIEW_SITING)
@operation(answer=SitingRunRead, errors={404: "No saved run with that id"})
def read_siting_run(run_id: int):
    """One saved siting run, with its result."""
    run = db().get(SitingRun, run_id)
    if run is None:
        abort(404, description=f"no saved siting run {run_id}")
    return _run(run, result=True)
