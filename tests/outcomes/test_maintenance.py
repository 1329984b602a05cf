"""The maintenance contract: faults opened and fixed, the share fixed within SLA, availability per camera and overall.

March 2025 in London runs from 2025-03-01T00:00Z to 2025-03-31T23:00Z (the clocks go forward on 30 March):
743 hours. SLA targets: critical 4 h, high 24 h, medium 72 h, low 168 h. Worked by hand ("now" is 1 June 2025):

CS-001 (High Wycombe)
  A1 high, opened 28 Feb 20:00, fixed 1 Mar 10:00 (within)      down 10 h in March; fixed in March, opened before
  A2 medium, opened 10 Mar 00:00, fixed 14 Mar 00:00 (late)     down 96 h
  A3 critical, opened 12 Mar 00:00, fixed 02:00 (within)        inside A2's outage: no more downtime
  A4 low, opened 31 Mar 22:00 (23:00 BST), fixed 2 Apr (within) down 1 h; open at the end of March
  A5 medium, opened 31 Mar 23:00 (00:00 BST on 1 April)          April's, not March's
  down 107 h: availability 636/743
CS-002 (High Wycombe), no fault: availability 1
CS-OLD (Marlow, decommissioned since) F1 medium, opened 5 Mar, fixed 6 Mar (within): down 24 h, 719/743
CS-STORE (in storage, no fault) and CS-GONE (decommissioned, no fault): not in service, not listed
PARK-001 (Aylesbury) B1 high, opened 20 Mar 00:00, still open (late): down 287 h, 456/743
  B2 low, 25–26 Feb: nothing to do with March
PARK-COV-1 (covert) C1 critical, 5 Mar 00:00–01:00 (within): left out unless covert is included

Opened in March: A2, A3, A4, B1, F1 (5); fixed in March: A1, A2, A3, F1 (4); open at the end: A4, B1 (2).
SLA of the five opened: all due (B1 is past its target), fixed within: A3, A4, F1 → 3/5.
Mean hours to fix of those fixed in March: (14 + 96 + 2 + 24) / 4 = 34.
Overall availability: (636 + 743 + 719 + 456) / (4 × 743) = 2554/2972.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from cctv.outcomes.maintenance import maintenance
from cctv.outcomes.periods import Filters, month
from inventory.models import Camera, Fault, ServiceArea
from inventory.types import DEFAULT_SLA_HOURS, CameraKind, CameraStatus, FaultPriority

NOW = datetime(2025, 6, 1, tzinfo=UTC)
MARCH = month(2025, 3)
HOURS = 743


def at(month_: int, day: int, hour: int = 0) -> datetime:
    return datetime(2025, month_, day, hour, tzinfo=UTC)


@pytest.fixture
def faults(session: Session) -> dict[str, int]:
    cs = ServiceArea(code="CS", name="Community Safety")
    park = ServiceArea(code="PARK", name="Parking Services")
    session.add_all([cs, park])
    session.flush()

    def camera(asset_id: str, area: ServiceArea, town: str, kind: CameraKind = CameraKind.PUBLIC_SPACE_FIXED,
               status: CameraStatus = CameraStatus.OPERATIONAL) -> Camera:
        row = Camera(asset_id=asset_id, name=f"Camera {asset_id}", service_area_id=area.id, kind=kind,
                     status=status, town=town)
        session.add(row)
        session.flush()
        return row

    a = camera("CS-001", cs, "High Wycombe")
    camera("CS-002", cs, "High Wycombe")
    f = camera("CS-OLD", cs, "Marlow", status=CameraStatus.DECOMMISSIONED)
    camera("CS-STORE", cs, "Marlow", kind=CameraKind.DEPLOYABLE, status=CameraStatus.IN_STORAGE)
    camera("CS-GONE", cs, "Marlow", status=CameraStatus.DECOMMISSIONED)
    b = camera("PARK-001", park, "Aylesbury", kind=CameraKind.CAR_PARK, status=CameraStatus.FAULTY)
    c = camera("PARK-COV-1", park, "Wendover", kind=CameraKind.COVERT)

    def fault(cam: Camera, priority: FaultPriority, opened: datetime, fixed: datetime | None) -> None:
        session.add(Fault(camera_id=cam.id, priority=priority, description="No picture", opened_at=opened,
                          target_fix_by=opened + timedelta(hours=DEFAULT_SLA_HOURS[priority]), fixed_at=fixed))

    fault(a, FaultPriority.HIGH, at(2, 28, 20), at(3, 1, 10))
    fault(a, FaultPriority.MEDIUM, at(3, 10), at(3, 14))
    fault(a, FaultPriority.CRITICAL, at(3, 12), at(3, 12, 2))
    fault(a, FaultPriority.LOW, at(3, 31, 22), at(4, 2))
    fault(a, FaultPriority.MEDIUM, at(3, 31, 23), at(4, 1, 10))
    fault(f, FaultPriority.MEDIUM, at(3, 5), at(3, 6))
    fault(b, FaultPriority.HIGH, at(3, 20), None)
    fault(b, FaultPriority.LOW, at(2, 25), at(2, 26))
    fault(c, FaultPriority.CRITICAL, at(3, 5), at(3, 5, 1))
    session.commit()
    return {"cs": cs.id, "park": park.id}


def test_faults_opened_fixed_and_open_at_the_end(session: Session, faults: dict[str, int]) -> None:
    m = maintenance(session, MARCH, now=NOW)
    assert (m.start, m.end) == (at(3, 1), at(3, 31, 23))
    assert (m.faults_opened, m.faults_fixed, m.open_at_end) == (5, 4, 2)
    assert m.mean_hours_to_fix == pytest.approx(34.0)


def test_share_fixed_within_sla(session: Session, faults: dict[str, int]) -> None:
    m = maintenance(session, MARCH, now=NOW)
    assert (m.sla.faults, m.sla.open, m.sla.due, m.sla.fixed_within_sla) == (5, 1, 5, 3)
    assert m.share_within_sla == pytest.approx(0.6)
    assert [(line.priority, line.sla.due, line.sla.fixed_within_sla) for line in m.by_priority] == [
        (FaultPriority.CRITICAL, 1, 1), (FaultPriority.HIGH, 1, 0), (FaultPriority.MEDIUM, 2, 1),
        (FaultPriority.LOW, 1, 1),
    ]


def test_availability_per_camera_and_overall(session: Session, faults: dict[str, int]) -> None:
    m = maintenance(session, MARCH, now=NOW)
    assert [(c.asset_id, c.faults) for c in m.cameras] == [
        ("CS-001", 4), ("CS-002", 0), ("CS-OLD", 1), ("PARK-001", 1),  # CS-001: A1 (from February), A2, A3, A4
    ]
    shares = {c.asset_id: c.availability for c in m.cameras}
    assert shares == pytest.approx({"CS-001": 636 / HOURS, "CS-002": 1.0, "CS-OLD": 719 / HOURS,
                                    "PARK-001": 456 / HOURS})
    assert [c.downtime_hours for c in m.cameras] == pytest.approx([107, 0, 24, 287])
    assert m.availability == pytest.approx(2554 / 2972)
    assert [c.asset_id for c in m.worst] == ["PARK-001", "CS-001", "CS-OLD"]
    assert m.cameras[3].service_area == "Parking Services"


def test_filters_by_town_and_service_area(session: Session, faults: dict[str, int]) -> None:
    wycombe = maintenance(session, MARCH, Filters(town="High Wycombe"), now=NOW)
    assert [c.asset_id for c in wycombe.cameras] == ["CS-001", "CS-002"]
    assert (wycombe.faults_opened, wycombe.faults_fixed, wycombe.open_at_end) == (3, 3, 1)
    assert wycombe.availability == pytest.approx((636 + 743) / (2 * HOURS))
    parking = maintenance(session, MARCH, Filters(service_area_id=faults["park"]), now=NOW)
    assert [c.asset_id for c in parking.cameras] == ["PARK-001"]
    assert (parking.faults_opened, parking.sla.fixed_within_sla) == (1, 0)


def test_covert_cameras_only_when_asked(session: Session, faults: dict[str, int]) -> None:
    m = maintenance(session, MARCH, now=NOW, include_covert=True)
    assert [c.asset_id for c in m.cameras][-1] == "PARK-COV-1"
    assert m.cameras[-1].availability == pytest.approx(742 / HOURS)
    assert (m.faults_opened, m.faults_fixed, m.sla.fixed_within_sla) == (6, 5, 4)


def test_a_period_still_running_is_measured_up_to_now(session: Session, faults: dict[str, int]) -> None:
    m = maintenance(session, MARCH, now=at(3, 16))
    assert m.end == at(3, 16)  # 360 hours
    shares = {c.asset_id: c.availability for c in m.cameras}
    # CS-001: 10 h (A1) + 96 h (A2); PARK-001's fault has not happened yet.
    assert shares == pytest.approx({"CS-001": 254 / 360, "CS-002": 1.0, "CS-OLD": 336 / 360, "PARK-001": 1.0})
    # Opened so far: A2, A3, F1; fixed so far: A1, A2, A3, F1; nothing open on the 16th.
    assert (m.faults_opened, m.faults_fixed, m.open_at_end) == (3, 4, 0)


def test_a_period_not_yet_started_has_no_availability(session: Session, faults: dict[str, int]) -> None:
    m = maintenance(session, month(2025, 7), now=NOW)
    assert m.availability is None and m.cameras == () and m.worst == ()
    assert (m.faults_opened, m.faults_fixed) == (0, 0)
    assert m.share_within_sla is None
