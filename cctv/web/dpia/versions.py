"""One DPIA version: its page, editing a draft and its risk register, signing it off, its PDF and comparisons.

A signed-off (or superseded) version is never edited: every change here goes through dpia.register, which refuses a
non-draft, and the page answers 409 with the reason. Signing off saves what was typed first, so a refused sign-off
loses nothing: the page comes back with every missing part marked beside its field.
"""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, select
from werkzeug.exceptions import Conflict

from cctv.audit import audit_read
from cctv.web.access import EDIT_DPIA, VIEW_DPIA, allow, db, scope
from cctv.web.dpia.forms import LIKELIHOODS, SEVERITIES, DpiaForm, RiskForm, risk_form
from cctv.web.dpia.register import day
from cctv.web.forms import ConfirmForm
from cctv.web.inputs import db_int
from dpia import register
from dpia.annex import annex_for
from dpia.diff import compare_versions
from dpia.models import Dpia, DpiaRisk
from dpia.register import FIELD_LABELS, SECTION_LABELS, SIGN_OFF_LABELS
from dpia.types import DpiaStatus
from inventory.models import CameraSystem, ServiceArea
from inventory.systems import visible_system
from inventory.types import london_today, utcnow

bp = Blueprint("dpia_versions", __name__, template_folder="templates", url_prefix="/dpia")


def _dpia_or_404(dpia_id: int) -> Dpia:
    """The version, or 404 when there is none or its system is covert and the user has no covert access."""
    visible = select(Dpia).join(CameraSystem, col(CameraSystem.id) == Dpia.system_id)
    dpia = db().exec(visible.where(Dpia.id == dpia_id, scope().systems_where())).first()  # one statement, as get()
    if dpia is None:
        abort(404)
    return dpia


def _risk_or_404(risk_id: int) -> DpiaRisk:
    risk = db().get(DpiaRisk, risk_id)
    if risk is None:
        abort(404)
    _dpia_or_404(risk.dpia_id)  # a covert system's risks are as hidden as its versions
    return risk


def _frozen(dpia: Dpia) -> Conflict:
    """The refusal for a change to a version that is no longer a draft (nothing was written)."""
    db().rollback()
    status = dpia.status.value.replace("_", " ")
    return Conflict(f"Version {dpia.version} is {status} and cannot be changed: start a review to make a new "
                    "version.")


def _system(dpia: Dpia) -> tuple[CameraSystem, str]:
    """The version's system and its area (its visibility was checked when the version was read)."""
    system = db().get(CameraSystem, dpia.system_id)
    assert system is not None
    area = db().get(ServiceArea, system.service_area_id)
    return system, area.name if area else ""


def _page(dpia: Dpia, *, form: DpiaForm | None = None, new_risk: RiskForm | None = None,
          posted_risk: tuple[int, RiskForm] | None = None, problems: dict[str, str] | None = None,
          status: int = 200):
    """The version page; a form that failed is shown as typed, every other form as stored."""
    assert dpia.id is not None
    system, area = _system(dpia)
    risks = register.risks(db(), dpia.id)
    editable = dpia.status == DpiaStatus.DRAFT and current_user.role in EDIT_DPIA
    risk_forms = {}
    if editable:
        risk_forms = {risk.id: risk_form(risk) for risk in risks}
        if posted_risk is not None:
            risk_forms[posted_risk[0]] = posted_risk[1]
    based_on = db().get(Dpia, dpia.based_on_id) if dpia.based_on_id else None
    diff = compare_versions(db(), based_on, dpia, include_covert=scope().include_covert) if based_on else None
    return render_template(
        "dpia/versions/show.html", dpia=dpia, system=system, area=area, risks=risks, editable=editable,
        annex=annex_for(db(), dpia, include_covert=scope().include_covert), based_on=based_on, diff=diff,
        others=[v for v in register.versions(db(), dpia.system_id) if v.id != dpia.id],
        form=form or (DpiaForm.of(dpia) if editable else None), new_risk=new_risk or risk_form(),
        risk_forms=risk_forms, confirm=ConfirmForm(), problems=problems or {},
        sections=SECTION_LABELS, sign_off_labels=SIGN_OFF_LABELS, likelihoods=dict(LIKELIHOODS),
        severities=dict(SEVERITIES),
    ), status


@bp.route("/<int:dpia_id>")
@allow(VIEW_DPIA)
def show(dpia_id: int):
    """A version: sections, risk register, sign-off, camera annex and what changed since the version before."""
    return _page(_dpia_or_404(dpia_id))


def _posted_draft(dpia_id: int) -> tuple[Dpia, DpiaForm]:
    """The draft and its form as posted; 409 when the version is no longer a draft."""
    dpia = _dpia_or_404(dpia_id)
    if dpia.status != DpiaStatus.DRAFT:
        raise _frozen(dpia)
    return dpia, DpiaForm.of(dpia, posted=True)


@bp.route("/<int:dpia_id>/edit", methods=["POST"])
@allow(EDIT_DPIA)
def edit(dpia_id: int):
    """Save a draft's sections and sign-off names as typed."""
    dpia, form = _posted_draft(dpia_id)
    if not form.validate_on_submit():
        return _page(dpia, form=form, status=400)
    try:
        register.update_draft(db(), dpia_id, form.data_model(), actor=current_user.username)
    except register.SignedOffIsFrozen:  # signed off in another tab since this page was loaded
        raise _frozen(dpia) from None
    db().commit()
    flash(f"Draft version {dpia.version} saved.")
    return redirect(url_for("dpia_versions.show", dpia_id=dpia_id))


@bp.route("/<int:dpia_id>/sign-off", methods=["POST"])
@allow(EDIT_DPIA)
def sign_off(dpia_id: int):
    """Save what was typed, then sign the draft off; if anything is missing the draft stays saved and every problem
    is shown beside its field."""
    dpia, form = _posted_draft(dpia_id)
    if not form.validate_on_submit():
        return _page(dpia, form=form, status=400)
    try:
        register.update_draft(db(), dpia_id, form.data_model(), actor=current_user.username)
        register.sign_off(db(), dpia_id, actor=current_user.username, today=london_today())
    except register.SignedOffIsFrozen:
        raise _frozen(dpia) from None
    except register.IncompleteDpia as exc:
        db().commit()  # the typing is kept as a draft; only the sign-off was refused
        for name, problem in exc.problems.items():
            field = getattr(form, name, None)
            (field.errors if field is not None else form.form_errors).append(problem)
        return _page(dpia, form=form, problems=exc.problems, status=400)
    db().commit()
    flash(f"Version {dpia.version} signed off. Next review due {day(dpia.next_review_due)}.")
    return redirect(url_for("dpia_versions.show", dpia_id=dpia_id))


@bp.route("/<int:dpia_id>/risks", methods=["POST"])
@allow(EDIT_DPIA)
def add_risk(dpia_id: int):
    """Add a risk at the end of a draft's risk register."""
    dpia = _dpia_or_404(dpia_id)
    if dpia.status != DpiaStatus.DRAFT:
        raise _frozen(dpia)
    form = risk_form(posted=True)
    if form.validate_on_submit():
        try:
            register.add_risk(db(), dpia_id, form.data_model())
            db().commit()
            flash("Risk added.")
            return redirect(url_for("dpia_versions.show", dpia_id=dpia_id, _anchor="risks"))
        except register.SignedOffIsFrozen:
            raise _frozen(dpia) from None
        except register.DpiaError as exc:
            db().rollback()
            form.description.errors.append(str(exc).capitalize() + ".")
    return _page(dpia, new_risk=form, status=400)


@bp.route("/risks/<int:risk_id>", methods=["POST"])
@allow(EDIT_DPIA)
def update_risk(risk_id: int):
    """Change a risk of a draft: its description, scores, measures and residual risk."""
    risk = _risk_or_404(risk_id)
    dpia = _dpia_or_404(risk.dpia_id)
    if dpia.status != DpiaStatus.DRAFT:
        raise _frozen(dpia)
    form = risk_form(risk, posted=True)
    if form.validate_on_submit():
        try:
            register.update_risk(db(), risk_id, form.data_model())
            db().commit()
            flash(f"Risk {risk.position} saved.")
            return redirect(url_for("dpia_versions.show", dpia_id=dpia.id, _anchor="risks"))
        except register.SignedOffIsFrozen:
            raise _frozen(dpia) from None
        except register.DpiaError as exc:
            db().rollback()
            form.description.errors.append(str(exc).capitalize() + ".")
    return _page(dpia, posted_risk=(risk_id, form), status=400)


@bp.route("/risks/<int:risk_id>/remove", methods=["POST"])
@allow(EDIT_DPIA)
def remove_risk(risk_id: int):
    """Remove a risk from a draft (the rest are numbered again)."""
    risk = _risk_or_404(risk_id)
    dpia = _dpia_or_404(risk.dpia_id)
    if dpia.status != DpiaStatus.DRAFT:
        raise _frozen(dpia)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        register.remove_risk(db(), risk_id)
    except register.SignedOffIsFrozen:
        raise _frozen(dpia) from None
    db().commit()
    flash("Risk removed.")
    return redirect(url_for("dpia_versions.show", dpia_id=dpia.id, _anchor="risks"))


@bp.route("/<int:dpia_id>.pdf")
@allow(VIEW_DPIA)
def pdf(dpia_id: int):
    """The version as a PDF in the template's order, with the camera annex this user may see."""
    from dpia.pdf import DpiaDocument, dpia_pdf  # ReportLab loads when a PDF is first asked for, not at start-up

    dpia = _dpia_or_404(dpia_id)
    assert dpia.id is not None
    system, area = _system(dpia)
    document = DpiaDocument(dpia=dpia, system_name=system.name, service_area=area,
                            risks=register.risks(db(), dpia.id),
                            annex=annex_for(db(), dpia, include_covert=scope().include_covert),
                            generated_at=utcnow())
    filename = f"dpia-{system.name.lower().replace(' ', '-')}-v{dpia.version}.pdf"
    audit_read(db(), "dpia", dpia.id, "DPIA PDF")
    return Response(dpia_pdf(document), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/<int:dpia_id>/compare")
@allow(VIEW_DPIA)
def compare(dpia_id: int):
    """Two versions of one system side by side (?with=<other id>; the version it was based on by default)."""
    dpia = _dpia_or_404(dpia_id)
    other_id = request.args.get("with", type=db_int) or dpia.based_on_id
    other = db().get(Dpia, other_id) if other_id else None
    if other is not None and other.system_id != dpia.system_id and visible_system(db(), scope(),
                                                                                 other.system_id) is None:
        other = None  # a covert system's version is no different from one that does not exist
    if other is None or other.id == dpia.id:
        abort(404)
    if other.system_id != dpia.system_id:
        abort(400, description="Only versions of the same system can be compared.")
    older, newer = sorted((dpia, other), key=lambda v: v.version)
    system, _ = _system(dpia)
    diff = compare_versions(db(), older, newer, include_covert=scope().include_covert)
    return render_template("dpia/versions/compare.html", system=system, older=older, newer=newer, diff=diff,
                           labels=FIELD_LABELS, sections=SECTION_LABELS, sign_off_labels=SIGN_OFF_LABELS)
