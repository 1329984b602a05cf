"""Body-worn video: a device issued to a named officer, what is out now, a device out past its return time, and
its return."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from inventory.bodyworn import IssueError, devices, is_overdue, issue_device, return_device
from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import CameraKind
from inventory.upkeep_models import BodyWornIssueBase
from tests.conftest import Estate

EVERYTHING = CameraScope.everything()
NOW = datetime(2025, 11, 3, 8, tzinfo=UTC)


def _devices(session: Session, estate: Estate) -> tuple[Camera, Camera]:
    one = Camera(asset_id="BWV-01", name="Body-worn 1", service_area_id=estate.parking, kind=CameraKind.BODY_WORN)
    two = Camera(asset_id="BWV-02", name="Body-worn 2", service_area_id=estate.parking, kind=CameraKind.BODY_WORN)
    session.add_all([one, two])
    session.commit()
    return one, two


def test_a_device_out_past_its_return_time_is_overdue_until_returned(session: Session, estate: Estate) -> None:
    one, _ = _devices(session, estate)
    issue = issue_device(session, EVERYTHING, one, BodyWornIssueBase(
        camera_id=one.id, officer_name="CEO 12 Patel", officer_number="12", due_back_at=NOW + timedelta(hours=9)),
        actor="supervisor", now=NOW)
    session.commit()
    out = {d.camera.asset_id: d for d in devices(session, EVERYTHING)}
    assert out["BWV-01"].issue.officer_name == "CEO 12 Patel" and out["BWV-02"].issue is None
    assert not out["BWV-01"].overdue(NOW + timedelta(hours=9))  # exactly at the return time: on time
    assert out["BWV-01"].overdue(NOW + timedelta(hours=9, minutes=1))
    with pytest.raises(IssueError, match="already out"):
        issue_device(session, EVERYTHING, one, BodyWornIssueBase(camera_id=one.id, officer_name="Someone else",
                                                                 due_back_at=NOW + timedelta(hours=2)),
                     actor="supervisor", now=NOW)
    return_device(session, issue, actor="supervisor", now=NOW + timedelta(hours=10))
    session.commit()
    assert not is_overdue(issue, NOW + timedelta(days=3))
    assert all(d.issue is None for d in devices(session, EVERYTHING))


def test_only_body_worn_devices_are_issued_and_never_back_in_the_past(session: Session, estate: Estate) -> None:
    one, _ = _devices(session, estate)
    town = session.get(Camera, estate.town_camera)
    with pytest.raises(IssueError, match="only body-worn"):
        issue_device(session, EVERYTHING, town, BodyWornIssueBase(camera_id=town.id, officer_name="X",
                                                                  due_back_at=NOW + timedelta(hours=1)),
                     actor="s", now=NOW)
    with pytest.raises(IssueError, match="later than now"):
        issue_device(session, EVERYTHING, one, BodyWornIssueBase(camera_id=one.id, officer_name="X",
                                                                 due_back_at=NOW - timedelta(hours=1)),
                     actor="s", now=NOW)
