"""The control-room settings page: the weekly monitored hours (new incidents take the new flag, old ones keep theirs)
and the incident category list (add, rename, retire, restore, reorder), for supervisors and admins only."""

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from cctv.controlroom.models import DEFAULT_MONITORED_HOURS, ControlRoom, Incident, IncidentCategory
from cctv.web.controlroom.settings import moved
from tests.conftest import PASSWORD, FormView, build_app

pytestmark = pytest.mark.usefixtures("quick_app")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SATURDAY_MORNING = "2025-11-15 10:00"  # inside Saturday's default 08:00-04:00 session


def _hours_submission(page: FormView, **changes: str) -> dict[str, str]:
    """What the browser sends for the hours form as shown (ticked boxes only), with some fields changed."""
    data = {name: values[0] for name, values in page.values.items() if name.split("_")[0] in WEEKDAYS}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _room(session: Session) -> ControlRoom:
    session.expire_all()
    return session.exec(select(ControlRoom)).one()


def _log(client: FlaskClient, session: Session, occurred: str, category: str = "theft") -> Incident:
    response = client.post("/incidents/new", data={"category": category, "occurred": occurred})
    assert response.status_code == 302, response.get_data(as_text=True)
    session.expire_all()
    return session.exec(select(Incident).order_by(Incident.id.desc())).first()


def test_changed_hours_flag_new_incidents_and_leave_old_ones_as_recorded(as_role, form_view,
                                                                          app_session: Session) -> None:
    client = as_role("admin")
    before = _log(client, app_session, SATURDAY_MORNING)
    assert before.in_monitored_hours is True

    page = form_view(client.get("/control-room/settings"))
    assert (page.value("saturday_start"), page.value("saturday_end"), page.value("saturday_monitored")) == (
        "08:00", "04:00", "y")
    assert "does not change the flag already recorded on past incidents" in client.get(
        "/control-room/settings").get_data(as_text=True)
    response = client.post("/control-room/settings/hours",
                           data=_hours_submission(page, saturday_start="20:00", sunday_monitored=None))
    assert response.status_code == 302
    hours = _room(app_session).monitored_hours()
    assert hours[5] == ("20:00", "04:00") and 6 not in hours  # Sunday marked not monitored
    assert {d: hours[d] for d in range(5)} == {d: DEFAULT_MONITORED_HOURS[d] for d in range(5)}

    after = _log(client, app_session, "2025-11-15 10:30")
    assert after.in_monitored_hours is False  # Saturday's session now starts at 20:00
    assert _log(client, app_session, "2025-11-15 21:00").in_monitored_hours is True
    app_session.expire_all()
    assert app_session.get(Incident, before.id).in_monitored_hours is True  # as recorded when it was logged

    page = form_view(client.get("/control-room/settings"))
    assert page.value("saturday_start") == "20:00" and "sunday_monitored" not in page.values


def test_a_bad_time_is_shown_beside_its_day_with_what_was_typed(as_role, form_view, app_session: Session) -> None:
    client = as_role("admin")
    page = form_view(client.get("/control-room/settings"))
    response = client.post("/control-room/settings/hours", data=_hours_submission(page, saturday_start="25:00"))
    assert response.status_code == 400
    page = form_view(response)
    assert "HH:MM" in page.error("saturday")
    assert page.value("saturday_start") == "25:00" and page.value("saturday_end") == "04:00"
    assert page.error("friday") == "" and page.error("sunday") == ""
    assert _room(app_session).monitored_hours() == DEFAULT_MONITORED_HOURS  # nothing saved


def test_settings_are_for_supervisors_and_admins(as_role, client: FlaskClient) -> None:
    for role in ("operator", "dpo", "advisory", "planner", "service_manager"):
        as_role(role)
        assert client.get("/control-room/settings").status_code == 403, role
        assert client.post("/control-room/settings/hours", data={"saturday_monitored": "y"}).status_code == 403
        assert client.post("/control-room/categories", data={"label": "Hate crime"}).status_code == 403
        assert client.post("/control-room/categories/theft/retire").status_code == 403
        client.post("/logout")
    as_role("supervisor")
    assert client.get("/control-room/settings").status_code == 200
    assert 'href="/control-room/settings"' in client.get("/incidents").get_data(as_text=True)
    client.post("/logout")
    as_role("operator")
    assert 'href="/control-room/settings"' not in client.get("/incidents").get_data(as_text=True)


def _choices(client: FlaskClient, form_view) -> list[str]:
    return [c for c in form_view(client.get("/incidents/new")).options["category"] if c]


def test_categories_added_renamed_moved_retired_and_restored(as_role, form_view, app_session: Session) -> None:
    client = as_role("supervisor")
    assert "hate_crime" not in _choices(client, form_view)
    assert client.post("/control-room/categories", data={"label": "Hate crime"}).status_code == 302
    assert _choices(client, form_view)[-1] == "hate_crime"

    response = client.post("/control-room/categories", data={"label": "hate CRIME"})
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("label") == "The code 'hate_crime' is already used by another category."
    assert page.value("label") == "hate CRIME"

    client.post("/logout")
    operator = as_role("operator")
    old = _log(operator, app_session, "2025-11-15 10:00", category="hate_crime")
    operator.post("/logout")
    as_role("supervisor")

    response = client.post("/control-room/categories/hate_crime/rename", data={"rename-hate_crime-label": "Theft"})
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("rename-hate_crime-label") == "There is already a category called 'Theft'."
    assert page.value("rename-hate_crime-label") == "Theft"
    assert client.post("/control-room/categories/hate_crime/rename",
                       data={"rename-hate_crime-label": "Hate crime or incident"}).status_code == 302
    assert "Hate crime or incident" in client.get("/incidents/new").get_data(as_text=True)
    assert _choices(client, form_view)[-1] == "hate_crime"  # the code stays

    order = _choices(client, form_view)
    assert client.post("/control-room/categories/hate_crime/move", data={"direction": "up"}).status_code == 302
    assert _choices(client, form_view) == moved(order, "hate_crime", -1)
    assert client.post("/control-room/categories/hate_crime/move", data={"direction": "sideways"}).status_code == 400

    assert client.post("/control-room/categories/hate_crime/retire").status_code == 302
    assert "hate_crime" not in _choices(client, form_view)
    html = client.get("/control-room/settings").get_data(as_text=True)
    assert 'data-code="hate_crime"' in html.split('id="categories-retired"', 1)[1]
    # The old incident keeps its category: its page, the day's log and its edit form all still show it.
    assert "Hate crime or incident" in client.get(f"/incidents/{old.id}").get_data(as_text=True)
    assert "Hate crime or incident" in client.get("/incidents?day=2025-11-15").get_data(as_text=True)
    assert form_view(client.get(f"/incidents/{old.id}/edit")).choice("category") == "hate_crime"
    app_session.expire_all()
    assert app_session.get(Incident, old.id).category == "hate_crime"

    assert client.post("/control-room/categories/hate_crime/restore").status_code == 302
    assert "hate_crime" in _choices(client, form_view)
    assert client.post("/control-room/categories/no_such/retire").status_code == 404
    assert app_session.exec(select(IncidentCategory).where(IncidentCategory.code == "hate_crime")).one().active


def test_moving_swaps_with_the_neighbour_and_stops_at_the_ends() -> None:
    assert moved(["a", "b", "c"], "b", -1) == ["b", "a", "c"]
    assert moved(["a", "b", "c"], "b", 1) == ["a", "c", "b"]
    assert moved(["a", "b", "c"], "a", -1) == ["a", "b", "c"]
    assert moved(["a", "b", "c"], "c", 1) == ["a", "b", "c"]


def test_the_page_forms_carry_their_csrf_tokens(tmp_path) -> None:
    """With CSRF on, as in production: the forms as the page renders them go through, and only with their tokens."""
    app = build_app(f"sqlite:///{tmp_path}/csrf.sqlite3", WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = FormView(client.get("/login").get_data(as_text=True)).value("csrf_token")
    client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    page = FormView(client.get("/control-room/settings").get_data(as_text=True))
    rename = {"rename-theft-label": "Theft from the person"}
    assert client.post("/control-room/categories/theft/rename", data=rename).status_code == 400
    rename["rename-theft-csrf_token"] = page.value("rename-theft-csrf_token")
    assert client.post("/control-room/categories/theft/rename", data=rename).status_code == 302
    hours = _hours_submission(page, saturday_start="19:00")
    assert client.post("/control-room/settings/hours", data=hours).status_code == 400
    hours["csrf_token"] = page.value("csrf_token")
    assert client.post("/control-room/settings/hours", data=hours).status_code == 302
    with app.extensions["cctv_db"].session("tester") as s:
        assert _room(s).monitored_hours()[5] == ("19:00", "04:00")
        assert s.exec(select(IncidentCategory).where(IncidentCategory.code == "theft")).one().label == \
            "Theft from the person"
    app.extensions["cctv_db"].engine.dispose()
