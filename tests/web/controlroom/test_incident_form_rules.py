"""The incident form's rules: what it refuses is re-shown as typed with the problem beside the field, the form and
the API share the incident model's limits, what it leaves out takes the defaults, and typed times are London's."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from cctv.controlroom.models import Incident, IncidentBase
from cctv.web.controlroom.common import parse_local_time
from tests.web.controlroom.test_incident_pages import (
    SATURDAY_SMALL_HOURS,
    _incident,
    _log,
    _year,
)

pytestmark = pytest.mark.usefixtures("quick_app")
LONDON = ZoneInfo("Europe/London")


def test_a_bad_time_reshows_the_form_with_what_was_typed(as_role, form_view, app_session: Session) -> None:
    client = as_role("operator")
    response = _log(client, occurred="25:61", cameras="CS-001, PARK-001", police_informed="y",
                    police_reference="CAD 99", arrests="2", arrest_offences="Assault", narrative="Line one\nLine two")
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("occurred") == "Give the time as HH:MM (today) or as YYYY-MM-DD HH:MM."
    assert page.value("occurred") == "25:61"
    assert page.choice("category") == "robbery" and page.choice("source") == "police_radio"
    assert page.value("location_text") == "Frogmoor, by the fountain"
    assert page.value("cameras") == "CS-001, PARK-001"
    assert page.value("police_informed") == "y" and page.value("police_reference") == "CAD 99"
    assert page.value("arrests") == "2" and page.value("arrest_offences") == "Assault"
    assert page.value("narrative") == "Line one\nLine two"
    assert re.search(r'<input[^>]*autofocus[^>]*id="occurred"', response.get_data(as_text=True))  # cursor on it
    assert app_session.exec(select(Incident)).all() == []


def test_the_services_problems_stand_beside_their_fields(as_role, form_view, app_session: Session) -> None:
    client = as_role("operator")
    page = form_view(_log(client, category="", arrests="2", cameras="CS-001, CS-999"))
    assert page.error("cameras") == "No camera CS-999: give asset ids, comma-separated."
    assert page.error("category") == "Choose a category from the list."

    response = _log(client, arrests="2", arrest_offences="", occurred="2099-01-01 10:00")
    page = form_view(response)
    assert response.status_code == 400
    assert page.error("arrest_offences") == "Say what the arrest was for."
    assert page.error("occurred") == "That time is in the future."
    assert app_session.exec(select(Incident)).all() == []


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"arrests": "two"}, "arrests", "Not a valid integer value."),
    ({"arrests": "501"}, "arrests", "Number must be between 0 and 500."),
    ({"arrests": "-1"}, "arrests", "Number must be between 0 and 500."),
    ({"source": "pigeon"}, "source", "Not a valid choice."),
    ({"follow_up": ""}, "follow_up", "Not a valid choice."),
    ({"location_text": "x" * 251}, "location_text", "Field cannot be longer than 250 characters."),
    ({"police_reference": "9" * 61}, "police_reference", "Field cannot be longer than 60 characters."),
    ({"outcome": "y" * 501}, "outcome", "Field cannot be longer than 500 characters."),
    ({"cameras": "CS-001, " * 130}, "cameras", "Field cannot be longer than 1000 characters."),
])
def test_the_forms_own_rules_reshow_it_with_the_problem_beside_the_field(
    as_role, form_view, app_session: Session, fields: dict[str, str], field: str, message: str
) -> None:
    response = _log(as_role("operator"), narrative="Kept as typed", **fields)
    assert response.status_code == 400
    page = form_view(response)
    assert page.error(field) == message
    assert page.value("narrative") == "Kept as typed" and page.choice("category") == "robbery"
    assert app_session.exec(select(Incident)).all() == []


def test_the_form_and_the_api_take_the_limits_the_incident_model_declares(as_role, api_token) -> None:
    """Each limit is declared once, on IncidentBase: the form draws and checks it, the API's schema refuses past it."""
    declared = IncidentBase.model_json_schema()["properties"]
    client = as_role("operator")
    html = client.get("/incidents/new").get_data(as_text=True)
    for name in ("location_text", "police_reference", "arrest_offences", "outcome"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert tag and f'maxlength="{declared[name]["maxLength"]}"' in tag.group(0), name
    arrests = re.search(r'<input[^>]*name="arrests"[^>]*>', html)
    assert arrests and f'max="{declared["arrests"]["maximum"]}" min="{declared["arrests"]["minimum"]}"' in \
        arrests.group(0)
    too_long = "x" * (declared["location_text"]["maxLength"] + 1)
    response = client.post("/api/v1/incidents", headers={"Authorization": f"Bearer {api_token('operator')}"},
                           json={"occurred_at": "2025-11-15T02:30:00Z", "category": "theft", "location_text": too_long})
    assert response.status_code == 422 and response.get_json()["error"][0]["field"] == "location_text"


def test_what_the_form_leaves_out_takes_the_defaults(as_role, app_session: Session) -> None:
    """A script posting only the category and time gets the form's defaults; an unticked box may send "false"."""
    client = as_role("operator")
    response = client.post("/incidents/new", data={"category": "theft", "occurred": SATURDAY_SMALL_HOURS,
                                                   "police_attended": "false", "arrests": " "})
    assert response.status_code == 302
    incident = _incident(app_session, f"WY-{_year()}-000001")
    assert (incident.source, incident.follow_up, incident.arrests) == ("proactive", "open", 0)
    assert not incident.police_informed and not incident.police_attended
    assert _log(client, police_attended="y").status_code == 302
    assert _incident(app_session, f"WY-{_year()}-000002").police_attended


@pytest.mark.parametrize(("typed", "now_utc", "expected_utc"), [
    ("22:15", datetime(2025, 11, 15, 0, 10, tzinfo=UTC), datetime(2025, 11, 14, 22, 15, tzinfo=UTC)),  # last night
    ("0005", datetime(2025, 11, 15, 0, 10, tzinfo=UTC), datetime(2025, 11, 15, 0, 5, tzinfo=UTC)),
    ("00:14", datetime(2025, 11, 15, 0, 10, tzinfo=UTC), datetime(2025, 11, 15, 0, 14, tzinfo=UTC)),  # 4 min ahead
    ("14:00", datetime(2026, 7, 1, 15, 0, tzinfo=UTC), datetime(2026, 7, 1, 13, 0, tzinfo=UTC)),  # BST
    ("2026-10-25 01:30", None, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # repeated hour: the first, BST
    ("14/11/2025 23:05", None, datetime(2025, 11, 14, 23, 5, tzinfo=UTC)),
])
def test_typed_times_are_london_wall_clock(typed: str, now_utc: datetime | None, expected_utc: datetime) -> None:
    assert parse_local_time(typed, at=now_utc) == expected_utc


def test_a_time_the_clocks_skipped_is_refused() -> None:
    with pytest.raises(ValueError, match="clocks went forward"):
        parse_local_time("2026-03-29 01:30")
