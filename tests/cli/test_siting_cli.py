"""`cctv siting …` on a small known crime history: score, hotspots, best, validate, report and add-sites."""

from datetime import date

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlmodel import select

from cctv.cli import cli
from siting.store.saved import CandidateSite, SitingRun
from tests.conftest import build_app
from tests.web.siting.test_siting_pages import SITE_E, SITE_N, _crime

FROGMOOR_LSOA = ("E01017836", "Wycombe 012A")
EASTON_LSOA = ("E01017840", "Wycombe 014C")


def _placed(crime, label: str, lsoa: tuple[str, str]):
    crime.location, (crime.lsoa_code, crime.lsoa_name) = label, lsoa
    return crime


@pytest.fixture
def app(tmp_path) -> Flask:
    """The small estate with crimes in two clusters: five at Frogmoor (3 years), two 1 km east on Easton Street
    (last year), each with its police.uk location label and LSOA."""
    app = build_app(f"sqlite:///{tmp_path}/cli.sqlite3")
    from siting.store.tables import CrimeImport

    with app.extensions["cctv_db"].session("fixture") as s:
        s.add(CrimeImport(imported_by="fixture"))
        s.flush()
        months = [date(2023, 6, 1), date(2024, 6, 1), date(2024, 7, 1), date(2025, 6, 1), date(2025, 12, 1)]
        s.add_all(_placed(_crime(i, SITE_E + 10, SITE_N, m), "On or near Frogmoor", FROGMOOR_LSOA)
                  for i, m in enumerate(months))
        s.add_all(_placed(_crime(10 + i, SITE_E + 1000, SITE_N, date(2025, 3 + i, 1)), "On or near Easton Street",
                          EASTON_LSOA) for i in range(2))
        s.commit()
    return app


def test_hotspots_are_proposed_and_kept_as_sites(app: Flask) -> None:
    result = app.test_cli_runner().invoke(cli, args=["siting", "hotspots", "--peaks", "2", "--add-sites"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip().startswith("H")]
    # The first proposal is the Frogmoor cluster (five crimes 10 m east of the site), centred on it rather than at
    # the edge of its 100 m reach. Each is named by its street and placed in its LSOA.
    first = lines[0].split()
    assert first[0] == "H1" and abs(float(first[1]) - (SITE_E + 10)) <= 25 and abs(float(first[2]) - SITE_N) <= 25
    assert lines[0].endswith("Frogmoor — LSOA Wycombe 012A (E01017836)")
    assert lines[1].startswith("  H2") and lines[1].endswith("Easton Street — LSOA Wycombe 014C (E01017840)")
    with app.extensions["cctv_db"].session("t") as s:
        assert sorted(s.exec(select(CandidateSite.name)).all()) == ["Easton Street", "Frogmoor"]


def test_score_ranks_explains_and_saves(app: Flask) -> None:
    runner = app.test_cli_runner()
    runner.invoke(cli, args=["siting", "hotspots", "--peaks", "2", "--add-sites"])
    result = runner.invoke(cli, args=["siting", "score", "--save", "First look"])
    assert result.exit_code == 0, result.output
    # The town is the register's: camera CS-001 ("High Wycombe") stands 226 m from the Frogmoor proposal.
    assert ("1. Frogmoor — High Wycombe, LSOA Wycombe 012A (E01017836): 5 high-harm crimes within 100 m over the "
            "36 months to Dec 2025") in result.output
    row = next(line for line in result.output.splitlines() if line.startswith("   1  "))
    assert row.startswith("   1  Frogmoor ") and row.endswith("High Wycombe, LSOA Wycombe 012A (E01017836)")
    assert "Saved as run 1." in result.output
    with app.extensions["cctv_db"].session("t") as s:
        assert s.exec(select(SitingRun.title)).one() == "First look"


def test_best_reports_greedy_beside_the_optimum(app: Flask) -> None:
    result = app.test_cli_runner().invoke(cli, args=["siting", "best", "--k", "1", "--hotspots", "2"])
    assert result.exit_code == 0, result.output
    # Names and places, never ids: the greedy and exact choices are both the Frogmoor peak.
    assert "greedy: 1 site covers 5 in" in result.output and "exact: 1 site covers 5 in" in result.output
    assert " s — optimal (LP bound met)\n" in result.output  # one site alone: greedy meets the LP bound
    assert result.output.count("  1. Frogmoor — LSOA Wycombe 012A (E01017836)\n") == 2
    assert "greedy choice: Frogmoor)" in result.output
    assert "greedy reaches 100.0% of the optimum" in result.output


def test_validate_holds_out_the_last_months(app: Flask) -> None:
    result = app.test_cli_runner().invoke(cli, args=["siting", "validate", "--hotspots", "2", "--test-months", "1",
                                                "--top", "1"])
    assert result.exit_code == 0, result.output
    assert "tested on Dec 2025 to Dec 2025" in result.output
    assert "The model's top 1 sites, best first:\n  1. Frogmoor — LSOA Wycombe 012A (E01017836)" in result.output


def test_report_writes_a_pdf_that_reads_back(app: Flask, tmp_path) -> None:
    runner = app.test_cli_runner()
    runner.invoke(cli, args=["siting", "hotspots", "--peaks", "2", "--add-sites"])
    out = tmp_path / "sites.pdf"
    result = runner.invoke(cli, args=["siting", "report", "-o", str(out), "--title", "Capital bid"])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Capital bid" in text and "Frogmoor" in text


def test_add_sites_is_all_or_nothing(app: Flask, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Site,Easting,Northing\nA,486500,192900\nB,x,192900\n")
    result = app.test_cli_runner().invoke(cli, args=["siting", "add-sites", str(bad)])
    assert result.exit_code != 0 and "bad.csv, line 3" in result.output
    good = tmp_path / "good.csv"
    good.write_text("Site,Easting,Northing\nA,486500,192900\nB,487500,192900\n")
    assert app.test_cli_runner().invoke(cli, args=["siting", "add-sites", str(good)]).exit_code == 0
    with app.extensions["cctv_db"].session("t") as s:
        assert sorted(s.exec(select(CandidateSite.name)).all()) == ["A", "B"]


def test_without_crimes_the_planner_is_told_to_import(tmp_path) -> None:
    app = build_app(f"sqlite:///{tmp_path}/empty.sqlite3")
    result = app.test_cli_runner().invoke(cli, args=["siting", "score", "--hotspots", "3"])
    assert result.exit_code != 0 and "cctv crimes import" in result.output


def test_score_prints_a_site_with_no_harm(app: Flask, tmp_path) -> None:
    # A site 5 km from every crime: no harm, so its covered share is undefined ("–"), not a crash.
    far = tmp_path / "far.csv"
    far.write_text(f"Site,Easting,Northing\nFar away,{SITE_E + 5000},{SITE_N}\n")
    runner = app.test_cli_runner()
    assert runner.invoke(cli, args=["siting", "add-sites", str(far)]).exit_code == 0
    result = runner.invoke(cli, args=["siting", "score"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "Far away" in line and line.strip()[:1].isdigit())
    assert "–" in row and "0 fixed + 0 dep." in row
    assert "1. Far away: No high-harm crimes within 100 m" in result.output


def test_save_happens_before_printing(app: Flask, monkeypatch) -> None:
    # Printing fails: the run must be in the database all the same.
    import cctv.cli.siting as siting_cli

    def broken(*_args, **_kwargs) -> None:
        raise RuntimeError("terminal gone")

    app.test_cli_runner().invoke(cli, args=["siting", "hotspots", "--peaks", "2", "--add-sites"])
    monkeypatch.setattr(siting_cli, "print_ranking", broken)
    result = app.test_cli_runner().invoke(cli, args=["siting", "score", "--save", "Kept"])
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    with app.extensions["cctv_db"].session("t") as s:
        assert s.exec(select(SitingRun.title)).all() == ["Kept"]


def test_hotspots_add_sites_twice_adds_no_duplicates(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(cli, args=["siting", "hotspots", "--peaks", "2", "--add-sites"])
    assert first.exit_code == 0 and "Added 2 candidate sites." in first.output
    again = runner.invoke(cli, args=["siting", "hotspots", "--peaks", "2", "--add-sites"])
    assert again.exit_code == 0, again.output
    assert "Added 0 candidate sites; 2 of the proposals were already candidate sites." in again.output
    with app.extensions["cctv_db"].session("t") as s:
        assert sorted(s.exec(select(CandidateSite.name)).all()) == ["Easton Street", "Frogmoor"]


def test_score_shows_rates_months_held_and_no_rising_from_missing_years(app: Flask) -> None:
    # The fixture's crimes: Jun 2023; Jun, Jul 2024; Mar, Apr, Jun, Dec 2025 — 1, 2 and 4 months held.
    runner = app.test_cli_runner()
    runner.invoke(cli, args=["siting", "hotspots", "--peaks", "2", "--add-sites"])
    result = runner.invoke(cli, args=["siting", "score"])
    assert result.exit_code == 0, result.output
    assert "Months held: 2023 1 of 12, 2024 2 of 12, 2025 4 of 12; a year with fewer than 4 is n/a." in result.output
    row = next(line for line in result.output.splitlines() if "Frogmoor" in line and line.strip()[:1].isdigit())
    # The Frogmoor cluster: 2 crimes in 2025's 4 months held = 0.50 a month; 2023 and 2024 n/a.
    assert "n/a/n/a/0.50" in row and "no trend" in row and " n/a " in row and "1 fixed + 1 dep." in row
    assert "rising" not in result.output


def test_score_flags_a_recorded_at_site_and_can_include_it(app: Flask, tmp_path) -> None:
    from siting.store.tables import Crime

    with app.extensions["cctv_db"].session("t") as s:  # the Frogmoor cluster's point is a hospital's
        for crime in s.exec(select(Crime).where(Crime.easting == SITE_E + 10)).all():
            crime.location = "On or near Hospital"
        s.commit()
    runner = app.test_cli_runner()
    # The model's own proposals leave the hospital out (its harm is not a street camera's); the density map's
    # peaks, as an analyst would draw them, propose it, and scoring must then flag it.
    proposed = runner.invoke(cli, args=["siting", "hotspots", "--peaks", "2"])
    assert "near Hospital" not in proposed.output and "Easton Street" in proposed.output
    runner.invoke(cli, args=["siting", "hotspots", "--method", "density", "--peaks", "2", "--add-sites"])
    result = runner.invoke(cli, args=["siting", "score"])
    assert result.exit_code == 0, result.output
    ranked = [line for line in result.output.splitlines() if line.strip()[:1].isdigit() and "LSOA" in line]
    # The hospital's peak is named by the only label it has: "near Hospital".
    assert "Easton Street" in ranked[0] and "near Hospital" in ranked[1]
    assert ranked[1].endswith("100%  0 fixed + 0 dep.   High Wycombe, LSOA Wycombe 012A (E01017836)  "
                              "RECORDED AT: On or near Hospital")
    included = runner.invoke(cli, args=["siting", "score", "--include-recorded-at"])
    ranked = [line for line in included.output.splitlines() if line.strip()[:1].isdigit() and "LSOA" in line]
    assert "near Hospital" in ranked[0] and "RECORDED AT: On or near Hospital" in ranked[0]
    out = tmp_path / "flagged.pdf"
    assert runner.invoke(cli, args=["siting", "report", "-o", str(out)]).exit_code == 0
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "recorded at: Hospital" in text
    assert 'Recorded-at place yes: 100% of the harm at "On or near Hospital"' in text
    assert "At one point 100% of the harm at the largest single police.uk map point" in text


def test_validity_compares_the_model_with_density_peaks_on_held_out_months(app: Flask, tmp_path) -> None:
    result = app.test_cli_runner().invoke(cli, args=["siting", "validity", "--test-months", "1", "--top", "1",
                                                "--origins", "2"])
    assert result.exit_code == 0, result.output
    # Two splits: tested on Nov 2025 (no harm: skipped) and Dec 2025, whose one crime is at Frogmoor.
    assert "test Dec 2025–Dec 2025: model 1 (PAI" in result.output and "of 1; model ÷ peaks" in result.output
    assert "Over 1 train/test splits (1 test months each), the model's top 1 sites" in result.output
    bad = tmp_path / "area.geojson"
    bad.write_text("{\"type\": \"Point\"}")
    refused = app.test_cli_runner().invoke(cli, args=["siting", "validity", "--boundary", str(bad)])
    assert refused.exit_code != 0 and "Traceback" not in refused.output and "Error" in refused.output


# `cctv siting score` of the sites a council keeps (tens, hundreds) sums and names them in numpy: scipy, 0.1 s of
# the command's start, loads only for problems that need it (every cell of a county, best K, density peaks). Nor
# does it load the inventory's models (0.15 s: it reads the cameras through `siting.store.existing.CAMERA`) or the
# import's reader and writers (0.1 s: reading is `siting.store.reading`).
NOT_FOR_SCORING = ("scipy", "scipy.sparse", "inventory.models", "siting.sources.police", "siting.store.crimes")
SCORE_PROBE = f"""
import sys
from cctv.cli import main
sys.argv = ["cctv", "siting", "score", "--top", "2"]
try:
    main()
except SystemExit as exit:
    assert not exit.code, exit.code
print("LOADED:", " ".join(sorted(name for name in {NOT_FOR_SCORING!r} if name in sys.modules)))
"""


def test_scoring_the_kept_sites_loads_no_scipy_nor_the_inventory_nor_the_import(app: Flask) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    assert app.test_cli_runner().invoke(cli, args=["siting", "hotspots", "--peaks", "2", "--add-sites"]).exit_code == 0
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "CCTV_DATABASE_URL": app.config["DATABASE_URL"], "CCTV_SECRET_KEY": "probe",
           "PYTHONPATH": str(root)}
    probe = subprocess.run([sys.executable, "-c", SCORE_PROBE], capture_output=True, text=True, env=env, check=True)
    assert "Frogmoor" in probe.stdout and "Easton Street" in probe.stdout
    assert probe.stdout.strip().endswith("LOADED:"), probe.stdout[-300:]
