"""Reading the incident log: one incident, the day's log, search, and the as-you-type camera picker.

Incidents have no ORM relationship to cameras (relationships stay inside a package), so the cameras of many
incidents come in one query from `cameras_by_incident` rather than one query per incident. A `scope` hides
covert cameras from users without covert access wherever cameras are listed.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import DateTime, String, bindparam, case, type_coerce
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, func, or_, select

from cctv.controlroom.hours import london_midnight
from cctv.controlroom.models import Incident, IncidentCamera, IncidentCategory, Room
from cctv.controlroom.references import parse_reference
from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import CameraStatus

_INCIDENT = Incident.__table__.c  # type: ignore[attr-defined]


class IncidentNotFound(LookupError):
    """No incident with that id or reference."""


def get_incident(session: Session, incident_id: int) -> Incident:
    """The incident with this id."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise IncidentNotFound(incident_id)
    return incident


def incident_by_reference(session: Session, reference: str) -> Incident:
    """The incident with this reference, as typed ("wy-2026-000042 " finds WY-2026-000042)."""
    parsed = parse_reference(reference)
    if parsed is None:
        raise IncidentNotFound(reference)
    code, year, number = parsed
    incident = session.exec(select(Incident).where(Incident.reference == f"{code}-{year}-{number:06d}")).first()
    if incident is None:
        raise IncidentNotFound(reference)
    return incident


def cameras_by_incident(
    session: Session, incident_ids: Iterable[int], scope: CameraScope | None = None
) -> dict[int, list[Camera]]:
    """Incident id → its cameras by asset id, for many incidents in one query (incidents without any are absent)."""
    ids = sorted(set(incident_ids))
    if not ids:
        return {}
    stmt = (
        select(IncidentCamera.incident_id, Camera)
        .join(Camera, col(Camera.id) == IncidentCamera.camera_id)
        .where(col(IncidentCamera.incident_id).in_(ids))
        .order_by(col(Camera.asset_id))
    )
    if scope is not None:
        stmt = stmt.where(scope.where())
    cameras: dict[int, list[Camera]] = defaultdict(list)
    for incident_id, camera in session.exec(stmt):
        cameras[incident_id].append(camera)
    return dict(cameras)


class DayLogRow(NamedTuple):
    """One line of the day's log: the columns the page shows, not the whole incident (no narrative)."""

    id: int
    reference: str
    occurred_at: datetime  # UTC: naive from a database that stores no zone (SQLite), as the log's pages read them
    category: str
    location_text: str
    police_reference: str
    arrests: int
    arrest_offences: str
    in_monitored_hours: bool
    monitored_session: date
    follow_up: str  # a FollowUp value
    category_label: str | None  # None for a code missing from the category list


# The day's log is the page operators keep open all shift, so its two reads are Core statements built once, with the
# room and the day's bounds as parameters, run on the session's connection into plain tuples: no narratives, no ORM
# objects, no ORM statement handling and no statement built per request. Together these took more than half the
# page's own time on a busy day (bench/controlroom.py).
_LINK, _CAMERA = IncidentCamera.__table__.c, Camera.__table__.c  # type: ignore[attr-defined]
_ON_THE_DAY = (
    _INCIDENT.control_room_id == bindparam("room_id"),
    _INCIDENT.occurred_at >= bindparam("start", type_=_INCIDENT.occurred_at.type),
    _INCIDENT.occurred_at < bindparam("end", type_=_INCIDENT.occurred_at.type),
)
_NEWEST_FIRST = (_INCIDENT.occurred_at.desc(), _INCIDENT.id.desc())
# The occurred time and the follow-up as the driver gives them: turning 100 stored times into aware datetimes and
# 100 follow-ups into enum members, row by row in Python, cost more than half the query itself.
_AS_READ = {"occurred_at": DateTime(timezone=True), "follow_up": String()}
_CATEGORY = IncidentCategory.__table__.c  # type: ignore[attr-defined]
_DAY_LOG_ROWS = (
    sql_select(*(type_coerce(_INCIDENT[name], _AS_READ[name]).label(name) if name in _AS_READ else _INCIDENT[name]
                 for name in DayLogRow._fields[:-1]), _CATEGORY.label.label("category_label"))
    .select_from(Incident.__table__.outerjoin(IncidentCategory.__table__, _CATEGORY.code == _INCIDENT.category))  # type: ignore[attr-defined]
    .where(*_ON_THE_DAY).order_by(*_NEWEST_FIRST)
)
_DAY_LOG_ASSET_IDS = (
    sql_select(_LINK.incident_id, _CAMERA.asset_id)
    .join_from(Incident.__table__, IncidentCamera.__table__, _LINK.incident_id == _INCIDENT.id)  # type: ignore[attr-defined]
    .join(Camera.__table__, _CAMERA.id == _LINK.camera_id)  # type: ignore[attr-defined]
    .where(*_ON_THE_DAY)
    .order_by(_LINK.incident_id, _CAMERA.asset_id)
)


def _day_parameters(room: Room, day: date) -> dict[str, Any]:
    """The room and the UTC bounds of the London calendar day."""
    return {"room_id": room.id, "start": london_midnight(day), "end": london_midnight(day + timedelta(days=1))}


def day_log_rows(session: Session, room: Room, day: date) -> list[DayLogRow]:
    """`day_log` as `DayLogRow`s, for the day's log page."""
    # .all() fetches in one call; iterating the result fetches row by row, which cost a third of the read.
    rows = session.connection().execute(_DAY_LOG_ROWS, _day_parameters(room, day)).all()
    return [DayLogRow._make(row) for row in rows]


@lru_cache(maxsize=64)
def _asset_ids_within(scope: CameraScope) -> Any:
    """The asset-id read limited to a scope, built once per scope (there are a handful: covert or not, and the
    service areas of service managers)."""
    return _DAY_LOG_ASSET_IDS.where(scope.where())


def day_log_asset_ids(
    session: Session, room: Room, day: date, scope: CameraScope | None = None
) -> dict[int, str]:
    """Incident id → its cameras' asset ids, comma-separated, for the incidents of `day_log` (chosen by the day
    itself, not by a list of a hundred incident ids, whose IN list cost more to build than the query). Cameras
    outside `scope` are left out."""
    stmt = _DAY_LOG_ASSET_IDS if scope is None else _asset_ids_within(scope)
    found: dict[int, list[str]] = defaultdict(list)
    for incident_id, asset_id in session.connection().execute(stmt, _day_parameters(room, day)).all():
        found[incident_id].append(asset_id)
    return {incident_id: ", ".join(assets) for incident_id, assets in found.items()}


def incident_cameras(session: Session, incident_id: int, scope: CameraScope | None = None) -> list[Camera]:
    """The cameras used on one incident, by asset id (those outside `scope`, when given, left out)."""
    return cameras_by_incident(session, [incident_id], scope).get(incident_id, [])


def day_log(session: Session, room: Room, day: date, *, limit: int | None = None) -> list[Incident]:
    """The room's incidents that occurred on a London calendar day, newest first.

    The day is the local date of the occurred time (what the operator saw on the clock), not the monitored
    session: the log of Saturday shows 02:30 on Saturday even though it counts towards Friday's session.
    Take the cameras from `cameras_by_incident`.
    """
    stmt = sql_select(Incident).where(*_ON_THE_DAY).order_by(*_NEWEST_FIRST)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt, _day_parameters(room, day)))


def _like(text: str) -> str:
    """A LIKE pattern matching the text anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _instant(value: date | datetime, *, end: bool) -> datetime:
    """A date as the start of that London day (the end of it when `end`); a datetime as it is (aware)."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError("search times must be aware datetimes")
        return value
    return london_midnight(value + timedelta(days=1) if end else value)


def search_incidents(
    session: Session,
    *,
    text: str | None = None,
    category: str | None = None,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    room: Room | None = None,
    limit: int = 200,
) -> list[Incident]:
    """Incidents matching every filter given, newest first.

    `text` matches the reference, police reference, location, arrest offences, outcome or narrative, ignoring
    case. `start`/`end` bound the occurred time: dates are London days and both ends are included (end=1 May
    includes the whole of 1 May); datetimes are instants, start included and end excluded.
    """
    stmt = select(Incident)
    if text and text.strip():
        pattern = _like(text.strip())
        fields = (Incident.reference, Incident.police_reference, Incident.location_text, Incident.arrest_offences,
                  Incident.outcome, Incident.narrative)
        stmt = stmt.where(or_(*(col(f).ilike(pattern, escape="\\") for f in fields)))
    if category:
        stmt = stmt.where(Incident.category == category)
    if start is not None:
        stmt = stmt.where(col(Incident.occurred_at) >= _instant(start, end=False))
    if end is not None:
        stmt = stmt.where(col(Incident.occurred_at) < _instant(end, end=True))
    if room is not None:
        stmt = stmt.where(Incident.control_room_id == room.id)
    stmt = stmt.order_by(*_NEWEST_FIRST).limit(limit)
    return list(session.exec(stmt))


def find_cameras(session: Session, scope: CameraScope, text: str, limit: int = 10) -> list[Camera]:
    """Cameras in service whose asset id or name contains the text, for the picker as the operator types.

    An exact asset id comes first, then asset ids starting with the text, then the rest; each group by asset id.
    Decommissioned cameras and those outside the scope (covert, for most) are never offered.
    """
    text = text.strip()
    if not text:
        return []
    lowered = text.lower()
    asset = func.lower(Camera.asset_id)
    rank = case((asset == lowered, 0), (asset.startswith(lowered, autoescape=True), 1), else_=2)
    stmt = (
        select(Camera)
        .where(
            scope.where(),
            Camera.status != CameraStatus.DECOMMISSIONED,
            or_(col(Camera.asset_id).ilike(_like(text), escape="\\"), col(Camera.name).ilike(_like(text), escape="\\")),
        )
        .order_by(rank, col(Camera.asset_id))
        .limit(limit)
    )
    return list(session.exec(stmt))
