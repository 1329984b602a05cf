"""Logging and editing incidents: the reference number, the monitored-hours flag and the cameras used.

Services take the session first and never commit. Every change goes through the ORM, so the audit trail records
who logged an incident and every later edit, close and reopen (edits stay possible after closing: the log is
corrected, never silently). The read side (day's log, search, the camera picker) is in
`incident_queries` and the checks on what was typed in `incident_checks`; both are re-exported here.
"""

from datetime import UTC, datetime

from sqlmodel import Session

from cctv.controlroom import arrests
from cctv.controlroom.hours import monitored_session
from cctv.controlroom.incident_checks import (
    FUTURE_TOLERANCE,
    IncidentError,
    as_utc,
    camera_links,
    cleaned,
    input_problems,
)
from cctv.controlroom.incident_queries import (
    IncidentNotFound,
    cameras_by_incident,
    day_log,
    day_log_asset_ids,
    day_log_rows,
    find_cameras,
    get_incident,
    incident_by_reference,
    incident_cameras,
    resolve_asset_ids,
    search_incidents,
)
from cctv.controlroom.models import (
    ControlRoom,
    Incident,
    IncidentBase,
    IncidentCamera,
    IncidentCreate,
)
from cctv.controlroom.references import next_reference
from cctv.controlroom.submissions import claim, record, taken
from cctv.controlroom.types import FollowUp
from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import CameraKind, london_date

_FIELDS = tuple(IncidentBase.model_fields)

__all__ = [
    "FUTURE_TOLERANCE",
    "IncidentError",
    "IncidentNotFound",
    "cameras_by_incident",
    "close_incident",
    "day_log",
    "day_log_asset_ids",
    "day_log_rows",
    "find_cameras",
    "first_logged",
    "get_incident",
    "incident_by_reference",
    "incident_cameras",
    "log_incident",
    "log_incident_once",
    "reopen_incident",
    "resolve_asset_ids",
    "search_incidents",
    "update_incident",
    "void_incident",
]

VOID_REASON_MAX = 500


def log_incident(
    session: Session,
    data: IncidentCreate,
    *,
    room: ControlRoom,
    operator: str,
    now: datetime,
    scope: CameraScope | None = None,
) -> Incident:
    """Log an incident: validated, numbered in the room's year, flagged for monitored hours, cameras linked.

    `now` is the logged time; its London year is the reference's year. An occurred time up to FUTURE_TOLERANCE
    ahead of now is taken as now. `scope` (default: every camera) limits the cameras the operator may name.
    Raises IncidentError with every problem at once.
    """
    now = as_utc(now)
    data = cleaned(data)
    problems = input_problems(session, data, scope=scope or CameraScope.everything(), latest=now, current=None)
    if not operator.strip():
        problems["operator"] = "The incident needs the operator who logged it."
    if problems:
        raise IncidentError(problems)
    occurred = min(data.occurred_at, now).astimezone(UTC)
    data = _placed_at_camera(session, data)
    session_day, inside = monitored_session(occurred, room.monitored_hours())
    number, reference = next_reference(session, room, london_date(now).year)
    closed = data.follow_up == FollowUp.CLOSED
    incident = Incident.model_validate(
        data.model_dump(exclude={"camera_ids"}),
        update={
            "occurred_at": occurred, "reference": reference, "control_room_id": room.id,
            "ref_year": london_date(now).year, "ref_number": number, "logged_at": now, "operator": operator.strip(),
            "in_monitored_hours": inside, "monitored_session": session_day, "updated_at": now,
            "closed_at": now if closed else None, "closed_by": operator.strip() if closed else "",
        },
    )
    # One flush for the incident and its camera links: the unit of work inserts the incident first and fills in
    # the links' incident_id, and the flush's audit hook records all of them.
    incident.camera_links = [IncidentCamera(camera_id=camera_id) for camera_id in data.camera_ids]
    session.add(incident)
    session.flush()
    arrests.match_count(session, incident, now=now)  # one record per arrest, for the details to follow
    return incident


def _placed_at_camera(session: Session, data: IncidentCreate) -> IncidentCreate:
    """An incident logged without a place takes its first camera's: where it looks, and its map point. Never a
    covert camera's, whose place is not for everyone who may read the incident."""
    if data.location_text.strip() or data.latitude is not None or not data.camera_ids:
        return data
    camera = session.get(Camera, data.camera_ids[0])
    if camera is None or camera.kind == CameraKind.COVERT:
        return data
    return data.model_copy(update={"location_text": (camera.location_text or camera.name)[:250],
                                   "latitude": camera.latitude, "longitude": camera.longitude})


def log_incident_once(
    session: Session,
    key: str,
    data: IncidentCreate,
    *,
    room: ControlRoom,
    operator: str,
    now: datetime,
    scope: CameraScope | None = None,
    body_hash: str = "",
) -> Incident:
    """`log_incident` taken once per key (the entry form's one-time token, or the API's Idempotency-Key).

    The key is claimed first, so a concurrent second submission with it waits for this transaction and then fails
    with SubmissionTaken: the caller rolls back and answers with `first_logged`. Problems in the data roll the
    claim back with the incident, so the corrected form can be sent again with the same token.
    """
    claimed = claim(session, actor=operator, key=key, kind="incident", now=as_utc(now), body_hash=body_hash)
    incident = log_incident(session, data, room=room, operator=operator, now=now, scope=scope)
    record(session, claimed, incident.id)
    return incident


def first_logged(session: Session, operator: str, key: str) -> tuple[Incident | None, str] | None:
    """What an earlier submission with this key logged, and the fingerprint of its body (API); None when the key
    is new. The incident is None in the odd case that the key guarded something else."""
    first = taken(session, operator, key)
    if first is None:
        return None
    incident = session.get(Incident, first.result_id) if first.kind == "incident" and first.result_id else None
    return incident, first.fingerprint


def _set_follow_up(incident: Incident, follow_up: FollowUp, *, actor: str, now: datetime) -> None:
    """Move the follow-up, stamping or clearing who closed it and when."""
    if follow_up == incident.follow_up:
        return
    if follow_up == FollowUp.CLOSED:
        incident.closed_at, incident.closed_by = now, actor
    elif incident.follow_up == FollowUp.CLOSED:
        incident.closed_at, incident.closed_by = None, ""
    incident.follow_up = follow_up


def update_incident(
    session: Session,
    incident_id: int,
    data: IncidentCreate,
    *,
    actor: str,
    now: datetime,
    scope: CameraScope | None = None,
) -> Incident:
    """Edit an incident (also after it was closed); the cameras are replaced by those given, except that cameras
    on it outside `scope` (which the editing user cannot see, so cannot have meant to remove) stay.

    The reference never changes. A changed occurred time recomputes the monitored-hours flag and session with the
    room's present hours. A retired category or a decommissioned camera may stay on an incident that already had
    it. An anonymised incident can no longer be edited (it would bring personal data back).
    """
    now = as_utc(now)
    incident = get_incident(session, incident_id)
    if incident.anonymised_at is not None:
        raise IncidentError({
            "narrative": "This incident was anonymised under the retention rule: it cannot be edited."
        })
    if incident.voided_at is not None:  # what a void incident said stays as it was when it was voided
        raise IncidentError({"narrative": f"{incident.reference} is void: it cannot be edited."})
    data = cleaned(data)
    problems = input_problems(session, data, scope=scope or CameraScope.everything(), latest=incident.logged_at,
                         current=incident)
    if problems:
        raise IncidentError(problems)
    values = data.model_dump(include=set(_FIELDS) - {"follow_up"})
    values["occurred_at"] = min(data.occurred_at, incident.logged_at).astimezone(UTC)
    links = {link.camera_id: link for link in camera_links(session, incident)}  # read before any change: one flush
    hidden = [cid for cid in links if scope is not None and not _sees(session, scope, cid)]
    camera_ids = list(dict.fromkeys([*data.camera_ids, *hidden]))
    room = session.get(ControlRoom, incident.control_room_id)
    assert room is not None  # foreign key
    changed = set(links) != set(camera_ids)
    if incident.occurred_at != values["occurred_at"]:  # the room's present hours decide the new flag
        values["monitored_session"], values["in_monitored_hours"] = monitored_session(
            values["occurred_at"], room.monitored_hours()
        )
    for name, value in values.items():
        if getattr(incident, name) != value:  # only real changes, so a plain re-save audits nothing
            setattr(incident, name, value)
            changed = True
    if data.follow_up != incident.follow_up:
        _set_follow_up(incident, data.follow_up, actor=actor, now=now)
        changed = True
    if changed:
        incident.updated_at = now
    session.add(incident)
    _replace_cameras(session, incident, links, camera_ids)
    session.flush()
    arrests.match_count(session, incident, now=now)
    return incident


def _sees(session: Session, scope: CameraScope, camera_id: int) -> bool:
    camera = session.get(Camera, camera_id)
    return camera is not None and scope.sees(camera)


def _replace_cameras(
    session: Session, incident: Incident, links: dict[int, IncidentCamera], camera_ids: list[int]
) -> None:
    """Make the incident's cameras exactly these, deleting and adding links (each audited)."""
    for camera_id, link in links.items():
        if camera_id not in camera_ids:
            session.delete(link)
    session.add_all(IncidentCamera(incident_id=incident.id, camera_id=cid) for cid in camera_ids if cid not in links)


def close_incident(session: Session, incident_id: int, *, actor: str, now: datetime) -> Incident:
    """Close the incident's follow-up (closing a closed incident changes nothing)."""
    now = as_utc(now)
    incident = get_incident(session, incident_id)
    if incident.follow_up != FollowUp.CLOSED:
        _set_follow_up(incident, FollowUp.CLOSED, actor=actor, now=now)
        incident.updated_at = now
        session.add(incident)
        session.flush()
    return incident


def reopen_incident(
    session: Session, incident_id: int, *, actor: str, now: datetime, follow_up: FollowUp = FollowUp.OPEN
) -> Incident:
    """Reopen a closed incident with the given follow-up (open, awaiting police, evidence pending)."""
    now = as_utc(now)
    if follow_up == FollowUp.CLOSED:
        raise IncidentError({"follow_up": "Reopening needs a follow-up other than closed."})
    incident = get_incident(session, incident_id)
    if incident.follow_up != follow_up:
        _set_follow_up(incident, follow_up, actor=actor, now=now)
        incident.updated_at = now
        session.add(incident)
        session.flush()
    return incident


def void_incident(session: Session, incident_id: int, *, actor: str, reason: str, now: datetime) -> Incident:
    """Void an incident (a duplicate, one logged by mistake): it keeps its reference and stays in the log marked
    void, and every outcomes measure leaves it out. A reason is required; an incident is voided once (the audit
    trail records who and why)."""
    now = as_utc(now)
    reason = " ".join(reason.split())
    if not reason:
        raise IncidentError({"reason": "Say why the incident is void, e.g. \"duplicate of WY-2026-000123\"."})
    if len(reason) > VOID_REASON_MAX:
        raise IncidentError({"reason": f"Keep the reason to {VOID_REASON_MAX} characters."})
    incident = get_incident(session, incident_id)
    if incident.voided_at is not None:
        raise IncidentError({"reason": f"{incident.reference} is already void."})
    incident.voided_at, incident.voided_by, incident.void_reason = now, actor, reason
    incident.updated_at = now
    session.add(incident)
    session.flush()
    return incident
