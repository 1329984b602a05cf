"""Setting the council's area on the crime data page removes the crimes imported earlier outside it in a background
job: the request answers at once, the page follows the job, and it ends with the same three numbers as the CLI, or
with the failure and every crime still held."""

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func
from sqlmodel import select

import cctv.web.siting.import_jobs as import_jobs
from cctv.audit import AuditEntry
from siting.store.crimes import import_crimes
from siting.store.jobs import ImportJob
from siting.store.tables import Crime
from tests.cli.test_crimes_cli import JANUARY
from tests.conftest import BACKENDS, build_app, database_url, login
from tests.web.siting.test_council_area_page import RING, _geojson

JSON = {"Accept": "application/json"}
# By hand from the fixture (as in test_council_area_page): 5 of its 8 rows inside the ring, 1 in Barnet, 2 without
# coordinates; the ring is 0.1° × 0.05° at 51.6° N, about 6.9 km × 5.6 km.
REMOVED = "3 crimes imported earlier were removed (1 outside the area and 2 without a location); 5 are kept."


@pytest.fixture(params=BACKENDS)
def background_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app running crime-store jobs on a thread, as in production, with January's 8 crimes imported."""
    app = build_app(database_url(request.param, tmp_path), CRIME_IMPORT_IN_BACKGROUND=True)
    with app.extensions["cctv_db"].transaction("planner") as session:
        import_crimes(session, JANUARY, actor="planner")
    yield app
    app.extensions["cctv_db"].engine.dispose()


def _crimes(app: Flask) -> int:
    with app.extensions["cctv_db"].session("t") as s:
        return s.exec(select(func.count()).select_from(Crime)).one()


def _set_area(client):
    return client.post("/siting/crimes/area", data={"boundary": (io.BytesIO(_geojson(RING)), "w.geojson"),
                                                    "name": "Wycombe"}, content_type="multipart/form-data")


def _wait(client, job_id: int) -> dict:
    for _ in range(300):
        job = client.get(f"/siting/crimes/jobs/{job_id}", headers=JSON).get_json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def _job_of(response) -> int:
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/siting/crimes?job="), location
    return int(location.rsplit("=", 1)[1])


def test_the_request_answers_before_the_refilter_and_the_page_follows_it(background_app: Flask,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    may_finish = threading.Event()
    real = import_jobs.refilter_crimes

    def held(session, area):  # the re-filter waits until the request has answered and the page has looked
        assert may_finish.wait(30)
        return real(session, area)

    monkeypatch.setattr(import_jobs, "refilter_crimes", held)
    client = background_app.test_client()
    login(client, "planner")
    job_id = _job_of(_set_area(client))
    page = client.get(f"/siting/crimes?job={job_id}").get_data(as_text=True)
    assert f'data-status="/siting/crimes/jobs/{job_id}"' in page and f"Re-filter {job_id} is running" in page
    assert "<strong>Wycombe</strong>" in page  # the area itself is set at once: the next import uses it
    assert _crimes(background_app) == 8  # nothing removed yet
    may_finish.set()
    job = _wait(client, job_id)
    assert job["state"] == "done" and job["kind"] == "refilter" and job["title"] == f"Re-filter {job_id}"
    assert job["lines"][0].startswith("The council's area is now Wycombe (")
    assert job["lines"][1] == REMOVED
    assert _crimes(background_app) == 5
    page = client.get(f"/siting/crimes?job={job_id}").get_data(as_text=True)
    assert REMOVED in page and "data-status" not in page
    with background_app.extensions["cctv_db"].session("t") as s:  # each import's record, updated by the planner
        entries = s.exec(select(AuditEntry).where(AuditEntry.table_name == "crime_import",
                                                  AuditEntry.action == "update")).all()
        refiltered = [e for e in entries if "re-filtered to" in str(e.changed().get("area", {}).get("after"))]
        assert [e.actor for e in refiltered] == ["planner"]
        assert refiltered[0].changed()["added"] == {"before": 8, "after": 5}
        assert s.get(ImportJob, job_id).created_by == "planner"


def test_a_failed_refilter_says_so_and_removes_nothing(background_app: Flask,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(session, area):
        session.exec(select(Crime)).first()
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_jobs, "refilter_crimes", broken)
    client = background_app.test_client()
    login(client, "planner")
    job_id = _job_of(_set_area(client))
    job = _wait(client, job_id)
    assert job["state"] == "failed"
    assert job["lines"] == ["The area is set, but no crime imported earlier was removed (set the area again to try "
                            "once more): the re-filter stopped (RuntimeError)."]
    assert _crimes(background_app) == 8
    page = client.get(f"/siting/crimes?job={job_id}").get_data(as_text=True)
    assert 'id="job-failure"' in page and "set the area again to try once more" in page


def test_keeping_the_crimes_needs_no_job_and_only_planners_set_the_area(background_app: Flask) -> None:
    client = background_app.test_client()
    login(client, "advisory")
    assert _set_area(client).status_code == 403
    client = background_app.test_client()
    login(client, "planner")
    response = client.post("/siting/crimes/area", data={"boundary": (io.BytesIO(_geojson(RING)), "w.geojson"),
                                                        "name": "Wycombe", "keep_crimes": "y"},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "The council&#39;s area is now Wycombe (" in response.get_data(as_text=True)
    assert _crimes(background_app) == 8
    with background_app.extensions["cctv_db"].session("t") as s:
        assert s.exec(select(ImportJob)).all() == []
