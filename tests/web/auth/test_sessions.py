"""Sessions that end: a copied cookie is refused after sign-out, a password change or the account being disabled."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from cctv.auth.models import User
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.usefixtures("quick_app")

NEW = "a-new-long-passphrase"


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/cameras").status_code == 200


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of the client's session cookie, as an attacker who stole it would."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def test_a_copied_cookie_stops_working_at_sign_out(app: Flask, client: FlaskClient) -> None:
    login(client, "operator")
    thief = _copy(app, client)
    assert _signed_in(thief)  # a copy works while the session lasts: it is what the user holds
    assert client.post("/logout").status_code == 302
    response = thief.get("/cameras")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(client, "operator")  # signing in again gives a new session that works
    assert _signed_in(client) and not _signed_in(thief)


def test_changing_the_password_ends_other_sessions_but_not_this_one(app: Flask, client: FlaskClient,
                                                                    form_view) -> None:
    login(client, "planner")
    other_device = app.test_client()
    login(other_device, "planner")
    assert client.get("/account/password").status_code == 200
    response = client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(other_device)
    client.post("/logout")
    assert app.test_client().post("/login", data={"username": "planner", "password": PASSWORD}).status_code == 200
    login(app.test_client(), "planner", NEW)


@pytest.mark.parametrize(("typed", "field", "message"), [
    ({"current": "not-the-password"}, "current", "The current password is wrong."),
    ({"new": "planner", "confirm": "planner"}, "new", "Use at least 12 characters. "
                                                      "The password must not be the username."),
    ({"new": "qwertyuiop123", "confirm": "qwertyuiop123"}, "new",
     "That password is on a list of common passwords: choose another."),
    ({"confirm": "something-else-entirely"}, "confirm", "The two differ."),
])
def test_a_bad_change_is_refused_beside_the_field(app: Flask, client: FlaskClient, form_view, typed: dict,
                                                  field: str, message: str) -> None:
    login(client, "planner")
    response = client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW} | typed)
    assert response.status_code == 400
    assert form_view(response).error(field) == message
    login(app.test_client(), "planner")  # unchanged


def test_a_session_from_before_the_account_was_disabled_stays_ended_when_it_is_enabled_again(
    app: Flask, client: FlaskClient, app_session: Session
) -> None:
    login(client, "dpo")
    admin = app.test_client()
    login(admin, "admin")
    user_id = app_session.exec(select(User.id).where(User.username == "dpo")).one()
    admin.post(f"/admin/users/{user_id}/active")
    admin.post(f"/admin/users/{user_id}/active")  # enabled again
    assert not _signed_in(client)


def test_guessing_the_current_password_is_throttled_like_signing_in(app: Flask, client: FlaskClient,
                                                                    form_view) -> None:
    app.config["LOGIN_MAX_FAILURES"] = 3
    login(client, "planner")
    for _ in range(3):
        client.post("/account/password", data={"current": "a-guess-at-it", "new": NEW, "confirm": NEW})
    response = client.post("/account/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert response.status_code == 400
    assert form_view(response).error("current").startswith("Too many failed attempts")
    elsewhere = app.test_client().post("/login", data={"username": "planner", "password": PASSWORD},
                                       environ_base={"REMOTE_ADDR": "198.51.100.10"})
    assert elsewhere.status_code == 302  # unchanged, and only this address waits
