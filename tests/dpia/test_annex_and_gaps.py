"""The camera annex comes from the inventory: live while a draft is written, frozen at sign-off. Every working
camera outside a signed-off DPIA is a gap."""

import json
from datetime import date

from sqlmodel import Session

from dpia.annex import AnnexCamera, annex_for, camera_annex, cameras_without_dpia
from dpia.models import Dpia
from dpia.register import start_dpia
from inventory.cameras import get_camera, move_camera, update_camera
from inventory.models import Camera, CameraUpdate
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus
from tests.conftest import make_estate
from tests.dpia.test_register import new_system, signed_version

EVERYTHING = CameraScope.everything()


def test_the_annex_lists_the_systems_working_cameras_by_asset_id(session: Session) -> None:
    estate = make_estate(session)
    parks = new_system(session, "Car parks", estate.parking, [estate.car_park_camera, estate.covert_camera])
    session.add(Camera(asset_id="PARK-000", name="Gone", service_area_id=estate.parking, system_id=parks,
                       kind=CameraKind.CAR_PARK, status=CameraStatus.DECOMMISSIONED))
    session.add(Camera(asset_id="PARK-002", name="Queen Street level 2", service_area_id=estate.parking,
                       system_id=parks, kind=CameraKind.CAR_PARK, status=CameraStatus.FAULTY))
    session.commit()
    annex = camera_annex(session, parks)
    assert [c.asset_id for c in annex] == ["PARK-001", "PARK-002", "PARK-COV-1"]
    assert annex[0] == AnnexCamera(camera_id=estate.car_park_camera, asset_id="PARK-001",
                                   name="Exchange Street car park", kind=CameraKind.CAR_PARK,
                                   status=CameraStatus.OPERATIONAL, location_text="Exchange Street", town="Aylesbury",
                                   longitude=-0.81, latitude=51.815)
    assert [c.asset_id for c in camera_annex(session, parks, include_covert=False)] == ["PARK-001", "PARK-002"]


def test_a_signed_off_annex_stays_frozen_while_the_drafts_follows_the_inventory(session: Session) -> None:
    estate = make_estate(session)
    parks = new_system(session, "Car parks", estate.parking, [estate.car_park_camera, estate.covert_camera])
    signed = signed_version(session, parks)
    session.commit()
    assert [row["asset_id"] for row in json.loads(signed.annex_json)] == ["PARK-001", "PARK-COV-1"]

    car_park = get_camera(session, EVERYTHING, estate.car_park_camera)
    move_camera(session, EVERYTHING, car_park, to_location_text="Walton Street", to_town="Aylesbury",
                to_longitude=-0.8085, to_latitude=51.8120, reason="car park closed", actor="engineer")
    update_camera(session, EVERYTHING, get_camera(session, EVERYTHING, estate.covert_camera),
                  CameraUpdate(status=CameraStatus.DECOMMISSIONED), actor="engineer")
    session.add(Camera(asset_id="PARK-003", name="Walton Street entrance", service_area_id=estate.parking,
                       system_id=parks, kind=CameraKind.CAR_PARK, location_text="Walton Street"))
    session.commit()
    draft = start_dpia(session, parks, actor="dpo", reason="car park moved")
    session.commit()
    session.expire_all()

    frozen = annex_for(session, session.get(Dpia, signed.id))
    assert [(c.asset_id, c.location_text, c.longitude, c.latitude, c.status) for c in frozen] == [
        ("PARK-001", "Exchange Street", -0.81, 51.815, CameraStatus.OPERATIONAL),
        ("PARK-COV-1", "Lay-by, A413", -0.74, 51.76, CameraStatus.OPERATIONAL),
    ]
    live = annex_for(session, draft)
    assert [(c.asset_id, c.location_text, c.longitude, c.latitude) for c in live] == [
        ("PARK-001", "Walton Street", -0.8085, 51.812),
        ("PARK-003", "Walton Street", None, None),
    ]
    assert [c.asset_id for c in annex_for(session, session.get(Dpia, signed.id), include_covert=False)] == [
        "PARK-001"]


def test_cameras_outside_a_signed_off_dpia_are_the_gaps(session: Session) -> None:
    estate = make_estate(session)
    town = new_system(session, "Town CCTV", estate.community_safety, [estate.town_camera])
    parks = new_system(session, "Car parks", estate.parking, [estate.covert_camera])
    # estate.car_park_camera is in no system at all
    session.add(Camera(asset_id="CS-099", name="Removed", service_area_id=estate.community_safety,
                       kind=CameraKind.PUBLIC_SPACE_FIXED, status=CameraStatus.DECOMMISSIONED))
    session.add(Camera(asset_id="PARK-009", name="Removed", service_area_id=estate.parking, system_id=parks,
                       kind=CameraKind.CAR_PARK, status=CameraStatus.DECOMMISSIONED))
    session.add(Camera(asset_id="CS-002", name="Planned", service_area_id=estate.community_safety, system_id=town,
                       kind=CameraKind.PUBLIC_SPACE_PTZ, status=CameraStatus.PLANNED))
    session.commit()
    assert [c.asset_id for c in cameras_without_dpia(session)] == ["CS-001", "CS-002", "PARK-001", "PARK-COV-1"]

    start_dpia(session, parks, actor="dpo")  # a draft covers nothing yet
    signed_version(session, town, today=date(2024, 5, 1))
    session.commit()
    assert [c.asset_id for c in cameras_without_dpia(session)] == ["PARK-001", "PARK-COV-1"]

    signed_version(session, town)  # version 2 supersedes version 1: the system stays covered
    session.commit()
    assert [c.asset_id for c in cameras_without_dpia(session)] == ["PARK-001", "PARK-COV-1"]
