"""The one London clock (inventory.types): instants are UTC, a naive one (as SQLite hands back) too, and people see
London's wall clock, GMT in winter and BST in summer."""

from datetime import UTC, date, datetime, timedelta

import pytest

from inventory.types import LONDON, london_date, london_midnight, london_time


@pytest.mark.parametrize(("instant", "day"), [
    (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), date(2026, 1, 15)),  # GMT: the same day as UTC
    (datetime(2026, 7, 15, 23, 30, tzinfo=UTC), date(2026, 7, 16)),  # BST: already tomorrow
    (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # the last BST night
    (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # GMT again
    (datetime(2025, 6, 10, 23, 30), date(2025, 6, 11)),  # naive (SQLite) is UTC
    (datetime(2026, 6, 6, 0, 30, tzinfo=LONDON), date(2026, 6, 6)),  # given in London already
])
def test_the_london_date_of_an_instant(instant: datetime, day: date) -> None:
    assert london_date(instant) == day


def test_london_time_is_the_wall_clock_and_a_naive_instant_is_utc() -> None:
    summer = london_time(datetime(2026, 6, 6, 1, 30))
    assert (summer.hour, summer.minute, summer.utcoffset()) == (2, 30, timedelta(hours=1))
    assert london_time(datetime(2026, 6, 6, 1, 30, tzinfo=UTC)) == summer
    assert london_time(datetime(2026, 1, 6, 1, 30)).hour == 1


def test_london_midnight_is_the_utc_instant_a_london_day_starts() -> None:
    assert london_midnight(date(2026, 7, 1)) == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
    assert london_midnight(date(2026, 1, 1)) == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    assert london_date(london_midnight(date(2026, 3, 29))) == date(2026, 3, 29)  # the day the clocks go forward
