"""Footage retention: stored retention days against the policy per kind, and the shortest retention of a set of
cameras (what the evidence flag measures)."""

from sqlmodel import Session

from inventory.models import Camera, CameraSystem
from inventory.retention import LONGER, NONE, OK, compliance, shortest_retention
from inventory.scope import CameraScope
from inventory.types import CameraKind
from tests.conftest import Estate


def test_cameras_keeping_footage_longer_than_policy_come_first(session: Session, estate: Estate) -> None:
    system = CameraSystem(name="Town centre", service_area_id=estate.community_safety)
    session.add(system)
    session.flush()
    town = session.get(Camera, estate.town_camera)
    town.system_id, town.retention_days = system.id, 45
    session.add_all([
        town,
        Camera(asset_id="CS-002", name="Two", service_area_id=estate.community_safety, system_id=system.id,
               kind=CameraKind.PUBLIC_SPACE_FIXED, retention_days=31),
        Camera(asset_id="BWV-1", name="Body-worn", service_area_id=estate.parking, kind=CameraKind.BODY_WORN,
               retention_days=90),
        Camera(asset_id="CS-000", name="Zero", service_area_id=estate.community_safety,
               kind=CameraKind.BUILDING, retention_days=0),
    ])
    session.commit()
    lines = compliance(session, CameraScope(include_covert=False))
    states = [(line.camera.asset_id, line.state, line.system_mixed) for line in lines]
    assert states == [("CS-000", NONE, False), ("CS-001", LONGER, True), ("CS-002", OK, True),
                      ("BWV-1", OK, False), ("PARK-001", OK, False)]
    assert "PARK-COV-1" not in [line.camera.asset_id for line in lines]
    assert shortest_retention([session.get(Camera, estate.town_camera),
                                session.get(Camera, estate.car_park_camera)], default=31) == 31
    assert shortest_retention([town], default=31) == 45
    assert shortest_retention([], default=31) == 31
