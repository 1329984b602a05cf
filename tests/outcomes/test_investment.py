"""New investment by source: awards on the period's first and last days count, the days either side do not.

Worked by hand for 2025Q3 (1 July to 30 September 2025):
NCIL 1,000.00 (1 Jul) + 250.50 (30 Sep) = 1,250.50 in 2 awards; capital nothing (5,000 on 30 Jun is Q2);
council budget 1,200.25 (15 Aug); council total 2,450.75.
Section 106 3,000.00 (1 Jul; 40,000 on 1 Oct is Q4); private 999.99 (30 Sep); external total 3,999.99.
Total 6,450.74.
"""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from cctv.outcomes.investment import SOURCE_ORDER, investment
from cctv.outcomes.periods import custom, quarter
from inventory.funding import record_funding
from inventory.models import FundingCreate
from inventory.scope import CameraScope
from inventory.types import FundingSource
from tests.conftest import Estate

AWARDS = [
    ("NCIL-1", FundingSource.NCIL, "1000.00", date(2025, 7, 1)),
    ("NCIL-2", FundingSource.NCIL, "250.50", date(2025, 9, 30)),
    ("CAP-1", FundingSource.CAPITAL, "5000.00", date(2025, 6, 30)),
    ("REV-1", FundingSource.COUNCIL_BUDGET, "1200.25", date(2025, 8, 15)),
    ("S106-1", FundingSource.S106, "40000.00", date(2025, 10, 1)),
    ("S106-2", FundingSource.S106, "3000.00", date(2025, 7, 1)),
    ("BID-1", FundingSource.EXTERNAL_PRIVATE, "999.99", date(2025, 9, 30)),
]


@pytest.fixture
def awards(session: Session, estate: Estate) -> None:
    for reference, source, amount, awarded_on in AWARDS:
        cameras = [estate.town_camera, estate.car_park_camera] if reference == "BID-1" else []
        record_funding(session, CameraScope.everything(), FundingCreate(
            reference=reference, source=source, amount=Decimal(amount), awarded_on=awarded_on,
            description=f"{reference} award", camera_ids=cameras))
    session.commit()


def test_investment_by_source_in_a_quarter(session: Session, awards: None) -> None:
    q3 = investment(session, quarter(2025, 3))
    assert [(line.source, line.awards, line.amount) for line in q3.sources] == [
        (FundingSource.NCIL, 2, Decimal("1250.50")),
        (FundingSource.CAPITAL, 0, Decimal("0.00")),
        (FundingSource.COUNCIL_BUDGET, 1, Decimal("1200.25")),
        (FundingSource.S106, 1, Decimal("3000.00")),
        (FundingSource.EXTERNAL_PRIVATE, 1, Decimal("999.99")),
    ]
    assert [line.group for line in q3.sources] == ["Council", "Council", "Council", "External", "External"]
    assert q3.council_total == Decimal("2450.75")
    assert q3.external_total == Decimal("3999.99")
    assert q3.total == Decimal("6450.74")
    assert q3.amount(FundingSource.NCIL) == Decimal("1250.50")
    assert (q3.start, q3.end) == (date(2025, 7, 1), date(2025, 10, 1))


def test_the_awards_of_the_period_in_date_order(session: Session, awards: None) -> None:
    q3 = investment(session, quarter(2025, 3))
    assert [(a.reference, a.awarded_on, a.amount, a.external, a.cameras) for a in q3.awards] == [
        ("NCIL-1", date(2025, 7, 1), Decimal("1000.00"), False, 0),
        ("S106-2", date(2025, 7, 1), Decimal("3000.00"), True, 0),
        ("REV-1", date(2025, 8, 15), Decimal("1200.25"), False, 0),
        ("BID-1", date(2025, 9, 30), Decimal("999.99"), True, 2),
        ("NCIL-2", date(2025, 9, 30), Decimal("250.50"), False, 0),
    ]
    assert q3.awards[3].source_label == "External / private"


def test_the_days_either_side_belong_to_the_neighbouring_periods(session: Session, awards: None) -> None:
    q2 = investment(session, quarter(2025, 2))
    assert (q2.council_total, q2.external_total) == (Decimal("5000.00"), Decimal("0.00"))
    assert [a.reference for a in q2.awards] == ["CAP-1"]
    q4 = investment(session, quarter(2025, 4))
    assert (q4.council_total, q4.external_total) == (Decimal("0.00"), Decimal("40000.00"))
    one_day = investment(session, custom(date(2025, 9, 30), date(2025, 9, 30)))
    assert [a.reference for a in one_day.awards] == ["BID-1", "NCIL-2"]
    assert one_day.total == Decimal("1250.49")


def test_a_period_with_no_awards_lists_every_source_at_nothing(session: Session, awards: None) -> None:
    empty = investment(session, quarter(2024, 1))
    assert [line.source for line in empty.sources] == list(SOURCE_ORDER)
    assert all(line.awards == 0 and line.amount == 0 for line in empty.sources)
    assert empty.total == Decimal("0.00") and empty.awards == ()
