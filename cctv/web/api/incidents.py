"""/api/v1/incidents: log, list and read incidents with a bearer token, for integrations (police systems, radio
schemes). Authentication, JSON errors and paging follow the rest of the API (cctv/web/api/inventory.py).

POST takes `IncidentIn` (the entry form's fields, the time as ISO 8601 with its offset, cameras by id and/or asset
id) and answers 201 with the incident and a Location header; a problem is 422 with
{"error": [{"field": ..., "error": ...}, ...]}. With an `Idempotency-Key` header (1-255 printable characters, unique
per token user) the incident is logged once per key: the same key again, even while the first call is still being
saved, answers 201 with the incident the first call logged (and `Idempotent-Replayed: true`); the same key with a
different body is 422. GET lists one London day (?day=YYYY-MM-DD), or the incidents logged
or changed since an instant (?since=ISO 8601, oldest change first, for syncing), paged with ?page=&per_page=. Each
view's @operation declares what it takes and answers, for its parsing and the OpenAPI document alike.

Reads are audited as the pages' are (`cctv.audit`): GET of one incident leaves a "read" entry for it, and a listed
page one for each incident on it, as the token's user, so "who has read this incident" finds API reads too.
"""

from datetime import date, datetime, timedelta
from typing import Annotated

from flask import Blueprint, abort, request, url_for
from flask_login import current_user
from pydantic import AwareDatetime, BaseModel, BeforeValidator, Field
from sqlmodel import col, func, select

from cctv.audit import audit_read, audit_reads
from cctv.controlroom import incidents as incident_service
from cctv.controlroom.models import Incident, IncidentBase, IncidentCreate
from cctv.controlroom.submissions import KEY_MAX, SubmissionTaken, fingerprint
from cctv.web.access import LOG_INCIDENTS, VIEW_INCIDENTS, allow, db, scope
from cctv.web.api.declare import operation
from cctv.web.api.parsing import unprocessable
from cctv.web.api.schemas import Page, PerPage
from cctv.web.controlroom.common import control_room
from inventory.models import Camera
from inventory.types import london_midnight, utcnow

bp = Blueprint("incidents_api", __name__, url_prefix="/api/v1/incidents")


class IncidentIn(IncidentBase):
    """An incident to log. `occurred_at` defaults to now and must carry its offset ("2026-11-14T22:15:00Z");
    cameras are given by database id (`camera_ids`), by asset id (`cameras`), or both."""

    occurred_at: datetime | None = None  # type: ignore[assignment]
    camera_ids: list[int] = []
    cameras: list[str] = []


class IncidentRead(IncidentBase):
    """An incident as stored, with its reference, monitored-hours flag and the cameras the caller may see."""

    id: int
    reference: str
    control_room_id: int
    logged_at: datetime
    operator: str
    in_monitored_hours: bool
    monitored_session: str  # the local date of the monitored session, YYYY-MM-DD
    updated_at: datetime
    closed_at: datetime | None = None
    closed_by: str = ""
    anonymised_at: datetime | None = None
    voided_at: datetime | None = None  # a void incident keeps its reference and counts in no measure
    voided_by: str = ""
    void_reason: str = ""
    camera_ids: list[int] = []
    cameras: list[str] = []


class IncidentPage(BaseModel):
    """One page of incidents."""

    items: list[IncidentRead]
    total: int
    page: int
    per_page: int
    pages: int


def _blank_is_none(value: object) -> object:
    return value or None  # ?day= with nothing after it is no day


def _plus_kept(value: object) -> object:
    return value.replace(" ", "+") if isinstance(value, str) else value  # an unescaped '+' arrives as a space


class IncidentQuery(BaseModel):
    """Which incidents to list: a London day, or those logged or changed since an instant; a page of them."""

    day: Annotated[date | None, BeforeValidator(_blank_is_none)] = Field(
        None, description="One London day's incidents (by occurred time), newest first")
    since: Annotated[AwareDatetime | None, BeforeValidator(_blank_is_none), BeforeValidator(_plus_kept)] = Field(
        None, description="Incidents logged or changed at or after this instant (ISO 8601 with its offset), "
                          "oldest change first")
    page: Page = 1
    per_page: PerPage = 100


def _row(incident: Incident, cameras: list[Camera]) -> IncidentRead:
    data = {name: getattr(incident, name) for name in IncidentRead.model_fields if hasattr(incident, name)}
    data["monitored_session"] = incident.monitored_session.isoformat()
    data["camera_ids"], data["cameras"] = [c.id for c in cameras], [c.asset_id for c in cameras]
    return IncidentRead.model_validate(data)


def _read(incident: Incident) -> IncidentRead:
    return _row(incident, incident_service.incident_cameras(db(), incident.id, scope()))


def _many(incidents: list[Incident]) -> list[IncidentRead]:
    """Many incidents with their cameras from one query."""
    cameras = incident_service.cameras_by_incident(db(), [i.id for i in incidents if i.id is not None], scope())
    return [_row(incident, cameras.get(incident.id, [])) for incident in incidents]


@bp.route("", methods=["POST"])
@allow(LOG_INCIDENTS)
@operation(body=IncidentIn, answer=IncidentRead, status=201,
           headers={"Location": "The new incident's URL",
                    "Idempotent-Replayed": "true when the Idempotency-Key was used before: nothing new was logged"},
           errors={422: "A camera, the category, the time or the Idempotency-Key is not one the log takes"})
def create(body: IncidentIn):
    """Log an incident.

    As the token's user, in the default control room. With an Idempotency-Key header, once per key: a repeat
    answers with the incident the first call logged."""
    key, operator = _idempotency_key(), current_user.username
    body_hash = fingerprint(body.model_dump(mode="json"))
    if key is not None and (first := incident_service.first_logged(db(), operator, key)) is not None:
        return _replay(first, body_hash)
    camera_ids = list(body.camera_ids)
    if body.cameras:
        found, unknown = incident_service.resolve_asset_ids(db(), scope(), ",".join(body.cameras))
        if unknown:
            unprocessable({"cameras": f"No camera {', '.join(unknown)}."})
        camera_ids += [c.id for c in found if c.id is not None]
    at = utcnow()
    data = IncidentCreate.model_validate(
        body.model_dump(exclude={"cameras", "camera_ids", "occurred_at"})
        | {"occurred_at": body.occurred_at or at, "camera_ids": camera_ids}
    )
    try:
        if key is None:
            incident = incident_service.log_incident(db(), data, room=control_room(), operator=operator, now=at,
                                                     scope=scope())
        else:
            incident = incident_service.log_incident_once(db(), key, data, room=control_room(), operator=operator,
                                                          now=at, scope=scope(), body_hash=body_hash)
    except SubmissionTaken:  # the same key, sent again while the first call was saving: it has committed now
        db().rollback()
        return _replay(incident_service.first_logged(db(), operator, key or ""), body_hash)
    except incident_service.IncidentError as exc:
        db().rollback()
        unprocessable(exc.problems)
    db().commit()
    return _read(incident), {"Location": url_for("incidents_api.read", incident_id=incident.id)}


def _idempotency_key() -> str | None:
    """The Idempotency-Key header, or None without one; 422 for one that is empty, too long or not printable."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not 0 < len(key) <= KEY_MAX or not key.isprintable():
        unprocessable({"Idempotency-Key": f"Send 1 to {KEY_MAX} printable characters."})
    return key


def _replay(first: tuple[Incident | None, str] | None, body_hash: str):
    """The answer to a repeated key: the incident the first call logged, as the first answer gave it."""
    if first is None or first[0] is None:
        unprocessable({"Idempotency-Key": "This key was used for something else."})
    incident, first_hash = first
    if first_hash and first_hash != body_hash:
        unprocessable({"Idempotency-Key": "This key was already used with a different incident."})
    return _read(incident), {"Location": url_for("incidents_api.read", incident_id=incident.id),
                             "Idempotent-Replayed": "true"}


@bp.route("")
@allow(VIEW_INCIDENTS)
@operation(query=IncidentQuery, answer=IncidentPage)
def index(query: IncidentQuery):
    """List incidents.

    Those of a London day (?day=), or those logged or changed since an instant (?since=, for syncing), a page at a
    time."""
    stmt = select(Incident).where(Incident.control_room_id == control_room().id)
    order = [col(Incident.occurred_at).desc(), col(Incident.id).desc()]
    if query.day is not None:
        stmt = stmt.where(col(Incident.occurred_at) >= london_midnight(query.day),
                          col(Incident.occurred_at) < london_midnight(query.day + timedelta(days=1)))
    if query.since is not None:
        stmt = stmt.where(col(Incident.updated_at) >= query.since)
        order = [col(Incident.updated_at), col(Incident.id)]
    total = db().exec(select(func.count()).select_from(stmt.subquery())).one()
    page, per_page = query.page, query.per_page
    found = list(db().exec(stmt.order_by(*order).offset((page - 1) * per_page).limit(per_page)))
    audit_reads(db(), "incident", [i.id for i in found], "API incident list")
    return {"items": _many(found), "total": total, "page": page, "per_page": per_page,
            "pages": max((total + per_page - 1) // per_page, 1)}


@bp.route("/<int:incident_id>")
@allow(VIEW_INCIDENTS)
@operation(answer=IncidentRead, errors={404: "No incident with that id"})
def read(incident_id: int):
    """One incident."""
    try:
        incident = incident_service.get_incident(db(), incident_id)
    except incident_service.IncidentNotFound:
        abort(404, description=f"no incident {incident_id}")
    audit_read(db(), "incident", incident_id, "API incident")
    return _read(incident)
