"""The in-memory model refuses, before reading any crime, when the stored crimes would not fit in the memory the
setting allows, naming the setting and the PostGIS advice: from the service, the planner page and the CLI."""

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlmodel import Session

from cctv.cli import cli
from siting import planning
from siting.store import capacity, crimes
from siting.store.crimes import import_crimes
from tests.conftest import login
from tests.siting.helpers import FIXTURES


@pytest.fixture
def limit() -> Iterator[None]:
    """Put the app-wide setting back after a test changes it."""
    yield
    capacity.configure(capacity.DEFAULT_MEMORY_MB)


def test_the_estimate_refuses_past_the_setting_only() -> None:
    capacity.check_fits(None, rows=1_000_000, memory_mb=2048)  # type: ignore[arg-type]  # 1.9 GB: fits
    with pytest.raises(capacity.TooLargeForMemory) as refused:
        capacity.check_fits(None, rows=18_000_000, memory_mb=2048)  # type: ignore[arg-type]
    message = str(refused.value)
    assert "18,000,000 stored crimes" in message and "34,332 MB" in message  # 18e6 × 2000 B / 2**20
    assert "CCTV_SITING_MEMORY_MB" in message and "PostgreSQL with PostGIS" in message


def test_the_model_refuses_before_reading_any_crime(session: Session, limit: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import_crimes(session, FIXTURES / "2024-01-bucks-street.csv", actor="planner")
    session.commit()
    assert planning.model_inputs(session).crimes is not None  # 8 crimes fit in 2 GB
    capacity.configure(8 * capacity.BYTES_PER_CRIME / 2**20 * 0.99)  # just under what 8 crimes need
    monkeypatch.setattr(crimes, "load_crimes", lambda *a, **k: pytest.fail("crimes were read"))
    with pytest.raises(planning.TooLargeForMemory, match="CCTV_SITING_MEMORY_MB"):
        planning.model_inputs(session)


def test_the_app_and_the_cli_show_the_refusal(app: Flask, limit: None) -> None:
    with app.extensions["cctv_db"].session("planner") as session:
        import_crimes(session, FIXTURES / "2024-01-bucks-street.csv", actor="planner")
        session.commit()
    capacity.configure(0.001)  # as CCTV_SITING_MEMORY_MB=0.001 would
    client = app.test_client()
    login(client, "planner")
    page = client.get("/siting")
    assert page.status_code == 200 and b"CCTV_SITING_MEMORY_MB" in page.data and b"PostGIS" in page.data
    result = app.test_cli_runner().invoke(cli, ["siting", "score", "--hotspots", "3"])
    assert result.exit_code != 0 and "CCTV_SITING_MEMORY_MB" in result.output
    assert "cctv crimes import" not in result.output


def test_the_setting_comes_from_the_app_config(tmp_path) -> None:
    from cctv.app import create_app

    try:
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "SITING_MEMORY_MB": 5, "TESTING": True})
        with pytest.raises(capacity.TooLargeForMemory, match="5 MB"):
            capacity.check_fits(None, rows=3000)  # type: ignore[arg-type]
    finally:
        capacity.configure(capacity.DEFAULT_MEMORY_MB)
