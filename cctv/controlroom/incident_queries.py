"""Reading the incident log: one incident, the day's log, search, and the as-you-type camera picker.

Incidents have no ORM relationship to cameras (relationships stay inside a package), so the cameras of many
incidents come in one query from `cameras_by_incident` rather than one query per incident. A `scope` hides
covert cameras from users without covert access wherever cameras are listed.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import ColumnElement, case
from sqlmodel import Session, col, func, or_, select

from cctv.controlroom.models import ControlRoom, Incident, IncidentCamera, IncidentCategory
from cctv.controlroom.references import parse_reference
from cctv.controlroom.types import FollowUp
from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus, london_midnight


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
    occurred_at: datetime  # aware, in UTC, on every database (the model's UTCDateTime column reads it so)
    category: str
    location_text: str
    police_reference: str
    arrests: int
    arrest_offences: str
    in_monitored_hours: bool
    monitored_session: date
    follow_up: FollowUp
    voided_at: datetime | None
    category_label: str | None  # None for a code missing from the category list


def _on_the_day(room: ControlRoom, day: date, *, by_session: bool = False) -> tuple[ColumnElement[bool], ...]:
    """The room's incidents of a monitored session (by_session: the session that starts on `day`, e.g. Friday
    08:00 to Saturday 04:00, with the small hours outside it up to the 04:00 rollover), or of a London calendar
    day (between its UTC bounds)."""
    if by_session:
        return col(Incident.control_room_id) == room.id, col(Incident.monitored_session) == day
    return (
        col(Incident.control_room_id) == room.id,
        col(Incident.occurred_at) >= london_midnight(day),
        col(Incident.occurred_at) < london_midnight(day + timedelta(days=1)),
    )


_NEWEST_FIRST = (col(Incident.occurred_at).desc(), col(Incident.id).desc())


def day_log_rows(
    session: Session, room: ControlRoom, day: date, *, by_session: bool = False, after_id: int | None = None
) -> list[DayLogRow]:
    """`day_log` as `DayLogRow`s, each with its category's label, for the day's log page; by_session for the
    monitored session of `day` rather than its calendar day; after_id for only those logged since (ids grow)."""
    columns = [getattr(Incident, name) for name in DayLogRow._fields if name != "category_label"]
    stmt = (
        select(*columns, IncidentCategory.label)
        .outerjoin(IncidentCategory, col(IncidentCategory.code) == Incident.category)
        .where(*_on_the_day(room, day, by_session=by_session))
        .order_by(*_NEWEST_FIRST)
    )
    if after_id is not None:
        stmt = stmt.where(col(Incident.id) > after_id)
    return [DayLogRow._make(row) for row in session.exec(stmt)]


def day_log_asset_ids(
    session: Session, room: ControlRoom, day: date, scope: CameraScope | None = None, *, by_session: bool = False,
    after_id: int | None = None,
) -> dict[int, str]:
    """Incident id → its cameras' asset ids, comma-separated, for the incidents of `day_log_rows` (incidents
    without cameras are absent). Cameras outside `scope`, when given, are left out."""
    stmt = (
        select(IncidentCamera.incident_id, Camera.asset_id)
        .join(Incident, col(Incident.id) == IncidentCamera.incident_id)
        .join(Camera, col(Camera.id) == IncidentCamera.camera_id)
        .where(*_on_the_day(room, day, by_session=by_session))
        .order_by(col(IncidentCamera.incident_id), col(Camera.asset_id))
    )
    if after_id is not None:
        stmt = stmt.where(col(Incident.id) > after_id)
    if scope is not None:
        stmt = stmt.where(scope.where())
    found: dict[int, list[str]] = defaultdict(list)
    for incident_id, asset_id in session.exec(stmt):
        found[incident_id].append(asset_id)
    return {incident_id: ", ".join(assets) for incident_id, assets in found.items()}


def incident_cameras(session: Session, incident_id: int, scope: CameraScope | None = None) -> list[Camera]:
    """The cameras used on one incident, by asset id (those outside `scope`, when given, left out)."""
    return cameras_by_incident(session, [incident_id], scope).get(incident_id, [])


def day_log(session: Session, room: ControlRoom, day: date, *, limit: int | None = None) -> list[Incident]:
    """The room's incidents that occurred on a London calendar day, newest first.

    The day is the local date of the occurred time (what the operator saw on the clock), not the monitored
    session: the log of Saturday shows 02:30 on Saturday even though it counts towards Friday's session.
    Take the cameras from `cameras_by_incident`.
    """
    stmt = select(Incident).where(*_on_the_day(room, day)).order_by(*_NEWEST_FIRST)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.exec(stmt))


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
    room: ControlRoom | None = None,
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


NOT_WATCHED_LIVE = (CameraKind.BODY_WORN, CameraKind.BUILDING)  # their footage is reviewed, not monitored


def find_cameras(session: Session, scope: CameraScope, text: str, limit: int = 10) -> list[Camera]:
    """Cameras in service whose asset id or name contains the text, for the picker as the operator types.

    An exact asset id comes first, then asset ids starting with the text, then the rest; each group by asset id.
    Decommissioned cameras, those outside the scope (covert, for most), and the kinds a control room does not watch
    live (body-worn video, cameras inside council buildings) are never offered.
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
            col(Camera.kind).not_in(NOT_WATCHED_LIVE),
            or_(col(Camera.asset_id).ilike(_like(text), escape="\\"), col(Camera.name).ilike(_like(text), escape="\\")),
        )
        .order_by(rank, col(Camera.asset_id))
        .limit(limit)
    )
    return list(session.exec(stmt))


def resolve_asset_ids(session: Session, scope: CameraScope, text: str) -> tuple[list[Camera], list[str]]:
    """The cameras named in a list of asset ids as typed ("cs-001, PARK-001"), and the ids that match none.

    Matching ignores case; a camera outside the scope counts as not found. Order follows the text, each once.
    """
    typed_once: dict[str, str] = {}  # lower-cased → as first typed, in the order typed
    for part in text.replace(";", ",").split(","):
        if part.strip():
            typed_once.setdefault(part.strip().lower(), part.strip())
    if not typed_once:
        return [], []
    stmt = select(Camera).where(func.lower(Camera.asset_id).in_(list(typed_once)), scope.where())
    found = {camera.asset_id.lower(): camera for camera in session.exec(stmt)}
    cameras, unknown = [], []
    for key, typed in typed_once.items():
        if key in found:
            cameras.append(found[key])
        else:
            unknown.append(typed)
    return cameras, unknown


def camera_named(session: Session, scope: CameraScope, name: str) -> Camera | None:
    """The one camera within the scope whose name is exactly this (ignoring case); None when none or several are."""
    stmt = (select(Camera).where(func.lower(Camera.name) == name.strip().lower(), scope.where())
            .order_by(col(Camera.asset_id)).limit(2))
    found = list(session.exec(stmt))
    return found[0] if len(found) == 1 else None
