"""Incident reference numbers: readable ("WY-2026-004217"), unique, and gap-free within a control room's year.

The number comes from `reference_counter` (one row per control room and year), advanced by an UPDATE … RETURNING
in the caller's transaction. That makes the number part of the incident's own transaction:

- a rolled-back incident rolls its increment back too, so the number is given out again and the year has no gaps;
- on PostgreSQL the UPDATE takes the counter row's lock until commit, so a second operator's UPDATE waits and then
  reads the committed value (READ COMMITTED re-reads the row after the wait) — no two incidents share a number;
- on SQLite the UPDATE takes the database's write lock (pysqlite opens the transaction at the first write; the
  engine's busy timeout makes others queue for it), which serialises writers just the same.

The year's row is created on first use with INSERT … ON CONFLICT DO NOTHING, so two operators logging the
first incident of a year at once both go on to the UPDATE instead of one failing on the primary key.
"""

import re

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, update

from cctv.controlroom.models import ControlRoom, ReferenceCounter

_REFERENCE = re.compile(r"^([A-Z0-9]{1,8})-(\d{4})-(\d{6,})$")


def format_reference(code: str, year: int, number: int) -> str:
    """The readable reference: room code, year and the number padded to six digits."""
    return f"{code}-{year}-{number:06d}"


def parse_reference(reference: str) -> tuple[str, int, int] | None:
    """(code, year, number) from a reference as typed (any case, surrounding spaces), or None if it is not one."""
    match = _REFERENCE.match(reference.strip().upper())
    if match is None:
        return None
    return match.group(1), int(match.group(2)), int(match.group(3))


def _advance(session: Session, room_id: int, year: int) -> int | None:
    """Add one to the year's counter and return the new value; None when the year has no row yet."""
    stmt = (
        update(ReferenceCounter)
        .where(ReferenceCounter.control_room_id == room_id, ReferenceCounter.year == year)  # type: ignore[arg-type]
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
    )
    return session.exec(stmt).scalar_one_or_none()


def _create_year(session: Session, room_id: int, year: int) -> None:
    """The year's counter row at 0, unless another transaction has just made it (then nothing happens)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(ReferenceCounter).values(control_room_id=room_id, year=year, last=0)
    session.exec(stmt.on_conflict_do_nothing(index_elements=["control_room_id", "year"]))


def next_reference(session: Session, room: ControlRoom, year: int) -> tuple[int, str]:
    """The next number of the room's year and its reference, taken inside the caller's transaction.

    The caller commits it together with the incident that uses it (or rolls both back). `year` is the London year
    of the incident's logged time. The counter is bookkeeping rather than a record, so it is advanced with a Core
    statement and does not appear in the audit trail; the incident that gets the number does.
    """
    if room.id is None:
        raise ValueError("the control room has not been saved")
    number = _advance(session, room.id, year)
    if number is None:
        _create_year(session, room.id, year)
        number = _advance(session, room.id, year)
    assert number is not None  # the row exists now: inserted by us or by a concurrent transaction
    return number, format_reference(room.code, year, number)
