"""Reading the log: the day's log by London date, cameras in one query (covert hidden), search, the camera picker
and references as typed."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from cctv.controlroom.incidents import (
    IncidentNotFound,
    cameras_by_incident,
    day_log,
    day_log_asset_ids,
    day_log_rows,
    find_cameras,
    incident_by_reference,
    incident_cameras,
    log_incident,
    resolve_asset_ids,
    search_incidents,
)
from cctv.controlroom.models import ControlRoom, Incident, IncidentCategory, IncidentCreate
from cctv.controlroom.rooms import ensure_defaults
from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus
from tests.conftest import Estate

NO_COVERT = CameraScope()
EVERYTHING = CameraScope.everything()
NOW = datetime(2026, 6, 8, 12, 0, tzinfo=UTC)


@pytest.fixture
def room(session: Session, estate: Estate) -> ControlRoom:
    room = ensure_defaults(session)
    session.commit()
    return room


def log(session: Session, room: ControlRoom, occurred_at: datetime, **fields: object) -> Incident:
    """Log an incident (an anti-social behaviour report unless told) and commit it."""
    data = IncidentCreate(occurred_at=occurred_at, **{"category": "asb", **fields})
    incident = log_incident(session, data, room=room, operator="alice", now=NOW)
    session.commit()
    return incident


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A UTC instant in June 2026 (London is an hour ahead)."""
    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)


def test_the_days_log_is_the_london_day_newest_first(session: Session, room: ControlRoom) -> None:
    log(session, room, at(5, 22, 59), narrative="23:59 on the 5th")
    midnight = log(session, room, at(5, 23, 0), narrative="00:00 on the 6th")
    midday = log(session, room, at(6, 11, 0), narrative="12:00 on the 6th")
    last = log(session, room, at(6, 22, 59), narrative="23:59 on the 6th")
    log(session, room, at(6, 23, 0), narrative="00:00 on the 7th")
    other = ControlRoom(code="AY", name="Aylesbury")
    session.add(other)
    session.commit()
    log(session, other, at(6, 11, 0), narrative="the other room")
    assert [i.id for i in day_log(session, room, date(2026, 6, 6))] == [last.id, midday.id, midnight.id]
    assert [i.id for i in day_log(session, room, date(2026, 6, 6), limit=1)] == [last.id]
    assert day_log(session, room, date(2026, 6, 9)) == []


def test_cameras_of_many_incidents_in_one_go_covert_hidden(session: Session, estate: Estate,
                                                          room: ControlRoom) -> None:
    both = log(session, room, at(6, 1), camera_ids=[estate.car_park_camera, estate.town_camera])
    covert = log(session, room, at(6, 2), camera_ids=[estate.covert_camera, estate.town_camera])
    none = log(session, room, at(6, 3))
    found = cameras_by_incident(session, [both.id, covert.id, none.id], NO_COVERT)
    assert {k: [c.asset_id for c in v] for k, v in found.items()} == {both.id: ["CS-001", "PARK-001"],
                                                                      covert.id: ["CS-001"]}
    assert [c.asset_id for c in incident_cameras(session, covert.id, EVERYTHING)] == ["CS-001", "PARK-COV-1"]
    assert incident_cameras(session, none.id) == []
    assert cameras_by_incident(session, []) == {}


def test_search_by_text_category_and_dates(session: Session, room: ControlRoom) -> None:
    fight = log(session, room, at(1, 21), category="violence", narrative="Fight outside the KINGS HEAD",
                police_reference="CAD 1234")
    discount = log(session, room, at(3, 10), category="theft", narrative="Shop says 50% of stock taken")
    other = log(session, room, at(5, 23, 30), location_text="Kingsmead Road")  # 00:30 on the 6th in London

    def ids(**filters: object) -> list[int]:
        return [i.id for i in search_incidents(session, **filters)]

    assert ids(text="kings head") == [fight.id]  # any case
    assert ids(text="kings") == [other.id, fight.id]  # location too, newest first
    assert ids(text="cad 1234") == [fight.id]  # the police reference
    assert ids(text="WY-2026-000002") == [discount.id]  # the reference
    assert ids(text="50%") == [discount.id]
    assert ids(text="5%") == []  # % is a character, not a wildcard
    assert ids(category="theft") == [discount.id]
    assert ids(start=date(2026, 6, 3), end=date(2026, 6, 5)) == [discount.id]  # days inclusive, London dates
    assert ids(start=date(2026, 6, 6)) == [other.id]
    assert ids(start=at(1, 21), end=at(3, 10)) == [fight.id]  # instants: start included, end excluded
    assert ids(limit=2) == [other.id, discount.id]
    assert ids(room=room, text="  ") == [other.id, discount.id, fight.id]


def test_a_reference_is_found_as_typed(session: Session, room: ControlRoom) -> None:
    incident = log(session, room, at(6, 1))
    assert incident_by_reference(session, " wy-2026-000001 ").id == incident.id
    with pytest.raises(IncidentNotFound):
        incident_by_reference(session, "WY-2026-000002")
    with pytest.raises(IncidentNotFound):
        incident_by_reference(session, "CAD 1234")


@pytest.fixture
def more_cameras(session: Session, estate: Estate) -> None:
    """Cameras whose ids and names contain "cs-001" in different ways."""
    def camera(asset_id: str, name: str, status: CameraStatus = CameraStatus.OPERATIONAL) -> Camera:
        return Camera(asset_id=asset_id, name=name, service_area_id=estate.community_safety,
                      kind=CameraKind.PUBLIC_SPACE_FIXED, status=status)

    session.add_all([
        camera("CS-0010", "Desborough Road"),  # starts with it
        camera("XCS-001", "Octagon"),  # contains it
        camera("TOWN-9", "Overflow for cs-001"),  # its name contains it
        camera("CS-001-OLD", "Frogmoor (old)", CameraStatus.DECOMMISSIONED),
    ])
    session.commit()


def test_the_camera_picker_ranks_exact_then_prefix_then_the_rest(session: Session, more_cameras: None) -> None:
    assert [c.asset_id for c in find_cameras(session, NO_COVERT, "cs-001")] == [
        "CS-001", "CS-0010", "TOWN-9", "XCS-001"]  # never the decommissioned CS-001-OLD
    assert [c.asset_id for c in find_cameras(session, NO_COVERT, "cs-001", limit=2)] == ["CS-001", "CS-0010"]
    assert [c.asset_id for c in find_cameras(session, NO_COVERT, "frogmoor")] == ["CS-001"]  # by name
    assert find_cameras(session, NO_COVERT, "hide") == []  # the covert camera does not exist for this user
    assert [c.asset_id for c in find_cameras(session, EVERYTHING, "hide")] == ["PARK-COV-1"]
    assert find_cameras(session, NO_COVERT, "  ") == []
    assert find_cameras(session, NO_COVERT, "_") == []  # _ is a character, not a wildcard


def test_asset_ids_typed_in_a_list(session: Session, estate: Estate) -> None:
    cameras, unknown = resolve_asset_ids(session, NO_COVERT, "cs-001, PARK-001; nope, CS-001,, park-cov-1")
    assert [c.asset_id for c in cameras] == ["CS-001", "PARK-001"]
    assert unknown == ["nope", "park-cov-1"]  # the covert one is unknown to this user
    assert resolve_asset_ids(session, NO_COVERT, " , ") == ([], [])


def test_day_boundaries_in_winter_are_utc_midnights(session: Session, room: ControlRoom) -> None:
    late = log_incident(session, IncidentCreate(occurred_at=datetime(2026, 1, 9, 23, 59, tzinfo=UTC), category="asb"),
                        room=room, operator="alice", now=datetime(2026, 1, 10, 0, 5, tzinfo=UTC))
    session.commit()
    assert [i.id for i in day_log(session, room, date(2026, 1, 9))] == [late.id]
    assert day_log(session, room, date(2026, 1, 10)) == []


def test_the_days_log_rows_and_asset_ids_match_the_full_incidents(session: Session, estate: Estate,
                                                                    room: ControlRoom) -> None:
    both = log(session, room, at(6, 1), camera_ids=[estate.town_camera, estate.car_park_camera], arrests=1,
               arrest_offences="Assault")
    covert = log(session, room, at(6, 2), camera_ids=[estate.covert_camera])
    log(session, room, at(7, 9))  # another day
    full = day_log(session, room, date(2026, 6, 6))
    rows = day_log_rows(session, room, date(2026, 6, 6))
    # The rows carry aware UTC times on every database (SQLite's driver gives naive ones; the model's column type
    # makes them aware) and the follow-up as a FollowUp (equal to its value).
    assert all(r.occurred_at.tzinfo is UTC for r in rows)
    assert [(r.id, r.reference, r.occurred_at, r.arrests, r.in_monitored_hours, r.follow_up,
             r.monitored_session) for r in rows] == \
        [(i.id, i.reference, i.occurred_at, i.arrests, i.in_monitored_hours, i.follow_up.value, i.monitored_session)
         for i in full]
    labels = {c.code: c.label for c in session.exec(select(IncidentCategory))}
    assert [r.category_label for r in rows] == [labels[i.category] for i in full]
    assert day_log_asset_ids(session, room, date(2026, 6, 6), NO_COVERT) == {both.id: "CS-001, PARK-001"}
    assert day_log_asset_ids(session, room, date(2026, 6, 6), EVERYTHING) == {
        both.id: "CS-001, PARK-001", covert.id: "PARK-COV-1"}
    assert day_log_asset_ids(session, room, date(2026, 6, 5), EVERYTHING) == {}


def test_the_picker_offers_no_body_worn_or_building_cameras(session: Session, estate: Estate) -> None:
    session.add_all([Camera(asset_id=f"CS-{kind.value}", name=kind.label, service_area_id=estate.community_safety,
                            kind=kind) for kind in (CameraKind.BODY_WORN, CameraKind.BUILDING, CameraKind.ANPR)])
    session.commit()
    assert [c.asset_id for c in find_cameras(session, EVERYTHING, "CS-")] == ["CS-001", "CS-anpr"]


def test_an_incident_without_a_place_takes_its_cameras_but_never_a_covert_one(session: Session, room: ControlRoom,
                                                                             estate: Estate) -> None:
    town = session.get(Camera, estate.town_camera)
    placed = log(session, room, at(6, 10), camera_ids=[town.id])
    assert (placed.location_text, placed.latitude, placed.longitude) == (
        town.location_text or town.name, town.latitude, town.longitude)
    typed = log(session, room, at(6, 11), camera_ids=[town.id], location_text="Octagon entrance")
    assert (typed.location_text, typed.latitude) == ("Octagon entrance", None)
    covert = session.exec(select(Camera).where(Camera.kind == CameraKind.COVERT)).first()
    hidden = log_incident(session, IncidentCreate(occurred_at=at(6, 12), category="asb", camera_ids=[covert.id]),
                          room=room, operator="alice", now=NOW, scope=EVERYTHING)
    assert (hidden.location_text, hidden.latitude) == ("", None)
