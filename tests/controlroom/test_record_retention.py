"""Retention of every record holding personal data besides incident narratives: evidence requests' notes,
disclosures' requesters and summaries, shifts' handover notes; each kind by its own periods, its audit copies
scrubbed, a legal hold (set and cleared with a reason, audited) exempting a record, and the review list's keep and
anonymise-now."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from cctv.audit import AuditEntry
from cctv.controlroom import holds
from cctv.controlroom.models import (
    ControlRoom,
    Disclosure,
    EvidenceRequest,
    Incident,
    IncidentCategory,
    RetentionExemption,
    Shift,
)
from cctv.controlroom.record_retention import anonymise_now, record_retention_run, review_list
from cctv.controlroom.retention import REMOVED_FROM_AUDIT, RetentionRule, retention_run
from cctv.controlroom.types import DisclosureKind, DisclosureStatus

NOW = datetime(2027, 6, 1, 5, 0, tzinfo=UTC)
DAY = timedelta(days=1)
RULE = RetentionRule(review_after_days=365, anonymise_after_days=730)
SHIFT_RULE = RetentionRule(review_after_days=90, anonymise_after_days=365)
NAME = "John Doe"
NOTE = "[anonymised under the retention rule on 2027-06-01]"


def _trail(session: Session, table: str, record_id: int) -> str:
    """Every value the audit trail keeps for the record, as one string to search."""
    entries = session.exec(select(AuditEntry).where(AuditEntry.table_name == table,
                                                    AuditEntry.record_id == str(record_id))).all()
    return " ".join(e.changes for e in entries)


def _evidence(session: Session, days_old: int) -> int:
    at = NOW - days_old * DAY
    request = EvidenceRequest(requesting_officer="PC 12 Smith", window_start=at - DAY, window_end=at,
                              requested_at=at, notes="Footage of a man")
    session.add(request)
    session.commit()
    request.notes = f"Footage of {NAME} leaving the bookmaker's"  # an edit: its audit entry has before and after
    session.add(request)
    session.commit()
    return request.id


def _disclosure(session: Session, days_old: int, status: DisclosureStatus) -> int:
    at = NOW - days_old * DAY
    d = Disclosure(kind=DisclosureKind.SUBJECT_ACCESS, requester=NAME, received_on=at.date(), due_on=at.date(),
                   summary=f"{NAME} asks for footage of himself at Frogmoor", status=status, created_at=at)
    session.add(d)
    session.commit()
    return d.id


def _shift(session: Session, room: ControlRoom, days_old: int, *, ended: bool = True) -> int:
    at = NOW - days_old * DAY
    s = Shift(control_room_id=room.id, operators="alice", started_at=at, started_by="alice",
              ended_at=at + timedelta(hours=12) if ended else None, handover_notes=f"{NAME} barred from the Octagon")
    session.add(s)
    session.commit()
    return s.id


@pytest.fixture
def room(session: Session) -> ControlRoom:
    room = ControlRoom(code="WY", name="Wycombe")
    session.add_all([room, IncidentCategory(code="other", label="Other")])
    session.commit()
    return room


def test_each_kind_is_flagged_then_anonymised_with_its_audit_copies(session: Session, room: ControlRoom) -> None:
    old, mid, new = _evidence(session, 800), _evidence(session, 400), _evidence(session, 10)
    closed = _disclosure(session, 800, DisclosureStatus.DISCLOSED)
    still_open = _disclosure(session, 800, DisclosureStatus.OPEN)  # not settled: never anonymised while open
    shift_old, shift_mid = _shift(session, room, 400), _shift(session, room, 100)
    unended = _shift(session, room, 400, ended=False)

    evidence = record_retention_run(session, "evidence", now=NOW, rule=RULE)
    disclosures = record_retention_run(session, "disclosure", now=NOW, rule=RULE)
    shifts = record_retention_run(session, "shift", now=NOW, rule=SHIFT_RULE)
    session.commit()
    assert (evidence.anonymised, evidence.flagged) == ([f"Evidence #{old}"], [f"Evidence #{mid}"])
    assert (disclosures.anonymised, disclosures.flagged) == ([f"Disclosure #{closed}"], [])
    assert (shifts.anonymised, shifts.flagged) == ([f"Shift #{shift_old}"], [f"Shift #{shift_mid}"])
    # Two entries per evidence request (create, edit) and the anonymisation's own; one create for the others.
    assert evidence.audit_entries_scrubbed == 3 and disclosures.audit_entries_scrubbed == 2

    assert session.get(EvidenceRequest, old).notes == NOTE
    assert session.get(EvidenceRequest, old).requesting_officer == "PC 12 Smith"  # provenance stays
    assert NAME in session.get(EvidenceRequest, mid).notes and NAME in session.get(EvidenceRequest, new).notes
    d = session.get(Disclosure, closed)
    assert (d.requester, d.summary, d.kind) == ("[anonymised]", NOTE, DisclosureKind.SUBJECT_ACCESS)
    assert session.get(Disclosure, still_open).requester == NAME
    assert session.get(Shift, shift_old).handover_notes == NOTE
    assert NAME in session.get(Shift, unended).handover_notes

    for table, record_id in (("evidence_request", old), ("disclosure", closed), ("shift", shift_old)):
        trail = _trail(session, table, record_id)
        assert NAME not in trail and REMOVED_FROM_AUDIT in trail, table
    for table, record_id in (("evidence_request", mid), ("disclosure", still_open), ("shift", unended)):
        assert NAME in _trail(session, table, record_id), table  # not due: its history is whole

    again = record_retention_run(session, "evidence", now=NOW + DAY, rule=RULE)
    assert (again.flagged, again.anonymised) == ([], [])  # idempotent


def test_a_dry_run_changes_nothing(session: Session, room: ControlRoom) -> None:
    old = _evidence(session, 800)
    report = record_retention_run(session, "evidence", now=NOW, rule=RULE, dry_run=True)
    session.commit()
    assert report.anonymised == [f"Evidence #{old}"]
    assert NAME in session.get(EvidenceRequest, old).notes and NAME in _trail(session, "evidence_request", old)


def test_a_held_record_is_untouched_until_the_hold_is_cleared(session: Session, room: ControlRoom) -> None:
    held = _evidence(session, 800)
    shift = _shift(session, room, 400)
    incident = Incident(reference="WY-2025-000001", control_room_id=room.id, ref_year=2025, ref_number=1,
                        occurred_at=NOW - 800 * DAY, category="other", operator="alice",
                        monitored_session=date(2025, 3, 23), narrative=f"{NAME} fell")
    session.add(incident)
    session.commit()
    holds.set_hold(session, "evidence", held, reason="Crown Court trial listed for September", actor="sup",
                   now=NOW - DAY)
    holds.set_hold(session, "shift", shift, reason="Complaint to the ICO", actor="sup", now=NOW - DAY)
    holds.set_hold(session, "incident", incident.id, reason="Civil claim", actor="sup", now=NOW - DAY)
    session.commit()
    with pytest.raises(holds.ExemptionError, match="Already on legal hold"):
        holds.set_hold(session, "evidence", held, reason="again", actor="sup", now=NOW)
    with pytest.raises(holds.ExemptionError, match="Give the reason"):
        holds.set_hold(session, "disclosure", _disclosure(session, 1, DisclosureStatus.OPEN), reason=" ",
                       actor="sup", now=NOW)
    session.rollback()

    assert record_retention_run(session, "evidence", now=NOW, rule=RULE).anonymised == []
    assert record_retention_run(session, "shift", now=NOW, rule=SHIFT_RULE).anonymised == []
    assert retention_run(session, now=NOW, rule=RULE).anonymised == []
    session.commit()
    assert NAME in session.get(EvidenceRequest, held).notes and NAME in _trail(session, "evidence_request", held)
    assert NAME in session.get(Shift, shift).handover_notes
    assert session.get(Incident, incident.id).narrative == f"{NAME} fell"
    with pytest.raises(holds.ExemptionError, match="legal hold"):
        anonymise_now(session, "evidence", held, now=NOW)

    holds.clear_hold(session, "evidence", held, reason="Trial concluded", actor="sup2", now=NOW)
    session.commit()
    assert record_retention_run(session, "evidence", now=NOW, rule=RULE).anonymised == [f"Evidence #{held}"]
    session.commit()
    assert session.get(EvidenceRequest, held).notes == NOTE
    # Setting and clearing the hold are in the audit trail with their reasons and who did them.
    [hold] = session.exec(select(RetentionExemption).where(RetentionExemption.record_kind == "evidence")).all()
    entries = session.exec(select(AuditEntry).where(AuditEntry.table_name == "retention_exemption",
                                                    AuditEntry.record_id == str(hold.id))
                           .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert json.loads(entries[0].changes)["reason"]["after"] == "Crown Court trial listed for September"
    assert json.loads(entries[1].changes)["cleared_reason"] == {"before": "", "after": "Trial concluded"}
    assert (hold.cleared_by, hold.set_by) == ("sup2", "sup")


def test_review_keep_with_a_reason_and_anonymise_now(session: Session, room: ControlRoom) -> None:
    kept, now_gone = _evidence(session, 400), _evidence(session, 401)
    shift = _shift(session, room, 100)
    record_retention_run(session, "evidence", now=NOW, rule=RULE)
    record_retention_run(session, "shift", now=NOW, rule=SHIFT_RULE)
    holds.set_hold(session, "shift", shift, reason="ICO complaint", actor="sup", now=NOW)
    session.commit()
    rules = {"evidence": RULE, "shift": SHIFT_RULE}
    listed = review_list(session, now=NOW, rules=rules)
    assert [(i.kind, i.record_id, i.held) for i in listed] == [
        ("evidence", now_gone, False), ("evidence", kept, False), ("shift", shift, True)]
    assert listed[1].anonymise_from == NOW - 400 * DAY + 730 * DAY

    with pytest.raises(holds.ExemptionError, match="Give the reason"):
        holds.keep(session, "evidence", kept, reason="", days=30, actor="sup", now=NOW)
    holds.keep(session, "evidence", kept, reason="Appeal pending", days=400, actor="sup", now=NOW)
    anonymise_now(session, "evidence", now_gone, now=NOW)
    session.commit()
    assert [(i.kind, i.record_id) for i in review_list(session, now=NOW, rules=rules)] == [("shift", shift)]
    assert session.get(EvidenceRequest, now_gone).notes == NOTE
    assert NAME not in _trail(session, "evidence_request", now_gone)
    with pytest.raises(holds.ExemptionError, match="already been anonymised"):
        anonymise_now(session, "evidence", now_gone, now=NOW)

    # Kept past the anonymisation date: the rule leaves it until the keep runs out, then anonymises it.
    assert record_retention_run(session, "evidence", now=NOW + 350 * DAY, rule=RULE).anonymised == []
    later = record_retention_run(session, "evidence", now=NOW + 401 * DAY, rule=RULE)
    assert later.anonymised == [f"Evidence #{kept}"]


def test_an_unknown_record_is_not_found(session: Session) -> None:
    with pytest.raises(holds.RecordNotFound):
        holds.set_hold(session, "evidence", 999, reason="x", actor="sup", now=NOW)
    with pytest.raises(holds.RecordNotFound):
        anonymise_now(session, "camera", 1, now=NOW)
