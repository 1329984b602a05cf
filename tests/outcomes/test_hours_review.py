"""The hours review on the known history: incidents by London weekday and hour, each cell against the room's
monitored hours, across both clock changes (answers worked out by hand)."""

from sqlmodel import Session

from cctv.controlroom.models import ControlRoom
from cctv.outcomes.hours_review import HoursGrid, hours_review
from cctv.outcomes.periods import Filters, parse_period
from tests.outcomes.conftest import HW, History

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def busy(grid: HoursGrid) -> dict[tuple[int, int], tuple[int, int]]:
    """(weekday, hour) → (incidents, arrests) of the cells with anything in them."""
    return {(c.weekday, c.hour): (c.incidents, c.arrests) for c in grid.cells if c.incidents}


def test_the_summer_quarter_by_hour_of_week(session: Session, history: History) -> None:
    grid = hours_review(session, parse_period("2025Q3"))
    assert busy(grid) == {
        (TUE, 0): (1, 2),  # I1: 00:30 BST on Tuesday 1 July
        (FRI, 23): (1, 0),  # I2
        (SAT, 2): (1, 1),  # I3: 02:30 on Saturday, inside Friday's session
        (TUE, 11): (1, 0),  # I4
        (TUE, 23): (1, 3),  # I5: 23:59 BST on Tuesday 30 September
        (SUN, 15): (1, 0),  # I9
    }
    assert [grid.cell(*k).monitored for k in [(TUE, 0), (FRI, 23), (SAT, 2), (TUE, 11), (TUE, 23), (SUN, 15)]] == [
        False, True, True, True, False, True]
    assert (grid.inside, grid.outside, grid.total) == (4, 2, 6)
    # The busiest unmonitored hours: one incident each, more arrests first.
    assert [(c.weekday, c.hour, c.label) for c in grid.busiest_unmonitored] == [
        (TUE, 23, "Tuesday 23:00–00:00"), (TUE, 0, "Tuesday 00:00–01:00")]


def test_the_grid_follows_the_rooms_hours(session: Session, history: History) -> None:
    grid = hours_review(session, parse_period("2025Q3"))
    assert len(grid.cells) == 168 and [len(r) for r in grid.rows()] == [24] * 7
    assert [(c.weekday, c.hour) for c in grid.cells[:2]] == [(MON, 0), (MON, 1)]
    assert sum(c.monitored for c in grid.cells) == 5 * 15 + 2 * 20  # 115 hours a week
    flags = {(d, h): grid.cell(d, h).monitored for d in range(7) for h in range(24)}
    assert flags[(MON, 7)] is False and flags[(MON, 8)] is True and flags[(MON, 22)] is True
    assert flags[(MON, 23)] is False
    assert flags[(SAT, 3)] is True and flags[(SAT, 4)] is False  # Friday's session ends at 04:00 on Saturday
    assert flags[(SUN, 3)] is True and flags[(MON, 3)] is False  # Saturday's runs into Sunday; Sunday's does not
    assert grid.monitored_hours[4] == (FRI, "08:00", "04:00")


def test_clocks_going_back_and_midnight_in_gmt(session: Session, history: History) -> None:
    grid = hours_review(session, parse_period("2025Q4"))
    assert busy(grid) == {
        (WED, 0): (1, 0),  # I6: 00:00 BST on Wednesday 1 October
        (SUN, 1): (2, 0),  # I10 at 01:30 BST and I11 at 01:30 GMT, the same wall-clock hour twice
        (WED, 23): (1, 1),  # I7: 23:30 GMT on Wednesday 31 December
    }
    assert (grid.inside, grid.outside) == (2, 2)
    assert [(c.weekday, c.hour) for c in grid.busiest_unmonitored] == [(WED, 23), (WED, 0)]


def test_clocks_going_forward(session: Session, history: History) -> None:
    grid = hours_review(session, parse_period("2025Q1"))
    assert busy(grid) == {(SUN, 0): (1, 0), (SUN, 2): (1, 0)}  # I12 00:30 GMT, I13 02:30 BST
    assert grid.busiest_unmonitored == ()


def test_filters_and_another_rooms_hours(session: Session, history: History) -> None:
    grid = hours_review(session, parse_period("2025Q3"), Filters(town=HW))
    assert busy(grid) == {(TUE, 0): (1, 2), (SAT, 2): (1, 1), (TUE, 23): (1, 3), (SUN, 15): (1, 0)}
    assert (grid.inside, grid.outside) == (2, 2)

    daytime = ControlRoom(code="AY", name="Aylesbury", monitored_hours_json='{"1": ["00:00", "12:00"]}')
    session.add(daytime)
    session.commit()
    grid = hours_review(session, parse_period("2025Q3"), room=daytime, top=1)
    assert sum(c.monitored for c in grid.cells) == 12
    assert grid.cell(TUE, 0).monitored and not grid.cell(TUE, 23).monitored
    # The recorded flags stay those of the hours in force when the incidents were logged.
    assert (grid.inside, grid.outside) == (4, 2)
    assert [(c.weekday, c.hour) for c in grid.busiest_unmonitored] == [(TUE, 23)]


def test_no_room_means_the_strategys_hours(session: Session) -> None:
    grid = hours_review(session, parse_period("2025Q3"))
    assert grid.total == 0 and grid.busiest_unmonitored == ()
    assert sum(c.monitored for c in grid.cells) == 115
