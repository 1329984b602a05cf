"""Reference numbers: the readable format, gap-free per control room and year, restarting at 1 each year, and a
rolled-back incident giving its number back. (Ten writers at once: test_concurrent_logging.py.)"""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from cctv.controlroom.incidents import log_incident
from cctv.controlroom.models import ControlRoom, Incident, IncidentCreate, ReferenceCounter
from cctv.controlroom.references import format_reference, next_reference, parse_reference
from cctv.controlroom.rooms import ensure_defaults


def counter(session: Session, room: ControlRoom, year: int) -> int | None:
    """The last number given in the room's year, as stored (None: no row)."""
    session.expire_all()  # read it from the database, not from the session's memory
    row = session.get(ReferenceCounter, (room.id, year))
    return None if row is None else row.last


def report(occurred_at: datetime) -> IncidentCreate:
    """The smallest incident an operator can log."""
    return IncidentCreate(occurred_at=occurred_at, category="asb")


def test_numbers_count_up_per_room_and_restart_each_year(session: Session) -> None:
    wycombe = ensure_defaults(session)
    aylesbury = ControlRoom(code="AY", name="Aylesbury")
    session.add(aylesbury)
    session.flush()
    assert next_reference(session, wycombe, 2026) == (1, "WY-2026-000001")
    assert next_reference(session, wycombe, 2026) == (2, "WY-2026-000002")
    assert next_reference(session, aylesbury, 2026) == (1, "AY-2026-000001")  # its own sequence
    assert next_reference(session, wycombe, 2027) == (1, "WY-2027-000001")  # a new year starts again at 1
    assert next_reference(session, wycombe, 2026) == (3, "WY-2026-000003")  # the old year carries on
    session.commit()
    assert (counter(session, wycombe, 2026), counter(session, wycombe, 2027), counter(session, aylesbury, 2026)) == (
        3, 1, 1)


def test_a_rolled_back_number_is_given_again(session: Session) -> None:
    room = ensure_defaults(session)
    session.commit()
    assert next_reference(session, room, 2026)[0] == 1
    session.commit()
    assert next_reference(session, room, 2026)[0] == 2
    session.rollback()  # the incident that took 2 was never saved
    assert next_reference(session, room, 2026)[0] == 2
    session.commit()
    assert counter(session, room, 2026) == 2


def test_the_first_number_of_a_year_rolled_back_leaves_no_counter(session: Session) -> None:
    room = ensure_defaults(session)
    session.commit()
    assert next_reference(session, room, 2030)[0] == 1
    session.rollback()
    assert counter(session, room, 2030) is None
    assert next_reference(session, room, 2030)[0] == 1


def test_logged_incidents_are_gap_free_even_when_one_is_abandoned(session: Session) -> None:
    room = ensure_defaults(session)
    session.commit()
    now = datetime(2026, 6, 6, 21, 0, tzinfo=UTC)
    first = log_incident(session, report(now), room=room, operator="op1", now=now)
    session.commit()
    log_incident(session, report(now), room=room, operator="op1", now=now)  # takes 2 ...
    session.rollback()  # ... and gives it back
    second = log_incident(session, report(now), room=room, operator="op1", now=now)
    session.commit()
    third = log_incident(session, report(now), room=room, operator="op2", now=now)
    session.commit()
    assert [first.reference, second.reference, third.reference] == ["WY-2026-000001", "WY-2026-000002",
                                                                      "WY-2026-000003"]
    assert [i.ref_number for i in session.exec(select(Incident).order_by(Incident.id))] == [1, 2, 3]


def test_the_year_is_the_year_it_was_logged_in_london(session: Session) -> None:
    room = ensure_defaults(session)
    session.commit()
    late = datetime(2026, 12, 31, 23, 50, tzinfo=UTC)  # London is on GMT in winter
    new_year = datetime(2027, 1, 1, 0, 10, tzinfo=UTC)
    old = log_incident(session, report(late), room=room, operator="op", now=late)
    # Happened in 2026, logged in 2027: numbered in 2027, the first of that year.
    logged_late = log_incident(session, report(late), room=room, operator="op", now=new_year)
    session.commit()
    assert (old.reference, old.ref_year, old.ref_number) == ("WY-2026-000001", 2026, 1)
    assert (logged_late.reference, logged_late.ref_year, logged_late.ref_number) == ("WY-2027-000001", 2027, 1)


def test_an_unsaved_room_has_no_numbers(session: Session) -> None:
    with pytest.raises(ValueError, match="not been saved"):
        next_reference(session, ControlRoom(code="XX", name="Nowhere"), 2026)


def test_format_and_parse() -> None:
    assert format_reference("WY", 2025, 4217) == "WY-2025-004217"
    assert format_reference("WY", 2025, 1_234_567) == "WY-2025-1234567"  # a seventh digit rather than a clash
    assert parse_reference(" wy-2025-004217 ") == ("WY", 2025, 4217)
    assert parse_reference("WY-2025-42") is None
    assert parse_reference("CAD 1234") is None
