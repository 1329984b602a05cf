"""The retention rule: incidents flagged for review after a year and anonymised after two (strictly older than the
period), once only, dry-runnable, in the audit trail, and with the removed text gone from the trail's history too."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from cctv.audit import AuditEntry
from cctv.controlroom import retention
from cctv.controlroom.models import ControlRoom, Incident, IncidentCategory
from cctv.controlroom.retention import (
    REMOVED_FROM_AUDIT,
    RetentionRule,
    flagged_for_review,
    retention_run,
)

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
RULE = RetentionRule()  # review after 365 days, anonymise after 730
NARRATIVE = "John Smith (DOB 01/02/1990) of 4 Acacia Avenue punched a man outside the Antelope."


@pytest.fixture
def room(session: Session) -> ControlRoom:
    room = ControlRoom(code="WY", name="Wycombe")
    session.add_all([room, IncidentCategory(code="violence", label="Violence")])
    session.commit()
    return room


def log(session: Session, room: ControlRoom, number: int, occurred_at: datetime, **fields: object) -> Incident:
    """An incident as the log would store it (made directly: the logging service is built separately)."""
    values: dict[str, object] = {
        "narrative": NARRATIVE, "outcome": "Smith arrested, taken to High Wycombe custody",
        "arrest_offences": "John Smith, 36: assault occasioning ABH", "arrests": 1,
        "location_text": "Frogmoor, outside the Antelope", "police_informed": True, "police_reference": "CAD 1234",
    }
    values.update(fields)
    incident = Incident(
        reference=f"WY-{occurred_at.year}-{number:06d}", control_room_id=room.id, ref_year=occurred_at.year,
        ref_number=number, occurred_at=occurred_at, logged_at=occurred_at, category="violence", operator="alice",
        monitored_session=occurred_at.date(), **values,
    )
    session.add(incident)
    session.commit()
    return incident


def stored(session: Session, incident_id: int) -> Incident:
    session.expire_all()
    found = session.get(Incident, incident_id)
    assert found is not None
    return found


def audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEntry)).one()


def test_the_rule_is_checked() -> None:
    assert (RULE.review_after_days, RULE.anonymise_after_days) == (365, 730)
    with pytest.raises(ValueError, match="shorter"):
        RetentionRule(review_after_days=400, anonymise_after_days=300)
    with pytest.raises(ValueError, match="at least 1"):
        RetentionRule(review_after_days=0)


def test_flagging_and_anonymising_start_strictly_after_the_periods(session: Session, room: ControlRoom) -> None:
    # 365 days before 2027-06-01 12:00 is 2026-06-01 12:00 (no 29 February in between); 730 days is 2025-06-01 12:00.
    second = timedelta(seconds=1)
    recent = log(session, room, 1, datetime(2027, 1, 10, 22, 0, tzinfo=UTC))
    review_exactly = log(session, room, 2, datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    review_past = log(session, room, 3, datetime(2026, 6, 1, 12, 0, tzinfo=UTC) - second)
    anonymise_exactly = log(session, room, 4, datetime(2025, 6, 1, 12, 0, tzinfo=UTC))
    anonymise_past = log(session, room, 5, datetime(2025, 6, 1, 12, 0, tzinfo=UTC) - second)

    report = retention_run(session, now=NOW, rule=RULE)
    session.commit()

    assert report.flagged == ["WY-2025-000004", "WY-2026-000003"]  # oldest first; exactly a year old is not yet due
    assert report.anonymised == ["WY-2025-000005"]  # exactly two years old is only flagged
    assert (report.review_cutoff, report.anonymise_cutoff) == (datetime(2026, 6, 1, 12, tzinfo=UTC),
                                                               datetime(2025, 6, 1, 12, tzinfo=UTC))
    for incident in (recent, review_exactly):
        assert stored(session, incident.id).retention_flagged_at is None
    for incident in (review_past, anonymise_exactly):
        kept = stored(session, incident.id)
        assert (kept.retention_flagged_at, kept.anonymised_at, kept.narrative) == (NOW, None, NARRATIVE)
    gone = stored(session, anonymise_past.id)
    assert (gone.retention_flagged_at, gone.anonymised_at, gone.updated_at) == (NOW, NOW, NOW)


def test_anonymising_removes_the_free_text_and_keeps_the_statistics(session: Session, room: ControlRoom) -> None:
    old = log(session, room, 7, datetime(2024, 11, 30, 1, 30, tzinfo=UTC), police_attended=True, arrests=2)
    retention_run(session, now=NOW, rule=RULE)
    session.commit()
    incident = stored(session, old.id)
    assert incident.narrative == "[anonymised under the retention rule on 2027-06-01]"
    assert (incident.outcome, incident.arrest_offences) == ("", "")
    # Kept: what the statistics and the record of the control room's work need.
    assert (incident.reference, incident.category, incident.arrests, incident.location_text) == (
        "WY-2024-000007", "violence", 2, "Frogmoor, outside the Antelope")
    assert (incident.police_informed, incident.police_attended, incident.police_reference) == (True, True, "CAD 1234")
    assert (incident.occurred_at, incident.operator, incident.monitored_session) == (
        datetime(2024, 11, 30, 1, 30, tzinfo=UTC), "alice", date(2024, 11, 30))


def test_the_note_gives_the_london_date(session: Session, room: ControlRoom) -> None:
    old = log(session, room, 1, datetime(2024, 1, 1, tzinfo=UTC))
    late_evening = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London (BST)
    retention_run(session, now=late_evening, rule=RULE)
    assert stored(session, old.id).narrative == "[anonymised under the retention rule on 2027-07-01]"


def test_a_run_is_idempotent(session: Session, room: ControlRoom) -> None:
    flagged = log(session, room, 1, datetime(2026, 1, 5, tzinfo=UTC))
    gone = log(session, room, 2, datetime(2025, 1, 5, tzinfo=UTC))
    retention_run(session, now=NOW, rule=RULE)
    session.commit()
    entries = audit_count(session)

    again = retention_run(session, now=NOW + timedelta(days=3), rule=RULE)
    session.commit()
    assert (again.flagged, again.anonymised, again.audit_entries_scrubbed) == ([], [], 0)
    assert audit_count(session) == entries  # nothing touched, nothing audited
    assert stored(session, flagged.id).retention_flagged_at == NOW  # the first flag's time stays
    assert stored(session, gone.id).anonymised_at == NOW


def test_a_flagged_incident_is_anonymised_when_its_time_comes(session: Session, room: ControlRoom) -> None:
    incident = log(session, room, 1, datetime(2025, 9, 1, tzinfo=UTC))
    first = retention_run(session, now=NOW, rule=RULE)  # 2027-06-01: 638 days old
    assert (first.flagged, first.anonymised) == (["WY-2025-000001"], [])
    later = datetime(2027, 9, 2, tzinfo=UTC)  # 731 days after 2025-09-01
    second = retention_run(session, now=later, rule=RULE)
    session.commit()
    assert (second.flagged, second.anonymised) == ([], ["WY-2025-000001"])
    kept = stored(session, incident.id)
    assert (kept.retention_flagged_at, kept.anonymised_at) == (NOW, later)  # flagged when first due, not re-stamped


def test_a_dry_run_reports_and_writes_nothing(session: Session, room: ControlRoom) -> None:
    flagged = log(session, room, 1, datetime(2026, 1, 5, tzinfo=UTC))
    gone = log(session, room, 2, datetime(2025, 1, 5, tzinfo=UTC))
    entries = audit_count(session)

    dry = retention_run(session, now=NOW, rule=RULE, dry_run=True)
    session.commit()
    assert (dry.dry_run, dry.flagged, dry.anonymised) == (True, ["WY-2026-000001"], ["WY-2025-000002"])
    assert audit_count(session) == entries
    for incident in (flagged, gone):
        untouched = stored(session, incident.id)
        assert (untouched.retention_flagged_at, untouched.anonymised_at, untouched.narrative) == (None, None,
                                                                                                  NARRATIVE)
    real = retention_run(session, now=NOW, rule=RULE)
    assert (real.dry_run, real.flagged, real.anonymised) == (False, dry.flagged, dry.anonymised)


def test_the_review_list(session: Session, room: ControlRoom) -> None:
    log(session, room, 1, datetime(2027, 1, 5, tzinfo=UTC))  # too recent
    newer = log(session, room, 2, datetime(2026, 3, 5, tzinfo=UTC))
    older = log(session, room, 3, datetime(2026, 1, 5, tzinfo=UTC))
    log(session, room, 4, datetime(2025, 1, 5, tzinfo=UTC))  # anonymised: no longer to review
    retention_run(session, now=NOW, rule=RULE)
    assert [i.id for i in flagged_for_review(session)] == [older.id, newer.id]


def test_the_anonymisation_is_in_the_audit_trail_without_the_removed_text(session: Session,
                                                                          room: ControlRoom) -> None:
    old = log(session, room, 1, datetime(2025, 1, 5, tzinfo=UTC))
    incident = session.get(Incident, old.id)
    incident.narrative = NARRATIVE + " Smith later returned."  # an edit after logging, audited as usual
    session.commit()
    recent = log(session, room, 2, datetime(2027, 5, 30, tzinfo=UTC))

    report = retention_run(session, now=NOW, rule=RULE)
    session.commit()

    entries = session.exec(select(AuditEntry).where(AuditEntry.table_name == "incident",
                                                    AuditEntry.record_id == str(old.id))
                           .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["create", "update", "update"]
    created, edited, anonymised = (e.changed() for e in entries)
    assert anonymised["anonymised_at"] == {"before": None, "after": NOW.isoformat()}
    assert anonymised["narrative"] == {"before": REMOVED_FROM_AUDIT,
                                       "after": "[anonymised under the retention rule on 2027-06-01]"}
    assert anonymised["outcome"] == {"before": REMOVED_FROM_AUDIT, "after": ""}
    assert anonymised["arrest_offences"] == {"before": REMOVED_FROM_AUDIT, "after": ""}
    assert entries[2].actor == "tester"
    # The history keeps who changed which field and when, not the words.
    assert created["narrative"] == {"after": REMOVED_FROM_AUDIT}
    assert edited["narrative"] == {"before": REMOVED_FROM_AUDIT, "after": REMOVED_FROM_AUDIT}
    assert created["location_text"] == {"after": "Frogmoor, outside the Antelope"}  # kept fields stay in the trail
    assert report.audit_entries_scrubbed == 3
    # No copy of the removed text is left for this incident; the recent incident's trail is untouched.
    trail = " ".join(e.changes for e in entries)
    assert "Smith" not in trail and "Acacia" not in trail
    recent_trail = session.exec(select(AuditEntry).where(AuditEntry.record_id == str(recent.id),
                                                         AuditEntry.table_name == "incident")).one()
    assert recent_trail.changed()["narrative"] == {"after": NARRATIVE}


def test_the_audit_history_can_be_left_alone(session: Session, room: ControlRoom) -> None:
    old = log(session, room, 1, datetime(2025, 1, 5, tzinfo=UTC))
    report = retention_run(session, now=NOW, rule=RULE, scrub_audit=False)
    session.commit()
    entry = session.exec(select(AuditEntry).where(AuditEntry.record_id == str(old.id),
                                                  AuditEntry.table_name == "incident", AuditEntry.action == "update")
                         ).one()
    assert entry.changed()["narrative"]["before"] == NARRATIVE
    assert report.audit_entries_scrubbed == 0


def test_a_large_run_goes_in_batches(session: Session, room: ControlRoom, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retention, "BATCH", 2)
    olds = [log(session, room, n, datetime(2025, 1, n, tzinfo=UTC)) for n in range(1, 6)]
    flagged = [log(session, room, n, datetime(2026, 1, n - 10, tzinfo=UTC)) for n in range(11, 14)]
    report = retention_run(session, now=NOW, rule=RULE)
    session.commit()
    assert report.anonymised == [f"WY-2025-{n:06d}" for n in range(1, 6)]
    assert report.flagged == [f"WY-2026-{n:06d}" for n in range(11, 14)]
    assert all(stored(session, i.id).anonymised_at == NOW for i in olds)
    assert all(stored(session, i.id).retention_flagged_at == NOW for i in flagged)
    assert report.audit_entries_scrubbed == 10  # each anonymised incident: its creation and its anonymisation


def test_anonymising_clears_the_arrests_offences_and_their_audit_copies(session: Session, room: ControlRoom) -> None:
    from cctv.controlroom.models import Arrest
    from cctv.controlroom.types import ArrestOutcome, OffenceGroup

    incident = log(session, room, 1, NOW - timedelta(days=800))
    session.add(Arrest(incident_id=incident.id, offence_group=OffenceGroup.VIOLENCE,
                       offence="John Smith: ABH on his neighbour", outcome=ArrestOutcome.CHARGED))
    session.commit()
    retention_run(session, now=NOW, rule=RULE)
    session.commit()
    session.expire_all()
    (arrest,) = session.exec(select(Arrest)).all()
    # What the measures count stays; what the person did, in words, goes, from the trail's copies too.
    assert (arrest.offence, arrest.offence_group, arrest.outcome) == ("", OffenceGroup.VIOLENCE, ArrestOutcome.CHARGED)
    trail = " ".join(e.changes for e in session.exec(select(AuditEntry).where(AuditEntry.table_name == "arrest")))
    assert "John Smith" not in trail and REMOVED_FROM_AUDIT in trail
