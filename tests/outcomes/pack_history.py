"""The known history of tests/outcomes/conftest.py, with what the rest of the pack reads added, worked by hand.

"Today" is Wednesday 15 October 2025 and "now" 12:00 UTC that day, so 2025Q3 is over.

Funding (Q3 is 1 July to 30 September):
    NCIL-1   NCIL          1,000.00  1 Jul 2025   Q3, council      (pays for HW-1)
    S106-1   Section 106   3,000.00  30 Sep 2025  Q3, external
    CAP-0    capital       5,000.00  30 Jun 2025  Q2
    BID-1    private         999.99  1 Oct 2025   Q4
  Q3: council £1,000.00, external £3,000.00, total £4,000.00, 75.0% external.

Faults (targets: critical 4 h, high 24 h, medium 72 h):
    F1  HW-1    high     10 Jul 10:00Z – 10 Jul 20:00Z   within SLA, down 10 h
    F2  AY-P1   medium    1 Aug 00:00Z –  5 Aug 00:00Z   late, down 96 h
    F3  AY-COV  critical 15 Jul 00:00Z – 01:00Z          covert: never in the pack
  Q3 has 92 × 24 = 2,208 hours (no clock change). Opened 2, fixed 2, open at the end 0; SLA 1 of 2 due (50.0%);
  mean time to fix (10 + 96) / 2 = 53.0 h. Cameras measured: the seven working non-covert ones (HW-1, HW-2, AY-1,
  AY-P1, HW-NEW, AY-2, AY-P2); availability HW-1 2198/2208 (99.5%), AY-P1 2112/2208 (95.7%), overall
  (7 × 2208 − 106) / (7 × 2208) = 15350/15456 (99.3%).

Deployable HW-2 moved at 12:00Z on 1 August 2025 to Frogmoor, High Wycombe (point P), its only move, so one
deployment, still current: clipped at the end of today (2025-10-15T23:00Z), 75 days 11 hours, and the "before"
window the same length back. I9 (20 July, 0 arrests) is given a point 50 m east of P: before. I5 (30 September,
3 arrests, used HW-2) is given P itself: during, and HW-2's own use. No footage from HW-2 was produced.

DPIA register: "Town centre" (HW-1, AY-1, HW-2) v1 signed off 10 Jan 2025, review due 10 Jan 2026: current.
"Car parks" (AY-P1, AY-P2, AY-COV) no DPIA, its first review due 1 Sep 2025: overdue. Systems 2, current 1;
reviews open 1, overdue 1. Working cameras with no signed-off DPIA: AY-2, AY-P1, AY-P2, HW-NEW (AY-COV covert; HW-P1
decommissioned). No self-assessment.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from cctv.controlroom.models import Incident
from dpia.models import Dpia, DpiaReview
from dpia.types import DpiaStatus, ReviewReason
from inventory.funding import record_funding
from inventory.geo import from_bng
from inventory.models import Camera, CameraMove, CameraSystem, Fault, FundingCreate
from inventory.scope import CameraScope
from inventory.types import DEFAULT_SLA_HOURS, FaultPriority, FundingSource
from tests.outcomes.conftest import History, build_history

TODAY = date(2025, 10, 15)
NOW = datetime(2025, 10, 15, 12, tzinfo=UTC)
P = (486_500.0, 192_800.0)  # Frogmoor, National Grid metres


def z(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=UTC)


@dataclass
class PackHistory:
    """The known history's ids."""

    history: History
    systems: dict[str, int]


def build_pack_history(session: Session) -> PackHistory:
    """The conftest history plus funding, faults, a deployment and the DPIA register (module notes); committed."""
    history = build_history(session)
    cam = history.cameras
    for reference, source, amount, awarded, cameras in [
        ("NCIL-1", FundingSource.NCIL, "1000.00", date(2025, 7, 1), [cam["HW-1"]]),
        ("S106-1", FundingSource.S106, "3000.00", date(2025, 9, 30), []),
        ("CAP-0", FundingSource.CAPITAL, "5000.00", date(2025, 6, 30), []),
        ("BID-1", FundingSource.EXTERNAL_PRIVATE, "999.99", date(2025, 10, 1), []),
    ]:
        record_funding(session, CameraScope.everything(), FundingCreate(
            reference=reference, source=source, amount=Decimal(amount), awarded_on=awarded,
            description=f"{reference} award", camera_ids=cameras))

    for asset, priority, opened, fixed in [
        ("HW-1", FaultPriority.HIGH, z(7, 10, 10), z(7, 10, 20)),
        ("AY-P1", FaultPriority.MEDIUM, z(8, 1), z(8, 5)),
        ("AY-COV", FaultPriority.CRITICAL, z(7, 15), z(7, 15, 1)),
    ]:
        session.add(Fault(camera_id=cam[asset], priority=priority, description="No picture", opened_at=opened,
                          target_fix_by=opened + timedelta(hours=DEFAULT_SLA_HOURS[priority]), fixed_at=fixed))

    p_lon, p_lat = from_bng(*P)
    near_lon, near_lat = from_bng(P[0] + 50, P[1])
    session.add(CameraMove(camera_id=cam["HW-2"], moved_at=z(8, 1, 12), to_location_text="Frogmoor",
                           to_town="High Wycombe", to_longitude=p_lon, to_latitude=p_lat, reason="Rising ASB"))
    for name, (lon, lat) in (("I5", (p_lon, p_lat)), ("I9", (near_lon, near_lat))):
        incident = session.get(Incident, history.incidents[name])
        assert incident is not None
        incident.longitude, incident.latitude = lon, lat
        session.add(incident)

    systems = {"Town centre": CameraSystem(name="Town centre", service_area_id=history.areas["CS"]),
               "Car parks": CameraSystem(name="Car parks", service_area_id=history.areas["PARK"])}
    session.add_all(systems.values())
    session.flush()
    for system, assets in (("Town centre", ["HW-1", "AY-1", "HW-2"]), ("Car parks", ["AY-P1", "AY-P2", "AY-COV"])):
        for asset in assets:
            camera = session.get(Camera, cam[asset])
            assert camera is not None
            camera.system_id = systems[system].id
            session.add(camera)
    session.add(Dpia(system_id=systems["Town centre"].id, version=1, status=DpiaStatus.SIGNED_OFF,
                     signed_off_at=datetime(2025, 1, 10, 15, tzinfo=UTC), signed_off_by="dpo",
                     next_review_due=date(2026, 1, 10)))
    session.add(DpiaReview(key="first:car-parks", system_id=systems["Car parks"].id, reason=ReviewReason.FIRST,
                           due_on=date(2025, 9, 1)))
    session.commit()
    return PackHistory(history, {name: s.id for name, s in systems.items() if s.id is not None})
