"""`cctv users create` holds passwords to the policy; `cctv tokens create` issues tokens that expire."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlmodel import select

from cctv.auth.models import ApiToken, User
from cctv.cli import cli
from tests.conftest import build_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = build_app(f"sqlite:///{tmp_path}/cli.sqlite3")
    yield app
    app.extensions["cctv_db"].engine.dispose()


def run(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(cli, list(args))


@pytest.mark.parametrize(("password", "reason"), [
    ("aaaaaaaaaa", "at least 12 characters"),
    ("jdoe-control", "must not be the username"),
    ("Password1234", "common passwords"),
])
def test_a_weak_password_is_refused(app: Flask, password: str, reason: str) -> None:
    result = run(app, "users", "create", "jdoe-control", "--role", "operator", "--password", password)
    assert result.exit_code != 0 and reason in result.output
    with app.extensions["cctv_db"].session("check") as s:
        assert s.exec(select(User).where(User.username == "jdoe-control")).first() is None


def test_a_good_password_creates_the_account(app: Flask) -> None:
    result = run(app, "users", "create", "jdoe", "--role", "operator", "--password", "correct-horse-battery")
    assert result.exit_code == 0, result.output


def test_a_token_is_issued_with_the_lifetime_asked_for(app: Flask) -> None:
    result = run(app, "tokens", "create", "planner", "--name", "GIS", "--days", "30")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("cctv_") and "Expires" in result.output
    with app.extensions["cctv_db"].session("check") as s:
        token = s.exec(select(ApiToken)).one()
    expected = datetime.now(UTC) + timedelta(days=30)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    assert run(app, "tokens", "create", "planner", "--name", "GIS", "--days", "9999").exit_code != 0
