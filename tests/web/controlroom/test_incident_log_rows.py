"""The rows of the day's log page, on each database: London times on ordinary and clock-change days, escaping, the
category label, the session hint and the empty day."""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cctv.controlroom import incidents, rooms
from cctv.controlroom.models import Incident, IncidentCreate
from inventory.models import Camera
from inventory.types import CameraKind
from tests.conftest import BACKENDS, build_app, database_url, login


@pytest.fixture(params=BACKENDS)
def log_app(request: pytest.FixtureRequest, tmp_path, template_cache) -> Iterator[Flask]:
    """The app on each backend under test, its control room and categories in place."""
    app = build_app(database_url(request.param, tmp_path))
    app.jinja_env.bytecode_cache = template_cache
    with app.extensions["cctv_db"].session("fixture") as s:
        rooms.ensure_defaults(s)
        s.commit()
    yield app
    app.extensions["cctv_db"].engine.dispose()


@pytest.fixture
def supervisor(log_app: Flask) -> FlaskClient:
    """Signed in as the supervisor, who sees covert cameras too."""
    client = log_app.test_client()
    login(client, "supervisor")
    return client


def log(app: Flask, occurred: datetime, **fields: object) -> Incident:
    """Log an incident that occurred at this UTC instant, logged a minute later."""
    values: dict = {"category": "violence", "location_text": "Frogmoor"} | fields
    with app.extensions["cctv_db"].session("tester") as s:
        room = rooms.ensure_defaults(s)
        incident = incidents.log_incident(s, IncidentCreate(occurred_at=occurred, **values), room=room,
                                          operator="operator", now=occurred + timedelta(minutes=1))
        s.commit()
        return incident


def table(client: FlaskClient, day: date) -> str:
    """The body of the day's log table, as HTML."""
    html = client.get(f"/incidents?day={day.isoformat()}").get_data(as_text=True)
    return html.split('<table class="list" id="incident-log"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def rows(client: FlaskClient, day: date) -> list[list[str]]:
    """Each row's cells as HTML, newest first."""
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr[^>]*>(.*?)</tr>",
                                                                              table(client, day), re.S)]


def times(client: FlaskClient, day: date) -> list[str]:
    return [cells[1] for cells in rows(client, day)]


def test_times_are_london_wall_clock_in_summer_and_winter(log_app: Flask, supervisor: FlaskClient) -> None:
    log(log_app, datetime(2026, 6, 6, 12, 5, tzinfo=UTC))
    log(log_app, datetime(2026, 1, 9, 23, 59, tzinfo=UTC))
    assert times(supervisor, date(2026, 6, 6)) == ["13:05"]
    assert times(supervisor, date(2026, 1, 9)) == ["23:59"]


def test_times_either_side_of_the_clock_changes(log_app: Flask, supervisor: FlaskClient) -> None:
    for instant in (datetime(2026, 3, 29, 1, 30), datetime(2026, 3, 29, 0, 30)):  # 01:00 GMT becomes 02:00 BST
        log(log_app, instant.replace(tzinfo=UTC))
    assert times(supervisor, date(2026, 3, 29)) == ["02:30", "00:30"]
    for instant in (datetime(2026, 10, 25, 1, 30), datetime(2026, 10, 25, 0, 30), datetime(2026, 10, 25, 22, 0)):
        log(log_app, instant.replace(tzinfo=UTC))  # 02:00 BST becomes 01:00 GMT: 01:30 happens twice
    assert times(supervisor, date(2026, 10, 25)) == ["22:00", "01:30", "01:30"]


def test_every_value_is_escaped(log_app: Flask, supervisor: FlaskClient) -> None:
    estate = log_app.config["TEST_ESTATE"]
    with log_app.extensions["cctv_db"].session("tester") as s:
        rooms.rename_category(s, "violence", "Violence & assault")
        odd = Camera(asset_id="CS-<1>", name="Odd", service_area_id=estate.community_safety,
                     kind=CameraKind.PUBLIC_SPACE_FIXED)
        s.add(odd)
        s.commit()
        odd_id = odd.id
    log(log_app, datetime(2026, 6, 6, 12, 5, tzinfo=UTC), location_text="<b>Bar & Grill</b>",
        police_reference='CAD "1"', arrests=1, arrest_offences="<script>x</script>", camera_ids=[odd_id])
    drawn = table(supervisor, date(2026, 6, 6))
    assert "<b>" not in drawn and "<script>" not in drawn
    assert "&lt;b&gt;Bar &amp; Grill&lt;/b&gt;" in drawn and "CAD &#34;1&#34;" in drawn and "CS-&lt;1&gt;" in drawn
    assert "Violence &amp; assault" in drawn and '1 <span class="hint">&lt;script&gt;' in drawn


def test_a_category_shows_its_label_or_else_its_code(log_app: Flask, supervisor: FlaskClient,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A code missing from the category list (the foreign key makes it rare, not impossible) shows as itself."""
    _, second, _ = (log(log_app, datetime(2026, 6, 6, 12, minute, tzinfo=UTC)) for minute in (5, 6, 7))
    read = incidents.day_log_rows
    monkeypatch.setattr(incidents, "day_log_rows", lambda *args, **kwargs: [
        row._replace(category="gone<", category_label=None) if row.id == second.id else row
        for row in read(*args, **kwargs)])
    assert [cells[2] for cells in rows(supervisor, date(2026, 6, 6))] == ["Violence", "gone&lt;", "Violence"]


def test_a_night_incident_names_the_session_it_belongs_to(log_app: Flask, supervisor: FlaskClient) -> None:
    saturday = date(2026, 6, 6)
    night = log(log_app, datetime(2026, 6, 6, 1, 30, tzinfo=UTC))  # 02:30 BST: Friday's 08:00-04:00 session
    log(log_app, datetime(2026, 6, 6, 5, 0, tzinfo=UTC))  # 06:00 BST: between sessions, counted to Saturday
    second, first = table(supervisor, saturday).split("</tr>")[:2]  # newest first
    assert 'data-monitored="yes">inside <span class="hint">(Fri 5 Jun 2026 session)</span>' in first
    assert 'data-monitored="no">outside</td>' in second
    assert f'<a href="/incidents/{night.id}">{night.reference}</a>' in first and "Open" in first


def test_a_day_without_incidents_says_so(supervisor: FlaskClient) -> None:
    assert '<tr><td colspan="9">No incidents logged for this day.</td></tr>' in table(supervisor, date(2026, 6, 6))
