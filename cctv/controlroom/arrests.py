"""Arrests as records: each arrest at an incident with its offence (Home Office offence group and the police's
words) and what came of it (charged, cautioned, released under investigation, no further action, ...), editable as
the case moves on.

The incident form stays quick: the operator types the number of arrests, and `match_count` makes that many
records (in the category's likely offence group, outcome not known yet) for the details to follow on the incident
page. The incident's `arrests` column stays equal to its number of records (every measure that counts arrests
reads that column), so adding or removing a record here moves it, and editing the count there adds or removes
records (the newest first: the ones least likely to carry detail).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from cctv.controlroom.models import Arrest, ArrestBase, Incident
from cctv.controlroom.types import CATEGORY_OFFENCE_GROUP, ArrestOutcome, OffenceGroup

OFFENCE_MAX = 200
ARRESTS_MAX = 500  # as the incident's count allows


class ArrestError(ValueError):
    """An arrest the rules refuse; `problems` maps a field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))
        self.problems = problems


class ArrestNotFound(LookupError):
    """No arrest with that id on that incident."""


def incident_arrests(session: Session, incident_id: int) -> list[Arrest]:
    """An incident's arrests, in the order recorded."""
    return list(session.exec(select(Arrest).where(Arrest.incident_id == incident_id).order_by(col(Arrest.id))))


def _placeholder(incident: Incident, now: datetime) -> Arrest:
    # The incident's free-text "arrested for" is not copied: it may name people, and the retention rule scrubs it
    # where it is; the record's own offence is typed on the incident page (legislation or wording, no names).
    group = CATEGORY_OFFENCE_GROUP.get(incident.category, OffenceGroup.NOT_RECORDED)
    return Arrest(incident_id=incident.id, offence_group=group, recorded_at=now)


def match_count(session: Session, incident: Incident, *, now: datetime) -> None:
    """Make the incident's arrest records as many as its `arrests` count: new ones take the category's offence
    group; surplus ones go newest first. Called by logging and editing an incident."""
    found = incident_arrests(session, incident.id)
    wanted = int(incident.arrests or 0)
    if len(found) < wanted:
        session.add_all(_placeholder(incident, now) for _ in range(wanted - len(found)))
    for surplus in reversed(found[wanted:]):
        session.delete(surplus)
    if len(found) != wanted:
        session.flush()


def _checked(data: ArrestBase) -> ArrestBase:
    offence = data.offence.strip()
    problems: dict[str, str] = {}
    if len(offence) > OFFENCE_MAX:
        problems["offence"] = f"At most {OFFENCE_MAX} characters."
    if any(ord(ch) < 32 for ch in offence):
        problems["offence"] = "No control characters."
    if problems:
        raise ArrestError(problems)
    return ArrestBase(offence_group=OffenceGroup(data.offence_group), offence=offence,
                      outcome=ArrestOutcome(data.outcome))


def add_arrest(session: Session, incident_id: int, data: ArrestBase, *, now: datetime) -> Arrest:
    """Record one more arrest at the incident (its count goes up by one)."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise ArrestNotFound(incident_id)
    if incident.arrests >= ARRESTS_MAX:
        raise ArrestError({"offence": f"An incident holds at most {ARRESTS_MAX} arrests."})
    clean = _checked(data)
    arrest = Arrest.model_validate(clean, update={
        "incident_id": incident.id, "recorded_at": now,
        "outcome_noted_at": None if clean.outcome == ArrestOutcome.NOT_KNOWN else now})
    session.add(arrest)
    incident.arrests += 1
    incident.updated_at = now
    session.add(incident)
    session.flush()
    return arrest


def get_arrest(session: Session, incident_id: int, arrest_id: int) -> Arrest:
    """The arrest, when it is one of the incident's; ArrestNotFound otherwise."""
    arrest = session.get(Arrest, arrest_id)
    if arrest is None or arrest.incident_id != incident_id:
        raise ArrestNotFound(arrest_id)
    return arrest


def update_arrest(session: Session, incident_id: int, arrest_id: int, data: ArrestBase, *, now: datetime) -> Arrest:
    """Correct the offence or record the outcome as the police report it (the time the outcome changed is kept)."""
    arrest = get_arrest(session, incident_id, arrest_id)
    clean = _checked(data)
    if clean.outcome != arrest.outcome:
        arrest.outcome_noted_at = now
    arrest.offence_group, arrest.offence, arrest.outcome = clean.offence_group, clean.offence, clean.outcome
    session.add(arrest)
    session.flush()
    return arrest


def remove_arrest(session: Session, incident_id: int, arrest_id: int, *, now: datetime) -> None:
    """Remove an arrest recorded by mistake (its count goes down by one)."""
    arrest = get_arrest(session, incident_id, arrest_id)
    incident = session.get(Incident, incident_id)
    assert incident is not None  # foreign key
    session.delete(arrest)
    incident.arrests = max(0, incident.arrests - 1)
    incident.updated_at = now
    session.add(incident)
    session.flush()
