"""The checks on an incident as typed, shared by logging and editing: the problems in words, by field.

A problem is reported for every field at once (`IncidentError.problems`), so an operator fixes everything in one go.
"""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from cctv.controlroom.models import Incident, IncidentCamera, IncidentCategory, IncidentCreate
from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import CameraStatus

# An operator's PC clock may run a little ahead of the server's: a time up to this far ahead is taken as "now".
FUTURE_TOLERANCE = timedelta(minutes=5)
_TEXT_FIELDS = ("category", "location_text", "police_reference", "arrest_offences", "outcome", "narrative")


class IncidentError(ValueError):
    """Input that cannot be logged; `.problems` maps a field name to what is wrong, in words for the operator."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))
        self.problems = problems


def as_utc(now: datetime) -> datetime:
    """`now` in UTC, as it will read back from the database; a naive `now` is a programming error."""
    if now.utcoffset() is None:
        raise ValueError("`now` must be an aware datetime (UTC)")
    return now.astimezone(UTC)


def cleaned(data: IncidentCreate) -> IncidentCreate:
    """The input with surrounding spaces trimmed and each camera once; a police reference means police informed."""
    update: dict[str, object] = {f: getattr(data, f).strip() for f in _TEXT_FIELDS}
    update["camera_ids"] = list(dict.fromkeys(data.camera_ids))
    if update["police_reference"]:  # nobody gets a CAD number without telling the police
        update["police_informed"] = True
    return data.model_copy(update=update)


def input_problems(
    session: Session, data: IncidentCreate, *, scope: CameraScope, latest: datetime, current: Incident | None
) -> dict[str, str]:
    """What is wrong with the input; `latest` is the newest acceptable occurred time (before the tolerance)."""
    problems: dict[str, str] = {}
    if data.occurred_at.utcoffset() is None:
        problems["occurred_at"] = "Give the time with its time zone."
    elif data.occurred_at > latest + FUTURE_TOLERANCE:
        problems["occurred_at"] = (
            "That time is in the future." if current is None else "That time is after the incident was logged."
        )
    category = session.exec(select(IncidentCategory).where(IncidentCategory.code == data.category)).first()
    if category is None:
        problems["category"] = "Choose a category from the list."
    elif not category.active and (current is None or current.category != data.category):
        problems["category"] = f"“{category.label}” is no longer in use; choose another category."
    if data.arrests < 0:
        problems["arrests"] = "The number of arrests cannot be negative."
    elif data.arrests > 0 and not data.arrest_offences:
        problems["arrest_offences"] = "Say what the arrest was for."
    if (data.longitude is None) != (data.latitude is None):
        problems["longitude"] = "Give both longitude and latitude, or neither."
    camera_problem = _camera_problem(session, data.camera_ids, scope=scope, current=current)
    if camera_problem:
        problems["camera_ids"] = camera_problem
    return problems


def _camera_problem(session: Session, ids: list[int], *, scope: CameraScope, current: Incident | None) -> str:
    """Unknown cameras (or ones the user may not see, which look the same) and decommissioned ones, in words."""
    if not ids:
        return ""
    found = {camera.id: camera for camera in session.exec(select(Camera).where(col(Camera.id).in_(ids)))
             if scope.sees(camera)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        return f"No camera with id {', '.join(missing)}."
    # A camera already on the incident may stay there after it was decommissioned; a new one must be in service.
    linked = set() if current is None else {link.camera_id for link in camera_links(session, current)}
    retired = sorted(c.asset_id for c in found.values()
                     if c.status == CameraStatus.DECOMMISSIONED and c.id not in linked)
    return f"Decommissioned: {', '.join(retired)}." if retired else ""


def camera_links(session: Session, incident: Incident) -> list[IncidentCamera]:
    """The incident's camera links as stored."""
    return list(session.exec(select(IncidentCamera).where(IncidentCamera.incident_id == incident.id)))
