"""Faults: SLA targets from priority, the camera's status while faults are open, and the computed SLA share and
availability (checked against figures worked out by hand)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from inventory.faults import (
    FaultNotFound,
    availability,
    camera_faults_in,
    fix_fault,
    get_fault,
    list_faults,
    open_fault,
    sla_figures,
)
from inventory.models import Camera, Fault, FaultCreate
from inventory.scope import CameraScope, OutOfScope
from inventory.types import CameraStatus, FaultPriority
from tests.conftest import Estate

EVERYTHING = CameraScope.everything()


def at(day: int, hour: int = 0, month: int = 6) -> datetime:
    """A UTC time in 2025 (June unless told)."""
    return datetime(2025, month, day, hour, tzinfo=UTC)


def report(priority: FaultPriority = FaultPriority.MEDIUM, camera_id: int = 0) -> FaultCreate:
    """What an operator types to open a fault."""
    return FaultCreate(camera_id=camera_id, priority=priority, description="No picture", contractor="Acme CCTV")


def camera(session: Session, camera_id: int) -> Camera:
    """The camera as stored now."""
    found = session.get(Camera, camera_id)
    assert found is not None
    return found


# --- opening and fixing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "hours"),
    [(FaultPriority.CRITICAL, 4), (FaultPriority.HIGH, 24), (FaultPriority.MEDIUM, 72), (FaultPriority.LOW, 168)],
)
def test_the_target_fix_time_comes_from_the_priority(priority: FaultPriority, hours: int) -> None:
    cam = Camera(id=1, asset_id="X", name="X", service_area_id=1, kind="public_space_fixed")

    class Recorder:
        """Just enough of a session to receive the new fault (no database needed)."""

        def __init__(self) -> None:
            self.added: list[object] = []

        def add(self, obj: object) -> None:
            self.added.append(obj)

        def exec(self, _statement: object) -> list[object]:
            return []  # no maintenance contract in force: the configured SLA applies

    recorder = Recorder()
    fault = open_fault(recorder, EVERYTHING, cam, report(priority), actor="op",  # type: ignore[arg-type]
                       now=at(2, 10))
    assert fault in recorder.added
    assert fault.target_fix_by == at(2, 10) + timedelta(hours=hours)
    assert (fault.opened_at, fault.reported_by, fault.camera_id) == (at(2, 10), "op", 1)


def test_a_configured_sla_overrides_the_default(session: Session, estate: Estate) -> None:
    sla = {FaultPriority.CRITICAL: 2, FaultPriority.HIGH: 8, FaultPriority.MEDIUM: 48, FaultPriority.LOW: 240}
    fault = open_fault(session, EVERYTHING, camera(session, estate.town_camera), report(FaultPriority.HIGH),
                       actor="op", now=at(2, 10), sla_hours=sla)
    session.commit()
    stored = session.get(Fault, fault.id)
    assert stored.target_fix_by == at(2, 18)
    assert stored.opened_at == at(2, 10)


def test_a_camera_is_faulty_until_its_last_open_fault_is_fixed(session: Session, estate: Estate) -> None:
    cam = camera(session, estate.town_camera)
    first = open_fault(session, EVERYTHING, cam, report(), actor="op", now=at(2))
    second = open_fault(session, EVERYTHING, cam, report(FaultPriority.HIGH), actor="op", now=at(3))
    session.commit()
    assert camera(session, estate.town_camera).status == CameraStatus.FAULTY
    fix_fault(session, EVERYTHING, first, resolution="Cleaned dome", fixed_at=at(4))
    session.commit()
    session.expire_all()
    assert camera(session, estate.town_camera).status == CameraStatus.FAULTY  # the second is still open
    fix_fault(session, EVERYTHING, session.get(Fault, second.id), resolution="New PSU", fixed_at=at(5))
    session.commit()
    session.expire_all()
    assert camera(session, estate.town_camera).status == CameraStatus.OPERATIONAL
    stored = session.get(Fault, second.id)
    assert (stored.fixed_at, stored.resolution, stored.is_open) == (at(5), "New PSU", False)


def test_a_camera_in_storage_keeps_its_status_through_a_fault(session: Session, estate: Estate) -> None:
    cam = camera(session, estate.car_park_camera)
    cam.status = CameraStatus.IN_STORAGE
    session.add(cam)
    session.commit()
    fault = open_fault(session, EVERYTHING, cam, report(), actor="op", now=at(2))
    session.commit()
    assert camera(session, estate.car_park_camera).status == CameraStatus.IN_STORAGE
    fix_fault(session, EVERYTHING, fault, resolution="Bench repair", fixed_at=at(3))
    session.commit()
    session.expire_all()
    assert camera(session, estate.car_park_camera).status == CameraStatus.IN_STORAGE


def test_a_fault_cannot_be_fixed_before_it_was_opened(session: Session, estate: Estate) -> None:
    fault = open_fault(session, EVERYTHING, camera(session, estate.town_camera), report(), actor="op", now=at(5))
    session.commit()
    with pytest.raises(ValueError, match="before it was opened"):
        fix_fault(session, EVERYTHING, fault, resolution="Typo in the date", fixed_at=at(4))
    # the refused fix leaves nothing behind, even if the caller goes on to commit
    session.commit()
    session.expire_all()
    stored = session.get(Fault, fault.id)
    assert stored.fixed_at is None and stored.resolution == ""
    assert camera(session, estate.town_camera).status == CameraStatus.FAULTY


def test_faults_of_cameras_out_of_scope(session: Session, estate: Estate) -> None:
    on_town = open_fault(session, EVERYTHING, camera(session, estate.town_camera), report(), actor="op", now=at(2))
    on_covert = open_fault(session, EVERYTHING, camera(session, estate.covert_camera), report(), actor="op",
                           now=at(3))
    session.commit()
    manager = CameraScope(include_covert=False, service_area_ids=frozenset({estate.parking}))
    with pytest.raises(OutOfScope):
        open_fault(session, manager, camera(session, estate.town_camera), report(), actor="parking")
    with pytest.raises(OutOfScope):
        fix_fault(session, manager, on_town, resolution="not mine")
    with pytest.raises(FaultNotFound):
        get_fault(session, manager, on_town.id)
    with pytest.raises(FaultNotFound):
        get_fault(session, CameraScope(), on_covert.id)  # covert stays invisible
    assert get_fault(session, EVERYTHING, on_covert.id).id == on_covert.id
    assert [f.id for f in list_faults(session, CameraScope())] == [on_town.id]
    assert [f.id for f in list_faults(session, EVERYTHING)] == [on_covert.id, on_town.id]  # newest first
    assert list_faults(session, manager) == []


def test_list_of_open_faults(session: Session, estate: Estate) -> None:
    cam = camera(session, estate.town_camera)
    fixed = open_fault(session, EVERYTHING, cam, report(), actor="op", now=at(1))
    still_open = open_fault(session, EVERYTHING, cam, report(), actor="op", now=at(2))
    session.flush()
    fix_fault(session, EVERYTHING, fixed, resolution="ok", fixed_at=at(3))
    session.commit()
    assert [f.id for f in list_faults(session, EVERYTHING, open_only=True)] == [still_open.id]
    assert [f.id for f in list_faults(session, EVERYTHING)] == [still_open.id, fixed.id]


# --- SLA performance ------------------------------------------------------------------------------------------


def fault(opened: datetime, target: datetime, fixed: datetime | None) -> Fault:
    """An unsaved fault with its times."""
    return Fault(camera_id=1, description="x", opened_at=opened, target_fix_by=target, fixed_at=fixed)


def test_sla_figures_worked_by_hand() -> None:
    now = at(10, 12)
    faults = [
        fault(at(1, 0), at(1, 4), at(1, 3)),  # fixed within: due, within
        fault(at(1, 0), at(2, 0), at(2, 0)),  # fixed exactly on target: within
        fault(at(1, 0), at(4, 0), at(5, 0)),  # fixed late: due, not within
        fault(at(9, 0), at(16, 0), None),  # open, target not yet reached: not due
        fault(at(10, 0), at(10, 4), None),  # open and past target: due, not within
    ]
    figures = sla_figures(faults, now)
    assert (figures.faults, figures.open, figures.due, figures.fixed_within_sla) == (5, 2, 4, 2)
    assert figures.share_within_sla == 0.5


def test_no_fault_due_means_no_sla_share() -> None:
    figures = sla_figures([fault(at(9), at(16), None)], at(10))
    assert (figures.faults, figures.open, figures.due) == (1, 1, 0)
    assert figures.share_within_sla is None
    assert sla_figures([], at(10)).share_within_sla is None


def test_within_sla_for_one_fault() -> None:
    assert fault(at(1), at(2), at(2)).within_sla(at(9))
    assert not fault(at(1), at(2), at(3)).within_sla(at(9))
    assert fault(at(1), at(2), None).within_sla(at(1, 12))
    assert not fault(at(1), at(2), None).within_sla(at(2, 1))


# --- availability ---------------------------------------------------------------------------------------------

PERIOD = (at(1), at(11))  # ten days: 240 hours

# (opened, fixed) — down time inside the period, by hand:
#   straddles the start: 31 May 12:00 – 1 Jun 12:00 -> 12 h
#   two overlapping:     3 Jun 00:00 – 4 Jun 00:00 and 3 Jun 12:00 – 5 Jun 00:00 -> 48 h once
#   one inside another:  6 Jun 00:00 – 8 Jun 00:00 holding 7 Jun 00:00 – 7 Jun 06:00 -> 48 h
#   still open at end:   10 Jun 00:00 – (open) -> 24 h
#   outside the period:  20–21 May; fixed exactly at the start; opened exactly at the end; 12 Jun -> 0 h
# 132 h down of 240 h: available 108/240 = 0.45
DOWN_TIMES = [
    (at(31, 12, month=5), at(1, 12)),
    (at(3), at(4)),
    (at(3, 12), at(5)),
    (at(6), at(8)),
    (at(7), at(7, 6)),
    (at(10), None),
    (at(20, month=5), at(21, month=5)),
    (at(31, month=5), at(1)),
    (at(11), at(11, 5)),
    (at(12), None),
]


def test_availability_worked_by_hand() -> None:
    faults = [fault(opened, opened + timedelta(hours=4), fixed) for opened, fixed in DOWN_TIMES]
    assert availability(faults, *PERIOD) == pytest.approx(108 / 240)


def test_availability_edge_cases() -> None:
    assert availability([], *PERIOD) == 1.0
    assert availability([fault(at(1, month=5), at(2, month=5), None)], *PERIOD) == 0.0  # open all period
    assert availability([fault(at(6), at(7), at(6))], *PERIOD) == 1.0  # opened and fixed at once
    # one fault counted twice (same times) is still 24 h
    same = [fault(at(2), at(3), at(3)), fault(at(2), at(3), at(3))]
    assert availability(same, *PERIOD) == pytest.approx(216 / 240)
    # two faults that touch end to start: 2 Jun – 3 Jun and 3 Jun – 4 Jun = 48 h
    touching = [fault(at(3), at(4), at(4)), fault(at(2), at(3), at(3))]
    assert availability(touching, *PERIOD) == pytest.approx(192 / 240)
    with pytest.raises(ValueError):
        availability([], at(5), at(5))


def test_availability_of_a_stored_cameras_faults(session: Session, estate: Estate) -> None:
    for opened, fixed in DOWN_TIMES:
        session.add(Fault(camera_id=estate.town_camera, description="x", opened_at=opened,
                          target_fix_by=opened + timedelta(hours=4), fixed_at=fixed))
    session.add(Fault(camera_id=estate.car_park_camera, description="another camera", opened_at=at(1),
                      target_fix_by=at(2), fixed_at=None))
    session.commit()
    overlapping = camera_faults_in(session, estate.town_camera, *PERIOD)
    # the four outside the period are not fetched
    assert sorted(f.opened_at for f in overlapping) == sorted(o for o, _ in DOWN_TIMES[:6])
    assert availability(overlapping, *PERIOD) == pytest.approx(0.45)
    assert all(f.opened_at.tzinfo is not None for f in session.exec(select(Fault)))
