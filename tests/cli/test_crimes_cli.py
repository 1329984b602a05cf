"""`cctv crimes import` and `cctv crimes summary`, run through Flask's CLI runner on each database backend."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import func
from sqlmodel import select

from cctv.cli import cli
from siting.store.tables import Crime, CrimeImport
from tests.conftest import BACKENDS, build_app, database_url

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "police"
JANUARY = str(FIXTURES / "2024-01-bucks-street.csv")
MONTHLY = str(FIXTURES / "monthly")
MALFORMED = str(FIXTURES / "malformed")
WYCOMBE = "-0.80,51.60,-0.70,51.65"


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app with the small estate, on each backend under test."""
    app = build_app(database_url(request.param, tmp_path))
    yield app
    app.extensions["cctv_db"].engine.dispose()


def run(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(cli, list(args))


def counts(app: Flask) -> tuple[int, int]:
    """(crimes, imports) in the app's database."""
    with app.extensions["cctv_db"].session("check") as session:
        return (session.exec(select(func.count()).select_from(Crime)).one(),
                session.exec(select(func.count()).select_from(CrimeImport)).one())


def test_an_import_shows_its_summary(app: Flask) -> None:
    result = run(app, "crimes", "import", JANUARY, MONTHLY, "--bbox", WYCOMBE)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Importing 3 files" in out
    # January's two rows without a location cannot be placed in the box: counted, not stored.
    assert ("13 rows read from 3 files: 10 added, 0 already imported (skipped), 1 outside the area, 2 without a "
            "location (not stored: the area cannot place them).") in out
    assert "  Jan 2024           5" in out and "  Apr 2024           3" in out
    assert "Anti-social behaviour                6" in out
    assert "Months missing in the window: Feb 2024." in out
    assert "Area: bounding box (longitude/latitude)" in out
    assert counts(app) == (10, 1)


def test_importing_the_same_months_again_adds_nothing(app: Flask) -> None:
    assert run(app, "crimes", "import", JANUARY).exit_code == 0
    result = run(app, "crimes", "import", JANUARY, str(FIXTURES / "monthly.zip"), MONTHLY)
    assert result.exit_code == 0, result.output
    assert "18 rows read from 5 files: 5 added, 13 already imported (skipped), 0 outside the area." in result.output
    assert counts(app) == (13, 2)


def test_a_malformed_file_is_refused_naming_file_and_line(app: Flask) -> None:
    result = run(app, "crimes", "import", JANUARY, MALFORMED)
    assert result.exit_code == 1
    assert "2024-05-bucks-street.csv, line 4: expected 12 cells, found 11" in result.output
    assert "Nothing was imported" in result.output and "--skip-bad-rows" in result.output
    assert counts(app) == (0, 0)


def test_skipping_bad_rows_lists_them(app: Flask) -> None:
    result = run(app, "crimes", "import", JANUARY, MALFORMED, "--skip-bad-rows")
    assert result.exit_code == 0, result.output
    assert "1 malformed row skipped:\n  2024-05-bucks-street.csv, line 4: expected 12 cells, found 11" in result.output
    assert counts(app) == (11, 1)


def test_a_boundary_file_filters_like_a_box(app: Flask, tmp_path: Path) -> None:
    ring = [[-0.80, 51.60], [-0.70, 51.60], [-0.70, 51.65], [-0.80, 51.65], [-0.80, 51.60]]
    boundary = tmp_path / "wycombe.geojson"
    boundary.write_text(json.dumps({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}}))
    result = run(app, "crimes", "import", JANUARY, "--boundary", str(boundary))
    assert result.exit_code == 0, result.output
    assert ("5 added, 0 already imported (skipped), 1 outside the area, 2 without a location (not stored: the area "
            "cannot place them).") in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--bbox", "1,2,3"], "use four numbers"),
    (["--bbox", "-0.7,51.6,-0.8,51.65"], "is empty"),
    (["--bbox", WYCOMBE, "--boundary", JANUARY], "not both"),
])
def test_a_bad_area_is_a_usage_error(app: Flask, args: list[str], message: str) -> None:
    result = run(app, "crimes", "import", JANUARY, *args)
    assert result.exit_code == 2 and message in result.output
    assert counts(app) == (0, 0)


def test_the_summary_lists_months_and_counts(app: Flask) -> None:
    result = run(app, "crimes", "summary")
    assert result.exit_code == 0 and "No crimes in the database" in result.output
    run(app, "crimes", "import", JANUARY, MONTHLY)
    result = run(app, "crimes", "summary")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "13 crimes from 1 import; 2 without coordinates." in out
    assert "by cli, 3 files, 13 added, 0 duplicates skipped." in out
    assert "  Jan 2024           8          2" in out and "  Mar 2024           2          0" in out
    assert "Months missing in the window: Feb 2024." in out


def test_the_help_explains_the_options(app: Flask) -> None:
    result = run(app, "crimes", "import", "--help")
    assert result.exit_code == 0
    for option in ("--bbox", "--boundary", "--skip-bad-rows", "zips"):
        assert option in result.output
