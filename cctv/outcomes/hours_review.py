"""The control-room hours review: incidents by hour of the week against the monitored hours (principle 5).

The grid has 168 cells, Monday 00:00–01:00 first, each the incidents whose London wall-clock time fell in that
weekday and hour over the period (counted by the database). A cell is *monitored* when its first minute is inside
the control room's current hours, by the same rule the log uses (`controlroom.hours.monitored_session`): 03:00 on
a Saturday is inside Friday's 08:00–04:00 session.

The inside/outside totals are the flags recorded on the incidents when they were logged, the same figures as
`incident_measures`; they differ from the sum of monitored cells only when the hours changed during the period,
which is itself worth seeing in a review of the hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session, col, func

from cctv.controlroom.hours import WEEKDAYS, monitored_session, parse_hhmm
from cctv.controlroom.models import DEFAULT_MONITORED_HOURS, ControlRoom, Incident
from cctv.outcomes.clauses import incident_clauses
from cctv.outcomes.periods import Filters, LocalClock, Period
from inventory.types import LONDON

# A week with no clock change (GMT throughout), on which the weekly hours are laid out to flag the cells.
_REFERENCE_MONDAY = date(2024, 1, 1)


@dataclass(frozen=True)
class HourCell:
    """One hour of the week: weekday (Monday 0), hour (0–23), its incidents and arrests, and whether it is monitored."""

    weekday: int
    hour: int
    incidents: int
    arrests: int
    monitored: bool

    @property
    def label(self) -> str:
        """E.g. "Saturday 03:00–04:00"."""
        return f"{WEEKDAYS[self.weekday]} {self.hour:02d}:00–{(self.hour + 1) % 24:02d}:00"


@dataclass(frozen=True)
class HoursGrid:
    """Incidents by hour of the week over a period, against the control room's monitored hours."""

    period: Period
    monitored_hours: tuple[tuple[int, str, str], ...]  # (weekday, start, end) as the room has them now
    cells: tuple[HourCell, ...]  # 168, Monday 00:00 first
    inside: int  # incidents flagged inside monitored hours when logged
    outside: int
    busiest_unmonitored: tuple[HourCell, ...]  # unmonitored cells with incidents, most first

    def cell(self, weekday: int, hour: int) -> HourCell:
        """The cell of a weekday (Monday 0) and hour."""
        return self.cells[weekday * 24 + hour]

    def rows(self) -> list[tuple[HourCell, ...]]:
        """Seven rows of 24 cells, Monday first, for a heat map."""
        return [self.cells[d * 24:(d + 1) * 24] for d in range(7)]

    @property
    def total(self) -> int:
        """Every incident in the grid."""
        return self.inside + self.outside


def room_hours(session: Session, room: ControlRoom | None = None) -> dict[int, tuple[str, str]]:
    """The monitored hours of `room`, else of the first control room, else the strategy's default hours."""
    if room is None:
        room = session.execute(select(ControlRoom).order_by(col(ControlRoom.id)).limit(1)).scalars().first()
    return room.monitored_hours() if room is not None else dict(DEFAULT_MONITORED_HOURS)


def monitored_hours_in(period: Period, hours: Mapping[int, tuple[str, str]]) -> float:
    """Real hours operators watched in the period: each day's session, counted on the day it starts.

    Sessions are London wall-clock spans, so the Saturday night the clocks go forward (08:00–04:00) lasts 19
    hours and the night they go back 21.
    """
    seconds = 0.0
    day = period.start
    while day < period.end:
        span = hours.get(day.weekday())
        if span is not None:
            start, end = parse_hhmm(span[0]), parse_hhmm(span[1])
            starts = datetime.combine(day, start, tzinfo=LONDON)
            ends = datetime.combine(day + timedelta(days=1) if end <= start else day, end, tzinfo=LONDON)
            seconds += ends.timestamp() - starts.timestamp()  # real elapsed time across a clock change
        day += timedelta(days=1)
    return seconds / 3600


def _monitored_cells(hours: Mapping[int, tuple[str, str]]) -> list[bool]:
    """For each of the 168 hours of the week, whether its first minute is inside monitored hours."""
    flags = []
    for weekday in range(7):
        for hour in range(24):
            local = datetime.combine(_REFERENCE_MONDAY + timedelta(days=weekday), datetime.min.time(), tzinfo=LONDON)
            flags.append(monitored_session(local.replace(hour=hour), hours)[1])
    return flags


def hours_review(
    session: Session, period: Period, filters: Filters | None = None, *, room: ControlRoom | None = None,
    top: int = 5, weekly_hours: Mapping[int, tuple[str, str]] | None = None,
) -> HoursGrid:
    """Incidents by London weekday and hour over the period, each cell flagged against the room's hours
    (`weekly_hours` when the caller has read them already, else `room_hours(session, room)`)."""
    where = incident_clauses(period, filters or Filters())
    clock = LocalClock(session, period.start_utc, period.end_utc)
    weekday = clock.weekday(Incident.occurred_at).label("weekday")
    hour = clock.hour(Incident.occurred_at).label("hour")
    flag = col(Incident.in_monitored_hours)
    stmt = (select(weekday, hour, flag, func.count(), func.sum(Incident.arrests))
            .where(*where).group_by(weekday, hour, flag))  # the recorded flags come in the same pass
    found: dict[tuple[int, int], tuple[int, int]] = {}
    inside = outside = 0
    for d, h, monitored, n, arrests in session.execute(stmt):
        before = found.get((int(d), int(h)), (0, 0))
        found[(int(d), int(h))] = (before[0] + int(n), before[1] + int(arrests or 0))
        if monitored:
            inside += int(n)
        else:
            outside += int(n)

    hours = weekly_hours if weekly_hours is not None else room_hours(session, room)
    flags = _monitored_cells(hours)
    cells = tuple(
        HourCell(d, h, *found.get((d, h), (0, 0)), monitored=flags[d * 24 + h]) for d in range(7) for h in range(24)
    )
    unmonitored = sorted((c for c in cells if not c.monitored and c.incidents),
                         key=lambda c: (-c.incidents, -c.arrests, c.weekday, c.hour))
    return HoursGrid(
        period=period,
        monitored_hours=tuple((d, span[0], span[1]) for d, span in sorted(hours.items())),
        cells=cells,
        inside=inside,
        outside=outside,
        busiest_unmonitored=tuple(unmonitored[:top]),
    )
