"""Reporting periods and filters: what "2025Q3" means, in Europe/London time, and how SQL reads local time.

A period is a run of London calendar days, `start` inclusive and `end` exclusive. Its instants run from London
midnight at the start to London midnight at the end, so 2025Q2 is 2025-03-31T23:00Z (00:00 BST on 1 April) to
2025-06-30T23:00Z, and an incident at 23:30 UTC on 30 June 2025 (00:30 BST on 1 July) belongs to Q3.

Measures group incidents by London month, weekday and hour in SQL, so that tens of thousands of incidents are
counted by the database rather than loaded into Python. PostgreSQL converts with `timezone('Europe/London', …)`.
SQLite has no time zones, so `LocalClock` gives it the offsets in force across the queried range as a CASE over
the UTC instants at which London's clocks change (read from zoneinfo, never hard-coded): exact for every instant.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, case, cast, extract, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from inventory.models import Camera
from inventory.types import london_midnight, london_time

_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = r"(\d{4}-\d{2}-\d{2})"
_CUSTOM = re.compile(rf"^{_DAY}\s*(?:\.\.|to|–)\s*{_DAY}$")
KINDS = ("quarter", "month", "year", "custom")


@dataclass(frozen=True)
class Period:
    """London calendar days from `start` (inclusive) to `end` (exclusive), with a label for people.

    `kind` says how it was made ("quarter", "month", "year" or "custom") so `previous()` can step back by the
    same unit: the quarter before 2025Q1 is 2024Q4 (92 days) although Q1 has 90 days.
    """

    start: date
    end: date
    label: str
    kind: str = "custom"

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"a period must end after it starts ({self.start} to {self.end})")
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind of period {self.kind!r}")

    @property
    def start_utc(self) -> datetime:
        """London midnight at the start of the first day, as an aware UTC datetime."""
        return london_midnight(self.start)

    @property
    def end_utc(self) -> datetime:
        """London midnight after the last day (exclusive), as an aware UTC datetime."""
        return london_midnight(self.end)

    @property
    def days(self) -> int:
        """The number of calendar days in the period."""
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        """The last day inside the period (the inclusive end people write)."""
        return self.end - timedelta(days=1)

    @property
    def code(self) -> str:
        """The text `parse_period` reads back into this period: "2025Q3", "2025-07", "2025" or "a..b"."""
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.last_day.isoformat()}"

    def previous(self) -> Period:
        """The period immediately before: the previous quarter, month or year, or as many days for a custom one."""
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return quarter(self.start.year - 1, 4) if q == 1 else quarter(self.start.year, q - 1)
        if self.kind == "month":
            y, m = self.start.year, self.start.month
            return month(y - 1, 12) if m == 1 else month(y, m - 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        return custom(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every calendar month the period touches, in order."""
        out: list[tuple[int, int]] = []
        y, m = self.start.year, self.start.month
        while date(y, m, 1) < self.end:
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def quarter(y: int, q: int) -> Period:
    """Calendar quarter `q` (1–4) of year `y`: 2025Q3 is 1 July to 30 September 2025."""
    if not 1 <= q <= 4:
        raise ValueError(f"a quarter is 1 to 4, not {q}")
    start = date(y, 3 * q - 2, 1)
    end = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
    return Period(start, end, f"Q{q} {y}", "quarter")


def month(y: int, m: int) -> Period:
    """Calendar month `m` of year `y`."""
    if not 1 <= m <= 12:
        raise ValueError(f"a month is 1 to 12, not {m}")
    end = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return Period(date(y, m, 1), end, f"{calendar.month_name[m]} {y}", "month")


def year(y: int) -> Period:
    """Calendar year `y`."""
    return Period(date(y, 1, 1), date(y + 1, 1, 1), str(y), "year")


def custom(first: date, last: date) -> Period:
    """The days from `first` to `last`, both included."""
    if last < first:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    label = f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"
    return Period(first, last + timedelta(days=1), label, "custom")


def parse_period(text: str) -> Period:
    """A period from "2025Q3", "2025-07", "2025" or "2025-07-01..2025-09-30" (both days included).

    ValueError with a message fit to show beside the period box.
    """
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValueError("give a period, e.g. 2025Q3, 2025-07, 2025 or 2025-07-01..2025-09-30")
    if match := _QUARTER.match(cleaned):
        return quarter(int(match.group(1)), int(match.group(2)))
    if match := _MONTH.match(cleaned):
        m = int(match.group(2))
        if not 1 <= m <= 12:
            raise ValueError(f"{cleaned!r}: there is no month {m}")
        return month(int(match.group(1)), m)
    if match := _YEAR.match(cleaned):
        return year(int(match.group(1)))
    if match := _CUSTOM.match(cleaned):
        try:
            first, last = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        except ValueError as exc:
            raise ValueError(f"{cleaned!r}: {exc}") from None
        return custom(first, last)
    raise ValueError(
        f"{cleaned!r} is not a period; write 2025Q3 (a quarter), 2025-07 (a month), 2025 (a year) "
        "or 2025-07-01..2025-09-30 (first and last day)"
    )


@dataclass(frozen=True)
class Filters:
    """Which cameras the measures look at: those in a town and/or a service area (None: all)."""

    town: str | None = None
    service_area_id: int | None = None

    @property
    def active(self) -> bool:
        """True when some filter narrows the cameras."""
        return bool(self.town) or self.service_area_id is not None

    def camera_clauses(self) -> list[ColumnElement[bool]]:
        """SQL conditions on `Camera` for the cameras inside the filters (empty when none is set)."""
        clauses: list[ColumnElement[bool]] = []
        if self.town:
            clauses.append(col(Camera.town) == self.town)
        if self.service_area_id is not None:
            clauses.append(col(Camera.service_area_id) == self.service_area_id)
        return clauses

    def admits(self, town: str | None, service_area_id: int | None) -> bool:
        """Whether a camera in this town and service area is inside the filters (`camera_clauses`, in Python)."""
        if self.service_area_id is not None and service_area_id != self.service_area_id:
            return False
        return not self.town or town == self.town


def _offset_minutes(instant: datetime) -> int:
    offset = london_time(instant).utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


@lru_cache(maxsize=64)
def offset_changes(lo: datetime, hi: datetime) -> tuple[int, tuple[tuple[datetime, int], ...]]:
    """London's UTC offset (minutes) at `lo`, and each (instant, new offset) at which it changes before `hi`."""
    first = _offset_minutes(lo)
    changes: list[tuple[datetime, int]] = []
    current, day = first, lo
    while day < hi:
        following = min(day + timedelta(days=1), hi)
        if _offset_minutes(following) != current:  # a change within this day: find its hour
            instant = day.replace(minute=0, second=0, microsecond=0)
            while _offset_minutes(instant) == current:
                instant += timedelta(hours=1)
            current = _offset_minutes(instant)
            changes.append((instant, current))
        day = following
    return first, tuple(changes)


class LocalClock:
    """SQL expressions for the London month, weekday and hour of a UTC datetime column, for this session's database.

    `lo`/`hi` bound the instants the query reads (SQLite needs the clock changes in between; see the module notes).
    """

    def __init__(self, session: Session, lo: datetime, hi: datetime) -> None:
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.lo, self.hi = lo.astimezone(UTC), hi.astimezone(UTC)

    def _local(self, column: Any) -> Any:
        if self.postgres:
            return func.timezone("Europe/London", column)
        first, changes = offset_changes(self.lo, self.hi)
        if not changes:
            return func.datetime(column, f"{first:+d} minutes")
        whens = []
        previous = first
        for instant, offset in changes:
            whens.append((col(column) < instant, f"{previous:+d} minutes"))
            previous = offset
        return func.datetime(column, case(*whens, else_=f"{previous:+d} minutes"))

    def month(self, column: Any) -> Any:
        """"YYYY-MM" of the London month."""
        local = self._local(column)
        return func.to_char(local, "YYYY-MM") if self.postgres else func.strftime("%Y-%m", local)

    def weekday(self, column: Any) -> Any:
        """The London weekday, Monday 0 to Sunday 6."""
        local = self._local(column)
        if self.postgres:
            return cast(extract("isodow", local), Integer) - 1
        return (cast(func.strftime("%w", local), Integer) + 6) % 7

    def hour(self, column: Any) -> Any:
        """The London hour of the day, 0 to 23."""
        local = self._local(column)
        if self.postgres:
            return cast(extract("hour", local), Integer)
        return cast(func.strftime("%H", local), Integer)
