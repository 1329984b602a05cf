"""`GET /health`: 200 when the database answers, 503 as JSON when it does not; no sign-in, nothing sensitive."""

from flask import Flask

from tests.conftest import build_app


def test_health_answers_ok_without_signing_in(client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers  # probes every few seconds get no session each


def test_health_is_503_json_when_the_database_is_unreachable(tmp_path) -> None:
    # A PostgreSQL server that is not there (port 1 on this machine refuses at once).
    app: Flask = build_app(f"sqlite:///{tmp_path}/h.sqlite3")
    from cctv.db import Database

    app.extensions["cctv_db"] = Database("postgresql+psycopg://cctv:secret-password@127.0.0.1:1/cctv")
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}
    body = response.get_data(as_text=True)
    assert "secret-password" not in body and "127.0.0.1" not in body and "psycopg" not in body
