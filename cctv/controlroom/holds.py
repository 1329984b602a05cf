"""Exemptions from the retention rule: legal holds, and keeps decided at review.

A legal hold (litigation, a trial, an ICO complaint) exempts one record from anonymisation until someone clears it,
with a reason each way. A keep is a supervisor's answer to "flagged for review": keep this record, for this reason,
until a date; when that date passes the record is due again like any other. Both are rows of
`retention_exemption`, written through the ORM so the audit trail records who set or cleared what, when and why;
clearing fills in `cleared_*` and never deletes, so the history of a record's holds stays readable.

The four kinds of record that hold personal data share the one table: incidents (narratives), evidence requests
(notes), disclosures (requester and summary) and shifts (handover notes).
"""

from datetime import datetime, timedelta

from sqlalchemy import exists, or_
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, SQLModel, col, select

from cctv.controlroom.models import Disclosure, EvidenceRequest, Incident, RetentionExemption, Shift

HOLD, KEEP = "hold", "keep"
RECORD_MODELS: dict[str, type[SQLModel]] = {
    "incident": Incident, "evidence": EvidenceRequest, "disclosure": Disclosure, "shift": Shift,
}
KIND_LABELS = {"incident": "Incident", "evidence": "Evidence request", "disclosure": "Disclosure",
               "shift": "Shift notes"}
REASON_MAX = 500
KEEP_DAYS_MAX = 3650


class ExemptionError(ValueError):
    """A hold or keep the rules refuse; `.problems` maps field → message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))
        self.problems = problems


class RecordNotFound(LookupError):
    """No record of that kind with that id."""


def get_record(session: Session, kind: str, record_id: int) -> SQLModel:
    """The record, or RecordNotFound (an unknown kind too)."""
    model = RECORD_MODELS.get(kind)
    record = session.get(model, record_id) if model is not None else None
    if record is None:
        raise RecordNotFound(f"{kind} {record_id}")
    return record


def active_clause(kind: str, id_column: ColumnElement[int], now: datetime) -> ColumnElement[bool]:
    """SQL: the record (by its id column) has a hold not cleared, or a keep not cleared that runs past `now`."""
    e = RetentionExemption
    return exists().where(
        e.record_kind == kind, col(e.record_id) == id_column, col(e.cleared_at).is_(None),
        or_(e.exemption == HOLD, col(e.until) > now),
    )


def all_active(session: Session, now: datetime) -> dict[tuple[str, int], RetentionExemption]:
    """(kind, record id) → the record's active exemption (a hold before a keep), in one read for the review list."""
    e = RetentionExemption
    rows = session.exec(select(e).where(col(e.cleared_at).is_(None), or_(e.exemption == HOLD, col(e.until) > now))
                        .order_by(col(e.set_at), col(e.id)))
    found: dict[tuple[str, int], RetentionExemption] = {}
    for row in rows:
        key = (row.record_kind, row.record_id)
        if key not in found or row.exemption == HOLD:
            found[key] = row
    return found


def _reason(reason: str, field: str = "reason") -> str:
    reason = reason.strip()
    if not reason:
        raise ExemptionError({field: "Give the reason: it is kept with the record's history."})
    if len(reason) > REASON_MAX:
        raise ExemptionError({field: f"Keep the reason to {REASON_MAX} characters."})
    return reason


def _current_hold(session: Session, kind: str, record_id: int) -> RetentionExemption | None:
    e = RetentionExemption
    return session.exec(select(e).where(e.record_kind == kind, e.record_id == record_id, e.exemption == HOLD,
                                        col(e.cleared_at).is_(None))).first()


def set_hold(session: Session, kind: str, record_id: int, *, reason: str, actor: str, now: datetime
             ) -> RetentionExemption:
    """Place a legal hold on the record: the retention rule leaves it untouched until the hold is cleared."""
    record = get_record(session, kind, record_id)
    reason = _reason(reason)
    if getattr(record, "anonymised_at", None) is not None:
        raise ExemptionError({"reason": "This record has already been anonymised: there is nothing left to hold."})
    if (held := _current_hold(session, kind, record_id)) is not None:
        raise ExemptionError({"reason": f"Already on legal hold since {held.set_at:%d %b %Y} ({held.reason})."})
    hold = RetentionExemption(record_kind=kind, record_id=record_id, exemption=HOLD, reason=reason, set_by=actor,
                              set_at=now)
    session.add(hold)
    session.flush()
    return hold


def clear_hold(session: Session, kind: str, record_id: int, *, reason: str, actor: str, now: datetime
               ) -> RetentionExemption:
    """Clear the record's legal hold, with the reason; the rule applies to it again from its next run."""
    get_record(session, kind, record_id)
    reason = _reason(reason)
    hold = _current_hold(session, kind, record_id)
    if hold is None:
        raise ExemptionError({"reason": "This record is not on legal hold."})
    hold.cleared_at, hold.cleared_by, hold.cleared_reason = now, actor, reason
    session.add(hold)
    session.flush()
    return hold


def keep(session: Session, kind: str, record_id: int, *, reason: str, days: int, actor: str, now: datetime
         ) -> RetentionExemption:
    """A reviewer keeps a flagged record for `days` more days, with the reason; it leaves the review list until then."""
    record = get_record(session, kind, record_id)
    reason = _reason(reason)
    if getattr(record, "anonymised_at", None) is not None:
        raise ExemptionError({"reason": "This record has already been anonymised."})
    if not 1 <= days <= KEEP_DAYS_MAX:
        raise ExemptionError({"days": f"Keep it for 1 to {KEEP_DAYS_MAX} days."})
    kept = RetentionExemption(record_kind=kind, record_id=record_id, exemption=KEEP, reason=reason, set_by=actor,
                              set_at=now, until=now + timedelta(days=days))
    session.add(kept)
    session.flush()
    return kept


def is_held(session: Session, kind: str, record_id: int) -> bool:
    """Whether the record is on legal hold now."""
    return _current_hold(session, kind, record_id) is not None


def current_holds(session: Session, *, limit: int = 500) -> list[RetentionExemption]:
    """Every legal hold not cleared, oldest first."""
    e = RetentionExemption
    stmt = (select(e).where(e.exemption == HOLD, col(e.cleared_at).is_(None))
            .order_by(col(e.set_at), col(e.id)).limit(limit))
    return list(session.exec(stmt))
