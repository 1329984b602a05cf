"""Recording the inventory changes a DPIA must follow, and handing them to whoever consumes them."""

from datetime import datetime

from sqlmodel import Session, col, select

from inventory.models import InventoryChange
from inventory.types import ChangeKind, utcnow


def record_change(
    session: Session,
    kind: ChangeKind,
    *,
    camera_id: int | None = None,
    system_id: int | None = None,
    actor: str = "",
    detail: str = "",
    at: datetime | None = None,
) -> InventoryChange:
    """Add a change to the session; the caller's transaction commits it with the change itself."""
    change = InventoryChange(
        kind=kind,
        camera_id=camera_id,
        system_id=system_id,
        actor=actor,
        detail=detail[:500],
        occurred_at=at or utcnow(),
    )
    session.add(change)
    return change


def pending_changes(session: Session) -> list[InventoryChange]:
    """Changes not yet consumed, oldest first (the DPIA register's input)."""
    stmt = select(InventoryChange).where(col(InventoryChange.consumed_at).is_(None))
    return list(session.exec(stmt.order_by(col(InventoryChange.occurred_at), col(InventoryChange.id))))


def mark_consumed(session: Session, changes: list[InventoryChange], at: datetime) -> None:
    """Mark changes as handled so a second run does not raise them again."""
    for change in changes:
        change.consumed_at = at
        session.add(change)
