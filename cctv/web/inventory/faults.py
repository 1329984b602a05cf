"""Faults: raised from a camera (or the shift log), fixed against the maintenance contract's SLA."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cctv.web.access import ANY_ROLE, MANAGE_FAULTS, RAISE_FAULT, allow, db, scope
from cctv.web.inventory.forms import FaultForm, FixForm
from inventory import cameras as camera_service
from inventory import faults as fault_service
from inventory.models import FaultCreate
from inventory.types import FaultPriority, utcnow

bp = Blueprint("faults", __name__, template_folder="templates")


def _sla_hours() -> dict[FaultPriority, int]:
    return {FaultPriority(k): int(v) for k, v in current_app.config["SLA_HOURS"].items()}


@bp.route("/faults")
@allow(ANY_ROLE)
def index():
    """Open (or all) faults on the cameras the user may see, with SLA figures for the last 90 days."""
    open_only = request.args.get("show") != "all"
    faults = fault_service.list_faults(db(), scope(), open_only=open_only)
    now = utcnow()
    recent = [f for f in fault_service.list_faults(db(), scope(), limit=5000) if f.opened_at >= now - timedelta(90)]
    return render_template(
        "inventory/faults/list.html", faults=faults, open_only=open_only, now=now,
        sla=fault_service.sla_figures(recent, now),
    )


@bp.route("/cameras/<int:camera_id>/faults", methods=["POST"])
@allow(RAISE_FAULT)
def create(camera_id: int):
    """Open a fault on a camera; the SLA target comes from its priority."""
    try:
        camera = camera_service.get_camera(db(), scope(), camera_id)
    except camera_service.CameraNotFound:
        abort(404)
    form = FaultForm()
    if not form.validate_on_submit():
        flash("Fault not raised: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()), "error")
        return redirect(url_for("cameras.show", camera_id=camera_id))
    data = FaultCreate(camera_id=camera.id, priority=form.priority.data, description=form.description.data.strip(),
                       contractor=form.contractor.data.strip(), contractor_ref=form.contractor_ref.data.strip())
    fault_service.open_fault(db(), scope(), camera, data,
                             actor=current_user.username, sla_hours=_sla_hours())
    db().commit()
    flash(f"Fault raised on {camera.asset_id}.")
    return redirect(url_for("cameras.show", camera_id=camera_id))


@bp.route("/faults/<int:fault_id>/fix", methods=["POST"])
@allow(MANAGE_FAULTS)
def fix(fault_id: int):
    """Close a fault with its resolution; the camera returns to operational when nothing else is open."""
    try:
        fault = fault_service.get_fault(db(), scope(), fault_id)
    except fault_service.FaultNotFound:
        abort(404)
    form = FixForm()
    if not form.validate_on_submit():
        flash("Say how the fault was resolved.", "error")
    elif fault.fixed_at is not None:
        flash("That fault is already fixed.", "error")
    else:
        fault_service.fix_fault(db(), scope(), fault, resolution=form.resolution.data.strip())
        db().commit()
        flash("Fault closed.")
    if request.form.get("back") == "faults":
        return redirect(url_for("faults.index"))
    return redirect(url_for("cameras.show", camera_id=fault.camera_id))
