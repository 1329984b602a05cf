"""Administration: creating and disabling accounts, and an audit trail nobody can change through the app."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from cctv.auth.models import Role, User, UserServiceArea
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.usefixtures("quick_app")

NEW_PASSWORD = "a-long-enough-password"


@pytest.fixture
def admin(as_role) -> FlaskClient:
    return as_role("admin")


def _create(client: FlaskClient, form_view, **typed) -> object:
    data = form_view(client.get("/admin/users")).submission(**typed)
    return client.post("/admin/users", data=data)


def _user(session: Session, username: str) -> User | None:
    session.expire_all()
    return session.exec(select(User).where(User.username == username)).first()


def test_admin_creates_an_account_that_can_sign_in(app: Flask, admin: FlaskClient, form_view,
                                                   app_session: Session) -> None:
    response = _create(admin, form_view, username="jsmith", full_name="Jo Smith", email="jo@example.gov.uk",
                       role="operator", password=NEW_PASSWORD)
    assert response.status_code == 302
    html = admin.get("/admin/users").get_data(as_text=True)
    assert "Account jsmith created." in html and "<td>jsmith</td><td>Jo Smith</td><td>Operator</td>" in html
    user = _user(app_session, "jsmith")
    assert user.role == Role.OPERATOR and not user.covert_access and user.active
    assert NEW_PASSWORD not in user.password_hash
    other = app.test_client()
    login(other, "jsmith", NEW_PASSWORD)
    assert other.get("/cameras").status_code == 200


def test_a_service_manager_needs_a_service_area(admin: FlaskClient, form_view, app_session: Session) -> None:
    response = _create(admin, form_view, username="parkmgr", full_name="Pat Park", role="service_manager",
                       password=NEW_PASSWORD)
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("service_area_ids") == "A service manager needs at least one service area."
    assert page.value("username") == "parkmgr" and page.value("full_name") == "Pat Park"
    assert page.choice("role") == "service_manager"
    assert _user(app_session, "parkmgr") is None


def test_a_service_manager_with_an_area_sees_only_that_area(app: Flask, admin: FlaskClient, form_view,
                                                            app_session: Session) -> None:
    parking = app.config["TEST_ESTATE"].parking
    response = _create(admin, form_view, username="parkmgr", role="service_manager", password=NEW_PASSWORD,
                       service_area_ids=str(parking))
    assert response.status_code == 302
    user = _user(app_session, "parkmgr")
    areas = app_session.exec(select(UserServiceArea.service_area_id).where(UserServiceArea.user_id == user.id))
    assert list(areas) == [parking]
    other = app.test_client()
    login(other, "parkmgr", NEW_PASSWORD)
    html = other.get("/cameras").get_data(as_text=True)
    assert "PARK-001" in html and "CS-001" not in html


@pytest.mark.parametrize(("typed", "field", "message"), [
    ({"username": "operator"}, "username", "username operator is taken"),
    ({"password": "short-pw-11"}, "password", "Use at least 12 characters."),
    ({"password": "newbienewbie", "username": "newbienewbie"}, "password", "The password must not be the username."),
    ({"password": "Password1234"}, "password", "That password is on a list of common passwords: choose another."),
    ({"password": "z" * 14}, "password", "The password must not be one character repeated."),
    ({"username": ""}, "username", "This field is required."),
])
def test_bad_accounts_are_refused_beside_the_field(admin: FlaskClient, form_view, typed: dict, field: str,
                                                   message: str) -> None:
    fields = {"username": "newbie", "role": "planner", "password": NEW_PASSWORD} | typed
    response = _create(admin, form_view, **fields)
    assert response.status_code == 400
    assert form_view(response).error(field) == message


def test_disabling_an_account_stops_its_sign_in_and_ends_its_session(
    app: Flask, admin: FlaskClient, app_session: Session
) -> None:
    planner = app.test_client()
    login(planner, "planner")
    assert planner.get("/cameras").status_code == 200
    user = _user(app_session, "planner")
    assert admin.post(f"/admin/users/{user.id}/active").status_code == 302
    assert "planner is now disabled." in admin.get("/admin/users").get_data(as_text=True)
    assert not _user(app_session, "planner").active
    response = planner.get("/cameras")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    refused = app.test_client().post("/login", data={"username": "planner", "password": PASSWORD})
    assert refused.status_code == 200 and "Unknown username or wrong password." in refused.get_data(as_text=True)
    admin.post(f"/admin/users/{user.id}/active")  # enabled again
    login(app.test_client(), "planner")


def test_audit_page_lists_changes_with_who_and_what(app: Flask, admin: FlaskClient, form_view) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    edit = form_view(admin.get(f"/cameras/{camera_id}/edit")).submission(name="Frogmoor north dome")
    assert admin.post(f"/cameras/{camera_id}/edit", data=edit).status_code == 302
    html = admin.get("/admin/audit").get_data(as_text=True)
    newest = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "<td>admin</td><td>update</td><td>camera " + str(camera_id) + "</td>" in newest
    assert "<code>name</code>: Frogmoor north → Frogmoor north dome" in newest
    only_admin = admin.get("/admin/audit?actor=admin&table=camera").get_data(as_text=True)
    assert only_admin.count("<td>admin</td>") == 1 and "<td>fixture</td>" not in only_admin
    assert "<td>fixture</td><td>create</td>" in admin.get("/admin/audit?table=service_area").get_data(as_text=True)


def test_audit_page_never_shows_password_hashes(admin: FlaskClient, form_view) -> None:
    _create(admin, form_view, username="jsmith", role="operator", password=NEW_PASSWORD)
    html = admin.get("/admin/audit?table=app_user").get_data(as_text=True)
    assert "<code>password_hash</code>: ***" in html
    assert "scrypt:" not in html and "pbkdf2:" not in html


def test_the_audit_trail_has_no_route_that_changes_it(app: Flask, admin: FlaskClient) -> None:
    audit_rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule or "audit" in r.endpoint]
    assert audit_rules  # the page exists
    for rule in audit_rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert admin.open("/admin/audit", method=method).status_code == 405
    writers = [r.endpoint for r in app.url_map.iter_rules() if r.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    assert not [e for e in writers if "audit" in e or "history" in e]


def test_the_user_form_starts_at_the_least_powerful_role(admin: FlaskClient, form_view) -> None:
    submission = form_view(admin.get("/admin/users")).submission()
    assert submission["role"] == "advisory"
    assert submission.get("covert_access") in (None, "", False)
