"""The DPIA-relevant changes the inventory records: committed with the change itself, handed over oldest first, and
never handed over twice."""

from datetime import UTC, datetime

from sqlmodel import Session, func, select

from inventory.cameras import create_camera, get_camera, move_camera, update_camera
from inventory.changes import mark_consumed, pending_changes, record_change
from inventory.models import Camera, CameraCreate, CameraUpdate, InventoryChange
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus, ChangeKind
from tests.conftest import Estate

EVERYTHING = CameraScope.everything()


def at(day: int, hour: int = 9) -> datetime:
    """A UTC time in June 2025."""
    return datetime(2025, 6, day, hour, tzinfo=UTC)


def test_pending_changes_come_oldest_first_whatever_order_they_were_made_in(session: Session, estate: Estate) -> None:
    camera = get_camera(session, EVERYTHING, estate.town_camera)
    update_camera(session, EVERYTHING, camera, CameraUpdate(status=CameraStatus.DECOMMISSIONED), actor="c",
                  now=at(9))
    move_camera(session, EVERYTHING, camera, to_location_text="Store", to_town="", to_longitude=None,
                to_latitude=None, reason="removed", actor="b", at=at(5))
    create_camera(session, EVERYTHING, CameraCreate(asset_id="CS-050", name="New", kind=CameraKind.PUBLIC_SPACE_PTZ,
                                                    service_area_id=estate.community_safety), actor="a", now=at(1))
    session.commit()
    pending = pending_changes(session)
    assert [(c.kind, c.actor, c.occurred_at) for c in pending] == [
        (ChangeKind.CAMERA_ADDED, "a", at(1)),
        (ChangeKind.CAMERA_MOVED, "b", at(5)),
        (ChangeKind.CAMERA_DECOMMISSIONED, "c", at(9)),
    ]


def test_consumed_changes_are_not_handed_over_again(session: Session, estate: Estate) -> None:
    first = record_change(session, ChangeKind.CAMERA_UPGRADED, camera_id=estate.town_camera, actor="a", at=at(1))
    record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.car_park_camera, actor="a", at=at(2))
    session.commit()
    mark_consumed(session, [first], at(3))
    session.commit()
    session.expire_all()
    assert [(c.kind, c.camera_id) for c in pending_changes(session)] == [
        (ChangeKind.CAMERA_MOVED, estate.car_park_camera)]
    assert session.get(InventoryChange, first.id).consumed_at == at(3)
    mark_consumed(session, pending_changes(session), at(4))
    session.commit()
    assert pending_changes(session) == []


def test_a_change_is_rolled_back_with_the_edit_that_raised_it(session: Session, estate: Estate) -> None:
    camera = get_camera(session, EVERYTHING, estate.town_camera)
    update_camera(session, EVERYTHING, camera, CameraUpdate(manufacturer="Axis"), actor="a")
    session.flush()
    session.rollback()
    assert session.exec(select(func.count()).select_from(InventoryChange)).one() == 0
    assert session.get(Camera, estate.town_camera).manufacturer == ""


def test_a_long_detail_is_cut_to_fit(session: Session, estate: Estate) -> None:
    record_change(session, ChangeKind.CAMERA_MOVED, camera_id=estate.town_camera, detail="x" * 600)
    session.commit()
    assert session.exec(select(InventoryChange)).one().detail == "x" * 500
