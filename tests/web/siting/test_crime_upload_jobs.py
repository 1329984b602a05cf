"""A year of crimes uploaded from the page: streamed past the app's general body limit, imported in the background
while the page polls the job, with a clear answer for a failed import or an upload past the crime limit."""

import io
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import select

from siting.store.jobs import ImportJob
from tests.conftest import BACKENDS, build_app, database_url, login

POLICE = Path(__file__).resolve().parents[2] / "fixtures" / "police"
JSON = {"Accept": "application/json"}


@pytest.fixture(params=BACKENDS)
def background_app(request: pytest.FixtureRequest, tmp_path: Path):
    """The app importing on a thread, as in production."""
    app = build_app(database_url(request.param, tmp_path), CRIME_IMPORT_IN_BACKGROUND=True)
    yield app
    app.extensions["cctv_db"].engine.dispose()


def _wait(client, url: str) -> dict:
    for _ in range(300):
        job = client.get(url, headers=JSON).get_json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"the job at {url} did not finish: {job}")


def _post(client, path: Path, name: str | None = None):
    return client.post("/siting/crimes", data={"files": (io.BytesIO(path.read_bytes()), name or path.name)},
                       content_type="multipart/form-data", headers=JSON)


def test_the_import_runs_in_the_background_and_the_page_follows_it(background_app: Flask) -> None:
    client = background_app.test_client()
    login(client, "planner")
    response = _post(client, POLICE / "monthly.zip")
    assert response.status_code == 202
    answer = response.get_json()
    assert answer["state"] in ("queued", "running", "done") and answer["files"] == 1
    job = _wait(client, answer["status_url"])
    assert job["state"] == "done", job
    # The zip holds two months of the fixture's files (monthly/): every row read is added on an empty database.
    assert any(" added" in line for line in job["lines"]), job["lines"]
    with background_app.extensions["cctv_db"].session("t") as s:
        (row,) = s.exec(select(ImportJob)).all()
        assert row.import_id is not None and row.created_by == "planner"
    folder = Path(background_app.instance_path) / "crime-uploads" / f"job-{row.id}"
    assert not folder.exists()  # the uploaded files go once imported


def test_a_malformed_file_fails_the_job_with_its_file_and_line(background_app: Flask) -> None:
    client = background_app.test_client()
    login(client, "planner")
    answer = _post(client, POLICE / "malformed" / "2024-05-bucks-street.csv").get_json()
    job = _wait(client, answer["status_url"])
    assert job["state"] == "failed"
    assert job["lines"][0].startswith("Nothing imported: 2024-05-bucks-street.csv, line ")


def test_the_crime_upload_has_its_own_limit_beyond_the_apps(app: Flask, as_role) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 512  # far below the fixture's 1.6 kB: every other form would refuse it
    planner = as_role("planner")
    page = planner.post("/siting/crimes", data={"files": (io.BytesIO((POLICE / "2024-01-bucks-street.csv")
                                                                     .read_bytes()), "2024-01-bucks-street.csv")},
                        content_type="multipart/form-data").get_data(as_text=True)
    assert "8 rows read from 1 file: 8 added" in page
    app.config["CRIME_UPLOAD_MAX_BYTES"] = 1024
    refused = planner.post("/siting/crimes", headers=JSON, content_type="multipart/form-data",
                           data={"files": (io.BytesIO(b"x" * 4096), "year.zip")})
    assert refused.status_code == 413 and "cctv crimes import" in refused.get_json()["errors"][0]


def test_form_errors_come_back_as_json_for_the_pages_script(app: Flask, as_role) -> None:
    planner = as_role("planner")
    response = planner.post("/siting/crimes", headers=JSON, content_type="multipart/form-data",
                            data={"files": (io.BytesIO(b"hello"), "notes.txt")})
    assert response.status_code == 400
    assert response.get_json()["errors"] == [
        "Files: data.police.uk street-level .csv files or a .zip, please."]


def test_an_unknown_job_is_404(as_role) -> None:
    assert as_role("planner").get("/siting/crimes/jobs/999").status_code == 404
