"""Signing in and out: the messages a user sees, throttling, safe redirects and session lifetime."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cctv.web.auth import login as auth_views
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.usefixtures("quick_app")  # the real form and checks, with a cheap hash

WRONG = "not-the-password"


def _signed_in(client: FlaskClient) -> bool:
    response = client.get("/cameras")
    return response.status_code == 200


def test_wrong_password_is_refused_with_a_message_beside_the_password(client: FlaskClient, form_view) -> None:
    response = client.post("/login", data={"username": "operator", "password": WRONG})
    assert response.status_code == 200
    page = form_view(response)
    assert page.error("password") == "Unknown username or wrong password."
    assert page.value("username") == "operator"  # what was typed is kept
    assert not _signed_in(client)


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client: FlaskClient, form_view) -> None:
    response = client.post("/login", data={"username": "nobody", "password": WRONG})
    assert form_view(response).error("password") == "Unknown username or wrong password."


def test_right_password_signs_in_and_an_operator_lands_on_the_incident_log(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "operator", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/incidents"  # the session in progress
    assert _signed_in(client)
    assert client.get("/").headers["Location"] == "/incidents"


def test_other_roles_keep_the_camera_list_as_their_landing(app) -> None:
    for username in ("supervisor", "admin", "planner", "dpo", "advisory", "service_manager"):
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.headers["Location"] == "/cameras", username
        assert client.get("/").headers["Location"] == "/cameras", username


ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
CONTROL_ROOM = {"REMOTE_ADDR": "198.51.100.10"}
THROTTLED = "Too many failed attempts from here: wait a few minutes before trying again."


def _attempt(client: FlaskClient, username: str, password: str, address: dict):
    return client.post("/login", data={"username": username, "password": password}, environ_base=address)


def test_an_address_that_keeps_guessing_waits_even_with_the_right_password(app: Flask, form_view) -> None:
    app.config["LOGIN_MAX_FAILURES"] = 3
    attacker = app.test_client()
    for _ in range(3):
        _attempt(attacker, "planner", WRONG, ATTACKER)
    response = _attempt(attacker, "planner", PASSWORD, ATTACKER)
    assert response.status_code == 200
    assert form_view(response).error("password") == THROTTLED
    assert not _signed_in(attacker)


def test_the_right_password_from_another_address_signs_in_while_one_address_guesses(app: Flask) -> None:
    app.config["LOGIN_MAX_FAILURES"] = 3
    attacker, operator = app.test_client(), app.test_client()
    for _ in range(10):
        _attempt(attacker, "operator", WRONG, ATTACKER)
    assert _attempt(operator, "operator", PASSWORD, CONTROL_ROOM).status_code == 302
    assert _signed_in(operator)


def test_an_account_under_attack_from_many_addresses_still_signs_in_from_its_usual_one(app: Flask) -> None:
    app.config.update(LOGIN_MAX_FAILURES=3, LOGIN_ATTACK_FAILURES=6)
    operator = app.test_client()
    assert _attempt(operator, "operator", PASSWORD, CONTROL_ROOM).status_code == 302  # the account's usual address
    bots = [{"REMOTE_ADDR": f"203.0.113.{n}"} for n in range(1, 9)]
    for bot in bots:  # a botnet: one guess each, under every address's own limit
        _attempt(app.test_client(), "operator", WRONG, bot)
    # Under attack, an address that has failed once at the name waits…
    assert _attempt(app.test_client(), "operator", PASSWORD, bots[0]).status_code == 200
    # …but the control room, after a typo of its own, still gets in, and so does a fresh address.
    _attempt(operator, "operator", WRONG, CONTROL_ROOM)
    assert _attempt(operator, "operator", PASSWORD, CONTROL_ROOM).status_code == 302
    assert _attempt(app.test_client(), "operator", PASSWORD, {"REMOTE_ADDR": "192.0.2.200"}).status_code == 302


def test_an_address_guessing_many_names_waits_for_all_of_them(app: Flask, form_view) -> None:
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = 4
    attacker = app.test_client()
    for name in ("a1", "a2", "a3", "a4"):
        _attempt(attacker, name, WRONG, ATTACKER)
    assert form_view(_attempt(attacker, "dpo", PASSWORD, ATTACKER)).error("password") == THROTTLED
    assert _attempt(app.test_client(), "dpo", PASSWORD, CONTROL_ROOM).status_code == 302


def test_failures_below_the_limit_do_not_throttle(app: Flask, client: FlaskClient) -> None:
    app.config["LOGIN_MAX_FAILURES"] = 3
    for _ in range(2):
        client.post("/login", data={"username": "planner", "password": WRONG})
    login(client, "planner")
    assert _signed_in(client)


def test_the_wait_ends_when_the_failures_leave_the_window(app: Flask, client: FlaskClient,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    app.config.update(LOGIN_MAX_FAILURES=2, LOGIN_LOCK_MINUTES=15)
    for _ in range(2):
        client.post("/login", data={"username": "advisory", "password": WRONG})
    clock = {"now": datetime.now(UTC) + timedelta(minutes=14)}
    monkeypatch.setattr(auth_views, "utcnow", lambda: clock["now"])
    assert client.post("/login", data={"username": "advisory", "password": PASSWORD}).status_code == 200
    clock["now"] = datetime.now(UTC) + timedelta(minutes=16)
    login(client, "advisory")


def test_unknown_and_known_names_get_the_same_answer_and_one_hash_check_each(
    app: Flask, form_view, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timing: both paths compare one password hash (an unknown name against a dummy hash of the default method),
    so the time taken says nothing about whether the name exists; the message and status are the same."""
    from cctv.auth import service

    checked: list[str] = []
    real = service.check_password_hash
    monkeypatch.setattr(service, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    known = _attempt(app.test_client(), "operator", WRONG, CONTROL_ROOM)
    unknown = _attempt(app.test_client(), "no-such-person", WRONG, CONTROL_ROOM)
    assert (known.status_code, form_view(known).error("password")) == \
        (unknown.status_code, form_view(unknown).error("password"))
    assert len(checked) == 2 and checked[1] == service._dummy_hash()
    # Throttled, neither is checked at all: the same for both again.
    app.config["LOGIN_MAX_FAILURES"] = 1
    checked.clear()
    known = _attempt(app.test_client(), "operator", WRONG, CONTROL_ROOM)
    unknown = _attempt(app.test_client(), "no-such-person", WRONG, CONTROL_ROOM)
    assert form_view(known).error("password") == form_view(unknown).error("password") == THROTTLED
    assert checked == []


def test_a_disabled_account_gets_the_same_answer_as_a_wrong_password(app: Flask, app_session, form_view) -> None:
    from sqlmodel import select

    from cctv.auth.models import User

    user = app_session.exec(select(User).where(User.username == "planner")).one()
    user.active = False
    app_session.add(user)
    app_session.commit()
    response = _attempt(app.test_client(), "planner", PASSWORD, CONTROL_ROOM)
    assert form_view(response).error("password") == "Unknown username or wrong password."


def test_logout_is_a_post(as_role) -> None:
    client = as_role("operator")
    assert client.get("/logout").status_code == 405
    assert _signed_in(client)
    response = client.post("/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not _signed_in(client)
    assert "Signed out." in client.get("/login").get_data(as_text=True)


def test_login_page_sends_back_to_the_page_asked_for(app: Flask, client: FlaskClient) -> None:
    camera_id = app.config["TEST_ESTATE"].town_camera
    first = client.get(f"/cameras/{camera_id}")
    assert first.status_code == 302 and "/login?next=" in first.headers["Location"]
    response = client.post(f"/login?next=/cameras/{camera_id}", data={"username": "operator", "password": PASSWORD})
    assert response.headers["Location"] == f"/cameras/{camera_id}"


OFF_SITE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "\\\\evil.example/phish",
    "/\t/evil.example/phish",
    "javascript:alert(1)",
    "http:/evil.example",
]


def test_next_only_goes_to_this_site(client: FlaskClient) -> None:
    for target in OFF_SITE:
        response = client.post("/login", query_string={"next": target},
                               data={"username": "operator", "password": PASSWORD})
        assert response.status_code == 302, target
        location = response.headers["Location"]
        # The operator's landing, or Werkzeug's escaped backslash.
        assert location == "/incidents" or location.startswith("/%5C"), target
        # As a browser reads it (a backslash counts as a slash), it must stay on this site.
        assert not location.replace("\\", "/").startswith("//"), target
        assert urlsplit(location).netloc == "", target


def test_session_is_permanent_with_the_configured_lifetime(app: Flask, client: FlaskClient) -> None:
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)  # one shift, by default
    login(client, "operator")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None  # not a browser-session cookie
    expected = datetime.now(UTC) + timedelta(hours=12)
    assert abs((cookie.expires - expected).total_seconds()) < 60


def test_a_busy_session_still_ends_after_the_lifetime(client: FlaskClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from cctv.web.auth import sessions

    login(client, "operator")
    start = datetime.now(UTC)
    for hours in range(1, 12):  # a request every hour of the shift: never idle
        monkeypatch.setattr(sessions, "utcnow", lambda h=hours: start + timedelta(hours=h))
        assert _signed_in(client), hours
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(hours=12, minutes=1))
    response = client.get("/cameras")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_idle_session_ends(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from cctv.web.auth import sessions

    assert app.config["SESSION_IDLE_MINUTES"] == 120
    login(client, "operator")
    start = datetime.now(UTC)
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(minutes=119))
    assert _signed_in(client)
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(minutes=119 + 121))
    assert not _signed_in(client)
    monkeypatch.setattr(sessions, "utcnow", lambda: start + timedelta(minutes=119 + 122))
    assert not _signed_in(client)  # and it stays ended: the cookie was dropped


def test_configured_lifetime_is_used(tmp_path) -> None:
    from tests.conftest import build_app

    app = build_app(f"sqlite:///{tmp_path}/short.sqlite3", PERMANENT_SESSION_LIFETIME=timedelta(minutes=30))
    client = app.test_client()
    login(client, "operator")
    cookie = client.get_cookie("session")
    expected = datetime.now(UTC) + timedelta(minutes=30)
    assert cookie is not None and abs((cookie.expires - expected).total_seconds()) < 60
    app.extensions["cctv_db"].engine.dispose()
