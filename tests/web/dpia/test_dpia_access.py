"""The DPIA pages by role: advisory reads and changes nothing, operators see only whether a DPIA exists, covert
cameras are kept from those without covert access, and the PDF downloads with the system and its cameras."""

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from dpia import register
from dpia.models import Dpia
from dpia.reviews import raise_reviews_from_changes
from inventory import cameras as camera_service
from inventory.models import Camera
from inventory.scope import CameraScope
from tests.conftest import login
from tests.pdf import pdf_text
from tests.web.dpia.test_dpia_pages import RISK, SECTIONS, _count, make_system, signed_off, town

pytestmark = pytest.mark.usefixtures("quick_app")
__all__ = ["town"]  # the fixture, imported for pytest to find


def test_advisory_reads_everything_and_changes_nothing(app: Flask, as_role, app_session: Session, town: int) -> None:
    v1 = signed_off(app_session, town)
    v2 = register.start_dpia(app_session, town, actor="fixture")
    app_session.commit()
    risk = register.risks(app_session, v2.id)[0]
    advisory = as_role("advisory")
    for url in ("/dpia", f"/dpia/systems/{town}", f"/dpia/{v1.id}", f"/dpia/{v2.id}",
                f"/dpia/{v2.id}/compare?with={v1.id}"):
        assert advisory.get(url).status_code == 200, url
    draft_page = advisory.get(f"/dpia/{v2.id}").get_data(as_text=True)
    assert 'id="dpia-form"' not in draft_page and "Add risk" not in draft_page and "Sign off" not in draft_page
    assert "Start review" not in advisory.get(f"/dpia/systems/{town}").get_data(as_text=True)
    assert advisory.get(f"/dpia/{v1.id}.pdf").mimetype == "application/pdf"
    for url in (f"/dpia/systems/{town}/start", f"/dpia/{v2.id}/edit", f"/dpia/{v2.id}/sign-off",
                f"/dpia/{v2.id}/risks", f"/dpia/risks/{risk.id}", f"/dpia/risks/{risk.id}/remove"):
        assert advisory.post(url, data={"need": "advisory was here", **RISK}).status_code == 403, url
    app_session.expire_all()
    assert app_session.get(Dpia, v2.id).need == SECTIONS["need"]
    assert _count(app_session, Dpia) == 2 and len(register.risks(app_session, v2.id)) == 1


def test_an_operator_sees_only_whether_a_system_has_a_dpia(app: Flask, as_role, app_session: Session,
                                                           town: int) -> None:
    estate = app.config["TEST_ESTATE"]
    make_system(app_session, estate.parking, [estate.car_park_camera], name="Car parks")
    v1 = signed_off(app_session, town, today=date(2026, 3, 1))
    operator = as_role("operator")
    for url in ("/dpia", f"/dpia/systems/{town}", f"/dpia/{v1.id}", f"/dpia/{v1.id}.pdf", "/dpia/assessments"):
        assert operator.get(url).status_code == 403, url
    html = operator.get("/systems").get_data(as_text=True)
    assert 'href="/dpia"' not in html  # no DPIA link in the navigation
    rows = {row.split("</td>", 1)[0].rsplit(">", 1)[-1]: row for row in html.split("<tr>")[2:]}
    assert '<td class="dpia">yes</td>' in rows["Town centre"]
    assert '<td class="dpia">none</td>' in rows["Car parks"]
    assert "signed off" not in html and "2027" not in html

    dpo = as_role("dpo")  # signs the operator out
    html = dpo.get("/systems").get_data(as_text=True)
    assert "signed off (v1), review due 1 Mar 2027" in html and 'href="/dpia"' in html


def test_covert_cameras_stay_hidden_from_a_dpo_without_covert_access(app: Flask, client: FlaskClient,
                                                                     app_session: Session, tmp_path) -> None:
    estate = app.config["TEST_ESTATE"]
    parking = make_system(app_session, estate.parking, [estate.car_park_camera, estate.covert_camera],
                          name="Car parks")
    v1 = signed_off(app_session, parking)
    covert = app_session.get(Camera, estate.covert_camera)
    camera_service.move_camera(app_session, CameraScope.everything(), covert, to_location_text="Tip entrance",
                               to_town="Wendover", to_longitude=-0.741, to_latitude=51.761, reason="fly-tipping",
                               actor="fixture")
    app_session.commit()  # a pending change on the covert camera
    loose = Camera(asset_id="PARK-COV-2", name="Second hide", service_area_id=estate.parking, kind="covert",
                   location_text="Bridleway", town="Halton")
    app_session.add(loose)  # a covert camera in no system: a gap
    app_session.commit()

    def pages(role: str) -> dict[str, str]:
        login(client, role)
        found = {url: client.get(url).get_data(as_text=True)
                 for url in ("/dpia", f"/dpia/systems/{parking}", f"/dpia/{v1.id}")}
        found["pdf"] = pdf_text(client.get(f"/dpia/{v1.id}.pdf").data, tmp_path)
        return found

    dpo = pages("dpo")
    for where, html in dpo.items():
        for mark in ("PARK-COV-1", "Fly-tipping hide", "Tip entrance", "PARK-COV-2", "Second hide"):
            assert mark not in html, (where, mark)
    assert "PARK-001" in dpo[f"/dpia/{v1.id}"].split('id="annex"', 1)[1] and "PARK-001" in dpo["pdf"]
    assert "a change to a camera in this system" in dpo["/dpia"].split('id="changes"', 1)[1]
    gaps = dpo["/dpia"].split('id="gaps"', 1)[1].split("</table>", 1)[0]
    assert "CS-001" in gaps and '<small id="gap-count">1</small>' in dpo["/dpia"]

    # Once raised, the review says only that one of the system's cameras changed, not which nor that it is covert.
    raise_reviews_from_changes(app_session, now=datetime.now(UTC))
    app_session.commit()
    reviews = client.get("/dpia").get_data(as_text=True).split('id="reviews"', 1)[1].split("</table>", 1)[0]
    assert "Camera moved" in reviews and "a change to a camera in this system" in reviews
    assert "PARK-COV-1" not in reviews and "covert" not in reviews.lower()

    # A review's draft compares its live annex with v1: the covert camera's move is left out for this DPO.
    v2 = register.start_dpia(app_session, parking, actor="fixture")
    app_session.commit()
    for url in (f"/dpia/{v2.id}", f"/dpia/{v2.id}/compare?with={v1.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "PARK-COV-1" not in html and "Tip entrance" not in html, url

    admin = pages("admin")  # administrators see covert cameras
    assert "Moved: PARK-COV-1" in client.get(f"/dpia/{v2.id}").get_data(as_text=True)
    assert "PARK-COV-1" in admin[f"/dpia/{v1.id}"] and "PARK-COV-1" in admin["pdf"]
    assert "PARK-COV-2" in admin["/dpia"] and '<small id="gap-count">2</small>' in admin["/dpia"]
    assert "PARK-COV-1" in admin["/dpia"].split('id="reviews"', 1)[1]


def test_the_pdf_downloads_with_the_system_and_its_cameras(as_role, app_session: Session, town: int,
                                                           tmp_path) -> None:
    v1 = signed_off(app_session, town)
    response = as_role("dpo").get(f"/dpia/{v1.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="dpia-town-centre-v1.pdf"'
    assert response.data.startswith(b"%PDF")
    text = pdf_text(response.data, tmp_path)
    assert "Data protection impact assessment: Town centre" in text
    assert "CS-001" in text and "Frogmoor north" in text and "Collateral intrusion" in text
