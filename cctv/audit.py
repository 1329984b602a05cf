"""The audit trail: every insert, update and delete, who did it and the fields before and after.

It hangs on the session factory's flush, so no service can forget it, and it writes with a Core insert on
the same connection so the trail commits or rolls back with the change itself.

Entries are never changed or deleted, with one exception: `scrub_audit_fields`, for a retention rule that says
personal data must go, replaces the values of named fields in the entries of named records (the trail keeps copies
of every value a record held). Every other UPDATE or DELETE of the trail, through the ORM or as a Core statement
on the engine, raises AuditTrailIsReadOnly.
"""

import json
from collections.abc import Collection, Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Delete, Update, bindparam, event, inspect, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, sessionmaker
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel, col, select

from inventory.types import utcnow

REDACTED_FIELDS = frozenset({"password_hash", "token_hash"})
# Not audited: the sign-in throttle's counters (every attempt has its own "login" entry, written by audit_login, and
# the counters are pruned within minutes) and a token's last-use stamp (bookkeeping, written once a minute per
# token: auditing it would bury the trail), and the keys of submissions taken once (bookkeeping beside the incident
# they guard, whose own creation is audited), and the public page's request counts (pruned within a minute).
UNAUDITED_TABLES = frozenset({"login_attempt", "submission", "public_request"})
UNAUDITED_FIELDS = frozenset({("api_token", "last_used_at")})
# session.info key: entries written outside a flush (reads) that the caller must commit even after a GET.
PENDING = "audit_pending"


class AuditEntry(SQLModel, table=True):
    """One change to one record. Nothing in the application edits or deletes these (but `scrub_audit_fields`)."""

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
        if (obj.__tablename__, name) in UNAUDITED_FIELDS:
            continue
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


# The execution option that lets `scrub_audit_fields`'s own UPDATE past `_guard_statement`; the value is an object
# no other module holds, so nothing else can claim to be the scrub.
_SCRUB_OPTION, _SCRUB_TOKEN = "cctv_audit_scrub", object()


def _guard_statement(
    _connection: Connection, statement: Any, _multiparams: Any, _params: Any, options: Any
) -> None:
    """Refuse Core UPDATE/DELETE statements on the audit trail (run on a connection, they bypass the ORM's guards),
    but the scrub's own."""
    table = getattr(statement, "table", None)
    if isinstance(statement, Update | Delete) and getattr(table, "name", None) == AuditEntry.__tablename__ \
            and options.get(_SCRUB_OPTION) is not _SCRUB_TOKEN:
        raise AuditTrailIsReadOnly("the audit trail cannot be changed")


def _actor(session: OrmSession) -> str:
    actor = session.info.get("actor", "system")
    if callable(actor):  # the web layer resolves the signed-in user when the flush happens
        actor = actor()
    return actor


def _write(session: OrmSession, _context: Any) -> None:
    actor = _actor(session)
    now = utcnow()
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if isinstance(obj, AuditEntry) or not isinstance(obj, SQLModel) \
                    or obj.__tablename__ in UNAUDITED_TABLES:
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


def _entry(session: OrmSession, *, actor: str, action: str, table: str, record_id: object,
           changes: dict[str, Any]) -> None:
    session.connection().execute(AuditEntry.__table__.insert(), [{  # type: ignore[attr-defined]
        "at": utcnow(), "actor": actor[:80], "action": action, "table_name": table[:60],
        "record_id": str(record_id)[:60], "changes": json.dumps(changes, default=str),
    }])
    session.info[PENDING] = True


def audit_read(session: OrmSession, table: str, record_id: object, what: str) -> None:
    """Record that the session's actor read a record (or an export: `record_id` names what was exported), action
    "read", `what` saying what was shown (a page, a PDF, a CSV). Commit the session afterwards, even after a GET
    that changes nothing: the web layer does so for every request that wrote one (see `pending`)."""
    _entry(session, actor=_actor(session), action="read", table=table, record_id=record_id,
           changes={"what": {"after": what}})


def audit_reads(session: OrmSession, table: str, record_ids: Iterable[object], what: str) -> None:
    """`audit_read` for each of many records shown at once (an API page of incidents): one entry per record, so
    "who read this incident" finds a list read too, written by one statement."""
    actor, at = _actor(session), utcnow()
    changes = json.dumps({"what": {"after": what}}, default=str)
    rows = [{"at": at, "actor": actor[:80], "action": "read", "table_name": table[:60],
             "record_id": str(record_id)[:60], "changes": changes} for record_id in record_ids]
    if rows:
        session.connection().execute(AuditEntry.__table__.insert(), rows)  # type: ignore[attr-defined]
        session.info[PENDING] = True


def audit_login(session: OrmSession, username: str, *, user_id: int | None, succeeded: bool, address: str,
                reason: str = "") -> None:
    """Record a sign-in attempt as made by the name typed (never the password): action "login" or "login_fail",
    on the account when the name is one (record "" otherwise), with the address and, for a failure, why."""
    changes: dict[str, Any] = {"address": {"after": address}}
    if reason:
        changes["reason"] = {"after": reason}
    _entry(session, actor=username, action="login" if succeeded else "login_fail", table="app_user",
           record_id="" if user_id is None else user_id, changes=changes)


def pending(session: OrmSession) -> bool:
    """Whether the session holds entries from audit_read or audit_login that have not been committed yet."""
    return bool(session.info.get(PENDING))


def _committed(session: OrmSession) -> None:
    session.info.pop(PENDING, None)


def scrub_audit_fields(
    session: OrmSession,
    table: str,
    record_ids: Iterable[object],
    fields: Iterable[str],
    replacement: str,
    *,
    keep: Collection[object] = (),
) -> int:
    """Replace the values of `fields` in every audit entry of these records of `table` by `replacement`; gives the
    number of entries changed. The one way anything may rewrite the trail.

    For a retention rule that says personal data must go: it must go from the copies the trail keeps too. Each entry
    keeps its actor, time, action and the names of the fields it touched; only the values are replaced. Values that
    name no one stay: empty ones, the replacement itself and those in `keep` (such as the note an anonymised record
    now holds). The UPDATE runs on the session's connection, so it commits or rolls back with the change that called
    for it; call it after flushing that change, so the change's own entries are scrubbed too.
    """
    ids, names = [str(record_id) for record_id in record_ids], tuple(fields)
    if not ids or not names:
        return 0
    stays = (None, "", replacement, *keep)  # compared with ==, not hashed: a value may be any JSON value
    entries = session.execute(
        select(AuditEntry.id, AuditEntry.changes)
        .where(AuditEntry.table_name == table, col(AuditEntry.record_id).in_(ids))
    ).all()
    rewrites = []
    for entry_id, changes_json in entries:
        changes = json.loads(changes_json)
        scrubbed = False
        for name in names:
            for side, value in changes.get(name, {}).items():
                if value not in stays:
                    changes[name][side] = replacement
                    scrubbed = True
        if scrubbed:
            rewrites.append({"entry_id": entry_id, "new_changes": json.dumps(changes, default=str)})
    if rewrites:
        trail = AuditEntry.__table__  # type: ignore[attr-defined]
        stmt = update(trail).where(trail.c.id == bindparam("entry_id")).values(changes=bindparam("new_changes"))
        session.connection().execute(stmt, rewrites, execution_options={_SCRUB_OPTION: _SCRUB_TOKEN})
    return len(rewrites)


def install_audit(factory: sessionmaker) -> None:
    """Audit every flush of sessions made by this factory, and refuse changes to the trail (on its engine too)."""
    event.listen(factory, "before_flush", _guard)
    event.listen(factory, "do_orm_execute", _guard_bulk)
    event.listen(factory, "after_flush", _write)
    event.listen(factory, "after_commit", _committed)
    event.listen(factory, "after_rollback", _committed)
    engine = factory.kw.get("bind")
    if engine is not None:
        event.listen(engine, "before_execute", _guard_statement)
