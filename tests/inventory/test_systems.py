"""Camera systems: a new system raises the change its DPIA must follow; names are unique; scope is kept."""

import pytest
from sqlmodel import Session, select

from inventory.models import CameraSystemBase, InventoryChange
from inventory.scope import CameraScope, OutOfScope
from inventory.systems import DuplicateSystemName, create_system, list_systems
from inventory.types import ChangeKind
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
