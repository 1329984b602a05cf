"""Arrests as records: the incident's count makes that many records in its category's offence group, the offence
and outcome are recorded later (the time the outcome changed kept), and the count follows the records."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from cctv.audit import AuditEntry
from cctv.controlroom.arrests import (
    ArrestError,
    ArrestNotFound,
    add_arrest,
    incident_arrests,
    remove_arrest,
    update_arrest,
)
from cctv.controlroom.incidents import get_incident, log_incident, update_incident
from cctv.controlroom.models import ArrestBase, ControlRoom, IncidentCreate
from cctv.controlroom.rooms import ensure_defaults
from cctv.controlroom.types import ArrestOutcome, OffenceGroup
from tests.conftest import Estate

NOW = datetime(2026, 6, 6, 1, 40, tzinfo=UTC)


@pytest.fixture
def room(session: Session, estate: Estate) -> ControlRoom:
    room = ensure_defaults(session)
    session.commit()
    return room


def _log(session: Session, room: ControlRoom, *, category: str = "shoplifting", arrests: int = 2) -> int:
    data = IncidentCreate(occurred_at=NOW - timedelta(minutes=30), category=category, arrests=arrests,
                          arrest_offences="Theft from a shop" if arrests else "")
    incident = log_incident(session, data, room=room, operator="alice", now=NOW)
    session.commit()
    return incident.id


def _summary(session: Session, incident_id: int) -> list[tuple[str, str, str]]:
    return [(a.offence_group.value, a.offence, a.outcome.value) for a in incident_arrests(session, incident_id)]


def test_the_count_typed_on_the_incident_makes_that_many_records(session: Session, room: ControlRoom) -> None:
    incident_id = _log(session, room)
    # Shoplifting is in the Home Office's "theft offences"; the free text stays on the incident (it may name people).
    assert _summary(session, incident_id) == [("theft_offences", "", "not_known")] * 2
    assert _log(session, room, category="fire", arrests=1) and _summary(session, incident_id + 1) == [
        ("not_recorded", "", "not_known")]
    assert _summary(session, _log(session, room, arrests=0)) == []


def test_details_and_outcome_follow_and_the_outcome_time_is_kept(session: Session, room: ControlRoom) -> None:
    incident_id = _log(session, room)
    first, second = incident_arrests(session, incident_id)
    update_arrest(session, incident_id, first.id, ArrestBase(offence_group=OffenceGroup.THEFT,
                                                             offence=" s.1 Theft Act 1968 ",
                                                             outcome=ArrestOutcome.RELEASED_UNDER_INVESTIGATION),
                  now=NOW + timedelta(days=1))
    update_arrest(session, incident_id, first.id, ArrestBase(offence_group=OffenceGroup.THEFT,
                                                             offence="s.1 Theft Act 1968",
                                                             outcome=ArrestOutcome.RELEASED_UNDER_INVESTIGATION),
                  now=NOW + timedelta(days=9))  # nothing changed: the outcome's time stays
    update_arrest(session, incident_id, second.id, ArrestBase(offence_group=OffenceGroup.ROBBERY,
                                                              outcome=ArrestOutcome.CHARGED),
                  now=NOW + timedelta(days=40))
    session.commit()
    assert _summary(session, incident_id) == [
        ("theft_offences", "s.1 Theft Act 1968", "released_under_investigation"), ("robbery", "", "charged")]
    assert [a.outcome_noted_at for a in incident_arrests(session, incident_id)] == [
        NOW + timedelta(days=1), NOW + timedelta(days=40)]
    changes = session.exec(select(AuditEntry).where(AuditEntry.table_name == "arrest", AuditEntry.action == "update")
                           .order_by(col(AuditEntry.id))).all()
    assert [e.changed()["outcome"]["after"] for e in changes] == ["released_under_investigation", "charged"]


def test_the_incident_count_follows_the_records_and_the_records_follow_the_count(session: Session,
                                                                                 room: ControlRoom) -> None:
    incident_id = _log(session, room)
    added = add_arrest(session, incident_id, ArrestBase(offence_group=OffenceGroup.DRUGS,
                                                        outcome=ArrestOutcome.CAUTIONED), now=NOW)
    assert get_incident(session, incident_id).arrests == 3
    first = incident_arrests(session, incident_id)[0]
    remove_arrest(session, incident_id, first.id, now=NOW)
    assert get_incident(session, incident_id).arrests == 2
    # Editing the count on the incident form: down to one drops the newest record, back up adds a fresh one.
    incident = get_incident(session, incident_id)
    data = IncidentCreate(**incident.model_dump(include=set(IncidentCreate.model_fields) - {"camera_ids"}))
    update_incident(session, incident_id, data.model_copy(update={"arrests": 1}), actor="alice", now=NOW)
    assert [a.id for a in incident_arrests(session, incident_id)] == [first.id + 1]
    assert added.id not in [a.id for a in incident_arrests(session, incident_id)]
    update_incident(session, incident_id, data.model_copy(update={"arrests": 2}), actor="alice", now=NOW)
    assert _summary(session, incident_id)[1] == ("theft_offences", "", "not_known")


def test_bad_arrests_are_refused(session: Session, room: ControlRoom) -> None:
    incident_id = _log(session, room)
    other = _log(session, room)
    arrest = incident_arrests(session, incident_id)[0]
    with pytest.raises(ArrestNotFound):  # another incident's arrest
        update_arrest(session, other, arrest.id, ArrestBase(), now=NOW)
    with pytest.raises(ArrestError) as error:
        too_long = ArrestBase.model_construct(offence="x" * 201, offence_group=OffenceGroup.OTHER,
                                              outcome=ArrestOutcome.NOT_KNOWN)  # past the model's own check
        update_arrest(session, incident_id, arrest.id, too_long, now=NOW)
    assert set(error.value.problems) == {"offence"}
    with pytest.raises(ArrestNotFound):
        add_arrest(session, 999_999, ArrestBase(), now=NOW)
