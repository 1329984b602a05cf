"""The in-memory model refuses, before reading any crime, when the crimes of the months a run reads would not fit in
the memory the setting allows, naming the setting and the PostGIS advice: from the service, the planner page and the
CLI. Months outside the run's window are not counted: they are never read."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session

from cctv.cli import cli
from siting import planning
from siting.model.inputs import month_date
from siting.model.run import ModelParams
from siting.store import capacity, columns
from siting.store.crimes import import_crimes
from tests.conftest import login
from tests.siting.helpers import FIXTURES


@pytest.fixture
def limit() -> Iterator[None]:
    """Put the app-wide setting back after a test changes it."""
    yield
    capacity.configure(capacity.DEFAULT_MEMORY_MB)


def test_the_estimate_refuses_past_the_setting_only() -> None:
    capacity.check_fits(1_000_000, memory_mb=2048)  # 1.9 GB: fits
    with pytest.raises(capacity.TooLargeForMemory) as refused:
        capacity.check_fits(18_000_000, memory_mb=2048)
    message = str(refused.value)
    assert "18,000,000 crimes in the months the run reads" in message and "34,332 MB" in message  # 18e6 × 2000 B
    assert "CCTV_SITING_MEMORY_MB" in message and "PostgreSQL with PostGIS" in message


def test_the_model_refuses_before_reading_any_crime(session: Session, limit: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import_crimes(session, FIXTURES / "2024-01-bucks-street.csv", actor="planner")
    session.commit()
    assert planning.model_inputs(session).crimes is not None  # 8 crimes fit in 2 GB
    capacity.configure(8 * capacity.BYTES_PER_CRIME / 2**20 * 0.99)  # just under what 8 crimes need
    monkeypatch.setattr(columns, "_unpacked", lambda *a, **k: pytest.fail("crimes were read"))
    monkeypatch.setattr(columns, "_from_crime", lambda *a, **k: pytest.fail("crimes were read"))
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
            capacity.check_fits(3000)
    finally:
        capacity.configure(capacity.DEFAULT_MEMORY_MB)


HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
          "Last outcome category,Context")


def _years_of_crimes(folder: Path, first_year: int, years: int, per_month: int) -> list[Path]:
    """police.uk street files of `years` whole years from `first_year`, `per_month` located crimes a month (in
    High Wycombe, a few metres apart, so hotspot peaks exist)."""
    paths = []
    for year in range(first_year, first_year + years):
        for month in range(1, 13):
            rows = [f"c{year}{month:02d}{i},{year}-{month:02d},Thames Valley Police,Thames Valley Police,"
                    f"{-0.75173 + i * 1e-5:.6f},51.628276,On or near High Street,E01017862,Wycombe 011A,"
                    "Violence and sexual offences,Under investigation," for i in range(per_month)]
            path = folder / f"{year}-{month:02d}-bucks-street.csv"
            path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
            paths.append(path)
    return paths


def _fitting(crimes_held: int) -> float:
    """A setting in MB that holds `crimes_held` crimes and not one more."""
    return crimes_held * capacity.BYTES_PER_CRIME / 2**20


def test_years_outside_the_window_are_not_counted(session: Session, limit: None, tmp_path: Path) -> None:
    """Four years are stored (480 crimes) but a one-year window reads 120: it runs under a setting that holds 200,
    and only a window whose own months pass 200 (three years, 360) is refused."""
    import_crimes(session, _years_of_crimes(tmp_path, 2021, 4, 10), actor="planner")
    session.commit()
    capacity.configure(_fitting(200))
    year = planning.model_inputs(session, ModelParams(window_months=12))
    assert len(year.crimes) == 120
    assert {month_date(m).year for m in year.crimes.month.tolist()} == {2024}
    with pytest.raises(planning.TooLargeForMemory) as refused:
        planning.model_inputs(session, ModelParams(window_months=36))
    message = str(refused.value)
    assert message.startswith("360 crimes in the months the run reads")
    assert "CCTV_SITING_MEMORY_MB" in message and "PostgreSQL with PostGIS" in message
    with pytest.raises(planning.TooLargeForMemory):  # every stored month (validation trains on them): 480
        planning.model_inputs(session)


def test_the_pages_and_the_cli_count_the_window(app: Flask, limit: None, tmp_path: Path) -> None:
    with app.extensions["cctv_db"].session("planner") as session:
        import_crimes(session, _years_of_crimes(tmp_path, 2021, 4, 10), actor="planner")
        session.commit()
    capacity.configure(_fitting(200))
    client = app.test_client()
    login(client, "planner")
    page = client.get("/siting?window_months=12")
    assert page.status_code == 200 and b"CCTV_SITING_MEMORY_MB" not in page.data
    page = client.get("/siting?window_months=36")
    assert page.status_code == 200 and b"CCTV_SITING_MEMORY_MB" in page.data and b"PostGIS" in page.data
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["siting", "score", "--hotspots", "1", "--window", "12"])
    assert result.exit_code == 0, result.output
    assert "120 located crimes" in result.output
    result = runner.invoke(cli, ["siting", "score", "--hotspots", "1", "--window", "36"])
    assert result.exit_code != 0 and "360 crimes in the months the run reads" in result.output
    assert "CCTV_SITING_MEMORY_MB" in result.output and "PostGIS" in result.output
