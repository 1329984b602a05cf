"""Camera effectiveness on the known history: per-camera figures and per monitored hour, idle cameras, the trend
against the previous period, and the room's monitored hours across the clock changes (answers by hand)."""

from datetime import date

import pytest
from sqlmodel import Session

from cctv.controlroom.models import DEFAULT_MONITORED_HOURS, Incident, IncidentCamera
from cctv.outcomes.effectiveness import CameraRow, Change, camera_effectiveness, idle_cameras, months_before, trend
from cctv.outcomes.hours_review import monitored_hours_in
from cctv.outcomes.incidents import incident_measures
from cctv.outcomes.links import camera_links
from cctv.outcomes.periods import Filters, parse_period
from inventory.models import Camera
from inventory.types import CameraKind, CameraStatus
from tests.outcomes.conftest import AY, HW, History, z

Q3 = parse_period("2025Q3")
Q3_HOURS = 13 * 115 + 15  # 92 days from Tuesday 1 July: 13 weeks of 115 hours and one more Tuesday


def figures(row: CameraRow) -> tuple[str, int, int, int, int]:
    return row.asset_id, row.incidents, row.arrests, row.evidence_produced, row.evidence_used


def test_each_public_space_camera_with_its_figures(session: Session, history: History) -> None:
    rows = camera_effectiveness(session, Q3)
    assert [figures(r) for r in rows] == [
        ("HW-1", 3, 3, 2, 1),  # I1, I3, I9; E1 (asked, and through I1: once), E3 (through I3); E1 charged
        ("AY-P1", 2, 1, 2, 1),  # I2, I3; E3 (through I3), E4 (asked and through I2: once); E4 caution
        ("HW-2", 1, 3, 0, 0),  # I5; E5 was never produced
        ("AY-1", 1, 2, 2, 1),  # I1; E1 (through I1), E6 (asked, and through I0 of Q2: once)
        ("AY-2", 0, 0, 0, 0),
        ("AY-P2", 0, 0, 0, 0),
        ("HW-NEW", 0, 0, 0, 0),
    ]  # not the covert AY-COV, nor the decommissioned HW-P1 with nothing in the quarter
    first = rows[0]
    assert (first.kind, first.status, first.town, first.service_area, first.name) == (
        CameraKind.PUBLIC_SPACE_FIXED, CameraStatus.OPERATIONAL, HW, "Community Safety", "Camera HW-1")
    assert first.camera_id == history.cameras["HW-1"]
    assert first.monitored_hours == Q3_HOURS == 1510
    assert first.incidents_per_monitored_hour == round(3 / 1510, 4) == 0.002
    assert first.evidence_per_monitored_hour == round(2 / 1510, 4) == 0.0013
    assert rows[2].arrests_per_monitored_hour == round(3 / 1510, 4)
    assert rows[-1].incidents_per_monitored_hour == 0.0


def test_weekly_hours_given_instead_of_the_rooms(session: Session, history: History) -> None:
    rows = camera_effectiveness(session, Q3, monitored_hours_per_week=115)
    assert rows[0].monitored_hours == round(115 * 92 / 7, 2) == 1511.43
    assert rows[0].incidents_per_monitored_hour == round(3 / (115 * 92 / 7), 4)
    none = camera_effectiveness(session, Q3, monitored_hours_per_week=0)
    assert none[0].incidents_per_monitored_hour is None


def test_filters_narrow_the_cameras(session: Session, history: History) -> None:
    aylesbury = camera_effectiveness(session, Q3, Filters(town=AY))
    assert [figures(r) for r in aylesbury] == [
        ("AY-P1", 2, 1, 2, 1), ("AY-1", 1, 2, 2, 1), ("AY-2", 0, 0, 0, 0), ("AY-P2", 0, 0, 0, 0)]
    parking = camera_effectiveness(session, Q3, Filters(service_area_id=history.areas["PARK"]))
    assert [r.asset_id for r in parking] == ["AY-P1", "AY-P2"]


def test_a_decommissioned_camera_keeps_its_figures_for_the_period(session: Session, history: History) -> None:
    session.add(IncidentCamera(incident_id=history.incidents["I9"], camera_id=history.cameras["HW-P1"]))
    session.commit()
    rows = {r.asset_id: r for r in camera_effectiveness(session, Q3)}
    assert figures(rows["HW-P1"]) == ("HW-P1", 1, 0, 0, 0)
    assert rows["HW-P1"].status == CameraStatus.DECOMMISSIONED
    assert "HW-P1" not in {r.asset_id for r in camera_effectiveness(session, parse_period("2025Q2"))}


def asset_ids(idle: list[tuple[Camera, object]]) -> list[str]:
    return [c.asset_id for c, _ in idle]


def test_idle_cameras_have_had_nothing_for_twelve_months(session: Session, history: History) -> None:
    # Since 15 January 2025: AY-2 (never used) and AY-P2 (last used 1 December 2024, I14). HW-NEW was installed
    # inside the window; AY-COV is covert; HW-P1 is decommissioned; the rest had incidents.
    idle = idle_cameras(session, date(2026, 1, 15))
    assert [(c.asset_id, last) for c, last in idle] == [("AY-2", None), ("AY-P2", z(2024, 12, 1, 12))]
    assert all(isinstance(c, Camera) for c, _ in idle)
    # Fourteen months back reaches 15 November 2024, and AY-P2's incident of 1 December.
    assert asset_ids(idle_cameras(session, date(2026, 1, 15), months=14)) == ["AY-2"]
    # A faulty camera is being fixed, not reviewed.
    session.get(Camera, history.cameras["AY-2"]).status = CameraStatus.FAULTY
    session.commit()
    assert asset_ids(idle_cameras(session, date(2026, 1, 15))) == ["AY-P2"]


def test_cameras_known_to_be_used_give_the_same_idle_cameras(session: Session, history: History) -> None:
    # The dashboard passes the cameras used in its period (Q3 2025, inside the window) to skip reading the window.
    used = camera_links(session, Q3).cameras_used()
    assert {history.cameras[a] for a in ("HW-1", "AY-P1")} <= used
    for day, months in ((date(2026, 1, 15), 12), (date(2026, 1, 15), 14), (date(2025, 12, 2), 12)):
        assert idle_cameras(session, day, months, used=used) == idle_cameras(session, day, months)
    # Knowing none, every camera's latest incident decides: AY-1 (last used I11, in Q4) and the rest drop out.
    assert asset_ids(idle_cameras(session, date(2026, 1, 15), used=set())) == ["AY-2", "AY-P2"]


def test_idle_window_boundary_is_london_midnight(session: Session, history: History) -> None:
    # AY-P2's only incident: 12:00 on 1 December 2024. Twelve months before 1 December 2025 starts that very day.
    assert "AY-P2" not in asset_ids(idle_cameras(session, date(2025, 12, 1)))
    assert "AY-P2" in asset_ids(idle_cameras(session, date(2025, 12, 2)))


def test_months_before_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_before(date(2025, 1, 31), 2) == date(2024, 11, 30)


def test_trend_against_the_previous_quarter(session: Session, history: History) -> None:
    now, before = incident_measures(session, Q3), incident_measures(session, Q3.previous())
    changes = trend(now, before)
    assert list(changes) == ["incidents", "arrests", "incidents_with_arrest", "evidence_produced",
                             "evidence_later_used", "inside_monitored", "outside_monitored"]
    assert changes["incidents"] == Change("Incidents", 6, 2, 4, 200.0)
    assert changes["arrests"] == Change("Arrests", 6, 1, 5, 500.0)
    assert changes["evidence_produced"].percent is None  # nothing the quarter before
    assert changes["inside_monitored"] == Change("Incidents inside monitored hours", 4, 1, 3, 300.0)
    down = trend(before, now)
    assert down["incidents"] == Change("Incidents", 2, 6, -4, -66.7)
    assert trend({"incidents": 3}, {"incidents": 3})["incidents"].percent == 0.0


@pytest.mark.parametrize(
    ("period", "hours"),
    [
        ("2025Q3", 1510),
        # 12 weeks to 25 March, then Wed 15, Thu 15, Fri 20, Sat 08:00 GMT to Sun 04:00 BST 19, Sun 15, Mon 15.
        ("2025Q1", 12 * 115 + 15 + 15 + 20 + 19 + 15 + 15),
        # 13 weeks from Wednesday 1 October, Saturday 25 October's night 21 hours, and Wednesday 31 December.
        ("2025Q4", 13 * 115 + 1 + 15),
        ("2025-10-25..2025-10-25", 21),
        ("2025-03-29..2025-03-29", 19),
    ],
)
def test_monitored_hours_are_real_hours_across_the_clock_changes(period: str, hours: int) -> None:
    assert monitored_hours_in(parse_period(period), DEFAULT_MONITORED_HOURS) == hours


def test_monitored_hours_follow_the_rooms_own_hours(session: Session, history: History) -> None:
    history.room.monitored_hours_json = '{"0": ["09:00", "17:00"]}'  # Mondays only, 8 hours
    session.add(history.room)
    session.commit()
    rows = camera_effectiveness(session, Q3)
    assert rows[0].monitored_hours == 13 * 8  # thirteen Mondays from 7 July to 29 September
    assert session.get(Incident, history.incidents["I1"]).in_monitored_hours is False
