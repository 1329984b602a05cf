"""Logging and editing incidents: what is stored, what is refused, and what the audit trail records.

Times: Saturday 6 June 2026 is in BST (UTC+1). 02:30 on Saturday is 01:30 UTC and belongs to Friday's session.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from cctv.audit import AuditEntry
from cctv.controlroom.incidents import (
    IncidentError,
    IncidentNotFound,
    close_incident,
    get_incident,
    incident_cameras,
    log_incident,
    reopen_incident,
    update_incident,
)
from cctv.controlroom.models import ControlRoom, Incident, IncidentCreate, ReferenceCounter
from cctv.controlroom.rooms import ensure_defaults, retire_category
from cctv.controlroom.types import FollowUp, IncidentSource
from inventory.models import Camera
from inventory.scope import CameraScope
from inventory.types import LONDON, CameraStatus
from tests.conftest import Estate

SAT_0230 = datetime(2026, 6, 6, 1, 30, tzinfo=UTC)  # 02:30 BST on Saturday 6 June
NOW = datetime(2026, 6, 6, 1, 40, tzinfo=UTC)  # logged ten minutes later


@pytest.fixture
def room(session: Session, estate: Estate) -> ControlRoom:
    """The Wycombe room and the default categories, committed, beside the small estate."""
    room = ensure_defaults(session)
    session.commit()
    return room


def report(estate: Estate, **changes: object) -> IncidentCreate:
    """A fight seen on two cameras, reported to the police, one arrest."""
    fields: dict[str, object] = dict(
        occurred_at=SAT_0230, category="violence", source=IncidentSource.PROACTIVE,
        location_text="  Frogmoor, by the fountain ", police_reference="CAD 0412-06062026", police_attended=True,
        arrests=1, arrest_offences="Assault (ABH)", outcome="Male arrested", narrative="Two males fighting. ",
        camera_ids=[estate.town_camera, estate.car_park_camera, estate.town_camera],
    )
    fields.update(changes)
    return IncidentCreate(**fields)


def trail(session: Session, table: str, record_id: object | None = None) -> list[AuditEntry]:
    """The audit entries of a table (and record), oldest first."""
    stmt = select(AuditEntry).where(AuditEntry.table_name == table)
    if record_id is not None:
        stmt = stmt.where(AuditEntry.record_id == str(record_id))
    return list(session.exec(stmt.order_by(col(AuditEntry.id))))


def asset_ids(session: Session, incident: Incident) -> list[str]:
    return [c.asset_id for c in incident_cameras(session, incident.id)]


# --- logging ------------------------------------------------------------------------------------------------------


def test_an_incident_is_logged_with_its_reference_flag_and_cameras(session: Session, estate: Estate,
                                                                   room: ControlRoom) -> None:
    incident = log_incident(session, report(estate), room=room, operator="alice", now=NOW)
    session.commit()
    stored = get_incident(session, incident.id)
    assert (stored.reference, stored.ref_year, stored.ref_number) == ("WY-2026-000001", 2026, 1)
    assert (stored.occurred_at, stored.logged_at, stored.updated_at) == (SAT_0230, NOW, NOW)
    assert (stored.operator, stored.control_room_id) == ("alice", room.id)
    assert (stored.in_monitored_hours, stored.monitored_session) == (True, date(2026, 6, 5))  # Friday's session
    assert stored.police_informed is True  # a police reference means the police were told
    assert (stored.location_text, stored.narrative) == ("Frogmoor, by the fountain", "Two males fighting.")
    assert (stored.arrests, stored.arrest_offences, stored.follow_up) == (1, "Assault (ABH)", FollowUp.OPEN)
    assert (stored.closed_at, stored.closed_by) == (None, "")
    assert asset_ids(session, stored) == ["CS-001", "PARK-001"]  # the repeated camera linked once
    [created] = trail(session, "incident", incident.id)
    assert (created.action, created.actor) == ("create", "tester")
    assert created.changed()["reference"] == {"after": "WY-2026-000001"}
    assert len(trail(session, "incident_camera")) == 2


def test_logging_audits_every_field_as_an_orm_flush_would(session: Session, estate: Estate,
                                                          room: ControlRoom) -> None:
    """Logging is audited by the flush, like any other insert: the entries of a logged incident are exactly those of
    the same row added to the session by hand, every field included, with the links' entries beside them."""
    logged = log_incident(session, report(estate), room=room, operator="alice", now=NOW)
    session.flush()
    copy = Incident.model_validate(get_incident(session, logged.id).model_dump(exclude={"id"}) | {
        "reference": "WY-2026-999999", "ref_number": 999999})
    session.add(copy)
    session.flush()
    [core], [orm] = trail(session, "incident", logged.id), trail(session, "incident", copy.id)
    differs = {"id", "reference", "ref_number"}
    assert {k: v for k, v in core.changed().items() if k not in differs} == \
        {k: v for k, v in orm.changed().items() if k not in differs}
    assert set(core.changed()) == set(orm.changed()) == set(Incident.model_fields) - {"camera_links"}
    assert core.changed()["id"] == {"after": logged.id}
    links = trail(session, "incident_camera")
    assert sorted((e.record_id, e.changed()["camera_id"]["after"]) for e in links) == sorted(
        (f"{logged.id}/{camera}", camera) for camera in (estate.town_camera, estate.car_park_camera))
    assert {e.actor for e in [core, *links]} == {"tester"}
    # The incident is in the session as stored: changing it is an audited update like any other.
    logged.outcome = "Male charged"
    session.flush()
    assert trail(session, "incident", logged.id)[-1].changed() == {
        "outcome": {"before": "Male arrested", "after": "Male charged"}}


def test_logging_gives_back_the_incident_as_stored(session: Session, estate: Estate, room: ControlRoom) -> None:
    """The entry page confirms a logged incident from `log_incident`'s answer: it must be the stored row's."""
    early = NOW + timedelta(minutes=3)  # within the tolerance: taken as now
    logged = log_incident(session, report(estate, occurred_at=early), room=room, operator="alice", now=NOW)
    session.commit()
    with Session(session.get_bind()) as elsewhere:  # read back from the database, not from this session's objects
        stored = get_incident(elsewhere, logged.id)
    assert (logged.id, logged.reference, logged.occurred_at) == (stored.id, stored.reference, NOW)
    assert stored.occurred_at == NOW and stored.operator == "alice" and stored.ref_year == NOW.year


def test_an_incident_outside_monitored_hours(session: Session, estate: Estate, room: ControlRoom) -> None:
    tuesday_0230 = datetime(2026, 6, 2, 1, 30, tzinfo=UTC)
    incident = log_incident(session, report(estate, occurred_at=tuesday_0230), room=room, operator="alice",
                            now=tuesday_0230 + timedelta(minutes=5))
    assert (incident.in_monitored_hours, incident.monitored_session) == (False, date(2026, 6, 1))  # Monday's


def test_every_problem_is_reported_at_once_and_nothing_is_written(session: Session, estate: Estate,
                                                                  room: ControlRoom) -> None:
    bad = report(estate, category="nope", camera_ids=[estate.town_camera, 999], arrests=2, arrest_offences=" ",
                 longitude=-0.75, occurred_at=NOW + timedelta(minutes=6))
    with pytest.raises(IncidentError) as raised:
        log_incident(session, bad, room=room, operator=" ", now=NOW)
    assert raised.value.problems == {
        "occurred_at": "That time is in the future.",
        "category": "Choose a category from the list.",
        "arrest_offences": "Say what the arrest was for.",
        "longitude": "Give both longitude and latitude, or neither.",
        "camera_ids": "No camera with id 999.",
        "operator": "The incident needs the operator who logged it.",
    }
    session.commit()
    assert session.exec(select(Incident)).all() == []
    assert session.exec(select(ReferenceCounter)).all() == []  # no number was taken


def test_a_retired_category_and_a_decommissioned_camera_cannot_be_chosen(session: Session, estate: Estate,
                                                                         room: ControlRoom) -> None:
    retire_category(session, "fire")
    camera = session.get(Camera, estate.car_park_camera)
    camera.status = CameraStatus.DECOMMISSIONED
    session.add(camera)
    session.commit()
    with pytest.raises(IncidentError) as raised:
        log_incident(session, report(estate, category="fire"), room=room, operator="alice", now=NOW)
    assert raised.value.problems == {"category": "“Fire” is no longer in use; choose another category.",
                                     "camera_ids": "Decommissioned: PARK-001."}


def test_a_covert_camera_does_not_exist_for_an_operator_without_covert_access(session: Session, estate: Estate,
                                                                             room: ControlRoom) -> None:
    data = report(estate, camera_ids=[estate.covert_camera])
    with pytest.raises(IncidentError) as raised:
        log_incident(session, data, room=room, operator="alice", now=NOW, scope=CameraScope())
    assert raised.value.problems == {"camera_ids": f"No camera with id {estate.covert_camera}."}
    incident = log_incident(session, data, room=room, operator="sup", now=NOW, scope=CameraScope(include_covert=True))
    assert asset_ids(session, incident) == ["PARK-COV-1"]


def test_an_edit_by_someone_without_covert_access_keeps_the_covert_camera(session: Session, estate: Estate,
                                                                          room: ControlRoom) -> None:
    incident = log_incident(session, report(estate, camera_ids=[estate.covert_camera, estate.town_camera]),
                            room=room, operator="sup", now=NOW, scope=CameraScope(include_covert=True))
    # The operator's form shows only CS-001; they swap it for PARK-001 and cannot have meant the covert one.
    update_incident(session, incident.id, report(estate, camera_ids=[estate.car_park_camera]), actor="alice",
                    now=NOW, scope=CameraScope())
    assert asset_ids(session, incident) == ["PARK-001", "PARK-COV-1"]


def test_a_time_a_few_minutes_ahead_is_taken_as_now(session: Session, estate: Estate, room: ControlRoom) -> None:
    ahead = log_incident(session, report(estate, occurred_at=NOW + timedelta(minutes=5)), room=room,
                         operator="alice", now=NOW)
    assert ahead.occurred_at == NOW  # the PC clock ran ahead; it cannot have happened after it was logged
    with pytest.raises(IncidentError) as raised:
        log_incident(session, report(estate, occurred_at=NOW + timedelta(minutes=5, seconds=1)), room=room,
                     operator="alice", now=NOW)
    assert set(raised.value.problems) == {"occurred_at"}
    with pytest.raises(IncidentError) as raised:
        log_incident(session, report(estate, occurred_at=datetime(2026, 6, 6, 2, 30)), room=room, operator="alice",
                     now=NOW)
    assert raised.value.problems == {"occurred_at": "Give the time with its time zone."}


def test_an_incident_logged_closed_records_who_closed_it(session: Session, estate: Estate, room: ControlRoom) -> None:
    incident = log_incident(session, report(estate, follow_up=FollowUp.CLOSED), room=room, operator="alice", now=NOW)
    assert (incident.follow_up, incident.closed_at, incident.closed_by) == (FollowUp.CLOSED, NOW, "alice")


# --- editing, closing, reopening ------------------------------------------------------------------------------


def test_an_edit_after_closing_is_allowed_and_audited(session: Session, estate: Estate, room: ControlRoom) -> None:
    logged = datetime(2026, 6, 6, 5, 0, tzinfo=UTC)  # 06:00 BST, at the end of the night
    incident = log_incident(session, report(estate), room=room, operator="alice", now=logged)
    session.commit()
    closed_at = logged + timedelta(hours=1)
    close_incident(session, incident.id, actor="alice", now=closed_at)
    session.commit()
    later = logged + timedelta(days=2)
    # Corrected: it was 04:30 (after Friday's session ended), and only the town camera saw it.
    edit = report(estate, occurred_at=datetime(2026, 6, 6, 3, 30, tzinfo=UTC), narrative="Two males fighting; "
                  "one left towards the bus station.", camera_ids=[estate.town_camera], follow_up=FollowUp.CLOSED)
    update_incident(session, incident.id, edit, actor="bob", now=later)
    session.commit()
    stored = get_incident(session, incident.id)
    assert stored.reference == "WY-2026-000001"  # never changes
    assert (stored.in_monitored_hours, stored.monitored_session) == (False, date(2026, 6, 6))
    assert (stored.follow_up, stored.closed_at, stored.closed_by, stored.updated_at) == (
        FollowUp.CLOSED, closed_at, "alice", later)
    assert asset_ids(session, stored) == ["CS-001"]
    created, close, edited = trail(session, "incident", incident.id)
    assert (created.action, close.action, edited.action) == ("create", "update", "update")  # one entry per edit
    assert close.changed()["follow_up"] == {"before": "open", "after": "closed"}
    changes = edited.changed()
    assert changes["narrative"] == {"before": "Two males fighting.",
                                    "after": "Two males fighting; one left towards the bus station."}
    assert changes["in_monitored_hours"] == {"before": True, "after": False}
    assert set(changes) == {"occurred_at", "narrative", "in_monitored_hours", "monitored_session", "updated_at"}
    removed = [e for e in trail(session, "incident_camera") if e.action == "delete"]
    assert [e.record_id for e in removed] == [f"{incident.id}/{estate.car_park_camera}"]


def test_saving_an_unchanged_incident_writes_nothing(session: Session, estate: Estate, room: ControlRoom) -> None:
    incident = log_incident(session, report(estate), room=room, operator="alice", now=NOW)
    session.commit()
    before = len(session.exec(select(AuditEntry)).all())
    same = report(estate, occurred_at=datetime(2026, 6, 6, 2, 30, tzinfo=LONDON))  # the same instant, in BST
    update_incident(session, incident.id, same, actor="alice", now=NOW + timedelta(hours=3))
    session.commit()
    assert len(session.exec(select(AuditEntry)).all()) == before
    assert get_incident(session, incident.id).updated_at == NOW


def test_a_retired_category_and_a_decommissioned_camera_may_stay_on_an_edit(session: Session, estate: Estate,
                                                                            room: ControlRoom) -> None:
    incident = log_incident(session, report(estate, category="fire"), room=room, operator="alice", now=NOW)
    retire_category(session, "fire")
    retire_category(session, "weapons")
    camera = session.get(Camera, estate.car_park_camera)
    camera.status = CameraStatus.DECOMMISSIONED
    session.add(camera)
    session.commit()
    kept = update_incident(session, incident.id, report(estate, category="fire", outcome="Fire service attended"),
                           actor="bob", now=NOW + timedelta(hours=1))
    assert (kept.category, kept.outcome) == ("fire", "Fire service attended")
    with pytest.raises(IncidentError) as raised:
        update_incident(session, incident.id, report(estate, category="weapons"), actor="bob", now=NOW)
    assert set(raised.value.problems) == {"category"}


def test_an_edit_cannot_move_the_incident_after_it_was_logged(session: Session, estate: Estate,
                                                              room: ControlRoom) -> None:
    incident = log_incident(session, report(estate), room=room, operator="alice", now=NOW)
    with pytest.raises(IncidentError) as raised:
        update_incident(session, incident.id, report(estate, occurred_at=NOW + timedelta(minutes=30)), actor="bob",
                        now=NOW + timedelta(hours=2))
    assert raised.value.problems == {"occurred_at": "That time is after the incident was logged."}


def test_close_and_reopen(session: Session, estate: Estate, room: ControlRoom) -> None:
    incident = log_incident(session, report(estate), room=room, operator="alice", now=NOW)
    session.commit()
    first = NOW + timedelta(hours=1)
    close_incident(session, incident.id, actor="alice", now=first)
    close_incident(session, incident.id, actor="bob", now=first + timedelta(minutes=1))  # already closed: no change
    session.commit()
    assert (incident.closed_at, incident.closed_by) == (first, "alice")
    assert len(trail(session, "incident", incident.id)) == 2  # created, closed once
    reopened = reopen_incident(session, incident.id, actor="bob", now=first + timedelta(days=1),
                               follow_up=FollowUp.AWAITING_POLICE)
    session.commit()
    assert (reopened.follow_up, reopened.closed_at, reopened.closed_by) == (FollowUp.AWAITING_POLICE, None, "")
    with pytest.raises(IncidentError):
        reopen_incident(session, incident.id, actor="bob", now=NOW, follow_up=FollowUp.CLOSED)


def test_an_anonymised_incident_cannot_be_edited(session: Session, estate: Estate, room: ControlRoom) -> None:
    incident = log_incident(session, report(estate), room=room, operator="alice", now=NOW)
    incident.anonymised_at = NOW + timedelta(days=800)
    session.add(incident)
    session.commit()
    with pytest.raises(IncidentError) as raised:
        update_incident(session, incident.id, report(estate), actor="bob", now=NOW + timedelta(days=801))
    assert set(raised.value.problems) == {"narrative"}


def test_unknown_incidents(session: Session, estate: Estate, room: ControlRoom) -> None:
    with pytest.raises(IncidentNotFound):
        get_incident(session, 404)
    with pytest.raises(IncidentNotFound):
        update_incident(session, 404, report(estate), actor="bob", now=NOW)
    with pytest.raises(IncidentNotFound):
        close_incident(session, 404, actor="bob", now=NOW)


def test_now_must_be_aware(session: Session, estate: Estate, room: ControlRoom) -> None:
    with pytest.raises(ValueError, match="aware"):
        log_incident(session, report(estate), room=room, operator="alice", now=datetime(2026, 6, 6, 2, 40))
