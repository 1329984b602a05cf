"""Deployable cameras: every place a camera has been, and incidents within the radius before, during and after.

The history, worked by hand (all times UTC; "today" is 30 June 2025, so the clip is London midnight after it,
2025-06-30T23:00Z, BST):

DEP-1, registered 1 Jan 2025 at the Depot (no point), moved at 12:00 on 1 March to Frogmoor (point P, High
Wycombe) and at 12:00 on 31 March to Desborough Road (point Q, 1.6 km away; no town given, so still High Wycombe).
The Frogmoor deployment lasts exactly 30 days, so its windows are [30 Jan 12:00, 1 Mar 12:00), [1 Mar 12:00,
31 Mar 12:00) and [31 Mar 12:00, 30 Apr 12:00).
DEP-2 never moved: at P since its install date, 1 February (London midnight = 00:00Z), in Marlow.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from sqlmodel import Session

from cctv.controlroom.models import EvidenceCamera, EvidenceRequest, Incident, IncidentCamera
from cctv.controlroom.rooms import ensure_defaults
from cctv.controlroom.types import LaterUse
from cctv.outcomes.deployables import deployment_summary, deployments
from cctv.outcomes.periods import Filters, month, quarter
from inventory.geo import from_bng
from inventory.models import Camera, CameraMove, ServiceArea
from inventory.types import CameraKind

P = (486_500.0, 192_800.0)  # Frogmoor, National Grid metres
Q = (488_000.0, 193_400.0)  # Desborough Road, about 1.6 km from P
TODAY = date(2025, 6, 30)
CLIP = datetime(2025, 6, 30, 23, tzinfo=UTC)  # London midnight after TODAY (BST)
_numbers = count(1)


def at(month_: int, day: int, hour: int = 0, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month_, day, hour, minute, tzinfo=UTC)


def lonlat(point: tuple[float, float], east: float = 0.0) -> tuple[float, float]:
    """WGS84 of a point `east` metres east of a National Grid point."""
    return from_bng(point[0] + east, point[1])


def incident(session: Session, room_id: int, when: datetime, *, near: tuple[float, float] | None = None,
             east: float = 0.0, arrests: int = 0, camera_id: int | None = None) -> Incident:
    """An incident as stored, at `east` metres from `near` (no point when `near` is None)."""
    number = next(_numbers)
    lon, lat = lonlat(near, east) if near else (None, None)
    row = Incident(occurred_at=when, category="asb", longitude=lon, latitude=lat, arrests=arrests,
                   reference=f"T-{number}", control_room_id=room_id, ref_year=2025, ref_number=number,
                   operator="op", monitored_session=when.date())
    session.add(row)
    session.flush()
    if camera_id is not None:
        session.add(IncidentCamera(incident_id=row.id, camera_id=camera_id))
    return row


def evidence(session: Session, camera_id: int, window_start: datetime, *, produced: bool,
             later_use: LaterUse = LaterUse.UNKNOWN) -> None:
    request = EvidenceRequest(requesting_officer="PC 1", window_start=window_start,
                              window_end=window_start + timedelta(hours=1),
                              produced_at=window_start + timedelta(days=1) if produced else None, later_use=later_use)
    session.add(request)
    session.flush()
    session.add(EvidenceCamera(evidence_id=request.id, camera_id=camera_id))


@pytest.fixture
def history(session: Session) -> dict[str, int]:
    room = ensure_defaults(session)
    area = ServiceArea(code="CS", name="Community Safety")
    session.add(area)
    session.flush()
    p_lon, p_lat = lonlat(P)
    q_lon, q_lat = lonlat(Q)
    dep1 = Camera(asset_id="DEP-1", name="Deployable 1", service_area_id=area.id, kind=CameraKind.DEPLOYABLE,
                  location_text="Desborough Road", town="High Wycombe", longitude=q_lon, latitude=q_lat,
                  created_at=at(1, 1))
    dep2 = Camera(asset_id="DEP-2", name="Deployable 2", service_area_id=area.id, kind=CameraKind.DEPLOYABLE,
                  location_text="Frogmoor", town="Marlow", longitude=p_lon, latitude=p_lat,
                  install_date=date(2025, 2, 1), created_at=at(5, 1))
    fixed = Camera(asset_id="FIX-1", name="Fixed", service_area_id=area.id, kind=CameraKind.PUBLIC_SPACE_FIXED,
                   location_text="Frogmoor", town="High Wycombe", longitude=p_lon, latitude=p_lat)
    session.add_all([dep1, dep2, fixed])
    session.flush()
    session.add_all([
        CameraMove(camera_id=dep1.id, moved_at=at(3, 1, 12), from_location_text="Depot", to_location_text="Frogmoor",
                   to_town="High Wycombe", to_longitude=p_lon, to_latitude=p_lat, reason="Rising ASB reports"),
        CameraMove(camera_id=dep1.id, moved_at=at(3, 31, 12), from_location_text="Frogmoor",
                   from_longitude=p_lon, from_latitude=p_lat, to_location_text="Desborough Road",
                   to_longitude=q_lon, to_latitude=q_lat, reason="Displacement"),
    ])
    r = room.id
    assert r is not None
    # Around P: 50 m counts, 150 m does not.
    incident(session, r, at(2, 10), near=P, east=50, arrests=1)  # before
    incident(session, r, at(2, 10), near=P, east=150, arrests=5)  # before, outside the radius
    incident(session, r, at(1, 29, 12), near=P, east=50, arrests=4)  # before the "before" window
    incident(session, r, at(3, 1, 11, 59), near=P, east=50)  # the last minute before
    incident(session, r, at(3, 1, 12), near=P, east=50, arrests=2)  # the first instant of the deployment
    incident(session, r, at(3, 15), near=P, east=50, arrests=1, camera_id=dep1.id)  # during, used the camera
    incident(session, r, at(3, 15), near=P, east=150, arrests=3)  # during, outside the radius
    incident(session, r, at(3, 20), arrests=2, camera_id=dep1.id)  # no point: only the camera's use counts it
    incident(session, r, at(3, 31, 12), near=P, east=50)  # the instant it left: after
    incident(session, r, at(4, 20), near=P, east=50, arrests=1)  # after
    incident(session, r, at(4, 20), near=P, east=150, arrests=1)  # after, outside the radius
    incident(session, r, at(4, 30, 12), near=P, east=50)  # the end of "after" (exclusive)
    # Around Q.
    incident(session, r, at(1, 1, 12), near=Q, east=50)  # before Q's deployment
    incident(session, r, at(4, 5), arrests=0, camera_id=dep1.id)  # the camera used at Q
    incident(session, r, at(6, 30, 22, 30), near=Q, east=50, arrests=1)  # 23:30 BST on 30 June: during
    incident(session, r, at(6, 30, 23, 30), near=Q, east=50, arrests=1)  # 00:30 BST on 1 July: after today
    # Footage from DEP-1.
    evidence(session, dep1.id, at(3, 15, 10), produced=True, later_use=LaterUse.CHARGED)
    evidence(session, dep1.id, at(3, 16, 10), produced=True, later_use=LaterUse.NOT_USED)
    evidence(session, dep1.id, at(3, 17, 10), produced=False)
    evidence(session, dep1.id, at(4, 1, 10), produced=True, later_use=LaterUse.PROSECUTION)
    evidence(session, fixed.id, at(3, 15, 10), produced=True, later_use=LaterUse.CHARGED)  # another camera
    session.commit()
    return {"dep1": dep1.id, "dep2": dep2.id}


def test_every_place_of_each_deployable_in_march(session: Session, history: dict[str, int]) -> None:
    rows = deployments(session, month(2025, 3), today=TODAY)
    assert [(r.asset_id, r.location_text, r.town, r.start, r.end) for r in rows] == [
        ("DEP-1", "Depot", "", at(1, 1), at(3, 1, 12)),
        ("DEP-1", "Frogmoor", "High Wycombe", at(3, 1, 12), at(3, 31, 12)),
        ("DEP-1", "Desborough Road", "High Wycombe", at(3, 31, 12), None),
        ("DEP-2", "Frogmoor", "Marlow", at(2, 1), None),
    ]
    depot, frogmoor, desborough, dep2 = rows
    assert depot.before is depot.during is depot.after is None  # the depot has no point
    assert frogmoor.reason == "Rising ASB reports" and not frogmoor.current
    assert desborough.current and dep2.current and dep2.reason == ""


def test_before_during_and_after_within_the_radius(session: Session, history: dict[str, int]) -> None:
    frogmoor = deployments(session, month(2025, 3), today=TODAY)[1]
    assert frogmoor.before is not None and frogmoor.during is not None and frogmoor.after is not None
    assert (frogmoor.before.start, frogmoor.before.end) == (at(1, 30, 12), at(3, 1, 12))
    assert (frogmoor.before.incidents, frogmoor.before.arrests) == (2, 1)  # 10 Feb (1 arrest), 1 Mar 11:59
    assert (frogmoor.during.incidents, frogmoor.during.arrests) == (2, 3)  # 1 Mar 12:00 (2), 15 Mar (1)
    assert (frogmoor.after.start, frogmoor.after.end) == (at(3, 31, 12), at(4, 30, 12))
    assert (frogmoor.after.incidents, frogmoor.after.arrests) == (2, 1)  # 31 Mar 12:00, 20 Apr (1)
    assert frogmoor.before.days == frogmoor.during.days == frogmoor.after.days == 30
    # The camera's own use: 15 Mar (1 arrest) and the unplaced 20 Mar (2); footage charged, not used, not produced.
    assert (frogmoor.camera_incidents, frogmoor.camera_arrests) == (2, 3)
    assert (frogmoor.evidence_produced, frogmoor.evidence_used) == (2, 1)


def test_a_wider_radius_takes_in_the_150_m_incidents(session: Session, history: dict[str, int]) -> None:
    frogmoor = deployments(session, month(2025, 3), today=TODAY, radius_m=200)[1]
    assert frogmoor.before is not None and frogmoor.during is not None and frogmoor.after is not None
    assert (frogmoor.before.incidents, frogmoor.before.arrests) == (3, 6)
    assert (frogmoor.during.incidents, frogmoor.during.arrests) == (3, 6)
    assert (frogmoor.after.incidents, frogmoor.after.arrests) == (3, 2)


def test_the_current_deployment_runs_to_the_end_of_today(session: Session, history: dict[str, int]) -> None:
    desborough = deployments(session, month(2025, 3), today=TODAY)[2]
    assert desborough.during is not None and desborough.before is not None
    assert desborough.during.end == CLIP and desborough.after is None
    length = CLIP - at(3, 31, 12)  # 91 days 11 hours
    assert desborough.before.start == at(3, 31, 12) - length == datetime(2024, 12, 30, 1, tzinfo=UTC)
    assert (desborough.before.incidents, desborough.during.incidents, desborough.during.arrests) == (1, 1, 1)
    assert (desborough.camera_incidents, desborough.evidence_produced, desborough.evidence_used) == (1, 1, 1)


def test_a_deployable_that_never_moved_is_at_its_place_since_installed(
    session: Session, history: dict[str, int]
) -> None:
    dep2 = deployments(session, month(2025, 3), today=TODAY)[3]
    assert dep2.during is not None and dep2.before is not None and dep2.after is None
    assert (dep2.during.start, dep2.during.end) == (at(2, 1), CLIP)
    # Every 50 m incident around P from 1 Feb to the clip: 10 Feb, 1 Mar 11:59 and 12:00, 15 Mar, 31 Mar, 20 Apr,
    # 30 Apr; arrests 1 + 0 + 2 + 1 + 0 + 1 + 0.
    assert (dep2.during.incidents, dep2.during.arrests) == (7, 5)
    # Before: 149 days 23 hours back from 1 Feb reaches 01:00 on 4 Sep 2024; the 29 Jan incident (4 arrests) is in it.
    assert (dep2.before.incidents, dep2.before.arrests) == (1, 4)
    assert (dep2.camera_incidents, dep2.evidence_produced) == (0, 0)


def test_periods_list_the_deployments_that_overlap_them_in_london_time(
    session: Session, history: dict[str, int]
) -> None:
    def places(period) -> list[tuple[str, str]]:
        return [(r.asset_id, r.location_text) for r in deployments(session, period, today=TODAY)]

    assert places(month(2025, 2)) == [("DEP-1", "Depot"), ("DEP-2", "Frogmoor")]
    assert places(month(2025, 1)) == [("DEP-1", "Depot")]  # DEP-2 was installed on 1 February
    # Q2 starts at 23:00Z on 31 March (00:00 BST): Frogmoor ended at 12:00Z that day, before it.
    assert places(quarter(2025, 2)) == [("DEP-1", "Desborough Road"), ("DEP-2", "Frogmoor")]


def test_distinct_locations_and_filters(session: Session, history: dict[str, int]) -> None:
    rows = deployments(session, month(2025, 3), today=TODAY)
    summary = deployment_summary(rows)
    # Four deployments of two cameras at three places (DEP-2 stands where DEP-1 stood at Frogmoor).
    assert (summary.deployments, summary.cameras, summary.locations) == (4, 2, 3)
    assert (summary.camera_incidents, summary.camera_arrests) == (3, 3)
    assert (summary.evidence_produced, summary.evidence_used) == (3, 2)
    wycombe = deployments(session, month(2025, 3), today=TODAY, filters=Filters(town="High Wycombe"))
    assert [r.location_text for r in wycombe] == ["Frogmoor", "Desborough Road"]
    marlow = deployments(session, month(2025, 3), today=TODAY, filters=Filters(town="Marlow"))
    assert [r.asset_id for r in marlow] == ["DEP-2"]
    assert deployments(session, month(2025, 3), today=TODAY, filters=Filters(service_area_id=999)) == []
