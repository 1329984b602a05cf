"""Statutory clocks of the disclosure log: calendar months (subject access), working days (FOI) and calendar days.

Pure date arithmetic, no database. Working days exclude Saturdays, Sundays and the England & Wales bank holidays
(including substitute days, such as Boxing Day observed on Monday 28 December 2026) from the `holidays` package.
"""

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

# The council is in England: its working calendar is the England (and Wales) bank holidays.
BANK_HOLIDAY_COUNTRY = "GB"
BANK_HOLIDAY_SUBDIVISION = "ENG"
FOI_WORKING_DAYS = 20
SAR_MONTHS = 1
SAR_MAX_EXTENSION_MONTHS = 2


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    # One calendar for the process; it fills in further years on demand as dates are looked up.
    return holidays.country_holidays(BANK_HOLIDAY_COUNTRY, subdiv=BANK_HOLIDAY_SUBDIVISION)


def is_bank_holiday(day: date) -> bool:
    """Whether the day is an England & Wales bank holiday (substitute days included)."""
    return day in _bank_holidays()


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date) -> date:
    """The day itself when it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, count: int) -> date:
    """The count-th working day after start (start itself never counts, working day or not)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def add_months(start: date, months: int) -> date:
    """The corresponding day `months` later, or that month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def sar_due(received: date, months: int = SAR_MONTHS) -> date:
    """A subject access deadline under the ICO's rule.

    From the day of receipt to the corresponding calendar date `months` later (the month's last day when there is
    no such date); when that falls on a weekend or bank holiday, the next working day. An extension is the same
    rule with 1 + the extra months, counted from receipt so 31 January does not drift to 28 April.
    """
    return next_working_day(add_months(received, months))


def foi_due(received: date, working_days: int = FOI_WORKING_DAYS) -> date:
    """A freedom of information deadline: the 20th working day following the date of receipt (FOIA s.10(1))."""
    return add_working_days(received, working_days)


def police_due(received: date, days: int) -> date:
    """A police request's target: `days` calendar days after receipt (a local service level, not a statute)."""
    if days < 0:
        raise ValueError("days must not be negative")
    return received + timedelta(days=days)
