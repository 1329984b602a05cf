"""The shift log: who is on, handover with notes signed by the incoming operator, and faults raised on shift
straight into the inventory's fault list."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from cctv.controlroom import shifts as shift_service
from cctv.controlroom.handover import draft_summary
from cctv.controlroom.models import Shift
from cctv.web.access import LOG_INCIDENTS, allow, db, scope
from cctv.web.controlroom.common import cameras_from_text, control_room, show_problems
from cctv.web.controlroom.forms import HandOverNotesForm, ShiftFaultForm, StartShiftForm
from cctv.web.forms import ConfirmForm
from inventory.types import FaultPriority, utcnow

bp = Blueprint("shifts", __name__, template_folder="templates", url_prefix="/shifts")


def _shift_or_404(shift_id: int) -> Shift:
    try:
        return shift_service.get_shift(db(), shift_id)
    except shift_service.ShiftNotFound:
        abort(404)


def _page(status: int = 200, **forms):
    """The shift page; `forms` replaces a blank form with one carrying what was typed and its errors."""
    room = control_room()
    current = shift_service.current_shift(db(), room)
    recent = shift_service.recent_shifts(db(), room, limit=20)
    # Every shift handed over and not yet signed waits for an incoming operator's signature, oldest first.
    unsigned = shift_service.unsigned_handovers(db(), room)
    start_form = forms.get("start_form") or StartShiftForm(formdata=None, operators=current_user.username)
    notes_form = forms.get("notes_form")
    if notes_form is None:  # a fresh form starts from the draft of the shift's incidents, faults and evidence
        draft = draft_summary(db(), current, scope(), now=utcnow()) if current else ""
        notes_form = HandOverNotesForm(formdata=None, notes=draft)
    return render_template(
        "controlroom/shifts/list.html", room=room, current=current, unsigned=unsigned, recent=recent,
        faults=shift_service.shift_faults(db(), current.id) if current else [], operators_of=shift_service.operators_of,
        start_form=start_form, notes_form=notes_form,
        fault_form=forms.get("fault_form") or ShiftFaultForm(formdata=None),
        sign_error=forms.get("sign_error", ""), confirm_form=ConfirmForm(formdata=None),
    ), status


@bp.route("")
@allow(LOG_INCIDENTS)
def index():
    """The current shift with its faults, the handover awaiting a signature, and the recent shifts."""
    return _page()


@bp.route("/start", methods=["POST"])
@allow(LOG_INCIDENTS)
def start():
    """Start a shift with the operators named (lead first; the signed-in user when none are named)."""
    form = StartShiftForm()
    if form.validate_on_submit():
        names = [n for n in (form.operators.data or "").split(",") if n.strip()] or [current_user.username]
        try:
            shift_service.start_shift(db(), control_room(), operators=names, actor=current_user.username, now=utcnow())
            db().commit()
            flash("Shift started.")
            return redirect(url_for("shifts.index"))
        except shift_service.ShiftError as exc:
            db().rollback()
            show_problems(form, exc.problems)
    return _page(400, start_form=form)


@bp.route("/<int:shift_id>/hand-over", methods=["POST"])
@allow(LOG_INCIDENTS)
def hand_over(shift_id: int):
    """End the shift with its handover notes; the incoming operator signs next."""
    shift = _shift_or_404(shift_id)
    form = HandOverNotesForm()
    if form.validate_on_submit():
        try:
            shift_service.hand_over(db(), shift.id, notes=form.notes.data or "", actor=current_user.username,
                                    now=utcnow())
            db().commit()
            flash("Shift handed over: the incoming operator signs it below.")
            return redirect(url_for("shifts.index"))
        except shift_service.ShiftError as exc:
            db().rollback()
            show_problems(form, exc.problems, {"shift": "notes", "ended_at": "notes"})
    return _page(400, notes_form=form)


@bp.route("/<int:shift_id>/sign", methods=["POST"])
@allow(LOG_INCIDENTS)
def sign(shift_id: int):
    """The signed-in user, as the incoming operator, accepts the handover."""
    shift = _shift_or_404(shift_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        shift_service.sign_handover(db(), shift.id, incoming=current_user.username, now=utcnow())
        db().commit()
    except shift_service.ShiftError as exc:
        db().rollback()
        return _page(400, sign_error=" ".join(exc.problems.values()))
    flash(f"Handover signed by {current_user.username}.")
    return redirect(url_for("shifts.index"))


@bp.route("/<int:shift_id>/faults", methods=["POST"])
@allow(LOG_INCIDENTS)
def raise_fault(shift_id: int):
    """Raise a fault seen on shift into the inventory's fault list (its SLA from the priority)."""
    shift = _shift_or_404(shift_id)
    form = ShiftFaultForm()
    if form.validate_on_submit():
        cameras, problem = cameras_from_text(form.camera.data or "")
        if problem or len(cameras) != 1:
            form.camera.errors = [*form.camera.errors, problem or "Give the asset id of one camera."]
        else:
            sla = {FaultPriority(k): int(v) for k, v in current_app.config["SLA_HOURS"].items()}
            try:
                fault = shift_service.raise_fault(
                    db(), scope(), shift.id, camera_id=cameras[0].id, description=form.description.data or "",
                    priority=form.priority.data, actor=current_user.username, now=utcnow(), sla_hours=sla,
                )
                db().commit()
                flash(f"Fault #{fault.id} raised on {cameras[0].asset_id}.")
                return redirect(url_for("shifts.index"))
            except shift_service.ShiftError as exc:
                db().rollback()
                show_problems(form, exc.problems, {"camera_id": "camera", "shift": "description"})
    return _page(400, fault_form=form)
