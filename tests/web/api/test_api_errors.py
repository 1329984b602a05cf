"""Every API error is JSON: an unknown path, a method the path does not take (with Allow), and a 500 should a bug
ever give one."""

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import build_app


def test_an_unknown_api_path_is_404_in_json(client: FlaskClient, api_token) -> None:
    response = client.get("/api/v1/no-such-thing", headers={"Authorization": f"Bearer {api_token('admin')}"})
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]


def test_a_method_not_allowed_is_405_in_json_with_allow(client: FlaskClient) -> None:
    response = client.delete("/api/v1/cameras")
    assert response.status_code == 405
    assert response.is_json and response.get_json()["error"]
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_a_page_405_says_allow_too(client: FlaskClient) -> None:
    response = client.delete("/login")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_an_id_past_the_database_integer_is_404_in_json(client: FlaskClient, api_token) -> None:
    headers = {"Authorization": f"Bearer {api_token('admin')}"}
    for url in ("/api/v1/cameras/99999999999", f"/api/v1/cameras/{2**63}", f"/api/v1/incidents/{2**31}"):
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.is_json


def test_a_server_error_in_the_api_is_json_and_tells_nothing(tmp_path) -> None:
    app: Flask = build_app(f"sqlite:///{tmp_path}/boom.sqlite3")
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error handler answers

    @app.route("/api/v1/boom")
    def boom():
        raise RuntimeError("secret detail")

    @app.route("/boom")
    def page_boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.is_json and "secret" not in response.get_data(as_text=True)
    page = app.test_client().get("/boom")
    assert page.status_code == 500 and "secret" not in page.get_data(as_text=True)
    app.extensions["cctv_db"].engine.dispose()


def test_a_deeply_nested_body_is_400_not_a_recursion_error(client: FlaskClient, api_token) -> None:
    headers = {"Authorization": f"Bearer {api_token('admin')}", "Content-Type": "application/json"}
    body = '{"asset_id": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post("/api/v1/cameras", data=body, headers=headers)
    assert response.status_code == 400
    assert "deeper" in response.get_json()["error"]


def test_a_nul_in_a_body_never_reaches_the_database(client: FlaskClient, api_token, app: Flask) -> None:
    headers = {"Authorization": f"Bearer {api_token('admin')}"}
    body = {"asset_id": "CS-NUL-1", "name": "Nul\x00name", "kind": "public_space_fixed",
            "service_area_id": app.config["TEST_ESTATE"].community_safety}
    response = client.post("/api/v1/cameras", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["name"] == "Nul\ufffdname"
    assert client.get("/api/v1/cameras?q=%00", headers=headers).status_code == 200
