"""Reading the incident log: one incident, the day's log, search, and the as-you-type camera picker.

Incidents have no ORM relationship to cameras (relationships stay inside a package), so the cameras of many
incidents come in one query from `cameras_by_incident` rather than one query per incident. A `scope` hides
covert cameras from users without covert access wherever cameras are listed.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, func, or_, select

from cctv.controlroom.hours import london_midnight
from cctv.controlroom.models import ControlRoom, Incident, IncidentCamera
from cctv.controlroom.references import parse_reference
from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import CameraStatus


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


def asset_ids_by_incident(
    session: Session, incident_ids: Iterable[int], scope: CameraScope | None = None
) -> dict[int, str]:
    """Incident id → its cameras' asset ids, comma-separated, for a list page: two columns, not whole cameras."""
    ids = sorted(set(incident_ids))
    if not ids:
        return {}
    stmt = (
        select(IncidentCamera.incident_id, Camera.asset_id)
        .join(Camera, col(Camera.id) == IncidentCamera.camera_id)
        .where(col(IncidentCamera.incident_id).in_(ids))
        .order_by(col(Camera.asset_id))
    )
    if scope is not None:
        stmt = stmt.where(scope.where())
    found: dict[int, list[str]] = defaultdict(list)
    for incident_id, asset_id in session.exec(stmt):
        found[incident_id].append(asset_id)
    return {incident_id: ", ".join(assets) for incident_id, assets in found.items()}


# The columns a day's log shows: reading these rather than whole incidents (narratives and all) and building no
# ORM objects halves the page's own time on a busy day (bench/controlroom.py).
DAY_LOG_COLUMNS = (Incident.id, Incident.reference, Incident.occurred_at, Incident.category, Incident.location_text,
                   Incident.police_reference, Incident.arrests, Incident.arrest_offences, Incident.in_monitored_hours,
                   Incident.monitored_session, Incident.follow_up)


def day_log_rows(session: Session, room: ControlRoom, day: date) -> list[Any]:
    """`day_log` as plain rows of `DAY_LOG_COLUMNS` (attribute access by column name), for the day's log page."""
    return list(session.execute(_day_log_query(room, day, DAY_LOG_COLUMNS)).all())


def incident_cameras(session: Session, incident_id: int, scope: CameraScope | None = None) -> list[Camera]:
    """The cameras used on one incident, by asset id (those outside `scope`, when given, left out)."""
    return cameras_by_incident(session, [incident_id], scope).get(incident_id, [])


def day_log(session: Session, room: ControlRoom, day: date, *, limit: int | None = None) -> list[Incident]:
    """The room's incidents that occurred on a London calendar day, newest first.

    The day is the local date of the occurred time (what the operator saw on the clock), not the monitored
    session: the log of Saturday shows 02:30 on Saturday even though it counts towards Friday's session.
    Take the cameras from `cameras_by_incident`.
    """
    stmt = _day_log_query(room, day, (Incident,))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def _day_log_query(room: ControlRoom, day: date, columns: tuple[Any, ...]) -> Any:
    return (
        sql_select(*columns)
        .where(
            Incident.control_room_id == room.id,
            col(Incident.occurred_at) >= london_midnight(day),
            col(Incident.occurred_at) < london_midnight(day + timedelta(days=1)),
        )
        .order_by(col(Incident.occurred_at).desc(), col(Incident.id).desc())
    )


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
    stmt = stmt.order_by(col(Incident.occurred_at).desc(), col(Incident.id).desc()).limit(limit)
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
    lowered, wanted = list(typed_once), list(typed_once.values())
    found = {
        c.asset_id.lower(): c
        for c in session.exec(select(Camera).where(func.lower(Camera.asset_id).in_(lowered), scope.where()))
    }
    cameras, unknown = [], []
    for typed, key in zip(wanted, lowered, strict=True):
        if key in found:
            cameras.append(found[key])
        else:
            unknown.append(typed)
    return cameras, unknown
