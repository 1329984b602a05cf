"""Who sees what: covert cameras exist only for those with covert access; a service manager sees and changes only
their own service areas' cameras."""

from datetime import date

import pytest
from sqlmodel import Session, func, select

from inventory.cameras import (
    CameraFilter,
    CameraNotFound,
    all_matching,
    count_by_kind,
    create_camera,
    get_camera,
    list_cameras,
    move_camera,
    towns,
    update_camera,
)
from inventory.models import Camera, CameraCreate, CameraUpdate, InventoryChange
from inventory.scope import CameraScope, OutOfScope
from inventory.types import CameraKind
from tests.conftest import Estate

TODAY = date(2025, 6, 15)
EVERYTHING = CameraScope.everything()
NO_COVERT = CameraScope(include_covert=False)


def parking_manager(estate: Estate, *, covert: bool = False) -> CameraScope:
    """The scope of a service manager who looks after Parking Services only."""
    return CameraScope(include_covert=covert, service_area_ids=frozenset({estate.parking}))


def listed(session: Session, scope: CameraScope, filt: CameraFilter | None = None) -> list[str]:
    """Asset ids the list shows to this scope (and its total agrees)."""
    page = list_cameras(session, scope, filt or CameraFilter(), today=TODAY)
    assert page.total == len(page.items)
    return [c.asset_id for c in page.items]


def rows(session: Session, table: type) -> int:
    """How many rows a table holds."""
    return session.exec(select(func.count()).select_from(table)).one()


# --- covert ---------------------------------------------------------------------------------------------------


def test_covert_cameras_are_absent_everywhere_without_covert_access(session: Session, estate: Estate) -> None:
    assert listed(session, NO_COVERT) == ["CS-001", "PARK-001"]
    assert listed(session, NO_COVERT, CameraFilter(kind=CameraKind.COVERT)) == []
    assert listed(session, NO_COVERT, CameraFilter(q="fly-tipping")) == []
    assert count_by_kind(session, NO_COVERT) == {CameraKind.PUBLIC_SPACE_FIXED: 1, CameraKind.CAR_PARK: 1}
    assert towns(session, NO_COVERT) == ["Aylesbury", "High Wycombe"]  # Wendover has only the covert camera
    assert [c.asset_id for c in all_matching(session, NO_COVERT, CameraFilter(), today=TODAY)] == [
        "CS-001", "PARK-001"]
    with pytest.raises(CameraNotFound):
        get_camera(session, NO_COVERT, estate.covert_camera)


def test_covert_access_sees_covert_cameras(session: Session, estate: Estate) -> None:
    covert = CameraScope(include_covert=True)
    assert listed(session, covert) == ["CS-001", "PARK-001", "PARK-COV-1"]
    assert count_by_kind(session, covert) == {CameraKind.PUBLIC_SPACE_FIXED: 1, CameraKind.CAR_PARK: 1,
                                              CameraKind.COVERT: 1}
    assert towns(session, covert) == ["Aylesbury", "High Wycombe", "Wendover"]
    assert get_camera(session, covert, estate.covert_camera).asset_id == "PARK-COV-1"


def test_without_covert_access_no_camera_can_be_made_covert(session: Session, estate: Estate) -> None:
    with pytest.raises(OutOfScope):
        create_camera(session, NO_COVERT, CameraCreate(asset_id="CS-COV", name="Hide", kind=CameraKind.COVERT,
                                                       service_area_id=estate.community_safety), actor="op")
    camera = get_camera(session, NO_COVERT, estate.town_camera)
    with pytest.raises(OutOfScope):
        update_camera(session, NO_COVERT, camera, CameraUpdate(kind=CameraKind.COVERT), actor="op")
    session.rollback()
    session.expire_all()
    assert session.get(Camera, estate.town_camera).kind == CameraKind.PUBLIC_SPACE_FIXED
    assert rows(session, Camera) == 3
    assert rows(session, InventoryChange) == 0


# --- service managers -----------------------------------------------------------------------------------------


def test_a_service_manager_sees_only_their_areas(session: Session, estate: Estate) -> None:
    manager = parking_manager(estate)
    assert listed(session, manager) == ["PARK-001"]
    assert listed(session, manager, CameraFilter(service_area_id=estate.community_safety)) == []
    assert listed(session, manager, CameraFilter(q="frogmoor")) == []
    assert count_by_kind(session, manager) == {CameraKind.CAR_PARK: 1}
    assert towns(session, manager) == ["Aylesbury"]
    with pytest.raises(CameraNotFound):
        get_camera(session, manager, estate.town_camera)
    with pytest.raises(CameraNotFound):
        get_camera(session, manager, estate.covert_camera)  # their area, but covert
    assert listed(session, parking_manager(estate, covert=True)) == ["PARK-001", "PARK-COV-1"]


def test_a_service_manager_cannot_add_a_camera_to_another_area(session: Session, estate: Estate) -> None:
    manager = parking_manager(estate)
    with pytest.raises(OutOfScope):
        create_camera(session, manager, CameraCreate(asset_id="CS-009", name="Not mine",
                                                     kind=CameraKind.PUBLIC_SPACE_FIXED,
                                                     service_area_id=estate.community_safety), actor="parking")
    session.rollback()
    assert rows(session, Camera) == 3
    assert rows(session, InventoryChange) == 0
    mine = create_camera(session, manager, CameraCreate(asset_id="PARK-009", name="Mine", kind=CameraKind.CAR_PARK,
                                                        service_area_id=estate.parking), actor="parking")
    session.commit()
    assert listed(session, manager) == ["PARK-001", "PARK-009"]
    assert mine.id is not None


def test_a_service_manager_cannot_edit_or_move_another_areas_camera(session: Session, estate: Estate) -> None:
    manager = parking_manager(estate)
    other = session.get(Camera, estate.town_camera)  # as a stale form or a guessed id would give it
    assert other is not None
    with pytest.raises(OutOfScope):
        update_camera(session, manager, other, CameraUpdate(name="Hijacked"), actor="parking")
    with pytest.raises(OutOfScope):
        move_camera(session, manager, other, to_location_text="Elsewhere", to_town="", to_longitude=None,
                    to_latitude=None, reason="", actor="parking")
    session.rollback()
    session.expire_all()
    stored = session.get(Camera, estate.town_camera)
    assert (stored.name, stored.location_text) == ("Frogmoor north", "Frogmoor")
    assert rows(session, InventoryChange) == 0


def test_a_service_manager_cannot_hand_a_camera_to_another_area(session: Session, estate: Estate) -> None:
    manager = parking_manager(estate)
    mine = get_camera(session, manager, estate.car_park_camera)
    with pytest.raises(OutOfScope):
        update_camera(session, manager, mine, CameraUpdate(service_area_id=estate.community_safety), actor="parking")
    session.rollback()
    session.expire_all()
    assert session.get(Camera, estate.car_park_camera).service_area_id == estate.parking


def test_a_service_manager_edits_their_own_cameras(session: Session, estate: Estate) -> None:
    manager = parking_manager(estate)
    mine = get_camera(session, manager, estate.car_park_camera)
    assert update_camera(session, manager, mine, CameraUpdate(name="Exchange Street level 2"),
                         actor="parking") == {"name"}
    session.commit()
    assert listed(session, manager, CameraFilter(q="level 2")) == ["PARK-001"]


# --- the scope itself -----------------------------------------------------------------------------------------


def camera(kind: CameraKind, area: int) -> Camera:
    """An unsaved camera of a kind in an area."""
    return Camera(asset_id="X", name="X", kind=kind, service_area_id=area)


@pytest.mark.parametrize(
    ("scope", "kind", "area", "seen"),
    [
        (CameraScope.everything(), CameraKind.COVERT, 7, True),
        (CameraScope(), CameraKind.COVERT, 7, False),
        (CameraScope(), CameraKind.CAR_PARK, 7, True),
        (CameraScope(service_area_ids=frozenset({1, 2})), CameraKind.CAR_PARK, 2, True),
        (CameraScope(service_area_ids=frozenset({1, 2})), CameraKind.CAR_PARK, 3, False),
        (CameraScope(include_covert=True, service_area_ids=frozenset({1})), CameraKind.COVERT, 1, True),
        (CameraScope(include_covert=True, service_area_ids=frozenset({1})), CameraKind.COVERT, 2, False),
        (CameraScope(service_area_ids=frozenset()), CameraKind.CAR_PARK, 1, False),
    ],
)
def test_sees_and_check_agree(scope: CameraScope, kind: CameraKind, area: int, seen: bool) -> None:
    assert scope.sees(camera(kind, area)) is seen
    if seen:
        scope.check(area, kind)
    else:
        with pytest.raises(OutOfScope):
            scope.check(area, kind)
