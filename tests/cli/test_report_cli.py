"""`cctv report advisory`: the Advisory Group's PDF for a quarter or any period, with the pack's own figures, on the
known history of tests/outcomes/pack_history.py (each backend)."""

import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from cctv.app import create_app
from cctv.cli import cli
from cctv.db import Database
from cctv.outcomes.periods import Filters, parse_period
from cctv.outcomes.principles import principles_summary
from cctv.outcomes.summary import advisory_pack
from tests.outcomes.pack_history import TODAY, build_pack_history
from tests.outcomes.test_report_pdf import flat, pdf_text


@pytest.fixture
def app(database: Database) -> Flask:
    """The app on the test database, holding the known history (and nothing else)."""
    url = database.engine.url.render_as_string(hide_password=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": url, "MAP_TILE_URL": ""})
    with app.extensions["cctv_db"].session("fixture") as s:
        build_pack_history(s)
    return app


def run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(cli, args=["report", "advisory", *args])
    return result.exit_code, result.output


def test_the_quarterly_pack_is_written_with_the_packs_figures(app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    code, output = run(app, "--quarter", "2025Q3", "--as-at", TODAY.isoformat(), "-o", str(out))
    assert code == 0, output
    assert "Advisory Group report: Q3 2025: 6 incidents, 6 arrests." in output
    assert f"Wrote {out} (" in output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    text = flat(pdf_text(data, tmp_path))
    with app.extensions["cctv_db"].session("t") as s:
        pack = advisory_pack(s, parse_period("2025Q3"), Filters(), today=TODAY)
    for principle in principles_summary(pack):
        for line in principle.lines:
            assert line in text, line
    assert "Incidents 6 (+4 (+200.0%) on Q2 2025)" in text
    assert "HW-1 Camera HW-1 High Wycombe 3 3 2 1 0.0020" in text
    assert "All Total 2 £4,000.00" in text
    assert "AY-COV" not in text


def test_a_period_town_and_service_area(app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "aug.pdf"
    code, output = run(app, "--period", "2025-08", "--town", "Aylesbury", "--service-area", "park",
                       "--as-at", "2025-10-15", "-o", str(out))
    assert code == 0, output
    # August in Aylesbury's Parking cameras: none of the known incidents (I4 had no camera).
    assert "Advisory Group report: August 2025 (Town: Aylesbury; Service area: Parking): 0 incidents" in output
    text = flat(pdf_text(out.read_bytes(), tmp_path))
    assert "Town: Aylesbury; Service area: Parking. Prepared for the CCTV Advisory Group" in text


def test_today_is_the_default_day(app: Flask, tmp_path: Path) -> None:
    code, output = run(app, "--quarter", "2025Q3", "-o", str(tmp_path / "now.pdf"))
    assert code == 0, output
    text = flat(pdf_text((tmp_path / "now.pdf").read_bytes(), tmp_path))
    day = re.search(r"figures as at (\d+ \w+ \d{4})", text)
    assert day is not None and int(day.group(1).split()[-1]) >= date(2025, 10, 15).year


@pytest.mark.parametrize(("args", "message"), [
    ([], "give either --quarter"),
    (["--quarter", "2025Q3", "--period", "2025-07"], "give either --quarter"),
    (["--quarter", "2025-08"], "'2025-08' is not a quarter"),
    (["--period", "summer"], "'summer' is not a period"),
    (["--quarter", "2025Q3", "--service-area", "NOPE"], "no service area 'NOPE' (known: CS, PARK)"),
])
def test_mistakes_are_explained(app: Flask, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "never.pdf"
    code, output = run(app, *args, "-o", str(out))
    assert code == 2 and message in output, output
    assert not out.exists()
