"""The shift log: one open shift per room, handover signed once by someone other than the outgoing lead, and faults
raised on shift landing in the inventory's fault list with their SLA target and the camera marked faulty."""

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from cctv.audit import AuditEntry
from cctv.controlroom import shifts
from cctv.controlroom.models import ControlRoom, Shift, ShiftFault
from cctv.controlroom.shifts import (
    ShiftError,
    ShiftNotFound,
    current_shift,
    hand_over,
    operators_of,
    raise_fault,
    recent_shifts,
    shift_faults,
    sign_handover,
    start_shift,
)
from cctv.db import Database
from inventory.models import Camera, Fault
from inventory.scope import CameraScope
from inventory.types import CameraStatus, FaultPriority
from tests.conftest import Estate

EVERYTHING = CameraScope.everything()
NO_COVERT = CameraScope(include_covert=False)


def at(hour: int, minute: int = 0, day: int = 6) -> datetime:
    """A UTC time on a day of March 2026."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def make_room(session: Session, code: str = "WY", name: str = "Wycombe") -> ControlRoom:
    """A control room, committed."""
    room = ControlRoom(code=code, name=name)
    session.add(room)
    session.commit()
    return room


@pytest.fixture
def room(session: Session) -> ControlRoom:
    return make_room(session)


def test_a_shift_starts_with_its_operators_lead_first(session: Session, room: ControlRoom) -> None:
    shift = start_shift(session, room, operators=[" alice ", "bob", "", "alice"], actor="alice", now=at(7))
    session.commit()
    stored = session.get(Shift, shift.id)
    # Blanks dropped, spaces trimmed, a repeated name counted once in its first place.
    assert stored.operators == "alice,bob"
    assert operators_of(stored) == ["alice", "bob"]
    assert (stored.started_at, stored.started_by, stored.control_room_id) == (at(7), "alice", room.id)
    assert stored.ended_at is None
    assert current_shift(session, room).id == shift.id


@pytest.mark.parametrize(
    ("operators", "message"),
    [([], "Name at least one operator"), (["  "], "Name at least one operator"), (["smith, j"], "comma"),
     ([f"operator{n:03d}" for n in range(60)], "Too many")],
)
def test_operators_are_checked(session: Session, room: ControlRoom, operators: list[str], message: str) -> None:
    with pytest.raises(ShiftError) as error:
        start_shift(session, room, operators=operators, actor="alice", now=at(7))
    assert message in error.value.problems["operators"]


def test_a_second_shift_waits_for_the_handover_of_the_first(session: Session, room: ControlRoom) -> None:
    first = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    session.commit()
    with pytest.raises(ShiftError) as error:
        start_shift(session, room, operators=["carol"], actor="carol", now=at(19))
    assert "started by alice is still open" in error.value.problems["shift"]
    session.rollback()

    hand_over(session, first.id, notes="Quiet day.", actor="alice", now=at(19))
    assert current_shift(session, room) is None
    sign_handover(session, first.id, incoming="carol", now=at(19))
    second = start_shift(session, room, operators=["carol"], actor="carol", now=at(19))
    session.commit()
    assert current_shift(session, room).id == second.id


def test_rooms_keep_their_own_shifts(session: Session, room: ControlRoom) -> None:
    other = make_room(session, "AY", "Aylesbury")
    wycombe = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    aylesbury = start_shift(session, other, operators=["dave"], actor="dave", now=at(8))
    session.commit()
    assert current_shift(session, room).id == wycombe.id
    assert current_shift(session, other).id == aylesbury.id
    assert [s.id for s in recent_shifts(session, room)] == [wycombe.id]


def test_handover_ends_the_shift_with_its_notes_once(session: Session, room: ControlRoom) -> None:
    shift = start_shift(session, room, operators=["alice", "bob"], actor="alice", now=at(7))
    hand_over(session, shift.id, notes="  Camera CS-001 drifting; police want Friday's footage.\n", actor="alice",
              now=at(19, 5))
    session.commit()
    stored = session.get(Shift, shift.id)
    assert stored.ended_at == at(19, 5)
    assert stored.handover_notes == "Camera CS-001 drifting; police want Friday's footage."
    with pytest.raises(ShiftError, match="already been handed over"):
        hand_over(session, shift.id, notes="again", actor="alice", now=at(19, 10))


def test_a_shift_cannot_end_before_it_started(session: Session, room: ControlRoom) -> None:
    shift = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    with pytest.raises(ShiftError) as error:
        hand_over(session, shift.id, notes="", actor="alice", now=at(6, 59))
    assert "ended_at" in error.value.problems


def test_an_unknown_shift_is_not_found(session: Session, room: ControlRoom) -> None:
    with pytest.raises(ShiftNotFound):
        hand_over(session, 999, notes="", actor="alice", now=at(7))
    with pytest.raises(ShiftNotFound):
        sign_handover(session, 999, incoming="bob", now=at(7))


def test_the_incoming_operator_signs_the_handover_once(session: Session, room: ControlRoom) -> None:
    shift = start_shift(session, room, operators=["alice", "bob"], actor="alice", now=at(7))
    session.commit()
    with pytest.raises(ShiftError, match="not been handed over"):
        sign_handover(session, shift.id, incoming="carol", now=at(19))
    hand_over(session, shift.id, notes="All quiet.", actor="alice", now=at(19))
    with pytest.raises(ShiftError, match="outgoing lead cannot sign"):
        sign_handover(session, shift.id, incoming="alice", now=at(19, 2))
    with pytest.raises(ShiftError, match="must sign"):
        sign_handover(session, shift.id, incoming="  ", now=at(19, 2))
    with pytest.raises(ShiftError, match="before it was made"):
        sign_handover(session, shift.id, incoming="carol", now=at(18, 59))
    sign_handover(session, shift.id, incoming=" carol ", now=at(19, 2))
    session.commit()
    stored = session.get(Shift, shift.id)
    assert (stored.signed_by, stored.signed_at) == ("carol", at(19, 2))
    with pytest.raises(ShiftError, match="already signed by carol"):
        sign_handover(session, shift.id, incoming="dave", now=at(19, 3))


def test_nobody_from_the_outgoing_shift_signs_as_incoming(session: Session, room: ControlRoom) -> None:
    # Issue 16: bob, on the outgoing shift, signed as "incoming", so nobody new ever accepted the handover.
    shift = start_shift(session, room, operators=["alice", "bob"], actor="alice", now=at(7))
    hand_over(session, shift.id, notes="Two PTZs drifting.", actor="alice", now=at(19))
    with pytest.raises(ShiftError) as error:
        sign_handover(session, shift.id, incoming="bob", now=at(19, 1))
    assert error.value.problems["signed_by"] == "bob was on the outgoing shift: an incoming operator signs."
    assert sign_handover(session, shift.id, incoming="carol", now=at(19, 1)).signed_by == "carol"


@pytest.mark.parametrize("notes", ["", "   ", "\n\t "])
def test_empty_handover_notes_are_refused(session: Session, room: ControlRoom, notes: str) -> None:
    shift = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    with pytest.raises(ShiftError) as error:
        hand_over(session, shift.id, notes=notes, actor="alice", now=at(19))
    assert set(error.value.problems) == {"notes"}
    assert session.get(Shift, shift.id).ended_at is None  # still open: nothing was handed over


def test_every_unsigned_handover_stays_listed_and_blocks_a_new_shift(session: Session, room: ControlRoom) -> None:
    # Issue 16: an older unsigned handover vanished from "awaiting signature" once a newer one existed. Two are
    # made here the only way the rule now allows, rows written as an older version would have left them.
    older = Shift(control_room_id=room.id, operators="alice", started_at=at(7), started_by="alice", ended_at=at(19),
                  handover_notes="Day")
    newer = Shift(control_room_id=room.id, operators="carol", started_at=at(19), started_by="carol",
                  ended_at=at(7, day=7), handover_notes="Night")
    session.add_all([newer, older])
    session.commit()
    assert [s.id for s in shifts.unsigned_handovers(session, room)] == [older.id, newer.id]
    with pytest.raises(ShiftError) as error:
        start_shift(session, room, operators=["dave"], actor="dave", now=at(7, 5, day=7))
    assert error.value.problems["shift"] == ("The handover of the shift led by alice is not signed yet: the incoming "
                                             "operator signs it (below) before a new shift starts.")
    session.rollback()
    sign_handover(session, newer.id, incoming="dave", now=at(7, 6, day=7))
    session.commit()
    assert [s.id for s in shifts.unsigned_handovers(session, room)] == [older.id]  # the older one is still there
    with pytest.raises(ShiftError):
        start_shift(session, room, operators=["dave"], actor="dave", now=at(7, 7, day=7))
    session.rollback()
    sign_handover(session, older.id, incoming="dave", now=at(7, 8, day=7))
    assert shifts.unsigned_handovers(session, room) == []
    assert start_shift(session, room, operators=["dave"], actor="dave", now=at(7, 9, day=7)).operators == "dave"


def test_shift_changes_are_in_the_audit_trail(session: Session, room: ControlRoom) -> None:
    shift = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    hand_over(session, shift.id, notes="Handover", actor="alice", now=at(19))
    sign_handover(session, shift.id, incoming="carol", now=at(19, 1))
    session.commit()
    entries = session.exec(select(AuditEntry).where(AuditEntry.table_name == "shift",
                                                    AuditEntry.record_id == str(shift.id))
                           .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert entries[1].changed()["handover_notes"] == {"before": "", "after": "Handover"}
    assert entries[2].changed()["signed_by"] == {"before": "", "after": "carol"}
    assert {e.actor for e in entries} == {"tester"}  # the session's user


def test_recent_shifts_are_newest_first(session: Session, room: ControlRoom) -> None:
    ids = []
    for day in (2, 3, 4):
        shift = start_shift(session, room, operators=["alice"], actor="alice", now=at(7, day=day))
        hand_over(session, shift.id, notes="Quiet.", actor="alice", now=at(19, day=day))
        sign_handover(session, shift.id, incoming="carol", now=at(19, day=day))
        ids.append(shift.id)
    session.commit()
    assert [s.id for s in recent_shifts(session, room)] == ids[::-1]
    assert [s.id for s in recent_shifts(session, room, limit=2)] == ids[:0:-1]


# --- faults seen on shift -------------------------------------------------------------------------------------


def test_a_fault_raised_on_shift_goes_into_the_fault_list(session: Session, room: ControlRoom,
                                                        estate: Estate) -> None:
    shift = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    fault = raise_fault(session, EVERYTHING, shift.id, camera_id=estate.town_camera, description=" No picture ",
                        priority="high", actor="alice", now=at(9, 30))
    session.commit()
    stored = session.get(Fault, fault.id)
    # High priority: 24 hours under the default SLA, from 09:30.
    assert stored.target_fix_by == at(9, 30, day=7)
    assert (stored.camera_id, stored.description, stored.reported_by, stored.opened_at) == (
        estate.town_camera, "No picture", "alice", at(9, 30))
    assert session.get(Camera, estate.town_camera).status == CameraStatus.FAULTY
    assert [(link.shift_id, link.fault_id) for link in session.exec(select(ShiftFault))] == [(shift.id, fault.id)]
    listed = shift_faults(session, shift.id)
    assert [f.id for f in listed] == [fault.id]
    assert listed[0].camera.asset_id == "CS-001"


def test_the_configured_sla_applies(session: Session, room: ControlRoom, estate: Estate) -> None:
    shift = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    sla = {FaultPriority.CRITICAL: 2, FaultPriority.HIGH: 8, FaultPriority.MEDIUM: 48, FaultPriority.LOW: 240}
    fault = raise_fault(session, EVERYTHING, shift.id, camera_id=estate.town_camera, description="Dome cracked",
                        priority=FaultPriority.CRITICAL, actor="alice", now=at(9), sla_hours=sla)
    assert fault.target_fix_by == at(11)


def test_faults_listed_per_shift_oldest_first(session: Session, room: ControlRoom, estate: Estate) -> None:
    first = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    late = raise_fault(session, EVERYTHING, first.id, camera_id=estate.car_park_camera, description="Blurred",
                       priority="low", actor="alice", now=at(15))
    early = raise_fault(session, EVERYTHING, first.id, camera_id=estate.town_camera, description="No picture",
                        priority="medium", actor="alice", now=at(9))
    hand_over(session, first.id, notes="Quiet.", actor="alice", now=at(19))
    sign_handover(session, first.id, incoming="carol", now=at(19))
    second = start_shift(session, room, operators=["carol"], actor="carol", now=at(19))
    other = raise_fault(session, EVERYTHING, second.id, camera_id=estate.town_camera, description="Still dark",
                        priority="high", actor="carol", now=at(20))
    session.commit()
    assert [f.id for f in shift_faults(session, first.id)] == [early.id, late.id]
    assert [f.id for f in shift_faults(session, second.id)] == [other.id]


def test_a_fault_needs_an_open_shift(session: Session, room: ControlRoom, estate: Estate) -> None:
    shift = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    hand_over(session, shift.id, notes="Quiet.", actor="alice", now=at(19))
    with pytest.raises(ShiftError) as error:
        raise_fault(session, EVERYTHING, shift.id, camera_id=estate.town_camera, description="No picture",
                    priority="high", actor="alice", now=at(20))
    assert "handed over" in error.value.problems["shift"]
    assert session.exec(select(Fault)).all() == []


def test_a_covert_camera_does_not_exist_without_covert_access(session: Session, room: ControlRoom,
                                                              estate: Estate) -> None:
    shift = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    with pytest.raises(ShiftError) as error:
        raise_fault(session, NO_COVERT, shift.id, camera_id=estate.covert_camera, description="No picture",
                    priority="high", actor="alice", now=at(9))
    assert error.value.problems == {"camera_id": "No such camera."}  # the same answer as a camera that is not there
    with pytest.raises(ShiftError) as error:
        raise_fault(session, NO_COVERT, shift.id, camera_id=99999, description="No picture", priority="high",
                    actor="alice", now=at(9))
    assert error.value.problems == {"camera_id": "No such camera."}
    assert session.exec(select(Fault)).all() == []
    assert session.get(Camera, estate.covert_camera).status == CameraStatus.OPERATIONAL


def test_a_fault_on_a_camera_out_of_service_and_bad_fields_are_refused(session: Session, room: ControlRoom,
                                                                       estate: Estate) -> None:
    session.get(Camera, estate.car_park_camera).status = CameraStatus.DECOMMISSIONED
    session.commit()
    shift = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    with pytest.raises(ShiftError) as error:
        raise_fault(session, EVERYTHING, shift.id, camera_id=estate.car_park_camera, description="  ",
                    priority="urgent", actor="alice", now=at(9))
    assert error.value.problems == {
        "camera_id": "PARK-001 is decommissioned, not in service.",
        "description": "Say what is wrong.",
        "priority": "Choose a priority.",
    }
    with pytest.raises(ShiftError) as error:
        raise_fault(session, EVERYTHING, shift.id, camera_id=estate.town_camera, description="x" * 2001,
                    priority="low", actor="alice", now=at(9))
    assert set(error.value.problems) == {"description"}


def test_a_fault_on_an_already_faulty_camera_is_still_raised(session: Session, room: ControlRoom,
                                                             estate: Estate) -> None:
    shift = start_shift(session, room, operators=["alice"], actor="alice", now=at(7))
    raise_fault(session, EVERYTHING, shift.id, camera_id=estate.town_camera, description="No picture",
                priority="high", actor="alice", now=at(9))
    raise_fault(session, EVERYTHING, shift.id, camera_id=estate.town_camera, description="Also no PTZ",
                priority="low", actor="alice", now=at(10))
    session.commit()
    assert len(shift_faults(session, shift.id)) == 2


# --- two operators starting a shift at the same moment ------------------------------------------------------


def test_two_operators_starting_at_once_open_one_shift(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with database.session("fixture") as s:
        room_id = make_room(s).id
    # Widen the race: each check for an open shift takes a moment, so without the room lock both would see none.
    slow_check = shifts.current_shift

    def current_shift_slowly(session: Session, room: ControlRoom) -> Shift | None:
        found = slow_check(session, room)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(shifts, "current_shift", current_shift_slowly)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def start(name: str) -> None:
        with database.session(name) as s:
            room = s.get(ControlRoom, room_id)
            barrier.wait()
            try:
                start_shift(s, room, operators=[name], actor=name, now=at(7))
                s.commit()
                outcomes[name] = "started"
            except ShiftError:
                s.rollback()
                outcomes[name] = "refused"

    threads = [threading.Thread(target=start, args=(name,)) for name in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["refused", "started"]
    with database.session("check") as s:
        open_shifts = s.exec(select(Shift).where(Shift.ended_at == None)).all()  # noqa: E711
        assert [sh.operators for sh in open_shifts] == [n for n, o in outcomes.items() if o == "started"]

