"""Monitored hours: the session an instant belongs to and whether it was inside, on London wall-clock time.

The default hours are Friday and Saturday 08:00–04:00 (next day), other days 08:00–23:00. In the week used here
Monday is 1 June 2026 (BST, UTC+1), so Friday is 5 June, Saturday 6 June and Sunday 7 June.
"""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from cctv.controlroom.hours import (
    HoursError,
    monitored_session,
    parse_hhmm,
    set_monitored_hours,
    validate_hours,
)
from cctv.controlroom.models import DEFAULT_MONITORED_HOURS
from cctv.controlroom.rooms import RoomNotFound, ensure_defaults
from inventory.types import LONDON

HOURS = DEFAULT_MONITORED_HOURS


def london(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    """A London wall-clock time in 2026 given as the UTC instant the services receive."""
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON).astimezone(UTC)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A UTC instant in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (london(6, 2, 30), (date(2026, 6, 5), True)),  # 02:30 Saturday: Friday's session, which runs to 04:00
        (london(2, 2, 30), (date(2026, 6, 1), False)),  # 02:30 Tuesday: Monday's session date, which ended 23:00
        (london(7, 23, 30), (date(2026, 6, 7), False)),  # 23:30 Sunday: after Sunday's 23:00 end
        (london(6, 3, 59), (date(2026, 6, 5), True)),  # a minute before Friday's session ends
        (london(6, 4, 0), (date(2026, 6, 6), False)),  # the end is outside; after the rollover, Saturday's date
        (london(6, 7, 59), (date(2026, 6, 6), False)),  # before Saturday's start
        (london(6, 8, 0), (date(2026, 6, 6), True)),  # the start is inside
        (london(5, 8, 0), (date(2026, 6, 5), True)),
        (london(5, 7, 59), (date(2026, 6, 5), False)),
        (london(1, 22, 59), (date(2026, 6, 1), True)),  # Monday, a minute before 23:00
        (london(1, 23, 0), (date(2026, 6, 1), False)),  # Monday 23:00 exactly: outside
        (london(7, 2, 0), (date(2026, 6, 6), True)),  # 02:00 Sunday: Saturday night's session
        (london(8, 2, 0), (date(2026, 6, 7), False)),  # 02:00 Monday: Sunday ended at 23:00
        (london(3, 12, 0), (date(2026, 6, 3), True)),  # Wednesday midday
        (london(17, 2, 30, month=1), (date(2026, 1, 16), True)),  # in winter (GMT) too: 02:30 Sat 17 Jan → Fri 16
    ],
)
def test_session_and_flag_for_the_default_hours(instant: datetime, expected: tuple[date, bool]) -> None:
    assert monitored_session(instant, HOURS) == expected


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        # Clocks go forward at 01:00 UTC on Sunday 29 March 2026 (01:00 GMT → 02:00 BST). Saturday night's
        # session still ends at 04:00 on the wall clock, which is now 03:00 UTC.
        (utc(3, 29, 0, 30), (date(2026, 3, 28), True)),  # 00:30 GMT
        (utc(3, 29, 1, 30), (date(2026, 3, 28), True)),  # 02:30 BST
        (utc(3, 29, 2, 59), (date(2026, 3, 28), True)),  # 03:59 BST
        (utc(3, 29, 3, 0), (date(2026, 3, 29), False)),  # 04:00 BST: ended (a fixed GMT offset would say inside)
        (utc(3, 29, 6, 59), (date(2026, 3, 29), False)),  # 07:59 BST
        (utc(3, 29, 7, 0), (date(2026, 3, 29), True)),  # 08:00 BST: Sunday's session starts
        # Clocks go back at 01:00 UTC on Sunday 25 October 2026 (02:00 BST → 01:00 GMT): 01:30 happens twice.
        (utc(10, 25, 0, 30), (date(2026, 10, 24), True)),  # the first 01:30 (BST)
        (utc(10, 25, 1, 30), (date(2026, 10, 24), True)),  # the second 01:30 (GMT)
        (utc(10, 25, 3, 30), (date(2026, 10, 24), True)),  # 03:30 GMT (a fixed BST offset would say 04:30, outside)
        (utc(10, 25, 4, 0), (date(2026, 10, 25), False)),  # 04:00 GMT: ended
        (utc(10, 25, 8, 0), (date(2026, 10, 25), True)),  # 08:00 GMT: Sunday's session starts
    ],
)
def test_hours_are_wall_clock_across_the_clock_changes(instant: datetime, expected: tuple[date, bool]) -> None:
    assert monitored_session(instant, HOURS) == expected


def test_the_instant_may_come_in_any_zone() -> None:
    # 02:30 BST on Saturday 6 June written as 01:30 UTC and as 02:30 London: the same instant, the same answer.
    assert monitored_session(datetime(2026, 6, 6, 2, 30, tzinfo=LONDON), HOURS) == (date(2026, 6, 5), True)
    assert monitored_session(utc(6, 6, 1, 30), HOURS) == (date(2026, 6, 5), True)


def test_a_naive_instant_is_utc_as_everywhere() -> None:
    # 01:30 UTC is 02:30 BST on Saturday: inside Friday's session, as the aware instant is.
    assert monitored_session(datetime(2026, 6, 6, 1, 30), HOURS) == monitored_session(utc(6, 6, 1, 30), HOURS)


def test_custom_hours_a_late_session_an_unmonitored_day_and_a_full_day() -> None:
    hours = {4: ("08:00", "05:00"), 2: ("00:00", "00:00")}  # Friday to 05:00; Wednesday all day; nothing else
    assert monitored_session(london(6, 4, 30), hours) == (date(2026, 6, 5), True)  # past the 04:00 rollover
    assert monitored_session(london(6, 5, 0), hours) == (date(2026, 6, 6), False)
    assert monitored_session(london(7, 12, 0), hours) == (date(2026, 6, 7), False)  # Sunday: not monitored
    assert monitored_session(london(3, 0, 0), hours) == (date(2026, 6, 3), True)  # Wednesday from midnight
    assert monitored_session(london(3, 23, 59), hours) == (date(2026, 6, 3), True)
    assert monitored_session(london(4, 0, 0), hours) == (date(2026, 6, 3), False)  # Thursday 00:00: Wednesday's date


def test_times_of_day_are_read_strictly() -> None:
    assert parse_hhmm("8:05").strftime("%H:%M") == "08:05"
    assert parse_hhmm(" 23:59 ").strftime("%H:%M") == "23:59"
    for bad in ("24:00", "8am", "08:60", "0800", "", "08:00:00"):
        with pytest.raises(ValueError):
            parse_hhmm(bad)


def test_validate_hours_normalises_and_lists_every_problem() -> None:
    assert validate_hours({"6": ["9:00", "23:00"], 0: ("08:00", "04:00")}) == {0: ("08:00", "04:00"),
                                                                                6: ("09:00", "23:00")}
    with pytest.raises(HoursError) as raised:
        validate_hours({0: ("08:00", "24:00"), 7: ("08:00", "23:00"), 3: ("08:00",)})
    assert set(raised.value.problems) == {0, 7, 3}
    assert "HH:MM" in raised.value.problems[0]


def test_set_monitored_hours_stores_them_on_the_room(session: Session) -> None:
    room = ensure_defaults(session)
    assert room.monitored_hours() == DEFAULT_MONITORED_HOURS
    set_monitored_hours(session, room.id, {0: ("7:30", "23:00"), 4: ("08:00", "05:00")})
    session.commit()
    session.expire_all()
    assert room.monitored_hours() == {0: ("07:30", "23:00"), 4: ("08:00", "05:00")}
    with pytest.raises(HoursError):
        set_monitored_hours(session, room.id, {0: ("late", "later")})
    with pytest.raises(RoomNotFound):
        set_monitored_hours(session, 999, {0: ("08:00", "23:00")})
