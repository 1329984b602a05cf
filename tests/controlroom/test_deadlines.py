"""The statutory clocks, against dates counted by hand on a calendar (England & Wales bank holidays)."""

from datetime import date

import pytest

from cctv.controlroom.deadlines import (
    add_months,
    add_working_days,
    foi_due,
    is_working_day,
    next_working_day,
    police_due,
    sar_due,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # no 31 February: the month's last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 29), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),  # over the year end
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 9, 3), 1, date(2025, 10, 3)),  # the corresponding day
    ],
)
def test_add_months_takes_the_corresponding_day_or_the_last_day_of_a_shorter_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_weekends_and_england_bank_holidays_are_not_working_days() -> None:
    assert is_working_day(date(2026, 3, 10))  # a Tuesday
    assert not is_working_day(date(2026, 3, 14))  # Saturday
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day falls on Saturday: Monday is the substitute
    assert is_working_day(date(2026, 1, 2))  # a Scottish bank holiday only
    assert next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)
    assert next_working_day(date(2026, 3, 10)) == date(2026, 3, 10)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (date(2025, 1, 31), date(2025, 2, 28)),  # Friday 28 February 2025
        (date(2024, 1, 31), date(2024, 2, 29)),  # Thursday 29 February 2024
        (date(2026, 1, 31), date(2026, 3, 2)),  # Saturday 28 February 2026 → Monday 2 March
        (date(2025, 9, 3), date(2025, 10, 3)),
        (date(2025, 11, 25), date(2025, 12, 29)),  # Christmas Day, Boxing Day, the weekend → Monday 29 December
        (date(2026, 3, 3), date(2026, 4, 7)),  # Good Friday, the weekend, Easter Monday → Tuesday 7 April
    ],
)
def test_a_subject_access_request_is_due_one_calendar_month_on_or_the_next_working_day(
    received: date, expected: date
) -> None:
    assert sar_due(received) == expected


def test_a_subject_access_extension_counts_from_receipt_not_from_the_first_due_date() -> None:
    # 31 Jan 2025: one month → 28 Feb; two more → 30 April (not 28 April, which chaining from 28 Feb would give).
    assert sar_due(date(2025, 1, 31), 3) == date(2025, 4, 30)
    assert sar_due(date(2025, 1, 31), 2) == date(2025, 3, 31)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # June 2025 has no bank holiday: 3-6, 9-13, 16-20, 23-27 June are 19 working days, Monday 30 June the 20th.
        (date(2025, 6, 2), date(2025, 6, 30)),
        # Christmas 2025: 16-19, 22-24, 29-31 Dec (10), 2 Jan (11; 1 Jan a holiday), 5-9 Jan (16), 12-15 Jan (20).
        (date(2025, 12, 15), date(2026, 1, 15)),
        # Christmas 2026 (25 Dec a Friday, Boxing Day substitute Monday 28th, New Year's Day a Friday):
        # 21-24 Dec (4), 29-31 Dec (7), 4-8 Jan (12), 11-15 Jan (17), 18-20 Jan (20).
        (date(2026, 12, 18), date(2027, 1, 20)),
        # Easter 2026 (Good Friday 3 April, Easter Monday 6 April): 2 Apr (1), 7-10 Apr (5), 13-17 (10),
        # 20-24 (15), 27-30 (19), Friday 1 May (20).
        (date(2026, 4, 1), date(2026, 5, 1)),
        # Received on Easter Saturday: 7-10 Apr (4), 13-17 (9), 20-24 (14), 27 Apr-1 May (19), 4 May is the
        # early May bank holiday, Tuesday 5 May (20).
        (date(2026, 4, 4), date(2026, 5, 5)),
    ],
)
def test_an_foi_request_is_due_on_the_twentieth_working_day_after_receipt(received: date, expected: date) -> None:
    assert foi_due(received) == expected


def test_working_days_never_count_the_day_of_receipt() -> None:
    assert add_working_days(date(2026, 3, 10), 0) == date(2026, 3, 10)
    assert add_working_days(date(2026, 3, 10), 1) == date(2026, 3, 11)
    assert add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 16)  # Friday → Monday
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 10), -1)


def test_a_police_request_is_due_after_calendar_days() -> None:
    assert police_due(date(2026, 3, 10), 7) == date(2026, 3, 17)
    assert police_due(date(2026, 12, 28), 7) == date(2027, 1, 4)  # holidays and weekends count
    with pytest.raises(ValueError):
        police_due(date(2026, 3, 10), -1)
