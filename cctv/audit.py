"""The audit trail: every insert, update and delete, who did it and the fields before and after.

It hangs on the session factory's flush, so no service can forget it, and it writes with a Core insert on
the same connection so the trail commits or rolls back with the change itself.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, sessionmaker
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from inventory.types import utcnow

REDACTED_FIELDS = frozenset({"password_hash", "token_hash"})


class AuditEntry(SQLModel, table=True):
    """One change to one record. Nothing in the application edits or deletes these."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=80)
    action: str = Field(max_length=10)
    table_name: str = Field(max_length=60, index=True)
    record_id: str = Field(max_length=60, index=True)
    changes: str = Field(default="{}")

    def changed(self) -> dict[str, dict[str, Any]]:
        """The stored changes as {field: {"before": .., "after": ..}}."""
        return json.loads(self.changes)


class AuditTrailIsReadOnly(PermissionError):
    """Raised when anything tries to change or delete an audit entry."""


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _record_id(obj: Any) -> str:
    # From the primary-key columns: after a flush a new row has its id, but no identity key until the flush ends.
    state = inspect(obj)
    identity = state.identity or state.mapper.primary_key_from_instance(obj)
    return "/".join(str(part) for part in identity) if identity else ""


def _columns(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


def _shown(name: str, value: Any) -> Any:
    return "***" if name in REDACTED_FIELDS and value is not None else _plain(value)


def _update_changes(obj: Any) -> dict[str, dict[str, Any]]:
    state = inspect(obj)
    changes = {}
    for name in _columns(obj):
        history = state.attrs[name].history
        if history.has_changes() and history.deleted != history.added:
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if _plain(before) != _plain(after):
                changes[name] = {"before": _shown(name, before), "after": _shown(name, after)}
    return changes


def _guard(session: OrmSession, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise AuditTrailIsReadOnly("the audit trail cannot be changed")


def _guard_bulk(state: ORMExecuteState) -> None:
    """Refuse ORM bulk UPDATE/DELETE statements on the audit trail (they bypass the flush)."""
    if (state.is_update or state.is_delete) and any(m.class_ is AuditEntry for m in state.all_mappers):
        raise AuditTrailIsReadOnly("the audit trail cannot be changed")


def _write(session: OrmSession, _context: Any) -> None:
    actor = session.info.get("actor", "system")
    if callable(actor):  # the web layer resolves the signed-in user when the flush happens
        actor = actor()
    now = utcnow()
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if isinstance(obj, AuditEntry) or not isinstance(obj, SQLModel):
                continue
            if action == "update":
                changes = _update_changes(obj)
                if not changes:
                    continue
            else:
                key = "after" if action == "create" else "before"
                changes = {n: {key: _shown(n, getattr(obj, n))} for n in _columns(obj)}
            rows.append({
                "at": now, "actor": actor, "action": action, "table_name": obj.__tablename__,
                "record_id": _record_id(obj), "changes": json.dumps(changes, default=str),
            })
    if rows:
        session.connection().execute(AuditEntry.__table__.insert(), rows)


def install_audit(factory: sessionmaker) -> None:
    """Audit every flush of sessions made by this factory."""
    event.listen(factory, "before_flush", _guard)
    event.listen(factory, "do_orm_execute", _guard_bulk)
    event.listen(factory, "after_flush", _write)
