"""Signing in and out: the messages a user sees, throttling, safe redirects and session lifetime."""

import time as time_module
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


def test_right_password_signs_in_and_lands_on_the_camera_list(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "operator", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/cameras"
    assert _signed_in(client)


def test_account_locks_after_max_failures_even_with_the_right_password(app: Flask, client: FlaskClient,
                                                                       form_view) -> None:
    app.config["LOGIN_MAX_FAILURES"] = 3
    for _ in range(3):
        client.post("/login", data={"username": "planner", "password": WRONG})
    response = client.post("/login", data={"username": "planner", "password": PASSWORD})
    assert response.status_code == 200
    assert "locked" in form_view(response).error("password")
    assert not _signed_in(client)
    # Another account is not affected.
    login(client, "dpo")


def test_failures_below_the_limit_do_not_lock(app: Flask, client: FlaskClient) -> None:
    app.config["LOGIN_MAX_FAILURES"] = 3
    for _ in range(2):
        client.post("/login", data={"username": "planner", "password": WRONG})
    login(client, "planner")
    assert _signed_in(client)


def test_lock_lifts_after_lock_minutes(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    app.config.update(LOGIN_MAX_FAILURES=2, LOGIN_LOCK_MINUTES=15)
    for _ in range(2):
        client.post("/login", data={"username": "advisory", "password": WRONG})
    clock = {"now": datetime.now(UTC) + timedelta(minutes=14)}
    monkeypatch.setattr(auth_views, "utcnow", lambda: clock["now"])
    assert client.post("/login", data={"username": "advisory", "password": PASSWORD}).status_code == 200
    clock["now"] = datetime.now(UTC) + timedelta(minutes=16)
    login(client, "advisory")


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
        assert location == "/cameras" or location.startswith("/%5C"), target  # Werkzeug escapes a backslash
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


def test_session_expires_after_the_lifetime(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    login(client, "operator")
    real_time = time_module.time
    monkeypatch.setattr(time_module, "time", lambda: real_time() + 11 * 3600)
    assert _signed_in(client)  # inside a shift, and each request renews the session
    monkeypatch.setattr(time_module, "time", lambda: real_time() + 24 * 3600)
    response = client.get("/cameras")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_configured_lifetime_is_used(tmp_path) -> None:
    from tests.conftest import build_app

    app = build_app(f"sqlite:///{tmp_path}/short.sqlite3", PERMANENT_SESSION_LIFETIME=timedelta(minutes=30))
    client = app.test_client()
    login(client, "operator")
    cookie = client.get_cookie("session")
    expected = datetime.now(UTC) + timedelta(minutes=30)
    assert cookie is not None and abs((cookie.expires - expected).total_seconds()) < 60
    app.extensions["cctv_db"].engine.dispose()
