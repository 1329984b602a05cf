"""Cameras: creating, editing and moving raise the changes a DPIA must follow (the list is in test_camera_list)."""

from datetime import UTC, date, datetime
from itertools import pairwise

import pytest
from sqlmodel import Session, col, func, select

from inventory.cameras import (
    DuplicateAssetId,
    UnknownReference,
    create_camera,
    get_camera,
    move_camera,
    update_camera,
)
from inventory.models import Camera, CameraBase, CameraCreate, CameraMove, CameraUpdate, InventoryChange
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus, ChangeKind
from tests.conftest import Estate

EVERYTHING = CameraScope.everything()
TODAY = date(2025, 6, 15)
NOON = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)


def changes(session: Session) -> list[tuple[ChangeKind, int | None, str]]:
    """Every recorded inventory change as (kind, camera id, actor), in the order recorded."""
    rows = session.exec(select(InventoryChange).order_by(col(InventoryChange.id))).all()
    return [(ChangeKind(c.kind), c.camera_id, c.actor) for c in rows]


def new_camera(asset_id: str, area: int, **fields: object) -> CameraCreate:
    """A camera to create with sensible defaults."""
    values: dict[str, object] = {"name": f"Camera {asset_id}", "kind": CameraKind.PUBLIC_SPACE_FIXED,
                                 "town": "Marlow", "location_text": "High Street"}
    values.update(fields)
    return CameraCreate(asset_id=asset_id, service_area_id=area, **values)


def camera_count(session: Session) -> int:
    """How many cameras the register holds, whoever may see them."""
    return session.exec(select(func.count()).select_from(Camera)).one()


# --- create ---------------------------------------------------------------------------------------------------


def test_creating_a_camera_raises_camera_added(session: Session, estate: Estate) -> None:
    camera = create_camera(session, EVERYTHING, new_camera("CS-100", estate.community_safety), actor="alice",
                           now=NOON)
    session.commit()
    assert changes(session) == [(ChangeKind.CAMERA_ADDED, camera.id, "alice")]
    change = session.exec(select(InventoryChange)).one()
    assert change.occurred_at == NOON
    assert "CS-100" in change.detail
    stored = session.get(Camera, camera.id)
    assert stored is not None and stored.asset_id == "CS-100" and stored.created_at == NOON


def test_a_second_camera_with_the_same_asset_id_is_refused(session: Session, estate: Estate) -> None:
    before = camera_count(session)
    with pytest.raises(DuplicateAssetId):
        create_camera(session, EVERYTHING, new_camera("CS-001", estate.parking), actor="alice")
    session.rollback()
    assert camera_count(session) == before
    assert changes(session) == []


def test_a_camera_in_an_unknown_service_area_is_refused(session: Session, estate: Estate) -> None:
    with pytest.raises(LookupError):
        create_camera(session, EVERYTHING, new_camera("X-1", estate.parking + 1000), actor="alice")


def test_a_camera_in_an_unknown_system_is_refused_before_the_database_would(session: Session,
                                                                             estate: Estate) -> None:
    with pytest.raises(UnknownReference) as refused:
        create_camera(session, EVERYTHING, new_camera("X-1", estate.parking, system_id=999), actor="alice")
    assert refused.value.field == "system_id" and "999" in str(refused.value)
    session.rollback()
    assert camera_count(session) == 3


@pytest.mark.parametrize("edit", [{"service_area_id": 999}, {"system_id": 999}])
def test_an_edit_to_an_unknown_service_area_or_system_is_refused(session: Session, estate: Estate,
                                                                  edit: dict) -> None:
    camera = get_camera(session, EVERYTHING, estate.town_camera)
    with pytest.raises(UnknownReference) as refused:
        update_camera(session, EVERYTHING, camera, CameraUpdate(**edit), actor="bob", now=NOON)
    assert refused.value.field == next(iter(edit))
    session.rollback()
    stored = session.get(Camera, estate.town_camera)
    assert (stored.service_area_id, stored.system_id) == (estate.community_safety, None)
    assert changes(session) == []


def test_an_edit_takes_no_longer_text_than_the_camera_holds() -> None:
    """CameraUpdate repeats CameraBase's limits (an edit of 5,000 characters was stored on SQLite, refused by
    PostgreSQL, and left a camera that no longer read back as a CameraRead)."""
    def limits(model: type) -> dict[str, list]:
        return {name: [m for m in info.metadata if type(m).__name__ in ("MaxLen", "Ge", "Le")]
                for name, info in model.model_fields.items()}

    edit, base = limits(CameraUpdate), limits(CameraBase)
    assert {name: edit[name] for name in edit} == {name: base[name] for name in edit}


# --- update ---------------------------------------------------------------------------------------------------


EDITS: list[tuple[str, dict, list[ChangeKind]]] = [
    ("location text", {"location_text": "Frogmoor south"}, [ChangeKind.CAMERA_MOVED]),
    ("point", {"longitude": -0.7500, "latitude": 51.6300}, [ChangeKind.CAMERA_MOVED]),
    ("manufacturer", {"manufacturer": "Axis"}, [ChangeKind.CAMERA_UPGRADED]),
    ("model", {"model": "Q6155-E"}, [ChangeKind.CAMERA_UPGRADED]),
    ("decommissioned", {"status": CameraStatus.DECOMMISSIONED}, [ChangeKind.CAMERA_DECOMMISSIONED]),
    ("in storage", {"status": CameraStatus.IN_STORAGE}, []),
    ("other fields", {"name": "Renamed", "ward": "Abbey", "notes": "new notes", "retention_days": 14}, []),
    ("moved and upgraded", {"location_text": "Oxford Road", "manufacturer": "Bosch"},
     [ChangeKind.CAMERA_MOVED, ChangeKind.CAMERA_UPGRADED]),
]


def test_each_edit_raises_the_dpia_changes_it_means(session: Session, estate: Estate) -> None:
    cameras = {}
    for n, (label, _, _) in enumerate(EDITS):
        cameras[label] = Camera(asset_id=f"E-{n}", name=label, service_area_id=estate.community_safety,
                                kind=CameraKind.PUBLIC_SPACE_FIXED, location_text="Frogmoor", longitude=-0.7493,
                                latitude=51.6295, manufacturer="Dedicated Micros", model="SD Advanced")
    session.add_all(cameras.values())
    session.commit()
    for label, edit, _ in EDITS:
        changed = update_camera(session, EVERYTHING, cameras[label], CameraUpdate(**edit), actor="bob", now=NOON)
        assert changed == set(edit), label
    session.commit()
    session.expire_all()
    recorded = changes(session)
    for label, edit, expected in EDITS:
        camera_id = cameras[label].id
        assert [(kind, actor) for kind, cid, actor in recorded if cid == camera_id] == [
            (kind, "bob") for kind in expected], label
        stored = session.get(Camera, camera_id)
        assert stored is not None
        assert {name: getattr(stored, name) for name in edit} == edit, label
        assert stored.updated_at == NOON, label


def test_an_edit_that_changes_nothing_raises_nothing(session: Session, estate: Estate) -> None:
    camera = get_camera(session, EVERYTHING, estate.town_camera)
    updated_at = camera.updated_at
    edit = CameraUpdate(location_text="Frogmoor", manufacturer="", status=CameraStatus.OPERATIONAL, town="High Wycombe")
    assert update_camera(session, EVERYTHING, camera, edit, actor="bob", now=NOON) == set()
    session.commit()
    assert changes(session) == []
    assert session.get(Camera, estate.town_camera).updated_at == updated_at


def test_decommissioning_an_already_decommissioned_camera_raises_nothing_more(
    session: Session, estate: Estate
) -> None:
    camera = get_camera(session, EVERYTHING, estate.town_camera)
    update_camera(session, EVERYTHING, camera, CameraUpdate(status=CameraStatus.DECOMMISSIONED), actor="bob")
    update_camera(session, EVERYTHING, camera, CameraUpdate(status=CameraStatus.DECOMMISSIONED), actor="bob")
    session.commit()
    assert [kind for kind, _, _ in changes(session)] == [ChangeKind.CAMERA_DECOMMISSIONED]


# --- moves ----------------------------------------------------------------------------------------------------


def test_a_move_records_where_from_and_where_to(session: Session, estate: Estate) -> None:
    camera = get_camera(session, EVERYTHING, estate.town_camera)
    move_camera(session, EVERYTHING, camera, to_location_text="Desborough Road", to_town="High Wycombe",
                to_longitude=-0.7600, to_latitude=51.6320, reason="Burglary series", actor="sup",
                at=datetime(2025, 6, 1, 9, 0, tzinfo=UTC))
    session.commit()
    move = session.exec(select(CameraMove)).one()
    assert (move.from_location_text, move.from_longitude, move.from_latitude) == ("Frogmoor", -0.7493, 51.6295)
    assert (move.to_location_text, move.to_town, move.to_longitude, move.to_latitude) == (
        "Desborough Road", "High Wycombe", -0.7600, 51.6320)
    assert (move.reason, move.moved_by) == ("Burglary series", "sup")
    assert move.moved_at == datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    assert changes(session) == [(ChangeKind.CAMERA_MOVED, estate.town_camera, "sup")]


def test_a_deployable_is_where_its_latest_move_put_it(session: Session, estate: Estate) -> None:
    camera = create_camera(session, EVERYTHING,
                           new_camera("CS-DEP-1", estate.community_safety, kind=CameraKind.DEPLOYABLE,
                                      location_text="Depot", town="Aylesbury", longitude=-0.81, latitude=51.81),
                           actor="sup")
    stops = [("Market Square", "Aylesbury", -0.8130, 51.8160), ("Castle Street", "Marlow", -0.7745, 51.5710),
             ("Broadway", "Chesham", -0.6118, 51.7052)]
    for day, (place, town, lon, lat) in enumerate(stops, start=1):
        move_camera(session, EVERYTHING, camera, to_location_text=place, to_town=town, to_longitude=lon,
                    to_latitude=lat, reason="Night-time economy", actor="sup",
                    at=datetime(2025, 5, day, 22, 0, tzinfo=UTC))
    session.commit()
    session.expire_all()
    stored = session.get(Camera, camera.id)
    assert stored is not None
    assert [m.to_location_text for m in stored.moves] == ["Broadway", "Castle Street", "Market Square"]  # newest first
    latest = stored.moves[0]
    assert (stored.location_text, stored.town, stored.longitude, stored.latitude) == (
        latest.to_location_text, latest.to_town, latest.to_longitude, latest.to_latitude)
    assert (stored.location_text, stored.town) == ("Broadway", "Chesham")
    # each move starts where the previous one ended
    oldest_first = list(reversed(stored.moves))
    assert oldest_first[0].from_location_text == "Depot"
    for earlier, later in pairwise(oldest_first):
        assert (later.from_location_text, later.from_longitude, later.from_latitude) == (
            earlier.to_location_text, earlier.to_longitude, earlier.to_latitude)
    assert [kind for kind, _, _ in changes(session)] == [ChangeKind.CAMERA_ADDED] + [ChangeKind.CAMERA_MOVED] * 3


def test_editing_a_deployables_location_records_the_move(session: Session, estate: Estate) -> None:
    camera = create_camera(session, EVERYTHING,
                           new_camera("CS-DEP-2", estate.community_safety, kind=CameraKind.DEPLOYABLE,
                                      location_text="Kingsbury", town="Aylesbury", longitude=-0.8120,
                                      latitude=51.8170), actor="sup")
    move_camera(session, EVERYTHING, camera, to_location_text="Market Square", to_town="Aylesbury",
                to_longitude=-0.8130, to_latitude=51.8160, reason="ASB", actor="sup",
                at=datetime(2025, 6, 1, tzinfo=UTC))
    update_camera(session, EVERYTHING, camera,
                  CameraUpdate(location_text="High Street", town="Marlow", longitude=-0.7742, latitude=51.5707),
                  actor="editor", now=NOON)
    session.commit()
    session.expire_all()
    stored = session.get(Camera, camera.id)
    latest = stored.moves[0]
    assert len(stored.moves) == 2
    assert (latest.from_location_text, latest.from_longitude, latest.from_latitude) == (
        "Market Square", -0.8130, 51.8160)
    assert (latest.to_location_text, latest.to_town, latest.to_longitude, latest.to_latitude, latest.moved_by,
            latest.moved_at) == ("High Street", "Marlow", -0.7742, 51.5707, "editor", NOON)
    assert (stored.location_text, stored.town, stored.longitude, stored.latitude) == (
        latest.to_location_text, latest.to_town, latest.to_longitude, latest.to_latitude)


def test_editing_a_fixed_cameras_location_records_no_move(session: Session, estate: Estate) -> None:
    camera = get_camera(session, EVERYTHING, estate.town_camera)
    update_camera(session, EVERYTHING, camera, CameraUpdate(location_text="Frogmoor south"), actor="editor")
    session.commit()
    assert session.exec(select(CameraMove)).all() == []
    assert [kind for kind, _, _ in changes(session)] == [ChangeKind.CAMERA_MOVED]


def test_none_leaves_a_required_field_as_is_but_clears_an_optional_one(session: Session, estate: Estate) -> None:
    camera = get_camera(session, EVERYTHING, estate.town_camera)
    edit = CameraUpdate(name=None, status=None, kind=None, retention_days=None, longitude=None, latitude=None,
                        install_date=None)
    assert update_camera(session, EVERYTHING, camera, edit, actor="api") == {"longitude", "latitude", "install_date"}
    session.commit()
    session.expire_all()
    stored = session.get(Camera, estate.town_camera)
    assert (stored.name, stored.status, stored.kind, stored.retention_days) == (
        "Frogmoor north", CameraStatus.OPERATIONAL, CameraKind.PUBLIC_SPACE_FIXED, 31)
    assert (stored.longitude, stored.latitude, stored.install_date) == (None, None, None)
    assert [kind for kind, _, _ in changes(session)] == [ChangeKind.CAMERA_MOVED]


def test_a_move_without_a_town_keeps_the_town(session: Session, estate: Estate) -> None:
    camera = get_camera(session, EVERYTHING, estate.town_camera)
    move_camera(session, EVERYTHING, camera, to_location_text="Eden Walk", to_town="", to_longitude=None,
                to_latitude=None, reason="", actor="sup")
    session.commit()
    assert session.get(Camera, estate.town_camera).town == "High Wycombe"
