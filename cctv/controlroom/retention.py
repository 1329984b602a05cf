"""The retention rule for personal data in the incident log: flag for review, then anonymise.

Incident narratives name and describe people. After `review_after_days` (counted from when the incident occurred) an
incident is flagged for a supervisor's review; after `anonymise_after_days` the free text that holds personal data is
replaced. What goes and what stays:

- removed: the narrative (replaced by a note saying when and why), the outcome and the arrest offences. The offences
  field is free text that in practice carries names, ages and addresses beside the offence, and no rule can reliably
  tell the two apart, so it goes whole; the *number* of arrests stays.
- kept, for the statistics and the audit of the control room's work: reference, times, control room, operator,
  category, source, location text and point, cameras, police informed/attended, the police reference (a CAD/URN
  number that names no one by itself and keeps the link to the police record), arrest count and follow-up status.

Every change goes through the ORM, so the audit trail records who anonymised what and when. The audit trail also keeps
copies of the removed text (the incident's creation and every edit record field values), which would defeat the
rule; so by default the job also replaces those copies in the incident's audit entries with a marker, keeping who,
when and which fields changed. It does so with `cctv.audit.scrub_audit_fields`, the one way anything may rewrite the
trail, and only ever to remove personal data that the retention rule says must go.

A record on legal hold, or kept by a reviewer until a date not yet passed, is exempt (`cctv.controlroom.holds`); the
same rule for evidence requests, disclosures and shift notes is in `cctv.controlroom.record_retention`.

The job is idempotent (flagged and anonymised incidents carry their timestamps and are skipped), can be run dry
(it reports what it would do and writes nothing), and works in batches so a first run over years of log is bounded.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import not_
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, select

from cctv.audit import scrub_audit_fields
from cctv.controlroom.holds import active_clause
from cctv.controlroom.models import Arrest, Incident
from inventory.types import london_date

ANONYMISED_NARRATIVE = "[anonymised under the retention rule on {date}]"
REMOVED_FROM_AUDIT = "[removed under the retention rule]"
PERSONAL_FIELDS = ("narrative", "outcome", "arrest_offences")
BATCH = 500  # incidents changed and flushed at a time


@dataclass(frozen=True)
class RetentionRule:
    """How long incident narratives are kept: review after this many days, anonymise after that many."""

    review_after_days: int = 365
    anonymise_after_days: int = 730

    def __post_init__(self) -> None:
        if self.review_after_days < 1:
            raise ValueError("review_after_days must be at least 1")
        if self.anonymise_after_days < self.review_after_days:
            raise ValueError("anonymise_after_days cannot be shorter than review_after_days")


@dataclass
class KindReport:
    """What a run did (or, dry, would do) for one other kind of record (cctv.controlroom.record_retention)."""

    kind: str
    rule: RetentionRule
    dry_run: bool
    flagged: list[str] = field(default_factory=list)
    anonymised: list[str] = field(default_factory=list)
    audit_entries_scrubbed: int = 0


@dataclass(frozen=True)
class RetentionReport:
    """What a run did (or, dry, would do): references newly flagged for review and newly anonymised.

    An incident found already past the anonymisation period is anonymised (and stamped as flagged too) and listed
    only under `anonymised`, so the two lists never overlap.
    """

    now: datetime
    rule: RetentionRule
    dry_run: bool
    flagged: list[str] = field(default_factory=list)
    anonymised: list[str] = field(default_factory=list)
    audit_entries_scrubbed: int = 0
    records: list[KindReport] = field(default_factory=list)  # evidence requests, disclosures, shift notes

    @property
    def review_cutoff(self) -> datetime:
        """Incidents that occurred before this instant are due for review."""
        return self.now - timedelta(days=self.rule.review_after_days)

    @property
    def anonymise_cutoff(self) -> datetime:
        """Incidents that occurred before this instant are due for anonymisation."""
        return self.now - timedelta(days=self.rule.anonymise_after_days)


def anonymise(incident: Incident, now: datetime) -> None:
    """Remove the personal free text from one incident (see the module notes); the caller adds and flushes."""
    incident.narrative = ANONYMISED_NARRATIVE.format(date=london_date(now).isoformat())
    incident.outcome = ""
    incident.arrest_offences = ""
    incident.anonymised_at = now
    if incident.retention_flagged_at is None:
        incident.retention_flagged_at = now
    incident.updated_at = now


def retention_run(
    session: Session, *, now: datetime, rule: RetentionRule, dry_run: bool = False, scrub_audit: bool = True
) -> RetentionReport:
    """Flag incidents older than the review period and anonymise those older than the anonymisation period.

    "Older than N days" is strict: an incident that occurred exactly N days before `now` is not yet due. Nothing is
    committed (the caller owns the transaction); a dry run only reads.
    """
    review_cutoff = now - timedelta(days=rule.review_after_days)
    anonymise_cutoff = now - timedelta(days=rule.anonymise_after_days)
    to_anonymise = _due(session, col(Incident.anonymised_at).is_(None), anonymise_cutoff, now)
    anonymise_ids = [incident_id for incident_id, _ in to_anonymise]
    anonymising = set(anonymise_ids)
    to_flag = [(i, ref) for i, ref in _due(session, col(Incident.retention_flagged_at).is_(None), review_cutoff, now)
               if i not in anonymising]
    flagged = [reference for _, reference in to_flag]
    anonymised = [reference for _, reference in to_anonymise]
    if dry_run:
        return RetentionReport(now=now, rule=rule, dry_run=True, flagged=flagged, anonymised=anonymised)

    for batch in _batches([incident_id for incident_id, _ in to_flag]):
        for incident in session.exec(select(Incident).where(col(Incident.id).in_(batch))):
            incident.retention_flagged_at = now
            session.add(incident)
        session.flush()  # writes the batch and its audit entries
    scrubbed = 0
    for batch in _batches(anonymise_ids):
        for incident in session.exec(select(Incident).where(col(Incident.id).in_(batch))):
            anonymise(incident, now)
            session.add(incident)
        clear_arrest_offences(session, batch)
        session.flush()  # the audit entries of the anonymisation exist now, so the scrub below covers them too
        if scrub_audit:
            scrubbed += scrub_audit_history(session, batch)
    return RetentionReport(now=now, rule=rule, dry_run=False, flagged=flagged, anonymised=anonymised,
                           audit_entries_scrubbed=scrubbed)


def flagged_for_review(session: Session, *, limit: int = 500) -> list[Incident]:
    """Incidents flagged for review and not yet anonymised, oldest first (the review list)."""
    stmt = (
        select(Incident)
        .where(col(Incident.retention_flagged_at).is_not(None), col(Incident.anonymised_at).is_(None))
        .order_by(col(Incident.occurred_at), col(Incident.id))
        .limit(limit)
    )
    return list(session.exec(stmt))


def clear_arrest_offences(session: Session, incident_ids: list[int]) -> None:
    """The offences of these incidents' arrests, in the police's words, say what a person did: they go with the
    narrative (the offence group and the outcome stay, for the measures). The caller flushes."""
    for arrest in session.exec(select(Arrest).where(col(Arrest.incident_id).in_(incident_ids), Arrest.offence != "")):
        arrest.offence = ""
        session.add(arrest)


def scrub_audit_history(session: Session, incident_ids: list[int]) -> int:
    """Replace the personal free text kept in these incidents' audit entries, and their arrests' offences; the
    number of entries changed.

    Only the values of PERSONAL_FIELDS go (see `cctv.audit.scrub_audit_fields`), except what the incidents hold now
    (the anonymisation note, or an empty string), which names no one.
    """
    if not incident_ids:
        return 0
    now_held = session.exec(
        select(Incident.narrative, Incident.outcome, Incident.arrest_offences).where(col(Incident.id).in_(incident_ids))
    ).all()
    scrubbed = scrub_audit_fields(session, Incident.__tablename__, incident_ids, PERSONAL_FIELDS, REMOVED_FROM_AUDIT,
                                  keep={value for values in now_held for value in values})
    arrest_ids = session.exec(select(Arrest.id).where(col(Arrest.incident_id).in_(incident_ids))).all()
    return scrubbed + scrub_audit_fields(session, Arrest.__tablename__, arrest_ids, ("offence",), REMOVED_FROM_AUDIT)


def _due(session: Session, not_yet: ColumnElement[bool], cutoff: datetime, now: datetime) -> list[tuple[int, str]]:
    """(id, reference) of incidents that occurred before the cutoff and are not yet marked, oldest first; those on
    legal hold or kept at review (cctv.controlroom.holds) are exempt."""
    stmt = (
        select(Incident.id, Incident.reference)
        .where(not_yet, col(Incident.occurred_at) < cutoff,
               not_(active_clause("incident", col(Incident.id), now)))
        .order_by(col(Incident.occurred_at), col(Incident.id))
    )
    return [(incident_id, reference) for incident_id, reference in session.exec(stmt)]


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[i:i + BATCH] for i in range(0, len(ids), BATCH)]
