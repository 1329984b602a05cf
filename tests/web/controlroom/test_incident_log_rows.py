"""The rows of the day's log, written in Python: London times on ordinary and clock-change days, escaping, the
session hint and the empty day."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from cctv.controlroom.incident_queries import DayLogRow
from cctv.controlroom.types import FollowUp
from cctv.web.controlroom.incident_forms import FOLLOW_UP_LABELS
from cctv.web.controlroom.incident_log import log_rows


def row(occurred: datetime, session: date, **changes: object) -> DayLogRow:
    values: dict[str, object] = dict(
        id=7, reference="WY-2026-000007", occurred_at=occurred, category="violence", location_text="Frogmoor",
        police_reference="", arrests=0, arrest_offences="", in_monitored_hours=True, monitored_session=session,
        follow_up=FollowUp.OPEN, category_label="Violence & assault",
    )
    values.update(changes)
    return DayLogRow(**values)  # type: ignore[arg-type]


def draw(rows: list[DayLogRow], day: date, cameras: dict[int, str] | None = None) -> str:
    return str(log_rows(rows, day=day, cameras=cameras or {}, follow_up_labels=FOLLOW_UP_LABELS,
                        show_url="/incidents/"))


def times(html: str) -> list[str]:
    return [cell.split("</td>")[0] for cell in html.split("</a></td><td>")[1:]]


def test_times_are_london_wall_clock_in_summer_and_winter() -> None:
    assert times(draw([row(datetime(2026, 6, 6, 12, 5, tzinfo=UTC), date(2026, 6, 6))], date(2026, 6, 6))) == \
        ["13:05"]
    assert times(draw([row(datetime(2026, 1, 9, 23, 59, tzinfo=UTC), date(2026, 1, 9))], date(2026, 1, 9))) == \
        ["23:59"]


def test_times_as_each_database_hands_them_back() -> None:
    """SQLite gives naive UTC; PostgreSQL gives aware times in the connection's zone, which need not be UTC."""
    summer = date(2026, 6, 6)
    naive = row(datetime(2026, 6, 6, 12, 5), summer)
    in_berlin = row(datetime(2026, 6, 6, 14, 5, tzinfo=ZoneInfo("Europe/Berlin")), summer)
    autumn = date(2026, 10, 25)
    naive_on_change_day = row(datetime(2026, 10, 25, 0, 30), autumn)
    assert times(draw([naive, in_berlin], summer)) == ["13:05", "13:05"]
    assert times(draw([naive_on_change_day], autumn)) == ["01:30"]
    assert times(draw([row(datetime(2026, 6, 6, 12, 5), summer, follow_up="closed")], summer)) == ["13:05"]
    assert '<span class="status">Closed</span>' in draw([row(datetime(2026, 6, 6, 12, 5), summer,
                                                             follow_up="closed")], summer)


def test_times_either_side_of_the_clock_changes() -> None:
    spring = date(2026, 3, 29)  # 01:00 GMT becomes 02:00 BST
    drawn = draw([row(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), spring),
                  row(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), spring)], spring)
    assert times(drawn) == ["02:30", "00:30"]
    autumn = date(2026, 10, 25)  # 02:00 BST becomes 01:00 GMT: 01:30 happens twice
    drawn = draw([row(datetime(2026, 10, 25, 1, 30, tzinfo=UTC), autumn),
                  row(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), autumn),
                  row(datetime(2026, 10, 25, 22, 0, tzinfo=UTC), autumn)], autumn)
    assert times(drawn) == ["01:30", "01:30", "22:00"]


def test_every_value_is_escaped() -> None:
    drawn = draw([row(datetime(2026, 6, 6, 12, 5, tzinfo=UTC), date(2026, 6, 6), location_text="<b>Bar & Grill</b>",
                      police_reference='CAD "1"', arrests=1, arrest_offences="<script>x</script>")],
                 date(2026, 6, 6), cameras={7: "CS-<1>"})
    assert "<b>" not in drawn and "<script>" not in drawn
    assert "&lt;b&gt;Bar &amp; Grill&lt;/b&gt;" in drawn and "CAD &quot;1&quot;" in drawn and "CS-&lt;1&gt;" in drawn
    assert "Violence &amp; assault" in drawn and '1 <span class="hint">&lt;script&gt;' in drawn


def test_a_category_shows_its_label_or_else_its_code() -> None:
    day = date(2026, 6, 6)
    drawn = draw([row(datetime(2026, 6, 6, 12, 5, tzinfo=UTC), day, id=1),
                  row(datetime(2026, 6, 6, 12, 6, tzinfo=UTC), day, id=2, category="gone<", category_label=None),
                  row(datetime(2026, 6, 6, 12, 7, tzinfo=UTC), day, id=3)], day)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", line)[2] for line in drawn.splitlines()]
    assert cells == ["Violence &amp; assault", "gone&lt;", "Violence &amp; assault"]


def test_a_night_incident_names_the_session_it_belongs_to() -> None:
    saturday = date(2026, 6, 6)
    drawn = draw([row(datetime(2026, 6, 6, 1, 30, tzinfo=UTC), date(2026, 6, 5)),
                  row(datetime(2026, 6, 6, 12, 0, tzinfo=UTC), saturday, in_monitored_hours=False)], saturday)
    first, second = drawn.split("</tr>")[:2]
    assert 'data-monitored="yes">inside <span class="hint">(Fri 5 Jun 2026 session)</span>' in first
    assert 'data-monitored="no">outside</td>' in second
    assert '<a href="/incidents/7">WY-2026-000007</a>' in first and "Open" in first


def test_a_day_without_incidents_says_so() -> None:
    assert draw([], date(2026, 6, 6)) == '<tr><td colspan="9">No incidents logged for this day.</td></tr>'
