"""The funding register: awards by source, the cameras they paid for, unique references and scope."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, func, select

from inventory.funding import DuplicateFundingReference, list_funding, record_funding, totals_by_source
from inventory.models import Funding, FundingCamera, FundingCreate
from inventory.scope import CameraScope
from inventory.types import FundingSource
from tests.conftest import Estate

EVERYTHING = CameraScope.everything()


def award(reference: str, source: FundingSource, amount: str, awarded_on: date,
          camera_ids: list[int] | None = None) -> FundingCreate:
    """A funding award as a user records it."""
    return FundingCreate(reference=reference, source=source, amount=Decimal(amount), awarded_on=awarded_on,
                         description=f"{reference} award", camera_ids=camera_ids or [])


def test_totals_by_source_add_up_each_source(session: Session, estate: Estate) -> None:
    record_funding(session, EVERYTHING, award("NCIL-1", FundingSource.NCIL, "85000.00", date(2024, 4, 1)))
    record_funding(session, EVERYTHING, award("NCIL-2", FundingSource.NCIL, "12500.50", date(2024, 9, 1)))
    record_funding(session, EVERYTHING, award("S106-1", FundingSource.S106, "40000", date(2023, 6, 1)))
    record_funding(session, EVERYTHING, award("BID-1", FundingSource.EXTERNAL_PRIVATE, "0.01", date(2025, 1, 1)))
    session.commit()
    session.expire_all()
    awards = list_funding(session)
    assert [a.reference for a in awards] == ["BID-1", "NCIL-2", "NCIL-1", "S106-1"]  # newest first
    assert totals_by_source(awards) == {
        FundingSource.NCIL: Decimal("97500.50"),
        FundingSource.S106: Decimal("40000.00"),
        FundingSource.EXTERNAL_PRIVATE: Decimal("0.01"),
    }
    assert all(isinstance(a.amount, Decimal) for a in awards)  # money is never a float


def test_totals_of_nothing_are_empty() -> None:
    assert totals_by_source([]) == {}


def test_an_award_is_linked_to_the_cameras_it_paid_for(session: Session, estate: Estate) -> None:
    record_funding(session, EVERYTHING, award("NCIL-1", FundingSource.NCIL, "1000", date(2024, 4, 1),
                                              [estate.town_camera, estate.car_park_camera]))
    record_funding(session, EVERYTHING, award("CAP-1", FundingSource.CAPITAL, "2000", date(2024, 5, 1)))
    session.commit()
    session.expire_all()
    by_ref = {a.reference: a for a in list_funding(session)}
    assert sorted(c.asset_id for c in by_ref["NCIL-1"].cameras) == ["CS-001", "PARK-001"]
    assert by_ref["CAP-1"].cameras == []
    links = session.exec(select(FundingCamera.camera_id).order_by(FundingCamera.camera_id)).all()
    assert links == sorted([estate.town_camera, estate.car_park_camera])


def test_a_reference_is_used_once(session: Session, estate: Estate) -> None:
    record_funding(session, EVERYTHING, award("NCIL-1", FundingSource.NCIL, "1000", date(2024, 4, 1)))
    session.commit()
    with pytest.raises(DuplicateFundingReference):
        record_funding(session, EVERYTHING, award("NCIL-1", FundingSource.CAPITAL, "5", date(2024, 5, 1)))
    session.rollback()
    assert session.exec(select(func.count()).select_from(Funding)).one() == 1


@pytest.mark.parametrize("who", ["manager of another area", "no covert access", "camera that does not exist"])
def test_an_award_cannot_name_a_camera_the_user_may_not_see(session: Session, estate: Estate, who: str) -> None:
    scope, camera_id = {
        "manager of another area": (CameraScope(service_area_ids=frozenset({estate.parking})), estate.town_camera),
        "no covert access": (CameraScope(include_covert=False), estate.covert_camera),
        "camera that does not exist": (EVERYTHING, estate.covert_camera + 100),
    }[who]
    with pytest.raises(LookupError, match=str(camera_id)):
        record_funding(session, scope, award("NCIL-9", FundingSource.NCIL, "10", date(2024, 4, 1),
                                             [estate.car_park_camera, camera_id]))
    session.rollback()
    assert session.exec(select(func.count()).select_from(Funding)).one() == 0
    assert session.exec(select(func.count()).select_from(FundingCamera)).one() == 0


def test_external_sources_are_told_apart_from_council_ones() -> None:
    external = {s for s in FundingSource if s.is_external}
    assert external == {FundingSource.S106, FundingSource.EXTERNAL_PRIVATE}
