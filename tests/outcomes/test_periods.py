"""Periods in Europe/London time: parsing, London-midnight boundaries in BST and GMT, the period before, filters."""

from datetime import UTC, date, datetime

import pytest

from cctv.outcomes.periods import Filters, Period, custom, month, offset_changes, parse_period, quarter, year


def z(y: int, mo: int, d: int, h: int = 0) -> datetime:
    return datetime(y, mo, d, h, tzinfo=UTC)


def test_a_summer_quarter_starts_and_ends_at_london_midnight_in_bst() -> None:
    q2 = parse_period("2025Q2")
    assert (q2.start, q2.end, q2.label, q2.kind) == (date(2025, 4, 1), date(2025, 7, 1), "Q2 2025", "quarter")
    assert q2.start_utc == z(2025, 3, 31, 23)  # 00:00 BST on 1 April
    assert q2.end_utc == z(2025, 6, 30, 23)  # 00:00 BST on 1 July (exclusive)
    assert q2.start_utc.tzinfo is UTC
    assert q2.days == 91
    assert q2.last_day == date(2025, 6, 30)


def test_quarters_across_the_clock_changes() -> None:
    q1, q3, q4 = parse_period("2025Q1"), parse_period("2025q3"), parse_period(" 2025-Q4 ")
    assert (q1.start_utc, q1.end_utc, q1.days) == (z(2025, 1, 1), z(2025, 3, 31, 23), 90)  # GMT → BST
    assert (q3.start_utc, q3.end_utc, q3.days) == (z(2025, 6, 30, 23), z(2025, 9, 30, 23), 92)
    assert (q4.start_utc, q4.end_utc, q4.days) == (z(2025, 9, 30, 23), z(2026, 1, 1), 92)  # BST → GMT
    assert q4.label == "Q4 2025"


def test_months_years_and_custom_periods() -> None:
    july = parse_period("2025-07")
    assert (july.start, july.end, july.label, july.kind, july.days) == (
        date(2025, 7, 1), date(2025, 8, 1), "July 2025", "month", 31)
    assert july.start_utc == z(2025, 6, 30, 23)
    assert parse_period("2025-7") == july
    assert parse_period("2025-12").end_utc == z(2026, 1, 1)

    whole = parse_period("2025")
    assert (whole.start_utc, whole.end_utc, whole.days, whole.label) == (z(2025, 1, 1), z(2026, 1, 1), 365, "2025")
    assert parse_period("2024").days == 366

    span = parse_period("2025-07-01..2025-09-30")  # the last day is included in the text
    assert (span.start, span.end, span.kind, span.days) == (date(2025, 7, 1), date(2025, 10, 1), "custom", 92)
    assert span.end_utc == parse_period("2025Q3").end_utc
    assert span.label == "1 Jul 2025 – 30 Sep 2025"
    one_day = parse_period("2025-10-26..2025-10-26")  # the day the clocks go back: 25 hours long
    assert (one_day.start_utc, one_day.end_utc, one_day.days) == (z(2025, 10, 25, 23), z(2025, 10, 27), 1)


def test_the_previous_period_is_the_same_unit_immediately_before() -> None:
    assert parse_period("2025Q1").previous() == quarter(2024, 4)
    assert parse_period("2025Q3").previous() == quarter(2025, 2)
    assert parse_period("2025Q3").previous().days == 91  # a quarter, not 92 days
    assert parse_period("2025-01").previous() == month(2024, 12)
    march = parse_period("2025-03").previous()
    assert (march.start, march.end, march.days) == (date(2025, 2, 1), date(2025, 3, 1), 28)
    assert parse_period("2025").previous() == year(2024)
    before = parse_period("2025-07-01..2025-09-30").previous()  # custom: as many days just before
    assert (before.start, before.last_day, before.days, before.kind) == (date(2025, 3, 31), date(2025, 6, 30), 92,
                                                                           "custom")
    assert before.end_utc == parse_period("2025-07-01..2025-09-30").start_utc


def test_codes_read_back_to_the_same_period() -> None:
    for text in ("2025Q3", "2025-07", "2025", "2025-07-01..2025-09-30"):
        assert parse_period(text).code == text
        assert parse_period(parse_period(text).code) == parse_period(text)


def test_months_of_a_period() -> None:
    assert custom(date(2025, 6, 15), date(2025, 8, 1)).months() == [(2025, 6), (2025, 7), (2025, 8)]
    assert quarter(2025, 4).months() == [(2025, 10), (2025, 11), (2025, 12)]
    assert custom(date(2025, 12, 31), date(2026, 1, 1)).months() == [(2025, 12), (2026, 1)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "give a period"),
        ("   ", "give a period"),
        ("2025Q5", "is not a period"),
        ("2025-13", "there is no month 13"),
        ("2025-00", "there is no month 0"),
        ("25Q3", "is not a period"),
        ("last quarter", "is not a period"),
        ("2025-02-30..2025-03-01", "day is out of range"),
        ("2025-09-30..2025-07-01", "ends (2025-07-01) before it starts (2025-09-30)"),
    ],
)
def test_bad_periods_are_refused_with_a_readable_message(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_period(text)
    assert message in str(error.value)


def test_a_period_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError, match="must end after it starts"):
        Period(date(2025, 7, 1), date(2025, 7, 1), "empty")
    with pytest.raises(ValueError, match="a quarter is 1 to 4"):
        quarter(2025, 0)
    with pytest.raises(ValueError, match="a month is 1 to 12"):
        month(2025, 13)


def test_the_clock_changes_come_from_zoneinfo() -> None:
    assert offset_changes(z(2025, 1, 1), z(2026, 1, 1)) == (
        0, ((z(2025, 3, 30, 1), 60), (z(2025, 10, 26, 1), 0)))
    assert offset_changes(z(2025, 6, 30, 23), z(2025, 9, 30, 23)) == (60, ())


def test_filters() -> None:
    assert not Filters().active
    assert Filters().camera_clauses() == []
    assert Filters(town="Aylesbury").active
    assert Filters(service_area_id=0).active  # an id, however small, is a filter
    assert len(Filters(town="Aylesbury", service_area_id=3).camera_clauses()) == 2
    assert not Filters(town="").active
