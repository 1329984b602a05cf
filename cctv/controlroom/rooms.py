"""Control rooms and the configurable list of incident categories.

There is one control room today (Wycombe, from 1 October 2023); the code allows more so a second room would get
its own references ("AY-2026-000001") and hours. Categories are shared by every room. A category is never deleted:
incidents keep the code they were logged with, so a retired category stays readable but cannot be chosen again.
"""

import re
from collections.abc import Sequence

from sqlmodel import Session, col, func, select

from cctv.controlroom.models import ControlRoom, IncidentCategory
from cctv.controlroom.types import DEFAULT_CATEGORIES

DEFAULT_ROOM_CODE = "WY"
DEFAULT_ROOM_NAME = "Wycombe"


class RoomNotFound(LookupError):
    """No control room with that id or code."""


class CategoryError(ValueError):
    """A category change that cannot be made (a clash, an empty label, an unknown code)."""


def ensure_defaults(session: Session) -> ControlRoom:
    """The Wycombe control room and the default categories, each created if missing; returns the room.

    Idempotent and gentle: a category an administrator renamed, moved or retired is left as it is, and a missing
    default is added after the existing ones.
    """
    room = session.exec(select(ControlRoom).where(ControlRoom.code == DEFAULT_ROOM_CODE)).first()
    if room is None:
        room = ControlRoom(code=DEFAULT_ROOM_CODE, name=DEFAULT_ROOM_NAME)
        session.add(room)
    existing = {c.code: c for c in session.exec(select(IncidentCategory))}
    next_position = max((c.position for c in existing.values()), default=-1) + 1
    for position, (code, label) in enumerate(DEFAULT_CATEGORIES):
        if code in existing:
            continue
        # On an empty list the defaults take their own order; later additions go to the end.
        session.add(IncidentCategory(code=code, label=label, position=position if not existing else next_position))
        next_position += 1
    session.flush()
    return room


def room_by_code(session: Session, code: str = DEFAULT_ROOM_CODE) -> ControlRoom:
    """The control room with this reference prefix (default Wycombe; RoomNotFound before ensure_defaults has run)."""
    room = session.exec(select(ControlRoom).where(ControlRoom.code == code)).first()
    if room is None:
        raise RoomNotFound(code)
    return room


def get_room(session: Session, room_id: int) -> ControlRoom:
    """The control room with this id."""
    room = session.get(ControlRoom, room_id)
    if room is None:
        raise RoomNotFound(room_id)
    return room


def list_rooms(session: Session) -> list[ControlRoom]:
    """Every control room, by name."""
    return list(session.exec(select(ControlRoom).order_by(col(ControlRoom.name))))


# --- categories ---------------------------------------------------------------------------------------------------


def list_categories(session: Session, *, active_only: bool = True) -> list[IncidentCategory]:
    """The categories in their configured order (the order of the entry form's select)."""
    stmt = select(IncidentCategory)
    if active_only:
        stmt = stmt.where(col(IncidentCategory.active).is_(True))
    return list(session.exec(stmt.order_by(col(IncidentCategory.position), col(IncidentCategory.label))))


def category_labels(session: Session) -> dict[str, str]:
    """Code → label of every category, retired ones included (old incidents keep theirs)."""
    return dict(session.exec(select(IncidentCategory.code, IncidentCategory.label)).all())


def get_category(session: Session, code: str) -> IncidentCategory:
    """The category with this code, active or retired."""
    category = session.exec(select(IncidentCategory).where(IncidentCategory.code == code)).first()
    if category is None:
        raise CategoryError(f"There is no category {code!r}.")
    return category


def slug(label: str) -> str:
    """A category code made from its label: "Hate crime / incident" → "hate_crime_incident"."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40]


def _clean_label(label: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise CategoryError("Give the category a name.")
    if len(label) > 80:
        raise CategoryError("A category name can be at most 80 characters.")
    return label


def _check_label_free(session: Session, label: str, *, except_code: str | None = None) -> None:
    # Two categories that read the same would be indistinguishable in the entry form's select.
    stmt = select(IncidentCategory.code).where(func.lower(IncidentCategory.label) == label.lower())
    clash = [code for code in session.exec(stmt) if code != except_code]
    if clash:
        raise CategoryError(f"There is already a category called {label!r}.")


def add_category(session: Session, label: str, *, code: str | None = None) -> IncidentCategory:
    """A new active category at the end of the list; its code is made from the label unless given."""
    label = _clean_label(label)
    code = slug(code if code is not None else label)
    if not code:
        raise CategoryError("The category needs letters or digits in its name.")
    if session.exec(select(IncidentCategory).where(IncidentCategory.code == code)).first() is not None:
        raise CategoryError(f"The code {code!r} is already used by another category.")
    _check_label_free(session, label)
    last = session.exec(select(func.max(IncidentCategory.position))).one()
    category = IncidentCategory(code=code, label=label, position=(last if last is not None else -1) + 1)
    session.add(category)
    session.flush()
    return category


def rename_category(session: Session, code: str, label: str) -> IncidentCategory:
    """Change a category's label; its code, and so every incident logged under it, stays the same."""
    category = get_category(session, code)
    label = _clean_label(label)
    _check_label_free(session, label, except_code=code)
    category.label = label
    session.add(category)
    session.flush()
    return category


def _set_active(session: Session, code: str, active: bool) -> IncidentCategory:
    category = get_category(session, code)
    category.active = active
    session.add(category)
    session.flush()
    return category


def retire_category(session: Session, code: str) -> IncidentCategory:
    """Take a category off the entry form; incidents logged under it keep it."""
    return _set_active(session, code, False)


def restore_category(session: Session, code: str) -> IncidentCategory:
    """Put a retired category back on the entry form."""
    return _set_active(session, code, True)


def reorder_categories(session: Session, codes: Sequence[str]) -> list[IncidentCategory]:
    """Put the named categories first, in this order; the others follow in their present order."""
    everything = list_categories(session, active_only=False)
    by_code = {c.code: c for c in everything}
    unknown = [code for code in codes if code not in by_code]
    if unknown:
        raise CategoryError(f"Unknown categories: {', '.join(unknown)}.")
    chosen = list(dict.fromkeys(codes))
    ordered = [by_code[code] for code in chosen] + [c for c in everything if c.code not in set(chosen)]
    for position, category in enumerate(ordered):
        if category.position != position:
            category.position = position
            session.add(category)
    session.flush()
    return ordered


# --- rooms --------------------------------------------------------------------------------------------------------


class RoomError(ValueError):
    """A control room's code or name that is empty, malformed or already another room's; `field` says which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _clean_room(session: Session, code: str, name: str, except_id: int | None) -> tuple[str, str]:
    code, name = code.strip().upper(), " ".join(name.split())
    # The code starts every incident reference ("WY-2026-000001"): letters only, short, and never shared.
    if not re.fullmatch(r"[A-Z]{1,8}", code):
        raise RoomError("code", "The code is 1 to 8 letters (it starts the room's incident references, e.g. WY).")
    if not name or len(name) > 120:
        raise RoomError("name", "Give the room a name of at most 120 characters.")
    for field, column, value in (("code", ControlRoom.code, code), ("name", ControlRoom.name, name)):
        clash = session.exec(select(ControlRoom.id).where(func.lower(column) == value.lower())).first()
        if clash is not None and clash != except_id:
            raise RoomError(field, f"Another control room already has the {field} {value}.")
    return code, name


def create_room(session: Session, code: str, name: str) -> ControlRoom:
    """A new control room with the default monitored hours (RoomError); audited with the session."""
    code, name = _clean_room(session, code, name, None)
    room = ControlRoom(code=code, name=name)
    session.add(room)
    session.flush()
    return room


def rename_room(session: Session, room: ControlRoom, name: str) -> ControlRoom:
    """Change a room's name. Its code stays: references already given out begin with it."""
    _, name = _clean_room(session, room.code, name, room.id)
    room.name = name
    session.add(room)
    session.flush()
    return room
