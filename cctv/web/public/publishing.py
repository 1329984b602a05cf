"""Choosing what the public page shows: the notice, the systems published with their purpose and DPIA summary, a
completed self-assessment and one year's figures. Every choice is an ORM change, so the audit trail keeps it."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlmodel import col, select

from cctv.transparency import publication
from cctv.transparency.models import PublicNoticeBase, PublishedSystemBase
from cctv.web.access import PUBLISH, allow, db
from cctv.web.forms import ConfirmForm
from cctv.web.inputs import int_or_none
from cctv.web.public.forms import AssessmentForm, FiguresForm, NoticeForm, SystemForm
from dpia.models import SelfAssessment
from dpia.types import AssessmentStatus
from inventory.types import london_today

bp = Blueprint("publishing", __name__, template_folder="templates", url_prefix="/publication")


def _choices(assessment: AssessmentForm, figures: FiguresForm) -> None:
    done = db().exec(select(SelfAssessment).where(SelfAssessment.status == AssessmentStatus.COMPLETED)
                     .order_by(col(SelfAssessment.id).desc()))
    assessment.assessment_id.choices = {"": "None"} | {str(a.id): a.title for a in done}
    figures.figures_year.choices = {"": "None"} | {str(y): str(y) for y in publication.figures_years(london_today())}


def _page(status: int = 200, **forms):
    """The publication page, with any form that failed shown as typed."""
    row = publication.notice(db())
    notice_form = forms.get("notice") or NoticeForm(formdata=None, obj=row)
    assessment = forms.get("assessment") or AssessmentForm(formdata=None,
                                                           assessment_id=str(row.self_assessment_id or ""))
    figures = forms.get("figures") or FiguresForm(formdata=None, figures_year=str(row.figures_year or ""))
    _choices(assessment, figures)
    published = publication.published_systems(db())
    systems = publication.publishable_systems(db())
    system_forms = {}
    for system in systems:
        shown = published.get(system.id or 0)
        system_forms[system.id] = (forms.get("system") if forms.get("system_id") == system.id
                                   else SystemForm(formdata=None, prefix=f"s{system.id}", obj=shown))
    return render_template(
        "public/publishing/index.html", notice=row, notice_form=notice_form, assessment=assessment, figures=figures,
        systems=systems, published=published, system_forms=system_forms,
        confirm=ConfirmForm(), cameras=len(publication.public_cameras(db())),
    ), status


@bp.route("")
@allow(PUBLISH)
def index():
    """What is published now, and the forms that change it."""
    return _page()


@bp.route("/notice", methods=["POST"])
@allow(PUBLISH)
def save_notice():
    """Save the notice's text."""
    form = NoticeForm()
    if not form.validate_on_submit():
        return _page(400, notice=form)
    publication.save_notice(db(), PublicNoticeBase(
        operator=form.operator.data or "", data_controller=form.data_controller.data or "",
        contact_point=form.contact_point.data or "", introduction=form.introduction.data or ""),
        actor=current_user.username)
    db().commit()
    flash("The public notice is published.")
    return redirect(url_for("publishing.index"))


@bp.route("/systems/<int:system_id>", methods=["POST"])
@allow(PUBLISH)
def publish_system(system_id: int):
    """Publish a system (or change its purpose and summary)."""
    form = SystemForm(prefix=f"s{system_id}")
    if not form.validate_on_submit():
        return _page(400, system=form, system_id=system_id)
    try:
        publication.publish_system(db(), system_id, PublishedSystemBase(
            purpose=form.purpose.data or "", dpia_summary=form.dpia_summary.data or ""), actor=current_user.username)
    except publication.NotPublishable:
        return _page(404)
    db().commit()
    flash("The system is published: its public-space cameras are on the public page.")
    return redirect(url_for("publishing.index"))


@bp.route("/systems/<int:system_id>/withdraw", methods=["POST"])
@allow(PUBLISH)
def withdraw_system(system_id: int):
    """Take a system off the public page."""
    if not ConfirmForm().validate_on_submit():
        return _page(400)
    if publication.withdraw_system(db(), system_id):
        db().commit()
        flash("The system is withdrawn from the public page.")
    return redirect(url_for("publishing.index"))


@bp.route("/assessment", methods=["POST"])
@allow(PUBLISH)
def publish_assessment():
    """Publish a completed self-assessment, or none."""
    form = AssessmentForm()
    figures = FiguresForm()
    _choices(form, figures)
    if not form.validate_on_submit():
        return _page(400, assessment=form)
    publication.publish_self_assessment(db(), int_or_none(form.assessment_id.data), actor=current_user.username)
    db().commit()
    flash("The self-assessment choice is published.")
    return redirect(url_for("publishing.index"))


@bp.route("/figures", methods=["POST"])
@allow(PUBLISH)
def publish_figures():
    """Publish a snapshot of a complete year's figures, or none."""
    assessment = AssessmentForm()
    form = FiguresForm()
    _choices(assessment, form)
    if not form.validate_on_submit():
        return _page(400, figures=form)
    publication.publish_figures(db(), int_or_none(form.figures_year.data), actor=current_user.username,
                                today=london_today())
    db().commit()
    flash("The annual figures are published." if form.figures_year.data else "No annual figures are published.")
    return redirect(url_for("publishing.index"))
