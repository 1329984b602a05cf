"""Camera systems: a new system raises the change its DPIA must follow; names are unique; scope is kept."""

import pytest
from sqlmodel import Session, select

from inventory.cameras import UnknownReference, create_camera, update_camera
from inventory.models import Camera, CameraCreate, CameraSystemBase, CameraUpdate, InventoryChange
from inventory.scope import CameraScope, OutOfScope
from inventory.systems import DuplicateSystemName, create_system, list_systems, visible_system
from inventory.types import CameraKind, ChangeKind
from tests.conftest import Estate


def test_a_new_system_raises_its_dpia_change(session: Session, estate: Estate) -> None:
    system = create_system(session, CameraScope.everything(),
                           CameraSystemBase(name="Marlow town-centre CCTV", service_area_id=estate.community_safety),
                           actor="dpo")
    session.commit()
    changes = session.exec(select(InventoryChange)).all()
    assert [(c.kind, c.system_id, c.actor) for c in changes] == [(ChangeKind.SYSTEM_CREATED, system.id, "dpo")]


def test_system_names_are_unique_whatever_the_case(session: Session, estate: Estate) -> None:
    everything = CameraScope.everything()
    create_system(session, everything, CameraSystemBase(name="Car parks", service_area_id=estate.parking), actor="a")
    with pytest.raises(DuplicateSystemName):
        create_system(session, everything, CameraSystemBase(name="car parks ", service_area_id=estate.parking),
                      actor="a")


def test_a_service_manager_adds_and_sees_systems_of_their_own_areas_only(session: Session, estate: Estate) -> None:
    everything = CameraScope.everything()
    create_system(session, everything, CameraSystemBase(name="Town CCTV", service_area_id=estate.community_safety),
                  actor="a")
    parking_only = CameraScope(include_covert=False, service_area_ids=frozenset({estate.parking}))
    with pytest.raises(OutOfScope):
        create_system(session, parking_only,
                      CameraSystemBase(name="Another", service_area_id=estate.community_safety), actor="b")
    create_system(session, parking_only, CameraSystemBase(name="Car parks", service_area_id=estate.parking),
                  actor="b")
    assert [s.system.name for s in list_systems(session, parking_only)] == ["Car parks"]
    assert [s.system.name for s in list_systems(session, everything)] == ["Car parks", "Town CCTV"]


def _systems(session: Session, estate: Estate) -> dict[str, int]:
    """A covert system (only covert cameras), a mixed one (a car-park camera beside a covert one), one in another
    area, and an empty one."""
    everything = CameraScope.everything()
    ids = {}
    for name, area in (("Hides", estate.parking), ("Car parks", estate.parking), ("Town", estate.community_safety),
                       ("Empty", estate.parking)):
        ids[name] = create_system(session, everything, CameraSystemBase(name=name, service_area_id=area),
                                  actor="a").id
    session.get(Camera, estate.covert_camera).system_id = ids["Hides"]
    session.get(Camera, estate.car_park_camera).system_id = ids["Car parks"]
    session.add(Camera(asset_id="PARK-COV-9", name="Second hide", service_area_id=estate.parking,
                       kind=CameraKind.COVERT, system_id=ids["Car parks"]))
    session.commit()
    return ids


def test_a_system_of_covert_cameras_only_is_hidden_without_covert_access(session: Session, estate: Estate) -> None:
    ids = _systems(session, estate)
    names = {scope: [s.system.name for s in list_systems(session, scope)] for scope in (
        CameraScope.everything(), CameraScope(), CameraScope(service_area_ids=frozenset({estate.parking})))}
    assert names[CameraScope.everything()] == ["Car parks", "Empty", "Hides", "Town"]
    assert names[CameraScope()] == ["Car parks", "Empty", "Town"]  # the mixed system stays, its covert camera not
    assert names[CameraScope(service_area_ids=frozenset({estate.parking}))] == ["Car parks", "Empty"]
    assert visible_system(session, CameraScope(), ids["Hides"]) is None
    assert visible_system(session, CameraScope.everything(), ids["Hides"]) is not None
    counts = {s.system.name: s.cameras for s in list_systems(session, CameraScope())}
    assert counts["Car parks"] == 1


@pytest.mark.parametrize("target", ["Hides", "Town", "nowhere"])
def test_a_camera_goes_only_into_a_system_the_user_may_see(session: Session, estate: Estate, target: str) -> None:
    """PATCH system_id of a car-park camera: another area's system, a covert one and a missing one are refused alike,
    naming the field and nothing else."""
    ids = _systems(session, estate)
    system_id = ids.get(target, 9999)
    manager = CameraScope(service_area_ids=frozenset({estate.parking}))
    camera = session.get(Camera, estate.car_park_camera)
    with pytest.raises(UnknownReference) as refused:
        update_camera(session, manager, camera, CameraUpdate(system_id=system_id), actor="m")
    assert refused.value.field == "system_id"
    assert str(refused.value) == f"camera system {system_id} does not exist or is not one of yours"
    with pytest.raises(UnknownReference):
        create_camera(session, manager, CameraCreate(asset_id="PARK-NEW", name="n", service_area_id=estate.parking,
                                                     kind=CameraKind.CAR_PARK, system_id=system_id), actor="m")
    session.rollback()
    assert session.get(Camera, estate.car_park_camera).system_id == ids["Car parks"]
    update_camera(session, manager, camera, CameraUpdate(system_id=ids["Empty"]), actor="m")  # one of theirs
    assert camera.system_id == ids["Empty"]
