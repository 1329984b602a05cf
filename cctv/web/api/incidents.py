"""/api/v1/incidents: log, list and read incidents with a bearer token, for integrations (police systems, radio
schemes). Authentication, JSON errors and paging follow the rest of the API (cctv/web/api/inventory.py).

POST takes `IncidentIn` (the entry form's fields, the time as ISO 8601 with its offset, cameras by id and/or asset
id) and answers 201 with the incident and a Location header; a problem is 422 with
{"error": [{"field": ..., "error": ...}, ...]}. GET lists one London day (?day=YYYY-MM-DD), or the incidents logged
or changed since an instant (?since=ISO 8601, oldest change first, for syncing), paged with ?page=&per_page=.
"""

from datetime import datetime, timedelta

from flask import Blueprint, abort, jsonify, request, url_for
from flask_login import current_user
from pydantic import BaseModel, ValidationError
from sqlmodel import col, func, select

from cctv.controlroom import incidents as incident_service
from cctv.controlroom.hours import london_midnight
from cctv.controlroom.models import Incident, IncidentBase, IncidentCreate
from cctv.web.access import LOG_INCIDENTS, VIEW_INCIDENTS, allow, db, scope
from cctv.web.controlroom.common import control_room, now, parse_day
from inventory.models import Camera

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
    camera_ids: list[int] = []
    cameras: list[str] = []


class IncidentPage(BaseModel):
    """One page of incidents."""

    items: list[IncidentRead]
    total: int
    page: int
    per_page: int
    pages: int


def _problems(problems: dict[str, str]) -> list[dict[str, str]]:
    return [{"field": field, "error": message} for field, message in problems.items()]


def _row(incident: Incident, cameras: list[Camera]) -> dict:
    data = {name: getattr(incident, name) for name in IncidentRead.model_fields if hasattr(incident, name)}
    data["monitored_session"] = incident.monitored_session.isoformat()
    data["camera_ids"], data["cameras"] = [c.id for c in cameras], [c.asset_id for c in cameras]
    return IncidentRead.model_validate(data).model_dump(mode="json")


def _read(incident: Incident) -> dict:
    return _row(incident, incident_service.incident_cameras(db(), incident.id, scope()))


def _json_many(incidents: list[Incident]) -> list[dict]:
    """Many incidents with their cameras from one query."""
    cameras = incident_service.cameras_by_incident(db(), [i.id for i in incidents if i.id is not None], scope())
    return [_row(incident, cameras.get(incident.id, [])) for incident in incidents]


@bp.route("", methods=["POST"])
@allow(LOG_INCIDENTS)
def create():
    """Log an incident as the token's user, in the default control room."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, description="send a JSON object")
    try:
        body = IncidentIn.model_validate(payload)
    except ValidationError as exc:
        abort(422, description=[{"field": ".".join(map(str, e["loc"])), "error": e["msg"]} for e in exc.errors()])
    camera_ids = list(body.camera_ids)
    if body.cameras:
        found, unknown = incident_service.resolve_asset_ids(db(), scope(), ",".join(body.cameras))
        if unknown:
            abort(422, description=_problems({"cameras": f"No camera {', '.join(unknown)}."}))
        camera_ids += [c.id for c in found if c.id is not None]
    at = now()
    data = IncidentCreate.model_validate(
        body.model_dump(exclude={"cameras", "camera_ids", "occurred_at"})
        | {"occurred_at": body.occurred_at or at, "camera_ids": camera_ids}
    )
    try:
        incident = incident_service.log_incident(db(), data, room=control_room(), operator=current_user.username,
                                                 now=at, scope=scope())
    except incident_service.IncidentError as exc:
        db().rollback()
        abort(422, description=_problems(exc.problems))
    db().commit()
    response = jsonify(_read(incident))
    response.status_code = 201
    response.headers["Location"] = url_for("incidents_api.read", incident_id=incident.id)
    return response


@bp.route("")
@allow(VIEW_INCIDENTS)
def index():
    """Incidents of a London day (?day=), or logged or changed since an instant (?since=), paged."""
    per_page = min(max(request.args.get("per_page", 100, type=int), 1), 1000)
    page = max(request.args.get("page", 1, type=int), 1)
    stmt = select(Incident).where(Incident.control_room_id == control_room().id)
    order = [col(Incident.occurred_at).desc(), col(Incident.id).desc()]
    if request.args.get("day"):
        day = parse_day(request.args["day"])
        if day is None:
            abort(422, description=_problems({"day": "give the day as YYYY-MM-DD"}))
        stmt = stmt.where(col(Incident.occurred_at) >= london_midnight(day),
                          col(Incident.occurred_at) < london_midnight(day + timedelta(days=1)))
    if request.args.get("since"):
        try:
            since = datetime.fromisoformat(request.args["since"].replace(" ", "+"))  # a '+' arrives as a space
        except ValueError:
            since = None
        if since is None or since.utcoffset() is None:
            abort(422, description=_problems({"since": "give an ISO 8601 instant with its offset, e.g. "
                                                       "2026-11-14T22:00:00Z"}))
        stmt = stmt.where(col(Incident.updated_at) >= since)
        order = [col(Incident.updated_at), col(Incident.id)]
    total = db().exec(select(func.count()).select_from(stmt.subquery())).one()
    found = list(db().exec(stmt.order_by(*order).offset((page - 1) * per_page).limit(per_page)))
    return jsonify(items=_json_many(found), total=total, page=page, per_page=per_page,
                   pages=max((total + per_page - 1) // per_page, 1))


@bp.route("/<int:incident_id>")
@allow(VIEW_INCIDENTS)
def read(incident_id: int):
    """One incident."""
    try:
        incident = incident_service.get_incident(db(), incident_id)
    except incident_service.IncidentNotFound:
        abort(404, description=f"no incident {incident_id}")
    return jsonify(_read(incident))
