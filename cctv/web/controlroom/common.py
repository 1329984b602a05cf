"""Helpers shared by the control-room pages: the room, the clock, London times as typed, cameras as typed, and
service problems put beside the fields they are about.

Databases start without the default control room and categories; `control_room()` and `categories()` create them
(idempotently) the first time a page needs them, so a fresh install works without a setup step.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time, timedelta

from flask import g
from flask_wtf import FlaskForm
from wtforms import Field

from cctv.controlroom import rooms
from cctv.controlroom.incident_queries import camera_named, resolve_asset_ids
from cctv.controlroom.incidents import FUTURE_TOLERANCE
from cctv.controlroom.models import ControlRoom, IncidentCategory
from cctv.web.access import db, scope
from cctv.web.inputs import FIRST_DAY, LAST_DAY
from inventory.models import Camera
from inventory.types import LONDON, london_time, utcnow

# "22:15", "2215", "22.15", "9:05"; a full date-time as "2026-11-14 22:15", "2026-11-14T22:15" or "14/11/2026 22:15".
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)$")
_FULL_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M")
TIME_HINT = "Give the time as HH:MM (today) or as YYYY-MM-DD HH:MM."
LOCAL_FORMAT = "%Y-%m-%d %H:%M"




def control_room() -> ControlRoom:
    """The user's control room: the default (Wycombe) room, created with the default categories when missing."""
    if "control_room" not in g:
        try:
            g.control_room = rooms.room_by_code(db())
        except rooms.RoomNotFound:
            g.control_room = rooms.ensure_defaults(db())
            db().commit()
    return g.control_room


def categories(*, active_only: bool = True) -> list[IncidentCategory]:
    """The categories in their configured order (created with the default room when there are none)."""
    found = rooms.list_categories(db(), active_only=active_only)
    if not found:
        rooms.ensure_defaults(db())
        db().commit()
        found = rooms.list_categories(db(), active_only=active_only)
    return found


def category_labels() -> dict[str, str]:
    """Category code → label, retired categories included (old incidents keep theirs)."""
    return rooms.category_labels(db()) or {c.code: c.label for c in categories(active_only=False)}


def parse_local_time(text: str, *, at: datetime | None = None) -> datetime:
    """A London wall-clock time as typed, as an aware UTC instant; ValueError (in words) when it cannot be read.

    "HH:MM" alone means today, or yesterday when that time has not come yet (an incident at 23:50 logged at 00:10
    happened yesterday). A time the clocks skipped (01:30 on the last Sunday of March) is refused; a time the clocks
    repeat (01:30 on the last Sunday of October) is taken as the first, in summer time.
    """
    text = " ".join((text or "").split())
    if not text:
        raise ValueError(TIME_HINT)
    current = (at or utcnow()).astimezone(LONDON)
    clock = _CLOCK.match(text)
    if clock:
        typed = time(int(clock.group(1)), int(clock.group(2)))
        naive = datetime.combine(current.date(), typed)
        if naive.replace(tzinfo=LONDON) > current + FUTURE_TOLERANCE:
            naive -= timedelta(days=1)
    else:
        for fmt in _FULL_FORMATS:
            try:
                naive = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(TIME_HINT)
    if not FIRST_DAY <= naive.date() <= LAST_DAY:  # year 1 would overflow turning into UTC, 9999 a day later
        raise ValueError(f"Give a time between {FIRST_DAY.year} and {LAST_DAY.year}.")
    local = naive.replace(tzinfo=LONDON)
    instant = local.astimezone(UTC)
    if instant.astimezone(LONDON).replace(tzinfo=None) != naive:
        raise ValueError(f"{naive:%H:%M} did not happen on {naive:%d %b %Y}: the clocks went forward an hour.")
    return instant


def local_text(instant: datetime | None) -> str:
    """An instant as the forms show it: London wall clock, "YYYY-MM-DD HH:MM"."""
    return "" if instant is None else london_time(instant).strftime(LOCAL_FORMAT)



def cameras_from_text(text: str) -> tuple[list[Camera], str]:
    """The cameras typed as asset ids or exact names, comma-separated, within the user's scope, and a problem in
    words for those that match none ('' when all were found). A camera the user may not see counts as unknown."""
    found, unknown = resolve_asset_ids(db(), scope(), text or "")
    still_unknown = []
    for typed in unknown:
        by_name = camera_named(db(), scope(), typed)  # an exact, unambiguous name is as good as the asset id
        if by_name is None:
            still_unknown.append(typed)
        elif by_name not in found:
            found.append(by_name)
    if still_unknown:
        return found, f"No camera {', '.join(still_unknown)}: give asset ids, comma-separated."
    return found, ""


def asset_ids_text(cameras: Iterable[Camera]) -> str:
    """Cameras as the camera fields show them: "CS-001, PARK-001"."""
    return ", ".join(c.asset_id for c in cameras)


def show_problems(form: FlaskForm, problems: Mapping[str, str], renames: Mapping[str, str] | None = None) -> None:
    """Put a service's problems beside the form's fields (renamed where the form names a field differently);
    a problem about a field the form does not have goes at the top of the form."""
    renames = renames or {}
    for name, message in problems.items():
        field = getattr(form, renames.get(name, name), None)
        if isinstance(field, Field):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def first_error(form: FlaskForm, default: str) -> str:
    """The field to put the cursor in: the first one with an error, in the form's order, else `default`."""
    return next((field.name for field in form if field.errors and field.name != "csrf_token"), default)
