"""The shift log: who is on, handover with notes signed by the incoming operator, and faults raised on shift.

A room has at most one open shift (started, not yet handed over). Handing over ends the shift with its notes; the
incoming operator then signs to accept it. A fault seen on shift goes straight into the inventory's fault list through
`inventory.faults.open_fault` (so the SLA clock and the camera's status follow the inventory's rules) and is linked to
the shift by `ShiftFault`.
"""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from cctv.controlroom.models import ControlRoom, Shift, ShiftFault
from inventory.faults import open_fault
from inventory.models import Camera, Fault, FaultCreate
from inventory.scope import CameraScope
from inventory.types import DEFAULT_SLA_HOURS, CameraStatus, FaultPriority

OPERATORS_MAX_CHARS = 500  # Shift.operators column
# A fault is "seen on shift" on a camera the operators can watch; planned, stored or removed cameras show nothing.
WATCHABLE = frozenset({CameraStatus.OPERATIONAL, CameraStatus.FAULTY})


class ShiftError(ValueError):
    """Bad input or an action the shift's state does not allow; `.problems` maps field → message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))
        self.problems = problems


class ShiftNotFound(LookupError):
    """No shift with that id."""


def operators_of(shift: Shift) -> list[str]:
    """The usernames on the shift, lead first."""
    return [name for name in shift.operators.split(",") if name]


def _clean_operators(operators: list[str]) -> list[str]:
    names: list[str] = []
    for raw in operators:
        name = raw.strip()
        if not name:
            continue
        if "," in name:  # the column is comma-separated
            raise ShiftError({"operators": f"A username cannot contain a comma: {name!r}."})
        if name not in names:  # a name typed twice is one operator; the first position (lead) wins
            names.append(name)
    if not names:
        raise ShiftError({"operators": "Name at least one operator on the shift."})
    if len(",".join(names)) > OPERATORS_MAX_CHARS:
        raise ShiftError({"operators": "Too many operators for one shift."})
    return names


def get_shift(session: Session, shift_id: int) -> Shift:
    """The shift, or ShiftNotFound."""
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise ShiftNotFound(shift_id)
    return shift


def current_shift(session: Session, room: ControlRoom) -> Shift | None:
    """The room's open shift (started and not handed over), or None."""
    stmt = (
        select(Shift)
        .where(Shift.control_room_id == room.id, col(Shift.ended_at).is_(None))
        .order_by(col(Shift.started_at).desc(), col(Shift.id).desc())
    )
    return session.exec(stmt).first()


def start_shift(session: Session, room: ControlRoom, *, operators: list[str], actor: str, now: datetime) -> Shift:
    """Open a shift in the room with these operators (the first is the lead); refused while another is open."""
    names = _clean_operators(operators)
    # Take the room's row lock first, so two operators starting at once queue and the second sees the first's shift.
    # A no-op UPDATE does it on both backends: on PostgreSQL it locks the row (as FOR NO KEY UPDATE, so incidents can
    # still reference the room meanwhile); on SQLite it opens the write transaction now, before the check, where a
    # SELECT would run outside any transaction and let both operators see no open shift.
    rooms = ControlRoom.__table__
    session.connection().execute(update(rooms).where(rooms.c.id == room.id).values(code=rooms.c.code))
    if (open_shift := current_shift(session, room)) is not None:
        raise ShiftError({"shift": f"The shift started by {open_shift.started_by} is still open: hand it over first."})
    if (waiting := unsigned_handovers(session, room)):
        # The chain of responsibility breaks if a shift starts with nobody having accepted the last one's handover.
        oldest = waiting[0]
        raise ShiftError({"shift": f"The handover of the shift led by {operators_of(oldest)[0]} is not signed yet: "
                                   "the incoming operator signs it (below) before a new shift starts."})
    shift = Shift(control_room_id=room.id, operators=",".join(names), started_at=now, started_by=actor)
    session.add(shift)
    session.flush()
    return shift


def hand_over(session: Session, shift_id: int, *, notes: str, actor: str, now: datetime) -> Shift:
    """End the shift with its handover notes; the incoming operator signs it next (`sign_handover`)."""
    shift = get_shift(session, shift_id)
    if shift.ended_at is not None:
        raise ShiftError({"shift": "This shift has already been handed over."})
    if now < shift.started_at:
        raise ShiftError({"ended_at": "A shift cannot end before it started."})
    if not notes.strip():  # the incoming operator has nothing to accept without them
        raise ShiftError({"notes": "Write the handover notes: what the incoming shift needs to know."})
    shift.ended_at = now
    shift.handover_notes = notes.strip()
    session.add(shift)
    session.flush()
    return shift


def sign_handover(session: Session, shift_id: int, *, incoming: str, now: datetime) -> Shift:
    """The incoming operator accepts the handover: once only, after it is handed over, and by someone who was not
    on the outgoing shift (an operator signing their own shift's handover accepts nothing; issue 16)."""
    shift = get_shift(session, shift_id)
    incoming = incoming.strip()
    if shift.ended_at is None:
        raise ShiftError({"shift": "The shift has not been handed over yet."})
    if shift.signed_by:
        raise ShiftError({"signed_by": f"The handover was already signed by {shift.signed_by}."})
    if not incoming:
        raise ShiftError({"signed_by": "The incoming operator must sign."})
    if incoming == operators_of(shift)[0]:
        raise ShiftError({"signed_by": "The outgoing lead cannot sign their own handover."})
    if incoming in operators_of(shift):
        raise ShiftError({"signed_by": f"{incoming} was on the outgoing shift: an incoming operator signs."})
    if now < shift.ended_at:
        raise ShiftError({"signed_at": "A handover cannot be signed before it was made."})
    shift.signed_by = incoming
    shift.signed_at = now
    session.add(shift)
    session.flush()
    return shift


def raise_fault(
    session: Session,
    scope: CameraScope,
    shift_id: int,
    *,
    camera_id: int,
    description: str,
    priority: FaultPriority | str,
    actor: str,
    now: datetime,
    sla_hours: Mapping[FaultPriority, int] = DEFAULT_SLA_HOURS,
) -> Fault:
    """Raise a fault seen on an open shift into the inventory's fault list and link it to the shift."""
    shift = get_shift(session, shift_id)
    problems: dict[str, str] = {}
    if shift.ended_at is not None:
        problems["shift"] = "This shift has been handed over: raise the fault on the current shift."
    camera = session.get(Camera, camera_id)
    if camera is None or not scope.sees(camera):  # a camera outside the user's view does not exist for them
        problems["camera_id"] = "No such camera."
    elif camera.status not in WATCHABLE:
        problems["camera_id"] = f"{camera.asset_id} is {CameraStatus(camera.status).label.lower()}, not in service."
    description = description.strip()
    if not description:
        problems["description"] = "Say what is wrong."
    elif len(description) > 2000:
        problems["description"] = "Keep the description to 2,000 characters."
    try:
        priority = FaultPriority(priority)
    except ValueError:
        problems["priority"] = "Choose a priority."
    if problems:
        raise ShiftError(problems)
    assert camera is not None  # for the type checker: a missing camera is a problem above
    fault = open_fault(
        session, scope, camera, FaultCreate(camera_id=camera_id, priority=priority, description=description),
        actor=actor, now=now, sla_hours=sla_hours,
    )
    session.flush()  # the fault's id, for the link
    session.add(ShiftFault(shift_id=shift_id, fault_id=fault.id))
    session.flush()
    return fault


def shift_faults(session: Session, shift_id: int) -> list[Fault]:
    """The faults raised on the shift, oldest first, with their cameras."""
    stmt = (
        select(Fault)
        .join(ShiftFault, col(ShiftFault.fault_id) == col(Fault.id))
        .where(ShiftFault.shift_id == shift_id)
        .options(selectinload(Fault.camera))  # type: ignore[arg-type]
        .order_by(col(Fault.opened_at), col(Fault.id))
    )
    return list(session.exec(stmt))


def unsigned_handovers(session: Session, room: ControlRoom) -> list[Shift]:
    """Every shift of the room handed over and not yet signed, oldest first: none drops off the list when a newer
    one is handed over."""
    stmt = (
        select(Shift)
        .where(Shift.control_room_id == room.id, col(Shift.ended_at).is_not(None), Shift.signed_by == "")
        .order_by(col(Shift.ended_at), col(Shift.id))
    )
    return list(session.exec(stmt))


def recent_shifts(session: Session, room: ControlRoom, *, limit: int = 20) -> list[Shift]:
    """The room's latest shifts, newest first (the open one, if any, at the top)."""
    stmt = (
        select(Shift)
        .where(Shift.control_room_id == room.id)
        .order_by(col(Shift.started_at).desc(), col(Shift.id).desc())
        .limit(limit)
    )
    return list(session.exec(stmt))
