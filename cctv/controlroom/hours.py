"""Monitored hours: which session an instant belongs to and whether operators were watching at the time.

Hours are Europe/London wall-clock rules ("08:00"–"04:00"), not fixed UTC offsets, so a session keeps its local
start and end across the clocks changing: the Saturday night the clocks go forward is an hour shorter in real
time, the night they go back an hour longer. Instants are put on London's clock by `inventory.types.london_time`,
the system's one conversion (a naive instant, as SQLite hands back, is UTC).

A session starts on its weekday at `start` and runs to `end`, on the next day when `end` is not after `start`
("08:00"–"04:00" runs into the small hours; "08:00"–"08:00" is a full 24 hours). An instant belongs to:

1. the previous local day's session, when that session runs past midnight and has not ended yet (02:30 on a
   Saturday is inside Friday's 08:00–04:00 session); otherwise
2. its own local day's session, when it is inside it; otherwise (outside monitored hours)
3. the session of its local date, minus one day when the local time is before the 04:00 rollover — the
   control room's "day" runs 04:00 to 04:00, so 02:30 on a Tuesday counts towards Monday's session date and
   04:00 on a Saturday, just after Friday's session ended, towards Saturday's.
"""

import json
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from cctv.controlroom.models import ControlRoom
from cctv.controlroom.rooms import get_room
from inventory.types import london_time

ROLLOVER = time(4, 0)  # the control room's day starts at 04:00 local
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class HoursError(ValueError):
    """Monitored hours that cannot be used; `.problems` maps a weekday (Monday 0) to what is wrong with it."""

    def __init__(self, problems: dict[int, str]) -> None:
        super().__init__("; ".join(f"{WEEKDAYS[d] if 0 <= d < 7 else d}: {m}" for d, m in sorted(problems.items())))
        self.problems = problems


def parse_hhmm(text: str) -> time:
    """A local time of day from "HH:MM" (or "H:MM"); ValueError for anything else, including "24:00"."""
    match = _HHMM.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time of day as HH:MM")
    return time(int(match.group(1)), int(match.group(2)))


def _session_span(day: date, hours: Mapping[int, tuple[str, str]]) -> tuple[datetime, datetime] | None:
    """The naive wall-clock start and end of the session that starts on `day`, or None when it has none."""
    span = hours.get(day.weekday())
    if span is None:
        return None
    start, end = parse_hhmm(span[0]), parse_hhmm(span[1])
    starts = datetime.combine(day, start)
    ends = datetime.combine(day + timedelta(days=1) if end <= start else day, end)
    return starts, ends


def monitored_session(occurred_at: datetime, hours: Mapping[int, tuple[str, str]]) -> tuple[date, bool]:
    """The local date of the session the instant belongs to, and whether it is inside monitored hours.

    Exactly at a session's start is inside, exactly at its end outside. The comparison is on London wall-clock
    time (see the module's notes), so hours keep their local meaning when the clocks change.
    """
    wall = london_time(occurred_at).replace(tzinfo=None)
    today = wall.date()
    yesterday = today - timedelta(days=1)
    for day in (yesterday, today):  # an overnight session of yesterday's wins over one starting early today
        span = _session_span(day, hours)
        if span is not None and span[0] <= wall < span[1]:
            return day, True
    return (yesterday if wall.time() < ROLLOVER else today), False


def validate_hours(hours: Mapping[int | str, tuple[str, str] | list[str]]) -> dict[int, tuple[str, str]]:
    """Weekday → (start, end) checked and normalised to zero-padded "HH:MM"; HoursError lists every problem.

    A weekday left out is not monitored at all.
    """
    problems: dict[int, str] = {}
    clean: dict[int, tuple[str, str]] = {}
    for key, span in hours.items():
        try:
            day = int(key)
        except (TypeError, ValueError):
            problems[-1] = f"{key!r} is not a weekday number (Monday 0 to Sunday 6)"
            continue
        if not 0 <= day <= 6:
            problems[day] = "not a weekday number (Monday 0 to Sunday 6)"
            continue
        if len(span) != 2:
            problems[day] = "give a start and an end"
            continue
        try:
            start, end = parse_hhmm(str(span[0])), parse_hhmm(str(span[1]))
        except ValueError:
            problems[day] = "start and end must be times of day as HH:MM, e.g. 08:00 and 04:00"
            continue
        clean[day] = (start.strftime("%H:%M"), end.strftime("%H:%M"))
    if problems:
        raise HoursError(problems)
    return dict(sorted(clean.items()))


def set_monitored_hours(
    session: Session, room_id: int, hours: Mapping[int | str, tuple[str, str] | list[str]]
) -> ControlRoom:
    """Replace a control room's monitored hours (validated). Incidents already logged keep their flags."""
    room = get_room(session, room_id)  # RoomNotFound
    clean = validate_hours(hours)
    room.monitored_hours_json = json.dumps({str(day): list(span) for day, span in clean.items()})
    session.add(room)
    session.flush()
    return room


__all__ = [
    "ROLLOVER", "WEEKDAYS", "HoursError", "monitored_session", "parse_hhmm", "set_monitored_hours", "validate_hours",
]
