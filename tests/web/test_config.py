"""Configuration layers: defaults, CCTV_* and DATABASE_URL environment variables, test settings, and the refusal
to run in production without a real SECRET_KEY."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from cctv.app import create_app
from cctv.config import INSECURE_SECRET


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No CCTV_* or DATABASE_URL variables from the shell, and an empty instance folder of our own (a developer's
    instance/config.py must not change what these tests see)."""
    for name in list(os.environ):
        if name.startswith("CCTV_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    instance = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(instance))
    return instance


def test_production_without_a_secret_key_refuses_to_start(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("CCTV_ENV", "production")
    monkeypatch.setenv("CCTV_DATABASE_URL", f"sqlite:///{tmp_path}/prod.sqlite3")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("secret", [INSECURE_SECRET, "", None])
def test_production_in_test_config_without_a_real_secret_refuses(tmp_path, secret) -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV": "production", "SECRET_KEY": secret, "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3"})


def test_production_with_a_real_secret_starts(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("CCTV_ENV", "production")
    monkeypatch.setenv("CCTV_SECRET_KEY", "b3c1f0e2a9d84c6f8e7a5b4c3d2e1f00")
    monkeypatch.setenv("CCTV_DATABASE_URL", f"sqlite:///{tmp_path}/prod.sqlite3")
    app = create_app()
    assert app.config["ENV"] == "production"
    assert app.config["SECRET_KEY"] == "b3c1f0e2a9d84c6f8e7a5b4c3d2e1f00"


def test_a_retired_setting_in_instance_config_stops_the_app_naming_its_replacement(
        clean_environment: Path, tmp_path: Path) -> None:
    """A council that set the old single END_OF_LIFE_YEARS must hear it is not read any more, not find its cameras
    flagged by another rule without a word."""
    clean_environment.mkdir()
    (clean_environment / "config.py").write_text("END_OF_LIFE_YEARS = 7\n")
    with pytest.raises(RuntimeError, match=r"END_OF_LIFE_YEARS is no longer read.*EXPECTED_LIFE_YEARS"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/old.sqlite3"})


def test_development_default_runs_with_the_dev_secret(tmp_path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/dev.sqlite3"})
    assert app.config["ENV"] == "development" and app.config["SECRET_KEY"] == INSECURE_SECRET


def test_database_url_environment_variable_is_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    url = f"sqlite:///{tmp_path}/from-env.sqlite3"
    monkeypatch.setenv("DATABASE_URL", url)
    app = create_app()
    assert app.config["DATABASE_URL"] == url
    engine = app.extensions["cctv_db"].engine
    assert engine.url.database == f"{tmp_path}/from-env.sqlite3"
    with engine.connect():
        pass
    assert (tmp_path / "from-env.sqlite3").exists()  # that is the database the app uses
    engine.dispose()


def test_cctv_database_url_wins_over_database_url(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/generic.sqlite3")
    monkeypatch.setenv("CCTV_DATABASE_URL", f"sqlite:///{tmp_path}/specific.sqlite3")
    assert create_app().config["DATABASE_URL"].endswith("specific.sqlite3")


def test_test_config_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    monkeypatch.setenv("CCTV_REPLACEMENT_PROGRAMME_YEARS", "12")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/test.sqlite3", "REPLACEMENT_PROGRAMME_YEARS": 8})
    assert app.config["DATABASE_URL"].endswith("test.sqlite3")
    assert app.config["REPLACEMENT_PROGRAMME_YEARS"] == 8


def test_cctv_variables_override_defaults_with_their_types(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("CCTV_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    monkeypatch.setenv("CCTV_REPLACEMENT_PROGRAMME_YEARS", "12")
    monkeypatch.setenv("CCTV_MAP_TILE_URL", "")
    app = create_app()
    assert app.config["REPLACEMENT_PROGRAMME_YEARS"] == 12
    assert app.config["MAP_TILE_URL"] == ""


def test_postgres_urls_use_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://cctv:secret@db.example:5432/cctv")
    app = create_app()  # no connection is made until the first request
    assert app.extensions["cctv_db"].engine.url.drivername == "postgresql+psycopg"
    assert app.extensions["cctv_db"].engine.url.host == "db.example"


def test_defaults_are_safe(tmp_path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/d.sqlite3"})
    cfg = app.config
    assert cfg["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)
    assert cfg["SESSION_COOKIE_HTTPONLY"] and cfg["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert cfg["LOGIN_MAX_FAILURES"] == 5
    assert cfg.get("WTF_CSRF_ENABLED", True) is True  # CSRF on unless a test turns it off


def test_default_database_is_sqlite_in_the_instance_folder(clean_environment: Path) -> None:
    app = create_app()
    assert app.instance_path == str(clean_environment)
    assert app.config["DATABASE_URL"] == f"sqlite:///{clean_environment}/cctv.sqlite3"


def test_layers_defaults_instance_file_environment_test_config(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_environment.mkdir()
    (clean_environment / "config.py").write_text(
        "SECRET_KEY = 'from-the-instance-file'\nREPLACEMENT_PROGRAMME_YEARS = 7\nLOGIN_MAX_FAILURES = 3\n"
        "PER_PAGE = 20\n")
    monkeypatch.setenv("CCTV_LOGIN_MAX_FAILURES", "4")
    monkeypatch.setenv("CCTV_PER_PAGE", "30")
    app = create_app({"PER_PAGE": 40})
    cfg = app.config
    assert cfg["LOGIN_LOCK_MINUTES"] == 15  # a default
    assert (cfg["SECRET_KEY"], cfg["REPLACEMENT_PROGRAMME_YEARS"]) == ("from-the-instance-file", 7)  # the instance file
    assert cfg["LOGIN_MAX_FAILURES"] == 4  # the environment over the file
    assert cfg["PER_PAGE"] == 40  # test settings over everything


def test_production_with_the_secret_in_the_instance_file_starts(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_environment.mkdir()
    (clean_environment / "config.py").write_text("SECRET_KEY = '9f8e7d6c5b4a39281706f5e4d3c2b1a0'\n")
    monkeypatch.setenv("CCTV_ENV", "production")
    assert create_app().config["ENV"] == "production"


@pytest.mark.parametrize("secret", ["short-but-not-the-default", "x" * 31])
def test_production_refuses_a_secret_shorter_than_32_characters(tmp_path, secret: str) -> None:
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app({"ENV": "production", "SECRET_KEY": secret, "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3"})


def test_production_sends_cookies_only_over_https(tmp_path) -> None:
    app = create_app({"ENV": "production", "SECRET_KEY": "s" * 32, "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3"})
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    development = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/d.sqlite3"})
    assert not development.config.get("SESSION_COOKIE_SECURE")  # http://127.0.0.1:5000 must still sign in
