"""A void incident leaves every measure and the Advisory Group pack: on the known history (tests/outcomes/conftest.py),
voiding I3 (violence, 1 arrest, inside monitored hours, cameras HW-1 and AY-P1, 02:30 BST on Saturday 5 July)
takes exactly it out of 2025Q3's figures, worked out by hand."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from cctv.controlroom.incidents import IncidentError, void_incident
from cctv.outcomes.csvs import table_rows
from cctv.outcomes.incidents import incident_measures
from cctv.outcomes.periods import parse_period
from cctv.outcomes.summary import advisory_pack
from tests.outcomes.conftest import AY, HW, History

Q3 = parse_period("2025Q3")
TODAY = date(2025, 10, 15)


def _void_i3(session: Session, history: History) -> None:
    void_incident(session, history.incidents["I3"], actor="supervisor", reason="duplicate of I2",
                  now=datetime(2025, 10, 1, 9, tzinfo=UTC))
    session.commit()


def test_the_quarters_totals_and_breakdowns_leave_the_void_incident(session: Session, history: History) -> None:
    _void_i3(session, history)
    m = incident_measures(session, Q3)
    # I1, I2, I4, I5, I9 (I3 void): arrests 2 + 0 + 0 + 3 + 0; with an arrest I1, I5; outside I1, I5.
    assert m.totals() == {"incidents": 5, "arrests": 5, "incidents_with_arrest": 2, "evidence_produced": 4,
                          "evidence_later_used": 2, "inside_monitored": 3, "outside_monitored": 2}
    by_category = {r.key: (r.incidents, r.arrests) for r in m.by_category}
    assert by_category == {"violence": (2, 2), "theft": (2, 3), "asb": (1, 0)}  # violence: I1, I9
    by_town = {r.key: (r.incidents, r.arrests) for r in m.by_town}
    assert by_town[HW] == (3, 5) and by_town[AY] == (2, 2)  # HW: I1, I5, I9; AY: I1, I2
    assert {r.key: r.incidents for r in m.by_month} == {"2025-07": 3, "2025-08": 1, "2025-09": 1}


def test_the_pack_its_cameras_hours_and_csv_leave_the_void_incident(session: Session, history: History) -> None:
    before = advisory_pack(session, Q3, today=TODAY)
    _void_i3(session, history)
    after = advisory_pack(session, Q3, today=TODAY)
    assert after.incidents.incidents == before.incidents.incidents - 1 == 5
    cameras_before = {r.asset_id: r.incidents for r in before.cameras}
    cameras_after = {r.asset_id: r.incidents for r in after.cameras}
    assert cameras_after["HW-1"] == cameras_before["HW-1"] - 1 == 2  # I1, I9
    assert cameras_after["AY-P1"] == cameras_before["AY-P1"] - 1 == 1  # I2
    assert {k: v for k, v in cameras_after.items() if k not in ("HW-1", "AY-P1")} == \
        {k: v for k, v in cameras_before.items() if k not in ("HW-1", "AY-P1")}
    assert (after.hours.inside, after.hours.outside) == (3, 2)
    # 02:30 BST on a Saturday: the hours grid's Saturday 02:00 cell held I3 alone.
    assert before.hours.cell(5, 2).incidents == 1 and after.hours.cell(5, 2).incidents == 0
    _, rows = table_rows("totals", after)
    assert rows[0][:2] == ["Incidents", "5"] and rows[1][:2] == ["Arrests", "5"]


def test_a_void_needs_a_reason_and_happens_once(session: Session, history: History) -> None:
    with pytest.raises(IncidentError) as no_reason:
        void_incident(session, history.incidents["I3"], actor="supervisor", reason="  ", now=datetime.now(UTC))
    assert "reason" in no_reason.value.problems
    _void_i3(session, history)
    with pytest.raises(IncidentError) as twice:
        void_incident(session, history.incidents["I3"], actor="admin", reason="again", now=datetime.now(UTC))
    assert "already void" in twice.value.problems["reason"]
