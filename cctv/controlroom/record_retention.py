"""The retention rule for the other records that hold personal data: evidence requests, disclosures, shift notes.

Incident narratives have their rule in `cctv.controlroom.retention`; this module applies the same rule (flag for
review after one period, anonymise after a longer one, each kind with its own periods) to:

- evidence requests: the notes (free text such as "footage of John Doe leaving the bookmaker's"), counted from
  when the request was made. The officer, force, police reference, times, cameras, media hashes and the chain of
  custody stay: they name officers acting in their job and are the evidence's provenance.
- disclosures: the requester (often the data subject of a subject access request) and the summary, counted from
  when the request was logged, and only once it is no longer open. Kind, dates, status, redaction and the link
  to the evidence stay, for the disclosure log's statistics.
- shifts: the handover notes, counted from when the shift started, once it has been handed over.

A record on legal hold, or kept at review until a date not yet passed (`cctv.controlroom.holds`), is skipped. As
for incidents, the audit trail's copies of the removed values are replaced through `cctv.audit.scrub_audit_fields`
(the one way to rewrite the trail), keeping who changed what and when. Idempotent, batched, and a dry run writes
nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import not_
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, SQLModel, col, select

from cctv.audit import scrub_audit_fields
from cctv.controlroom import holds
from cctv.controlroom.models import Disclosure, EvidenceRequest, Incident, Shift
from cctv.controlroom.retention import (
    ANONYMISED_NARRATIVE,
    BATCH,
    REMOVED_FROM_AUDIT,
    KindReport,
    RetentionRule,
    anonymise,
    clear_arrest_offences,
    scrub_audit_history,
)
from cctv.controlroom.types import DisclosureStatus
from inventory.types import london_date

ANONYMISED_REQUESTER = "[anonymised]"


def _note(now: datetime) -> str:
    return ANONYMISED_NARRATIVE.format(date=london_date(now).isoformat())


def _evidence(record: Any, now: datetime) -> None:
    record.notes = _note(now)


def _disclosure(record: Any, now: datetime) -> None:
    record.requester = ANONYMISED_REQUESTER
    record.summary = _note(now)


def _shift(record: Any, now: datetime) -> None:
    record.handover_notes = _note(now)


@dataclass(frozen=True)
class RecordKind:
    """One kind of record under the rule: its table, when its clock starts, what goes, and when it is settled."""

    name: str
    model: type[SQLModel]
    age: Any  # the column the periods count from
    fields: tuple[str, ...]
    clear: Callable[[Any, datetime], None]
    label: Callable[[Any], str]
    settled: Callable[[], ColumnElement[bool]] | None = None  # only records past this stage are due


KINDS: dict[str, RecordKind] = {
    "evidence": RecordKind("evidence", EvidenceRequest, EvidenceRequest.requested_at, ("notes",), _evidence,
                           lambda r: f"Evidence #{r.id}"),
    "disclosure": RecordKind("disclosure", Disclosure, Disclosure.created_at, ("requester", "summary"), _disclosure,
                             lambda r: f"Disclosure #{r.id}",
                             lambda: Disclosure.status != DisclosureStatus.OPEN),
    "shift": RecordKind("shift", Shift, Shift.started_at, ("handover_notes",), _shift,
                        lambda r: f"Shift #{r.id}", lambda: col(Shift.ended_at).is_not(None)),
}


def _due(session: Session, kind: RecordKind, not_yet: ColumnElement[bool], cutoff: datetime, now: datetime
         ) -> list[tuple[int, str]]:
    model: Any = kind.model
    stmt = select(model).where(not_yet, kind.age < cutoff, not_(holds.active_clause(kind.name, model.id, now)))
    if kind.settled is not None:
        stmt = stmt.where(kind.settled())
    return [(r.id, kind.label(r)) for r in session.exec(stmt.order_by(kind.age, model.id))]


def scrub_record_audit(session: Session, kind: RecordKind, ids: list[int]) -> int:
    """Replace the removed values in these records' audit entries (what they hold now names no one, and stays)."""
    if not ids:
        return 0
    model: Any = kind.model
    rows = session.exec(select(*(getattr(model, f) for f in kind.fields)).where(col(model.id).in_(ids))).all()
    now_held = {value for row in rows for value in (row if isinstance(row, tuple) else (row,))}
    return scrub_audit_fields(session, model.__tablename__, ids, kind.fields, REMOVED_FROM_AUDIT, keep=now_held)


def record_retention_run(session: Session, kind_name: str, *, now: datetime, rule: RetentionRule,
                         dry_run: bool = False) -> KindReport:
    """Flag this kind's records older than the review period and anonymise those older than the anonymisation
    period (strictly older, as for incidents), skipping held and kept ones. The caller owns the transaction."""
    kind = KINDS[kind_name]
    model: Any = kind.model
    review_cutoff = now - timedelta(days=rule.review_after_days)
    anonymise_cutoff = now - timedelta(days=rule.anonymise_after_days)
    to_anonymise = _due(session, kind, col(model.anonymised_at).is_(None), anonymise_cutoff, now)
    anonymising = {record_id for record_id, _ in to_anonymise}
    to_flag = [(i, label) for i, label in _due(session, kind, col(model.retention_flagged_at).is_(None),
                                               review_cutoff, now) if i not in anonymising]
    report = KindReport(kind=kind_name, rule=rule, dry_run=dry_run, flagged=[label for _, label in to_flag],
                        anonymised=[label for _, label in to_anonymise])
    if dry_run:
        return report
    flag_ids = [i for i, _ in to_flag]
    for batch in [flag_ids[i:i + BATCH] for i in range(0, len(flag_ids), BATCH)]:
        for record in session.exec(select(model).where(col(model.id).in_(batch))):
            record.retention_flagged_at = now
            session.add(record)
        session.flush()
    ids = [i for i, _ in to_anonymise]
    for batch in [ids[i:i + BATCH] for i in range(0, len(ids), BATCH)]:
        for record in session.exec(select(model).where(col(model.id).in_(batch))):
            _anonymise_record(kind, record, now)
            session.add(record)
        session.flush()  # the anonymisation's own audit entries exist now, so the scrub covers them too
        report.audit_entries_scrubbed += scrub_record_audit(session, kind, batch)
    return report


def _anonymise_record(kind: RecordKind, record: Any, now: datetime) -> None:
    kind.clear(record, now)
    record.anonymised_at = now
    if record.retention_flagged_at is None:
        record.retention_flagged_at = now


def anonymise_now(session: Session, kind_name: str, record_id: int, *, now: datetime) -> SQLModel:
    """A reviewer's "anonymise now" for one record of any kind (incidents too), its audit copies scrubbed; refused
    for a record on legal hold or already anonymised."""
    record: Any = holds.get_record(session, kind_name, record_id)
    if holds.is_held(session, kind_name, record_id):
        raise holds.ExemptionError({"record": "This record is on legal hold: clear the hold first."})
    if record.anonymised_at is not None:
        raise holds.ExemptionError({"record": "This record has already been anonymised."})
    if kind_name == "incident":
        anonymise(record, now)
        session.add(record)
        clear_arrest_offences(session, [record_id])
        session.flush()
        scrub_audit_history(session, [record_id])
        return record
    kind = KINDS[kind_name]
    _anonymise_record(kind, record, now)
    session.add(record)
    session.flush()
    scrub_record_audit(session, kind, [record_id])
    return record


@dataclass(frozen=True)
class ReviewItem:
    """One record on the review list."""

    kind: str
    record_id: int
    label: str
    counted_from: datetime
    flagged_at: datetime
    anonymise_from: datetime
    held: bool
    link: str
    detail: str  # an incident's category code; a request's officer; a disclosure's kind; a shift's operators


def review_list(session: Session, *, now: datetime, rules: dict[str, RetentionRule], limit: int = 500
                ) -> list[ReviewItem]:
    """Records of every kind flagged for review, not anonymised and not kept, oldest first; held ones marked."""
    items: list[ReviewItem] = []
    specs: list[tuple[str, Any, Any, Callable[[Any], str], str]] = [
        ("incident", Incident, Incident.occurred_at, lambda r: r.reference, "/incidents/{}"),
        *((k.name, k.model, k.age, k.label, {"evidence": "/evidence/{}", "disclosure": "/disclosures/{}",
                                              "shift": "/shifts"}[k.name]) for k in KINDS.values()),
    ]
    details: dict[str, Callable[[Any], str]] = {
        "incident": lambda r: r.category, "evidence": lambda r: r.requesting_officer,
        "disclosure": lambda r: str(r.kind), "shift": lambda r: r.operators.replace(",", ", "),
    }
    exempt = holds.all_active(session, now)
    for name, model, age, label, link in specs:
        rule = rules.get(name, RetentionRule())
        stmt = (select(model).where(col(model.retention_flagged_at).is_not(None), col(model.anonymised_at).is_(None))
                .order_by(age, model.id).limit(limit))
        rows = list(session.exec(stmt))
        for r in rows:
            found = exempt.get((name, r.id))
            if found is not None and found.exemption == holds.KEEP:
                continue  # kept at review: off the list until the keep runs out
            counted = getattr(r, age.key)
            items.append(ReviewItem(kind=name, record_id=r.id, label=label(r), counted_from=counted,
                                    flagged_at=r.retention_flagged_at,
                                    anonymise_from=counted + timedelta(days=rule.anonymise_after_days),
                                    held=found is not None, link=link.format(r.id), detail=details[name](r)))
    items.sort(key=lambda i: (i.counted_from, i.kind, i.record_id))
    return items[:limit]
