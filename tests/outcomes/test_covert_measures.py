"""Covert cameras never shape the Advisory Group's measures: an incident seen by a covert camera counts in the
totals, but never puts a town or service area into the breakdowns, and counts once under "(no camera)" only when
it had no other camera."""

from datetime import timedelta

from sqlmodel import Session

from cctv.controlroom.models import Incident, IncidentCamera
from cctv.outcomes.incidents import NO_CAMERA, incident_measures
from cctv.outcomes.periods import Filters, quarter
from tests.outcomes.conftest import History, z

Q3 = quarter(2025, 3)


def _add(session: Session, history: History, number: int, cameras: list[str]) -> None:
    at = z(2025, 8, 20, 12) + timedelta(minutes=number)
    incident = Incident(occurred_at=at, category="theft", reference=f"WY-2025-9{number:05d}",
                        control_room_id=history.room.id, ref_year=2025, ref_number=90_000 + number,
                        logged_at=at, operator="alice", in_monitored_hours=True, monitored_session=at.date())
    session.add(incident)
    session.flush()
    session.add_all(IncidentCamera(incident_id=incident.id, camera_id=history.cameras[a]) for a in cameras)
    session.commit()


def test_a_covert_only_incident_counts_once_under_no_camera(session: Session, history: History) -> None:
    before = incident_measures(session, Q3)
    _add(session, history, 1, ["AY-COV"])
    _add(session, history, 2, ["AY-COV", "HW-1"])
    after = incident_measures(session, Q3)

    assert after.incidents == before.incidents + 2
    towns = {row.label: row.incidents for row in after.by_town}
    was = {row.label: row.incidents for row in before.by_town}
    assert towns["Aylesbury"] == was["Aylesbury"]  # the covert camera's town gains nothing
    assert towns["High Wycombe"] == was["High Wycombe"] + 1  # the visible camera counts as usual
    assert towns.get(NO_CAMERA, 0) == was.get(NO_CAMERA, 0) + 1  # the covert-only incident, once


def test_a_town_filter_does_not_reach_covert_use(session: Session, history: History) -> None:
    aylesbury = Filters(town="Aylesbury")
    before = incident_measures(session, Q3, aylesbury).incidents
    _add(session, history, 3, ["AY-COV"])
    assert incident_measures(session, Q3, aylesbury).incidents == before
