"""With ENV=production neither `cctv demo` nor `cctv serve` ever creates the demo estate or its shared-password
accounts: they refuse and say how to create the first admin instead."""

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func
from sqlmodel import select

from cctv.app import create_app
from cctv.auth.models import Role, User
from cctv.cli import cli
from inventory.models import Camera
from tests.conftest import PASSWORD_HASH

SECRET = "a-production-secret-of-forty-characters!"


def production_app(tmp_path: Path) -> Flask:
    """A production app on a new, migrated, empty SQLite database."""
    from cctv.migrate import upgrade

    url = f"sqlite:///{tmp_path}/prod.sqlite3"
    upgrade(url)
    return create_app({"ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": url})


def counts(app: Flask) -> tuple[int, int]:
    """(accounts, cameras) in the app's database."""
    with app.extensions["cctv_db"].session() as s:
        return (s.exec(select(func.count()).select_from(User)).one(),
                s.exec(select(func.count()).select_from(Camera)).one())


def test_demo_refuses_in_production_and_names_the_first_admin_command(tmp_path: Path) -> None:
    app = production_app(tmp_path)
    result = app.test_cli_runner().invoke(cli, ["demo"])
    assert result.exit_code != 0
    assert "cctv users create" in result.output and "--role admin" in result.output
    assert counts(app) == (0, 0)


def test_serve_on_an_empty_production_database_refuses_rather_than_add_the_demo(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[object] = []
    monkeypatch.setattr("werkzeug.serving.run_simple", lambda *a, **k: served.append(a))
    app = production_app(tmp_path)
    result = app.test_cli_runner().invoke(cli, ["serve"])
    assert result.exit_code != 0
    assert "cctv users create" in result.output
    assert "demo-password" not in result.output
    assert served == [] and counts(app) == (0, 0)


def test_serve_in_production_with_an_admin_serves_the_register_as_it_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[object] = []
    monkeypatch.setattr("werkzeug.serving.run_simple", lambda *a, **k: served.append(a))
    app = production_app(tmp_path)
    with app.extensions["cctv_db"].session("fixture") as s:
        s.add(User(username="alice", role=Role.ADMIN, password_hash=PASSWORD_HASH))
        s.commit()
    result = app.test_cli_runner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert len(served) == 1
    assert counts(app) == (1, 0)  # no demo cameras, no demo accounts
    assert "demo-password" not in result.output


def test_the_development_server_hides_werkzeug_and_python_versions(tmp_path: Path) -> None:
    import threading
    import urllib.request

    from werkzeug.serving import make_server

    from cctv.cli.server import QuietRequestHandler

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/dev.sqlite3"})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/login") as response:
            assert response.headers["Server"].strip() == "cctv"
    finally:
        server.shutdown()
        thread.join(timeout=5)
