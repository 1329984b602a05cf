"""Funding awards edited and withdrawn: a user without covert access keeps a covert camera's link without seeing it;
a withdrawn award stops counting and stops paying for its cameras."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from cctv.audit import AuditEntry
from inventory.funding import (
    DuplicateFundingReference,
    awards_for_camera,
    record_funding,
    totals_by_source,
    update_funding,
    withdraw_funding,
)
from inventory.models import FundingCamera, FundingCreate
from inventory.scope import CameraScope
from inventory.types import FundingSource
from tests.conftest import Estate

EVERYTHING = CameraScope.everything()
OVERT = CameraScope(include_covert=False)


def _award(estate: Estate, **changes) -> FundingCreate:
    fields = {"reference": "S106-1", "source": FundingSource.S106, "amount": Decimal("9000"),
              "awarded_on": date(2025, 5, 1), "camera_ids": [estate.town_camera, estate.covert_camera]} | changes
    return FundingCreate(**fields)


def test_an_edit_changes_the_award_and_keeps_links_the_editor_cannot_see(session: Session, estate: Estate) -> None:
    award = record_funding(session, EVERYTHING, _award(estate))
    other = record_funding(session, EVERYTHING, _award(estate, reference="NCIL-1", camera_ids=[]))
    session.commit()
    update_funding(session, OVERT, award, _award(estate, amount=Decimal("9500"), camera_ids=[estate.car_park_camera]))
    session.commit()
    linked = set(session.exec(select(FundingCamera.camera_id).where(FundingCamera.funding_id == award.id)))
    assert linked == {estate.car_park_camera, estate.covert_camera}
    assert award.amount == Decimal("9500")
    with pytest.raises(DuplicateFundingReference):
        update_funding(session, OVERT, other, _award(estate, camera_ids=[]))
    session.rollback()
    assert session.exec(select(AuditEntry).where(AuditEntry.table_name == "funding",
                                                 AuditEntry.action == "update")).first() is not None


def test_a_withdrawn_award_no_longer_counts_or_pays(session: Session, estate: Estate) -> None:
    award = record_funding(session, EVERYTHING, _award(estate))
    session.commit()
    assert [a.reference for a in awards_for_camera(session, estate.town_camera)] == ["S106-1"]
    with pytest.raises(ValueError, match="say why"):
        withdraw_funding(session, award, on=date(2026, 1, 5), reason="  ")
    withdraw_funding(session, award, on=date(2026, 1, 5), reason="Developer did not pay")
    session.commit()
    assert awards_for_camera(session, estate.town_camera) == []
    assert totals_by_source([award]) == {}
    with pytest.raises(ValueError, match="already"):
        withdraw_funding(session, award, on=date(2026, 1, 6), reason="again")
