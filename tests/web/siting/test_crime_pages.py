"""The crime data page: a planner uploads police.uk files; re-uploading adds nothing; a malformed file is refused
whole with its file and line, or its bad rows skipped and listed when asked."""

import io
from pathlib import Path

from flask import Flask
from sqlalchemy import func
from sqlmodel import select

from siting.store.tables import Crime

POLICE = Path(__file__).resolve().parents[2] / "fixtures" / "police"


def _upload(client, path: Path, **fields):
    data = {"files": (io.BytesIO(path.read_bytes()), path.name), **fields}
    return client.post("/siting/crimes", data=data, content_type="multipart/form-data")


def _count(app: Flask) -> int:
    with app.extensions["cctv_db"].session("t") as s:
        return s.exec(select(func.count()).select_from(Crime)).one()


def test_an_upload_is_imported_once(app: Flask, as_role) -> None:
    planner = as_role("planner")
    source = POLICE / "2024-01-bucks-street.csv"
    rows = len(source.read_text().splitlines()) - 1
    first = _upload(planner, source).get_data(as_text=True)
    assert f"{rows} rows read from 1 file: {rows} added" in first
    again = _upload(planner, source).get_data(as_text=True)
    assert f"0 added, {rows} already imported (skipped)" in again
    assert _count(app) == rows
    assert "Jan 2024" in planner.get("/siting/crimes").get_data(as_text=True)


def test_a_malformed_file_is_refused_whole_with_its_line(app: Flask, as_role) -> None:
    planner = as_role("planner")
    bad = POLICE / "malformed" / "2024-05-bucks-street.csv"
    response = _upload(planner, bad)
    assert response.status_code == 400
    assert "Nothing imported: 2024-05-bucks-street.csv, line " in response.get_data(as_text=True)
    assert _count(app) == 0
    skipped = _upload(planner, bad, skip_bad_rows="y").get_data(as_text=True)
    assert "malformed row" in skipped and _count(app) > 0


def test_a_bounding_box_keeps_only_the_council_area(app: Flask, as_role) -> None:
    planner = as_role("planner")
    response = _upload(planner, POLICE / "2024-01-bucks-street.csv", bbox="0,0,1")
    assert response.status_code == 400 and "use four numbers" in response.get_data(as_text=True)
    far_away = _upload(planner, POLICE / "2024-01-bucks-street.csv", bbox="1.0,52.0,1.1,52.1")
    # The 6 located rows lie outside; the 2 without a location cannot be placed in the box: counted, not stored.
    assert ("0 added, 0 already imported (skipped), 6 outside the area, 2 without a location (not stored: the area "
            "cannot place them).") in far_away.get_data(as_text=True)


def test_advisory_reads_but_does_not_import(as_role) -> None:
    advisory = as_role("advisory")
    assert advisory.get("/siting/crimes").status_code == 200
    assert _upload(advisory, POLICE / "2024-01-bucks-street.csv").status_code == 403
