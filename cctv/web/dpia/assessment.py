"""The yearly self-assessment against the Surveillance Camera Code's 12 guiding principles: list, start, answer,
plan actions, complete. A completed assessment's answers are read only; its actions are still marked done over the
year, and the open ones carry into the next assessment."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlmodel import col, select

from cctv.web.access import EDIT_DPIA, VIEW_DPIA, allow, db
from cctv.web.dpia.assessment_forms import ActionForm, AnswersForm, action_form
from cctv.web.dpia.register import day
from cctv.web.forms import ConfirmForm
from dpia import selfassessment as service
from dpia.models import AssessmentAction, SelfAssessment
from dpia.principles import PRINCIPLES
from dpia.types import AssessmentStatus
from inventory.types import london_today

bp = Blueprint("assessment", __name__, template_folder="templates", url_prefix="/dpia")


def _assessment_or_404(assessment_id: int) -> SelfAssessment:
    try:
        return service.get_assessment(db(), assessment_id)
    except LookupError:
        abort(404)


def _editable(assessment: SelfAssessment) -> bool:
    return assessment.status == AssessmentStatus.DRAFT and current_user.role in EDIT_DPIA


def _page(assessment: SelfAssessment, *, form: AnswersForm | None = None, new_action: ActionForm | None = None,
          problems: dict[int, str] | None = None, status: int = 200):
    """The assessment page; a form that failed is shown as typed, the other as stored."""
    assert assessment.id is not None
    rows = service.answers(db(), assessment.id)
    return render_template(
        "dpia/assessment/show.html", assessment=assessment, principles=PRINCIPLES, editable=_editable(assessment),
        answers={row.principle: row for row in rows}, actions=service.actions(db(), assessment.id),
        form=form or AnswersForm.of(rows), new_action=new_action or action_form(), confirm=ConfirmForm(),
        problems=problems or {}, today=london_today(),
    ), status


@bp.route("/assessments")
@allow(VIEW_DPIA)
def index():
    """Every self-assessment, newest first, with the button to start the next one."""
    assessments = db().exec(select(SelfAssessment).order_by(col(SelfAssessment.id).desc())).all()
    return render_template("dpia/assessment/list.html", assessments=assessments, form=ConfirmForm(),
                           draft=service.current_draft(db()), due=service.assessment_due(db(), london_today()),
                           today=london_today())


@bp.route("/self-assessment")
@allow(VIEW_DPIA)
def latest():
    """The latest self-assessment (the reminders link here), or the list when there is none yet."""
    found = service.latest_assessment(db())
    if found is None:
        return redirect(url_for("assessment.index"))
    return redirect(url_for("assessment.show", assessment_id=found.id))


@bp.route("/assessments", methods=["POST"])
@allow(EDIT_DPIA)
def start():
    """Start the next self-assessment: 12 blank answers, the open actions of the last one carried over."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        assessment = service.start_assessment(db(), actor=current_user.username, today=london_today())
        db().commit()
    except service.AssessmentError as exc:
        db().rollback()
        flash(f"Not started: {exc}.", "error")
        return redirect(url_for("assessment.index"))
    flash(f"{assessment.title} started, due {day(assessment.due_on)}.")
    return redirect(url_for("assessment.show", assessment_id=assessment.id))


@bp.route("/assessments/<int:assessment_id>")
@allow(VIEW_DPIA)
def show(assessment_id: int):
    """The 12 principles with their answers and evidence, and the action plan."""
    return _page(_assessment_or_404(assessment_id))


def _save(assessment: SelfAssessment, form: AnswersForm) -> None:
    assert assessment.id is not None
    for principle, answer, evidence in form.answers():
        service.save_answer(db(), assessment.id, principle, answer, evidence)


def _completed(assessment: SelfAssessment):
    db().rollback()
    abort(409, description=f"{assessment.title} is completed: its answers are read only.")


def _posted_answers(assessment_id: int) -> tuple[SelfAssessment, AnswersForm]:
    """The draft assessment and its answers as posted; 409 when it is completed."""
    assessment = _assessment_or_404(assessment_id)
    if assessment.status != AssessmentStatus.DRAFT:
        _completed(assessment)
    return assessment, AnswersForm.of([], posted=True)


@bp.route("/assessments/<int:assessment_id>", methods=["POST"])
@allow(EDIT_DPIA)
def save(assessment_id: int):
    """Save the answers and evidence as typed."""
    assessment, form = _posted_answers(assessment_id)
    if not form.validate_on_submit():
        return _page(assessment, form=form, status=400)
    _save(assessment, form)
    db().commit()
    flash("Answers saved.")
    return redirect(url_for("assessment.show", assessment_id=assessment_id))


@bp.route("/assessments/<int:assessment_id>/complete", methods=["POST"])
@allow(EDIT_DPIA)
def complete(assessment_id: int):
    """Save the answers, then complete the assessment; what stops it is shown beside each principle."""
    assessment, form = _posted_answers(assessment_id)
    if not form.validate_on_submit():
        return _page(assessment, form=form, status=400)
    _save(assessment, form)
    try:
        service.complete_assessment(db(), assessment_id, actor=current_user.username, today=london_today())
    except service.IncompleteAssessment as exc:
        db().commit()  # the answers are kept; only the completion was refused
        for number, problem in exc.problems.items():
            form[f"answer_{number}"].errors.append(problem[:1].upper() + problem[1:] + ".")
        return _page(assessment, form=form, problems=exc.problems, status=400)
    db().commit()
    flash(f"{assessment.title} completed. The next one is due {day(service.assessment_due(db(), london_today()))}.")
    return redirect(url_for("assessment.show", assessment_id=assessment_id))


@bp.route("/assessments/<int:assessment_id>/actions", methods=["POST"])
@allow(EDIT_DPIA)
def add_action(assessment_id: int):
    """Add a step to the action plan of an assessment in progress."""
    assessment = _assessment_or_404(assessment_id)
    if assessment.status != AssessmentStatus.DRAFT:
        _completed(assessment)
    form = action_form(posted=True)
    if form.validate_on_submit():
        try:
            service.add_action(db(), assessment_id, form.data_model())
            db().commit()
            flash("Action added to the plan.")
            return redirect(url_for("assessment.show", assessment_id=assessment_id, _anchor="actions"))
        except service.AssessmentError as exc:
            db().rollback()
            form.action.errors.append(str(exc).capitalize() + ".")
    return _page(assessment, new_action=form, status=400)


@bp.route("/assessments/actions/<int:action_id>/done", methods=["POST"])
@allow(EDIT_DPIA)
def action_done(action_id: int):
    """Mark an action done today (also once the assessment is completed: the plan is worked through the year)."""
    action = db().get(AssessmentAction, action_id)
    if action is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.complete_action(db(), action_id, london_today())
    db().commit()
    flash("Action marked done.")
    return redirect(url_for("assessment.show", assessment_id=action.assessment_id, _anchor="actions"))
