"""Existing coverage comes from the inventory: only working public-space cameras with a point count."""

from pyproj import Transformer
from sqlmodel import Session

from inventory.models import Camera
from inventory.types import CameraKind, CameraStatus
from siting.store.existing import working_cameras
from tests.conftest import Estate


def test_only_working_public_space_cameras_with_a_point_cover_harm(session: Session, estate: Estate) -> None:
    def add(asset_id: str, kind: CameraKind, status: CameraStatus, point: bool = True) -> None:
        session.add(Camera(asset_id=asset_id, name=asset_id, service_area_id=estate.community_safety, kind=kind,
                           status=status, longitude=-0.75 if point else None, latitude=51.63 if point else None))

    add("DEP-1", CameraKind.DEPLOYABLE, CameraStatus.OPERATIONAL)
    add("FIX-BROKEN", CameraKind.PUBLIC_SPACE_FIXED, CameraStatus.FAULTY)
    add("FIX-GONE", CameraKind.PUBLIC_SPACE_FIXED, CameraStatus.DECOMMISSIONED)
    add("FIX-NOWHERE", CameraKind.PUBLIC_SPACE_FIXED, CameraStatus.OPERATIONAL, point=False)
    add("TRAFFIC-1", CameraKind.TRAFFIC, CameraStatus.OPERATIONAL)
    session.commit()
    # The small estate: CS-001 (public space) and PARK-001 (car park) are operational; PARK-COV-1 is covert.
    existing = working_cameras(session)
    assert existing.asset_ids == ("CS-001", "DEP-1", "PARK-001")
    easting, northing = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(-0.7493, 51.6295)
    assert abs(existing.points_bng[0][0] - easting) < 0.01 and abs(existing.points_bng[0][1] - northing) < 0.01


def test_an_empty_register_covers_nothing(session: Session) -> None:
    existing = working_cameras(session)
    assert len(existing) == 0 and existing.points_bng.shape == (0, 2)


def test_the_models_camera_columns_are_the_inventorys_own() -> None:
    """`working_cameras` names the camera table's columns itself (a lighter start than the inventory's models):
    each must be the inventory's column, kind and status stored as their enums' plain values."""
    from siting.store.existing import CAMERA

    inventory = Camera.__table__.c  # type: ignore[attr-defined]
    assert CAMERA.name == Camera.__tablename__
    assert {c.name for c in CAMERA.c} <= set(inventory.keys())
    for name, enum in (("kind", CameraKind), ("status", CameraStatus)):
        stored = inventory[name].type
        assert getattr(stored, "native_enum", False) is False
        assert list(stored.enums) == [member.value for member in enum]
