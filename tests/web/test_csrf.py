"""CSRF: every form needs the token when protection is on (as in production); the token-authenticated API does not."""

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import func, select

from cctv.auth.models import User
from cctv.auth.service import issue_token
from inventory.models import Camera
from tests.conftest import PASSWORD, FormView, build_app


@pytest.fixture
def csrf_app(tmp_path) -> Iterator[Flask]:
    app = build_app(f"sqlite:///{tmp_path}/csrf.sqlite3", WTF_CSRF_ENABLED=True)
    yield app
    app.extensions["cctv_db"].engine.dispose()


def _token(client: FlaskClient, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html)
    assert tag, f"no CSRF token on {url}"
    return re.search(r'value="([^"]+)"', tag.group(0)).group(1)


def _count(app: Flask) -> int:
    with app.extensions["cctv_db"].session() as s:
        return s.exec(select(func.count()).select_from(Camera)).one()


def _camera_form(client: FlaskClient, asset_id: str) -> dict[str, str]:
    """The add-camera form as a browser would send it, without its CSRF token."""
    data = FormView(client.get("/cameras/new").get_data(as_text=True)).submission(
        asset_id=asset_id, name="Paul's Row", kind="public_space_fixed")
    data.pop("csrf_token")
    return data


def _sign_in(client: FlaskClient) -> None:
    token = _token(client, "/login")
    response = client.post("/login", data={"username": "supervisor", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_login_without_token_is_refused(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "supervisor", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/cameras").status_code == 302  # not signed in


def test_camera_form_without_token_gets_400_and_creates_nothing(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    _sign_in(client)
    before = _count(csrf_app)
    response = client.post("/cameras/new", data=_camera_form(client, "CS-CSRF-1"))
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert _count(csrf_app) == before
    # The same submission with the page's token goes through: only the token was missing.
    data = _camera_form(client, "CS-CSRF-1") | {"csrf_token": _token(client, "/cameras/new")}
    assert client.post("/cameras/new", data=data).status_code == 302
    assert _count(csrf_app) == before + 1


def test_token_from_another_session_is_refused(csrf_app: Flask) -> None:
    other = csrf_app.test_client()
    stolen = _token(other, "/login")
    client = csrf_app.test_client()
    _sign_in(client)
    response = client.post("/cameras/new", data=_camera_form(client, "CS-CSRF-2") | {"csrf_token": stolen})
    assert response.status_code == 400
    assert _count(csrf_app) == 3


def test_logout_needs_the_token(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    _sign_in(client)
    assert client.post("/logout").status_code == 400
    assert client.get("/cameras").status_code == 200  # a forged sign-out does nothing
    client.post("/logout", data={"csrf_token": _token(client, "/cameras")})
    assert client.get("/cameras").status_code == 302


def test_api_with_a_bearer_token_needs_no_csrf_token(csrf_app: Flask) -> None:
    with csrf_app.extensions["cctv_db"].session("fixture") as s:
        user = s.exec(select(User).where(User.username == "supervisor")).one()
        _, plain = issue_token(s, user, "asset system")
        s.commit()
    client = csrf_app.test_client()
    body = {"asset_id": "CS-API-1", "name": "Market Square", "kind": "public_space_fixed",
            "service_area_id": csrf_app.config["TEST_ESTATE"].community_safety}
    response = client.post("/api/v1/cameras", json=body, headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert _count(csrf_app) == 4
