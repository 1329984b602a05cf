"""Incident measures on the known history (tests/outcomes/conftest.py): totals, evidence, every breakdown, the
London-time period boundaries and the filters, each figure worked out by hand."""

import pytest
from sqlmodel import Session, select

from cctv.controlroom.models import IncidentCategory
from cctv.outcomes.incidents import NO_CAMERA, BreakdownRow, incident_measures
from cctv.outcomes.links import camera_links
from cctv.outcomes.periods import Filters, parse_period
from tests.outcomes.conftest import AY, HW, History

Q3 = parse_period("2025Q3")


def rows(breakdown: tuple[BreakdownRow, ...]) -> list[tuple[object, str, int, int]]:
    return [(r.key, r.label, r.incidents, r.arrests) for r in breakdown]


def test_the_quarters_totals(session: Session, history: History) -> None:
    m = incident_measures(session, Q3)
    # I1 (00:30 BST on 1 July, so Q3 not Q2), I2, I3, I4, I5 (23:59 BST on 30 Sep), I9; not I0 or I6.
    assert m.incidents == 6
    assert m.arrests == 2 + 0 + 1 + 0 + 3 + 0
    assert m.incidents_with_arrest == 3  # I1, I3, I5
    assert (m.inside_monitored, m.outside_monitored) == (4, 2)  # outside: I1, I5
    assert m.evidence_produced == 4  # E1, E3, E4, E6 (E6's incident was in Q2); E2 is 00:30 BST on 1 Oct; E5 unproduced
    assert m.evidence_later_used == 2  # E1 charged, E4 caution
    assert m.totals() == {"incidents": 6, "arrests": 6, "incidents_with_arrest": 3, "evidence_produced": 4,
                          "evidence_later_used": 2, "inside_monitored": 4, "outside_monitored": 2}
    assert m.period == Q3 and m.filters == Filters()


def test_the_quarters_breakdowns(session: Session, history: History) -> None:
    m = incident_measures(session, Q3)
    assert rows(m.by_category) == [
        ("violence", "Violence", 3, 3),  # I1, I3, I9
        ("theft", "Theft", 2, 3),  # I2, I5
        ("asb", "Anti-social behaviour", 1, 0),  # I4
    ]
    # I1 and I3 have cameras in both towns: once in each town, once in the total.
    assert rows(m.by_town) == [
        (HW, HW, 4, 6),  # I1, I3, I5, I9
        (AY, AY, 3, 3),  # I1, I2, I3
        (None, NO_CAMERA, 1, 0),  # I4
    ]
    cs, park = history.areas["CS"], history.areas["PARK"]
    assert rows(m.by_service_area) == [
        (cs, "Community Safety", 4, 6),  # I1 (two CS cameras, counted once), I3, I5, I9
        (park, "Parking", 2, 1),  # I2, I3
        (None, NO_CAMERA, 1, 0),
    ]
    assert rows(m.by_month) == [("2025-07", "Jul 2025", 4, 3), ("2025-08", "Aug 2025", 1, 0),
                                ("2025-09", "Sep 2025", 1, 3)]


def test_the_previous_quarter(session: Session, history: History) -> None:
    m = incident_measures(session, Q3.previous())
    # I0 at 23:59 BST on 30 June is Q2; I8 in April.
    assert m.totals() == {"incidents": 2, "arrests": 1, "incidents_with_arrest": 1, "evidence_produced": 0,
                          "evidence_later_used": 0, "inside_monitored": 1, "outside_monitored": 1}
    assert rows(m.by_month) == [("2025-04", "Apr 2025", 1, 0), ("2025-05", "May 2025", 0, 0),
                                ("2025-06", "Jun 2025", 1, 1)]


def test_the_winter_quarter_is_counted_in_gmt(session: Session, history: History) -> None:
    m = incident_measures(session, parse_period("2025Q4"))
    # I6 at 00:00 BST on 1 October; both 01:30s of 26 October; I7 at 23:30 GMT on 31 December (still 2025).
    assert m.incidents == 4
    assert rows(m.by_month) == [("2025-10", "Oct 2025", 3, 0), ("2025-11", "Nov 2025", 0, 0),
                                ("2025-12", "Dec 2025", 1, 1)]
    assert (m.evidence_produced, m.evidence_later_used) == (1, 1)  # E2, produced 00:30 BST on 1 October
    assert incident_measures(session, parse_period("2026Q1")).incidents == 0
    assert incident_measures(session, parse_period("2025")).incidents == 14  # all but I14 (December 2024)
    assert incident_measures(session, parse_period("2025-12-31..2025-12-31")).incidents == 1  # I7


def test_month_and_custom_periods(session: Session, history: History) -> None:
    july = incident_measures(session, parse_period("2025-07"))
    assert (july.incidents, july.arrests) == (4, 3)  # I1, I2, I3, I9
    june = incident_measures(session, parse_period("2025-06"))
    assert (june.incidents, june.arrests) == (1, 1)  # I0 only: I1 is July in London
    spring = incident_measures(session, parse_period("2025-03-30..2025-03-30"))  # the clocks go forward
    assert spring.incidents == 2  # I12 (00:30 GMT) and I13 (02:30 BST)
    assert rows(spring.by_month) == [("2025-03", "Mar 2025", 2, 0)]


def test_a_town_filter_counts_incidents_with_a_camera_in_the_town(session: Session, history: History) -> None:
    m = incident_measures(session, Q3, Filters(town=HW))
    assert m.totals() == {
        "incidents": 4,  # I1, I3, I5, I9
        "arrests": 6, "incidents_with_arrest": 3,
        "evidence_produced": 2,  # E1 (asked HW-1), E3 (its incident used HW-1); not E4, E6 (Aylesbury cameras)
        "evidence_later_used": 1,  # E1
        "inside_monitored": 2, "outside_monitored": 2,
    }
    assert rows(m.by_town) == [(HW, HW, 4, 6)]  # only the cameras inside the filter give rows; no "(no camera)"
    assert rows(m.by_service_area) == [(history.areas["CS"], "Community Safety", 4, 6)]
    assert rows(m.by_category) == [("violence", "Violence", 3, 3), ("theft", "Theft", 1, 3)]


def test_a_service_area_filter(session: Session, history: History) -> None:
    m = incident_measures(session, Q3, Filters(service_area_id=history.areas["PARK"]))
    assert m.totals() == {
        "incidents": 2, "arrests": 1, "incidents_with_arrest": 1,  # I2, I3 (AY-P1)
        "evidence_produced": 2,  # E3 (through I3), E4
        "evidence_later_used": 1,  # E4 caution
        "inside_monitored": 2, "outside_monitored": 0,
    }
    assert rows(m.by_town) == [(AY, AY, 2, 1)]


def test_town_and_service_area_together(session: Session, history: History) -> None:
    m = incident_measures(session, Q3, Filters(town=AY, service_area_id=history.areas["CS"]))
    assert (m.incidents, m.arrests) == (1, 2)  # I1 through AY-1
    assert (m.evidence_produced, m.evidence_later_used) == (2, 1)  # E1 (through I1's AY-1), E6 (asked AY-1)
    assert incident_measures(session, Q3, Filters(town="Marlow")).totals() == dict.fromkeys(
        ("incidents", "arrests", "incidents_with_arrest", "evidence_produced", "evidence_later_used",
         "inside_monitored", "outside_monitored"), 0)


def test_an_empty_database_gives_zeros_and_empty_months(session: Session) -> None:
    m = incident_measures(session, Q3)
    assert m.incidents == m.arrests == m.evidence_produced == 0
    assert m.by_category == m.by_town == m.by_service_area == ()
    assert [r.incidents for r in m.by_month] == [0, 0, 0]


def test_a_retired_or_unknown_category_keeps_its_label(session: Session, history: History) -> None:
    theft = session.exec(select(IncidentCategory).where(IncidentCategory.code == "theft")).one()
    theft.active = False
    session.commit()
    assert rows(incident_measures(session, Q3).by_category)[1] == ("theft", "Theft", 2, 3)


def test_the_links_are_counted_per_camera_whatever_the_filters(session: Session, history: History) -> None:
    # Q3's links: I1 (HW-1, AY-1; 2 arrests), I2 (AY-P1), I3 (HW-1, AY-P1; 1), I4 (no camera), I5 (HW-2; 3), I9 (HW-1).
    c = history.cameras
    expected = {c["HW-1"]: (3, 3), c["AY-1"]: (1, 2), c["AY-P1"]: (2, 1), c["HW-2"]: (1, 3), None: (1, 0)}
    for filters in (Filters(), Filters(town=AY)):
        links = camera_links(session, Q3, filters)
        assert {camera: (n, arrests) for camera, n, arrests in links.per_camera} == expected
        assert links.cameras_used() == {c["HW-1"], c["AY-1"], c["AY-P1"], c["HW-2"]}
    # The town filter narrows the breakdowns only: I1, I2, I3 through AY-1 and AY-P1, each once.
    assert camera_links(session, Q3, Filters(town=AY)).by_town == ((AY, 3, 3),)


def test_links_counted_under_other_filters_are_refused(session: Session, history: History) -> None:
    links = camera_links(session, Q3)  # no filter: the breakdowns would count Aylesbury's incidents too
    with pytest.raises(AssertionError):
        incident_measures(session, Q3, Filters(town=HW), links=links)
