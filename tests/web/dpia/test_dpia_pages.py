"""The DPIA pages: drafting, risks, sign-off refused then given, frozen versions, reviews as new versions, the
dashboard, and the journey on each backend (who may read what, covert cameras and the PDF: test_dpia_access.py)."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlmodel import Session, func, select

from cctv.audit import AuditEntry
from dpia import register
from dpia.models import Dpia, DpiaBase, DpiaReview, DpiaRisk, DpiaRiskBase
from dpia.reviews import anniversary, raise_reviews_from_changes
from dpia.types import DpiaStatus, ReviewReason
from inventory import cameras as camera_service
from inventory.models import Camera, CameraSystem
from inventory.scope import CameraScope
from tests.conftest import BACKENDS, PASSWORD, build_app, database_url

pytestmark = pytest.mark.usefixtures("quick_app")

SECTIONS = {"need": "Town-centre cameras watch public streets at night.",
            "processing": "Images kept 31 days.\nViewed in the Wycombe control room.",
            "evidence": "412 violent crimes within 100 m in 2025.",
            "consultation": "Town council and Thames Valley Police consulted.",
            "necessity": "Less intrusive options (lighting) tried first."}
SIGN_OFF = {"measures_approved_by": "Head of Community Safety", "residual_risk_approved_by": "Director of Place",
            "dpo_name": "Jo Data", "dpo_advice": "Proceed; review signage.", "dpo_advice_accepted": "yes",
            "reviewer": "CCTV manager"}
COMPLETE = DpiaBase(**SECTIONS, **(SIGN_OFF | {"dpo_advice_accepted": True}))
RISK = {"risk-new-description": "Collateral intrusion into flats above shops", "risk-new-likelihood": "2",
        "risk-new-severity": "3", "risk-new-measures": "Privacy masking on windows", "risk-new-effect": "reduced",
        "risk-new-residual_likelihood": "1", "risk-new-residual_severity": "2", "risk-new-measure_approved": "y"}


def london_today() -> date:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/London")).date()


def make_system(s: Session, area_id: int, camera_ids: list[int], name: str = "Town centre") -> int:
    """A system holding these cameras (put there directly: no inventory change)."""
    system = CameraSystem(name=name, service_area_id=area_id)
    s.add(system)
    s.flush()
    for camera_id in camera_ids:
        camera = s.get(Camera, camera_id)
        camera.system_id = system.id
        s.add(camera)
    s.commit()
    return system.id


def signed_off(s: Session, system_id: int, today: date = date(2026, 3, 1)) -> Dpia:
    """Version 1 of the system's DPIA, complete with one risk and signed off on `today`."""
    dpia = register.start_dpia(s, system_id, actor="fixture")
    register.update_draft(s, dpia.id, COMPLETE, actor="fixture")
    register.add_risk(s, dpia.id, DpiaRiskBase(description="Collateral intrusion", likelihood=2, severity=3))
    register.sign_off(s, dpia.id, actor="fixture", today=today)
    s.commit()
    return dpia


@pytest.fixture
def town(app: Flask, app_session: Session) -> int:
    """The 'Town centre' system holding the town camera CS-001."""
    estate = app.config["TEST_ESTATE"]
    return make_system(app_session, estate.community_safety, [estate.town_camera])


def _count(s: Session, model) -> int:
    s.expire_all()
    return s.exec(select(func.count()).select_from(model)).one()


def test_dpo_drafts_adds_a_risk_fails_sign_off_then_signs_off(as_role, form_view, app_session: Session,
                                                                town: int) -> None:
    dpo = as_role("dpo")
    system_page = dpo.get(f"/dpia/systems/{town}").get_data(as_text=True)
    assert "Start first DPIA" in system_page and "No DPIA yet." in system_page

    response = dpo.post(f"/dpia/systems/{town}/start", data={"reason": ""})
    draft = app_session.exec(select(Dpia).where(Dpia.system_id == town)).one()
    assert response.status_code == 302 and response.headers["Location"] == f"/dpia/{draft.id}"
    assert (draft.version, draft.status) == (1, DpiaStatus.DRAFT)

    # Sign off with the sections typed but no risk and half the sign-off: refused, nothing typed is lost.
    page = form_view(dpo.get(f"/dpia/{draft.id}"))
    typed = page.submission(**SECTIONS, measures_approved_by="Head of Community Safety", dpo_advice_accepted="no")
    response = dpo.post(f"/dpia/{draft.id}/sign-off", data=typed)
    assert response.status_code == 400
    shown = form_view(response)
    for name, text in SECTIONS.items():
        assert shown.value(name) == text, name
    assert shown.value("measures_approved_by") == "Head of Community Safety"
    assert shown.choice("dpo_advice_accepted") == "no"
    assert shown.error("dpo_advice") == "DPO advice is required"
    assert shown.error("reviewer") == "Kept under review by is required"
    assert shown.error("dpo_advice_overruled_because") == "Give the reason the DPO advice was overruled"
    assert shown.error("need") == "" and shown.error("measures_approved_by") == ""
    html = response.get_data(as_text=True)
    assert "Not signed off" in html and "At least one risk is required" in html
    app_session.expire_all()
    kept = app_session.get(Dpia, draft.id)
    assert kept.status == DpiaStatus.DRAFT and kept.processing == SECTIONS["processing"]
    assert kept.dpo_advice_accepted is False  # the draft was saved as typed

    # A risk with no description is refused beside the field, the rest kept; then a real one is added.
    response = dpo.post(f"/dpia/{draft.id}/risks", data=RISK | {"risk-new-description": "  "})
    assert response.status_code == 400
    assert form_view(response).error("risk-new-description") == "Describe the risk."
    assert form_view(response).value("risk-new-measures") == "Privacy masking on windows"
    assert _count(app_session, DpiaRisk) == 0
    response = dpo.post(f"/dpia/{draft.id}/risks", data=RISK)
    assert response.status_code == 302 and response.headers["Location"] == f"/dpia/{draft.id}#risks"
    register_html = dpo.get(f"/dpia/{draft.id}").get_data(as_text=True).split('id="risk-register"', 1)[1]
    row = register_html.split("</tr>", 2)[1]  # the header, then risk 1
    assert "Collateral intrusion into flats above shops" in row
    assert "<td>Possible (2)</td><td>Severe (3)</td>" in row
    assert '<span class="rating high">high</span>' in row  # possible (2) × severe (3) = 6
    assert '<span class="rating low">low</span>' in row  # remote (1) × significant (2) = 2

    # Complete the sign-off and sign: the version is frozen with its annex, the next review a year on.
    page = form_view(dpo.get(f"/dpia/{draft.id}"))
    response = dpo.post(f"/dpia/{draft.id}/sign-off", data=page.submission(**SIGN_OFF))
    assert response.status_code == 302, form_view(response).errors
    app_session.expire_all()
    done = app_session.get(Dpia, draft.id)
    assert done.status == DpiaStatus.SIGNED_OFF and done.signed_off_by == "dpo"
    assert done.next_review_due == anniversary(london_today())
    assert [line["asset_id"] for line in done.annex()] == ["CS-001"]
    html = dpo.get(f"/dpia/{draft.id}").get_data(as_text=True)
    assert "Version 1 signed off." in html and 'id="dpia-form"' not in html
    dashboard = dpo.get("/dpia").get_data(as_text=True)
    assert ">signed off (v1)</a>" in dashboard.split('id="dpia-systems"', 1)[1].split("</table>", 1)[0]


def test_risks_of_a_draft_are_edited_and_removed_and_renumbered(as_role, form_view, app_session: Session,
                                                                 town: int) -> None:
    draft = register.start_dpia(app_session, town, actor="fixture")
    for text in ("Collateral intrusion", "Function creep", "Unlawful disclosure"):
        register.add_risk(app_session, draft.id, DpiaRiskBase(description=text))
    app_session.commit()
    first, second, _third = register.risks(app_session, draft.id)
    dpo = as_role("dpo")
    page = form_view(dpo.get(f"/dpia/{draft.id}"))
    assert page.value(f"risk-{second.id}-description") == "Function creep"
    assert page.choice(f"risk-{second.id}-effect") == "reduced"

    # A blank description is refused beside that risk's field; what was typed in the other fields stays.
    prefix = f"risk-{second.id}-"
    typed = {prefix + "description": "", prefix + "likelihood": "3", prefix + "severity": "2",
             prefix + "measures": "Purpose limitation in the policy", prefix + "effect": "eliminated",
             prefix + "residual_likelihood": "1", prefix + "residual_severity": "1"}
    response = dpo.post(f"/dpia/risks/{second.id}", data=typed)
    assert response.status_code == 400
    shown = form_view(response)
    assert shown.error(prefix + "description") == "Describe the risk."
    assert shown.value(prefix + "measures") == "Purpose limitation in the policy"
    assert shown.choice(prefix + "likelihood") == "3" and shown.choice(prefix + "effect") == "eliminated"
    assert shown.value(f"risk-{first.id}-description") == "Collateral intrusion"  # the other forms as stored
    assert "<details class=\"risk-edit\" open>" in response.get_data(as_text=True)

    response = dpo.post(f"/dpia/risks/{second.id}", data=typed | {prefix + "description": "Function creep"})
    assert response.status_code == 302
    app_session.expire_all()
    saved = app_session.get(DpiaRisk, second.id)
    assert (saved.likelihood, saved.severity, saved.effect, saved.rating) == (3, 2, "eliminated", "high")

    first_id = first.id
    assert dpo.post(f"/dpia/risks/{first_id}/remove").status_code == 302
    app_session.expire_all()
    assert [(r.position, r.description) for r in register.risks(app_session, draft.id)] == [
        (1, "Function creep"), (2, "Unlawful disclosure")]
    assert dpo.post(f"/dpia/risks/{first_id}").status_code == 404  # gone


def test_a_signed_off_version_refuses_every_change(as_role, app_session: Session, town: int) -> None:
    v1 = signed_off(app_session, town)
    risk = register.risks(app_session, v1.id)[0]
    dpo = as_role("dpo")
    for url, data in ((f"/dpia/{v1.id}/edit", {"need": "Rewritten"}), (f"/dpia/{v1.id}/sign-off", {"need": "x"}),
                      (f"/dpia/{v1.id}/risks", RISK), (f"/dpia/risks/{risk.id}", {f"risk-{risk.id}-description": "y"}),
                      (f"/dpia/risks/{risk.id}/remove", {})):
        response = dpo.post(url, data=data)
        assert response.status_code == 409, url
        assert "Version 1 is signed off and cannot be changed" in response.get_data(as_text=True)
    app_session.expire_all()
    assert app_session.get(Dpia, v1.id).need == SECTIONS["need"]
    assert [r.description for r in register.risks(app_session, v1.id)] == ["Collateral intrusion"]


def test_a_review_makes_version_2_from_version_1_and_shows_what_changed(app: Flask, as_role, form_view,
                                                                        app_session: Session, town: int) -> None:
    v1 = signed_off(app_session, town)
    camera = app_session.get(Camera, app.config["TEST_ESTATE"].town_camera)
    camera_service.move_camera(app_session, CameraScope.everything(), camera, to_location_text="Oxford Road",
                               to_town="High Wycombe", to_longitude=-0.76, to_latitude=51.63, reason="redeployed",
                               actor="fixture")
    app_session.commit()
    dpo = as_role("dpo")
    assert "Start review (new version)" in dpo.get(f"/dpia/systems/{town}").get_data(as_text=True)

    response = dpo.post(f"/dpia/systems/{town}/start", data={"reason": "CS-001 moved"})
    v2 = app_session.exec(select(Dpia).where(Dpia.system_id == town, Dpia.version == 2)).one()
    assert response.headers["Location"] == f"/dpia/{v2.id}"
    assert v2.based_on_id == v1.id and v2.status == DpiaStatus.DRAFT
    page = form_view(dpo.get(f"/dpia/{v2.id}"))
    assert page.value("need") == SECTIONS["need"] and page.value("reviewer") == "CCTV manager"
    assert page.value("dpo_name") == "" and page.choice("dpo_advice_accepted") == ""  # approvals start again
    assert page.value("summary_of_changes") == "CS-001 moved"
    assert [r.description for r in register.risks(app_session, v2.id)] == ["Collateral intrusion"]

    dpo.post(f"/dpia/{v2.id}/edit", data=page.submission(necessity="Lighting did not reduce crime."))
    html = dpo.get(f"/dpia/{v2.id}").get_data(as_text=True)
    diff = html.split("What changed since v1", 1)[1]
    assert "<td>Necessity and proportionality</td>" in diff and "Lighting did not reduce crime." in diff
    assert "Moved: CS-001 from Frogmoor (High Wycombe) to Oxford Road (High Wycombe)" in diff
    # The signed-off v1 still shows the camera where it was signed off; the draft's annex is live.
    assert "<td>Frogmoor</td>" in dpo.get(f"/dpia/{v1.id}").get_data(as_text=True).split('id="annex"', 1)[1]
    assert "<td>Oxford Road</td>" in html.split('id="annex"', 1)[1]

    side = dpo.get(f"/dpia/{v2.id}/compare?with={v1.id}").get_data(as_text=True)
    assert "v1 and v2 side by side" in side
    row = side.split("Necessity and proportionality", 1)[1].split("</tr>", 1)[0]
    assert "<strong>changed</strong>" in row and SECTIONS["necessity"] in row and "Lighting did not" in row
    assert "Moved: CS-001" in side
    other = make_system(app_session, app.config["TEST_ESTATE"].parking, [], name="Car parks")
    elsewhere = register.start_dpia(app_session, other, actor="fixture")
    app_session.commit()
    assert dpo.get(f"/dpia/{v2.id}/compare?with={elsewhere.id}").status_code == 400


def test_the_dashboard_shows_changes_waiting_then_the_reviews_they_raise(app: Flask, as_role, app_session: Session,
                                                                        town: int) -> None:
    signed_off(app_session, town, today=london_today())
    camera = app_session.get(Camera, app.config["TEST_ESTATE"].town_camera)
    camera_service.move_camera(app_session, CameraScope.everything(), camera, to_location_text="Oxford Road",
                               to_town="High Wycombe", to_longitude=-0.76, to_latitude=51.63, reason="redeployed",
                               actor="supervisor")
    app_session.commit()
    dpo = as_role("dpo")
    html = dpo.get("/dpia").get_data(as_text=True)
    changes = html.split('id="changes"', 1)[1].split("</table>", 1)[0]
    assert "camera moved" in changes and "CS-001 moved to Oxford Road: redeployed" in changes
    assert "Town centre" in changes and "<td>supervisor</td>" in changes
    waiting = html.split('id="reviews"', 1)[1].split("</table>", 1)[0]
    assert "Camera moved" not in waiting and "Yearly review" in waiting  # not yet raised

    raise_reviews_from_changes(app_session, now=datetime.now(UTC))
    app_session.commit()
    html = dpo.get("/dpia").get_data(as_text=True)
    assert "None waiting." in html.split('id="changes"', 1)[1].split("</table>", 1)[0]
    reviews = html.split('id="reviews"', 1)[1].split("</table>", 1)[0]
    rows = reviews.split("<tr>")[2:]
    assert len(rows) == 2  # the change, due today, and the yearly review a year on
    assert "Camera moved" in rows[0] and ">due</span>" in rows[0] and ">CS-001</a>" in rows[0]
    assert "Yearly review" in rows[1] and ">upcoming</span>" in rows[1]
    assert "1 due or overdue, 2 open" in html
    stored = app_session.exec(select(DpiaReview).where(DpiaReview.reason == ReviewReason.CAMERA_MOVED)).one()
    assert stored.due_on == london_today()


@pytest.fixture(params=BACKENDS)
def backend_app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    """The app on each backend under test (PostgreSQL too when CCTV_TEST_DATABASE_URL is set)."""
    app = build_app(database_url(request.param, tmp_path))
    yield app
    app.extensions["cctv_db"].engine.dispose()


def test_the_register_journey_persists_and_is_audited_on_each_backend(backend_app: Flask, form_view) -> None:
    """Draft, refused sign-off (kept), sign-off with its yearly review, a review as v2, CSRF on, audit by user."""
    backend_app.config["WTF_CSRF_ENABLED"] = True
    estate = backend_app.config["TEST_ESTATE"]
    database = backend_app.extensions["cctv_db"]
    with database.session("fixture") as s:
        town = make_system(s, estate.community_safety, [estate.town_camera])
    client = backend_app.test_client()
    token = form_view(client.get("/login")).value("csrf_token")
    assert client.post("/login", data={"username": "dpo", "password": PASSWORD, "csrf_token": token}).status_code == 302

    start_page = form_view(client.get(f"/dpia/systems/{town}"))
    assert client.post(f"/dpia/systems/{town}/start", data={"reason": "x"}).status_code == 400  # no CSRF token
    response = client.post(f"/dpia/systems/{town}/start", data=start_page.submission())
    dpia_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = form_view(client.get(f"/dpia/{dpia_id}"))
    assert client.post(f"/dpia/{dpia_id}/sign-off", data=page.submission(**SECTIONS)).status_code == 400
    page = form_view(client.get(f"/dpia/{dpia_id}"))
    assert page.value("necessity") == SECTIONS["necessity"]  # the refused sign-off kept the typing
    assert client.post(f"/dpia/{dpia_id}/risks", data=page.submission(**RISK)).status_code == 302
    page = form_view(client.get(f"/dpia/{dpia_id}"))
    assert client.post(f"/dpia/{dpia_id}/sign-off", data=page.submission(**SIGN_OFF)).status_code == 302
    assert client.post(f"/dpia/{dpia_id}/edit", data=page.submission(need="late")).status_code == 409
    response = client.post(f"/dpia/systems/{town}/start", data=start_page.submission(reason="yearly"))
    assert response.status_code == 302

    with database.session("checker") as s:
        versions = register.versions(s, town)
        assert [(v.version, v.status) for v in versions] == [(2, DpiaStatus.DRAFT), (1, DpiaStatus.SIGNED_OFF)]
        assert versions[0].need == SECTIONS["need"] and versions[1].need == SECTIONS["need"]
        assert [r.description for r in register.risks(s, versions[0].id)] == [RISK["risk-new-description"]]
        yearly = s.exec(select(DpiaReview).where(DpiaReview.system_id == town)).one()
        assert (yearly.reason, yearly.due_on) == (ReviewReason.YEARLY, anniversary(london_today()))
        audited = s.exec(select(AuditEntry.actor, AuditEntry.action).where(
            AuditEntry.table_name == "dpia", AuditEntry.record_id == str(dpia_id))).all()
        assert ("dpo", "create") in audited and ("dpo", "update") in audited
        assert {actor for actor, _ in audited} == {"dpo"}
