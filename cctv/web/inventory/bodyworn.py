"""Body-worn video: which device each named officer holds, what is out now and what is overdue back."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from cctv.web.access import BODY_WORN, allow, db, scope
from cctv.web.forms import ConfirmForm
from cctv.web.inventory.upkeep_forms import IssueForm
from inventory import bodyworn as bodyworn_service
from inventory import cameras as camera_service
from inventory.scope import OutOfScope
from inventory.types import utcnow
from inventory.upkeep_models import BodyWornIssueBase

bp = Blueprint("bodyworn", __name__, template_folder="templates", url_prefix="/body-worn")


@bp.route("")
@allow(BODY_WORN)
def index():
    """Every body-worn device the user may see: out (to whom, back by when, overdue first) or in, and the latest
    issues."""
    now = utcnow()
    devices = bodyworn_service.devices(db(), scope())
    out = sorted((d for d in devices if d.issue is not None), key=lambda d: d.issue.due_back_at)
    return render_template(
        "inventory/bodyworn/list.html", now=now, out=out, available=[d for d in devices if d.issue is None],
        overdue=[d for d in out if d.overdue(now)], recent=bodyworn_service.recent_issues(db(), scope()),
        issue_form=IssueForm(), return_form=ConfirmForm(),
    )


@bp.route("/<int:camera_id>/issue", methods=["POST"])
@allow(BODY_WORN)
def issue(camera_id: int):
    """Hand a device to a named officer until a return time."""
    try:
        camera = camera_service.get_camera(db(), scope(), camera_id)
    except camera_service.CameraNotFound:
        abort(404)
    form = IssueForm()
    if not form.validate_on_submit():
        flash("Not issued: " + "; ".join(f"{getattr(form, k).label.text}: {', '.join(v)}"
                                         for k, v in form.errors.items()), "error")
        return redirect(url_for("bodyworn.index"))
    now = utcnow()
    data = BodyWornIssueBase(camera_id=camera.id, officer_name=form.officer_name.data.strip(),
                             officer_number=(form.officer_number.data or "").strip(),
                             due_back_at=now + timedelta(hours=form.hours.data), notes=(form.notes.data or "").strip())
    try:
        bodyworn_service.issue_device(db(), scope(), camera, data, actor=current_user.username, now=now)
    except (bodyworn_service.IssueError, OutOfScope) as exc:
        db().rollback()
        flash(f"Not issued: {exc}", "error")
        return redirect(url_for("bodyworn.index"))
    db().commit()
    flash(f"{camera.asset_id} issued to {data.officer_name}.")
    return redirect(url_for("bodyworn.index"))


@bp.route("/issues/<int:issue_id>/return", methods=["POST"])
@allow(BODY_WORN)
def return_device(issue_id: int):
    """Record a device back."""
    try:
        found = bodyworn_service.get_issue(db(), scope(), issue_id)
    except bodyworn_service.IssueNotFound:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            bodyworn_service.return_device(db(), found, actor=current_user.username, now=utcnow())
            db().commit()
            flash(f"Returned by {found.officer_name}.")
        except bodyworn_service.IssueError as exc:
            flash(str(exc), "error")
    return redirect(url_for("bodyworn.index"))
