"""Hostile police.uk uploads are refused before they cost memory or minutes: a zip bomb from its directory (member
size and expansion ratio), and a CSV with more rows than any month's file."""

import io
import zipfile
from pathlib import Path

import pytest

from siting.sources import police
from siting.sources.police import PoliceFileError, find_sources, read_crime_rows

HEADER = ",".join(police.COLUMNS) + "\n"
ROW = "abc,2024-01,Thames Valley Police,Thames Valley Police,-0.75,51.63,On or near X,E01,Wycombe 1,Burglary,,\n"


def _zip(path: Path, name: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text)
    return path


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.zip", "2024-01/2024-01-x-street.csv", HEADER + "0" * 20_000_000)
    with pytest.raises(PoliceFileError, match="times its packed size"):
        find_sources(bomb)


def test_a_member_past_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(police, "MAX_MEMBER_BYTES", 1000)
    big = _zip(tmp_path / "big.zip", "2024-01/2024-01-x-street.csv", HEADER + ROW * 50)
    with pytest.raises(PoliceFileError, match="more than the 0 MB"):
        find_sources(big)


def test_an_ordinary_zip_passes(tmp_path: Path) -> None:
    fine = _zip(tmp_path / "fine.zip", "2024-01/2024-01-x-street.csv", HEADER + ROW * 3)
    assert len(list(read_crime_rows(fine))) == 3


def test_a_csv_with_too_many_rows_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(police, "MAX_ROWS_PER_FILE", 5)
    many = tmp_path / "2024-01-x-street.csv"
    many.write_text(HEADER + ROW * 6)
    with pytest.raises(PoliceFileError, match="more than 5 rows"):
        list(read_crime_rows(many))
    many.write_text(HEADER + ROW * 5)
    assert len(list(read_crime_rows(many))) == 5


def test_the_zip_bomb_upload_page_says_why(app, as_role, tmp_path: Path) -> None:
    planner = as_role("planner")
    bomb = _zip(tmp_path / "bomb.zip", "2024-01/2024-01-x-street.csv", HEADER + "0" * 20_000_000)
    response = planner.post("/siting/crimes", data={"files": (io.BytesIO(bomb.read_bytes()), "bomb.zip")},
                            content_type="multipart/form-data")
    assert response.status_code == 400
    assert "packed size" in response.get_data(as_text=True)


def test_an_upload_past_the_limit_is_413_with_the_form_and_what_to_do(app, as_role) -> None:
    app.config["CRIME_UPLOAD_MAX_BYTES"] = 1024 * 1024  # the crime upload's own limit, not MAX_CONTENT_LENGTH
    planner = as_role("planner")
    response = planner.post("/siting/crimes", data={"files": (io.BytesIO(b"x" * (2 * 1024 * 1024)), "year.zip")},
                            content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "1 MB" in page and "cctv crimes import" in page and 'type="file"' in page
