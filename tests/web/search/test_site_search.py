"""The header's search box (/search) and the incident search page (/incidents/search) through the test client: each
kind of record only for the roles that may open it, cameras within the user's scope, covert cameras never shown
without covert access, and the search form re-shown as typed with its problems beside the fields."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from cctv.controlroom import incidents, rooms
from cctv.controlroom.models import IncidentCreate

pytestmark = pytest.mark.usefixtures("quick_app")


@pytest.fixture
def logged(app: Flask, app_session: Session) -> dict[str, str]:
    """Two incidents: one on the car-park and covert cameras with a police reference, one elsewhere."""
    estate = app.config["TEST_ESTATE"]
    now = datetime.now(UTC)
    room = rooms.ensure_defaults(app_session)
    first = incidents.log_incident(app_session, IncidentCreate(
        occurred_at=now - timedelta(hours=3), category="theft", police_reference="CAD 777/07DEC",
        police_informed=True, location_text="Exchange Street car park", narrative="Catalytic converter stolen",
        camera_ids=[estate.car_park_camera, estate.covert_camera]), room=room, operator="operator", now=now)
    second = incidents.log_incident(app_session, IncidentCreate(
        occurred_at=now - timedelta(hours=2), category="asb", location_text="Frogmoor",
        narrative="Shouting by the fountain", camera_ids=[estate.town_camera]), room=room, operator="operator", now=now)
    app_session.commit()
    return {"first": first.reference, "second": second.reference}


def _page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_the_search_box_is_on_every_page(as_role) -> None:
    client = as_role("planner")
    assert 'id="site-search-q"' in _page(client, "/cameras")


def test_an_operator_finds_incidents_and_cameras_but_no_covert_camera(as_role, logged: dict[str, str]) -> None:
    client = as_role("operator")
    html = _page(client, "/search?q=cad+777%2F07dec")
    assert logged["first"] in html and logged["second"] not in html
    html = _page(client, "/search?q=PARK")
    assert "PARK-001" in html and "PARK-COV-1" not in html
    assert "PARK-COV-1" in _page(as_role("supervisor"), "/search?q=PARK")
    assert 'id="found-disclosures"' not in html  # an operator does not work the disclosure log


def test_roles_without_the_log_search_only_cameras_in_their_scope(as_role, logged: dict[str, str]) -> None:
    for role in ("planner", "advisory"):
        html = _page(as_role(role), "/search?q=CAD+777")
        assert 'id="found-cameras"' in html and 'id="found-incidents"' not in html and logged["first"] not in html
    manager = as_role("service_manager")  # Parking Services only
    html = _page(manager, "/search?q=-001")
    assert "PARK-001" in html and "CS-001" not in html and "PARK-COV-1" not in html
    assert 'id="found-incidents"' not in html and 'id="found-evidence"' not in html


def test_the_incident_search_finds_by_field_and_hides_covert_cameras(as_role, logged: dict[str, str]) -> None:
    client = as_role("operator")
    html = _page(client, "/incidents/search?police_reference=777")
    assert logged["first"] in html and logged["second"] not in html
    assert "PARK-001" in html and "PARK-COV-1" not in html  # the incident's covert camera is left out
    html = _page(client, "/incidents/search?camera=CS-001")
    assert logged["second"] in html and logged["first"] not in html
    html = _page(client, "/incidents/search?words=FOUNTAIN&category=asb")
    assert logged["second"] in html and logged["first"] not in html
    assert logged["first"] in _page(client, f"/incidents/search?reference={logged['first'].lower()}")
    assert "1 incident found" in _page(client, "/incidents/search?place=exchange")
    # The covert camera does not exist for the operator: asking by it is a problem beside the field.
    html = _page(client, "/incidents/search?camera=PARK-COV-1", status=400)
    assert logged["first"] not in html


def test_the_search_form_shows_what_was_typed_with_problems_beside_the_fields(as_role, form_view) -> None:
    client = as_role("operator")
    response = client.get("/incidents/search?words=fountain&camera=NOPE-9&start=2026-13-01&end=2026-01-01")
    assert response.status_code == 400
    view = form_view(response)
    assert view.value("words") == "fountain" and view.value("camera") == "NOPE-9"
    assert "NOPE-9" in view.error("camera") and view.error("start")
    response = client.get("/incidents/search?start=2026-05-02&end=2026-05-01")
    assert "before the start" in form_view(response).error("end")


def test_only_the_log_roles_open_the_incident_search(as_role) -> None:
    for role, status in (("operator", 200), ("dpo", 200), ("planner", 403), ("advisory", 403),
                         ("service_manager", 403)):
        client = as_role(role)
        assert client.get("/incidents/search").status_code == status, role
        client.post("/logout")
