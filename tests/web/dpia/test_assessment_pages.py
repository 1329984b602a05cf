"""The self-assessment pages: start, answer the 12 principles, plan actions, completion refused then given, read
only afterwards, and advisory reading without changing."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlmodel import Session, col, func, select

from dpia.models import AssessmentAction, PrincipleAnswerRow, SelfAssessment
from dpia.reviews import anniversary
from dpia.types import AssessmentStatus, PrincipleAnswer
from tests.conftest import BACKENDS, build_app, database_url, login

pytestmark = pytest.mark.usefixtures("quick_app")

MET_EVIDENCE = "Signage at every camera; policy on the website."


def london_today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _answers(**changes: str) -> dict[str, str]:
    """All 12 principles met with evidence, with some fields changed."""
    data = {}
    for n in range(1, 13):
        data[f"answer_{n}"] = "met"
        data[f"evidence_{n}"] = f"{MET_EVIDENCE} ({n})"
    return data | changes


def _start(dpo) -> int:
    response = dpo.post("/dpia/assessments")
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_dpo_answers_plans_fails_completion_then_completes(as_role, form_view, app_session: Session) -> None:
    dpo = as_role("dpo")
    assert "Start a self-assessment" in dpo.get("/dpia/assessments").get_data(as_text=True)
    assessment_id = _start(dpo)
    page = dpo.get(f"/dpia/assessments/{assessment_id}").get_data(as_text=True)
    assert page.count('<tr id="principle-') == 12
    assert "a published contact point for access to information and complaints" in page  # principle 3's text
    assert f"Due {_day(london_today() + timedelta(days=30))}" in page  # the first is due in 30 days
    assert "Start a self-assessment" not in dpo.get("/dpia/assessments").get_data(as_text=True)  # one at a time

    # Principle 3 only partly met with no action, principle 12 unanswered: refused, what was typed kept and saved.
    typed = _answers(answer_3="partly", evidence_3="No contact point published yet.", answer_12="")
    response = dpo.post(f"/dpia/assessments/{assessment_id}/complete", data=typed)
    assert response.status_code == 400
    shown = form_view(response)
    assert shown.error("answer_3") == "Not fully met, and the action plan has no action for it."
    assert shown.error("answer_12") == "Not answered."
    assert shown.error("answer_1") == ""
    assert shown.choice("answer_3") == "partly" and shown.value("evidence_3") == "No contact point published yet."
    assert shown.choice("answer_12") == ""
    app_session.expire_all()
    row = app_session.exec(select(PrincipleAnswerRow).where(PrincipleAnswerRow.assessment_id == assessment_id,
                                                            PrincipleAnswerRow.principle == 3)).one()
    assert (row.answer, row.evidence) == (PrincipleAnswer.PARTLY, "No contact point published yet.")
    assert app_session.get(SelfAssessment, assessment_id).status == AssessmentStatus.DRAFT

    # An action with no owner is refused beside the field, what was typed kept; then a real one is added.
    action = {"action-principle": "3", "action-action": "Publish a contact point on the council website",
              "action-owner": "", "action-due_on": "2026-09-30"}
    response = dpo.post(f"/dpia/assessments/{assessment_id}/actions", data=action)
    assert response.status_code == 400
    shown = form_view(response)
    assert shown.error("action-owner") == "Name who will do it."
    assert shown.value("action-action") == action["action-action"] and shown.value("action-due_on") == "2026-09-30"
    assert shown.choice("action-principle") == "3"
    response = dpo.post(f"/dpia/assessments/{assessment_id}/actions", data=action | {"action-owner": "Web team"})
    assert response.status_code == 302

    response = dpo.post(f"/dpia/assessments/{assessment_id}/complete",
                        data=_answers(answer_3="partly", evidence_3="No contact point published yet."))
    assert response.status_code == 302
    app_session.expire_all()
    done = app_session.get(SelfAssessment, assessment_id)
    assert done.status == AssessmentStatus.COMPLETED and done.completed_by == "dpo"
    html = dpo.get(f"/dpia/assessments/{assessment_id}").get_data(as_text=True)
    assert 'name="answer_1"' not in html and "Add an action" not in html  # read only
    assert "partly" in html.split('id="principle-3"', 1)[1].split("</tr>", 1)[0]
    assert f"The next one is due {_day(anniversary(london_today()))}." in html  # the flash after completing

    # The answers can no longer change; the plan is still worked through.
    response = dpo.post(f"/dpia/assessments/{assessment_id}", data=_answers(answer_1="not_met"))
    assert response.status_code == 409 and "read only" in response.get_data(as_text=True)
    app_session.expire_all()
    assert app_session.exec(select(PrincipleAnswerRow.answer).where(
        PrincipleAnswerRow.assessment_id == assessment_id, PrincipleAnswerRow.principle == 1)).one() == "met"
    dashboard = dpo.get("/dpia").get_data(as_text=True).split('id="assessment"', 1)[1]
    assert "completed" in dashboard and "Publish a contact point on the council website" in dashboard
    planned = app_session.exec(select(AssessmentAction).where(AssessmentAction.assessment_id == assessment_id)).one()
    assert dpo.post(f"/dpia/assessments/actions/{planned.id}/done").status_code == 302
    app_session.expire_all()
    assert app_session.get(AssessmentAction, planned.id).done_on == london_today()
    assert "No open actions." in dpo.get("/dpia").get_data(as_text=True)


def test_saving_keeps_answers_and_the_reminder_link_finds_the_assessment(as_role, form_view) -> None:
    dpo = as_role("dpo")
    assert dpo.get("/dpia/self-assessment").headers["Location"] == "/dpia/assessments"  # none yet
    assessment_id = _start(dpo)
    assert dpo.get("/dpia/self-assessment").headers["Location"] == f"/dpia/assessments/{assessment_id}"
    page = form_view(dpo.get(f"/dpia/assessments/{assessment_id}"))
    response = dpo.post(f"/dpia/assessments/{assessment_id}",
                        data=page.submission(answer_7="not_applicable", evidence_7="No disclosures this year."))
    assert response.status_code == 302
    shown = form_view(dpo.get(f"/dpia/assessments/{assessment_id}"))
    assert shown.choice("answer_7") == "not_applicable" and shown.value("evidence_7") == "No disclosures this year."
    assert shown.choice("answer_6") == ""


def test_advisory_reads_the_assessment_but_every_post_is_refused(as_role, app_session: Session) -> None:
    dpo = as_role("dpo")
    assessment_id = _start(dpo)
    dpo.post(f"/dpia/assessments/{assessment_id}/actions", data={
        "action-principle": "5", "action-action": "Train new operators", "action-owner": "CCTV manager",
        "action-due_on": "2026-12-01"})
    action_id = app_session.exec(select(AssessmentAction.id)).one()
    advisory = as_role("advisory")
    html = advisory.get(f"/dpia/assessments/{assessment_id}").get_data(as_text=True)
    assert "Train new operators" in html and 'name="answer_1"' not in html and "Mark done" not in html
    assert advisory.get("/dpia/assessments").status_code == 200
    for url in ("/dpia/assessments", f"/dpia/assessments/{assessment_id}",
                f"/dpia/assessments/{assessment_id}/complete", f"/dpia/assessments/{assessment_id}/actions",
                f"/dpia/assessments/actions/{action_id}/done"):
        assert advisory.post(url, data=_answers()).status_code == 403, url
    app_session.expire_all()
    assert app_session.exec(select(func.count()).select_from(SelfAssessment)).one() == 1
    assert app_session.exec(select(func.count()).select_from(PrincipleAnswerRow).where(
        PrincipleAnswerRow.answer.is_not(None))).one() == 0
    assert app_session.get(AssessmentAction, action_id).done_on is None


@pytest.fixture(params=BACKENDS)
def backend_app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    """The app on each backend under test (PostgreSQL too when CCTV_TEST_DATABASE_URL is set)."""
    app = build_app(database_url(request.param, tmp_path))
    yield app
    app.extensions["cctv_db"].engine.dispose()


def test_an_assessment_is_completed_and_carried_on_each_backend(backend_app: Flask) -> None:
    """Refused then completed, an action done, and the next one starting with the open action carried over."""
    client = backend_app.test_client()
    login(client, "dpo")
    first = _start(client)
    for principle in (4, 9):
        client.post(f"/dpia/assessments/{first}/actions", data={
            "action-principle": str(principle), "action-action": f"Fix principle {principle}",
            "action-owner": "CCTV manager", "action-due_on": "2026-12-01"})
    assert client.post(f"/dpia/assessments/{first}/complete", data=_answers(answer_4="")).status_code == 400
    response = client.post(f"/dpia/assessments/{first}/complete",
                           data=_answers(answer_4="not_met", answer_9="partly"))
    assert response.status_code == 302
    database = backend_app.extensions["cctv_db"]
    with database.session("checker") as s:
        done = s.exec(select(AssessmentAction.id).where(AssessmentAction.principle == 9)).one()
    assert client.post(f"/dpia/assessments/actions/{done}/done").status_code == 302
    second = _start(client)
    assert second != first
    html = client.get(f"/dpia/assessments/{second}").get_data(as_text=True)
    plan = html.split('id="action-plan"', 1)[1].split("</table>", 1)[0]
    assert "Fix principle 4" in plan and "Fix principle 9" not in plan  # only the open action carries over
    assert f"Due {_day(anniversary(london_today()))}" in html  # a year after the last completion
    with database.session("checker") as s:
        assert s.get(SelfAssessment, first).status == AssessmentStatus.COMPLETED
        answers = s.exec(select(PrincipleAnswerRow.principle, PrincipleAnswerRow.answer).where(
            PrincipleAnswerRow.assessment_id == first, col(PrincipleAnswerRow.principle).in_([4, 9]))
            .order_by(PrincipleAnswerRow.principle)).all()
        assert answers == [(4, PrincipleAnswer.NOT_MET), (9, PrincipleAnswer.PARTLY)]
