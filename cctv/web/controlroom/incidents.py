"""The control-room log: the day's incidents, the keyboard-first entry form, one incident, edit, close and reopen.

POST /incidents/new — a stable contract (the demo history and bench/controlroom.py post to it). Form fields:

    csrf_token        the form's CSRF token (omit when WTF_CSRF_ENABLED is off)
    category          a category code, e.g. "violence", "shoplifting" (required)
    occurred          London wall clock: "HH:MM" (today; yesterday if that time is still to come) or
                      "YYYY-MM-DD HH:MM" (also "YYYY-MM-DDTHH:MM", "DD/MM/YYYY HH:MM"); default: now
    source            proactive | police_request | police_radio | public | business_radio | other (default proactive)
    location_text     free text, up to 250 characters
    cameras           asset ids (or exact camera names), comma-separated: "CS-001, PARK-001"
    police_informed   checkbox: present ("y") when ticked; a police reference implies it
    police_reference  CAD or URN, up to 60 characters
    police_attended   checkbox
    arrests           a whole number, 0-500 (blank: 0); arrests > 0 need arrest_offences
    arrest_offences   what the arrests were for
    outcome           up to 500 characters
    narrative         free text
    follow_up         open | awaiting_police | evidence_pending | closed (default open)

Success: 302 to /incidents?day=<the occurred London date>, with the flash "Incident <reference> logged.".
Problems: 400 with the form re-shown as typed and each problem beside its field.

The operator is the signed-in user and the control room is the default (Wycombe) room.
"""

from datetime import timedelta

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, or_, select

from cctv.audit import AuditEntry, audit_read
from cctv.controlroom import arrests as arrest_service
from cctv.controlroom import incidents as incident_service
from cctv.controlroom.models import EvidenceRequest, Incident
from cctv.controlroom.types import ARREST_OUTCOME_LABELS, OFFENCE_GROUP_LABELS, SOURCE_LABELS, FollowUp
from cctv.web.access import INCIDENT_AUDIT, LOG_INCIDENTS, VIEW_INCIDENTS, allow, db, scope
from cctv.web.controlroom.common import (
    categories,
    category_labels,
    control_room,
    first_error,
    show_problems,
)
from cctv.web.controlroom.incident_forms import FOLLOW_UP_LABELS, RENAMES, IncidentForm, ReopenForm
from cctv.web.forms import ConfirmForm
from cctv.web.inputs import sane_day
from inventory.models import Camera
from inventory.types import LONDON, london_date, london_today, utcnow

bp = Blueprint("incidents", __name__, template_folder="templates", url_prefix="/incidents")


def _incident_or_404(incident_id: int) -> Incident:
    """The incident, or the 404 page."""
    try:
        return incident_service.get_incident(db(), incident_id)
    except incident_service.IncidentNotFound:
        abort(404)


def _labels() -> dict:
    """The labels an incident's page shows for its category, source and follow-up."""
    return {"category_labels": category_labels(), "source_labels": SOURCE_LABELS, "follow_up_labels": FOLLOW_UP_LABELS}


@bp.route("")
@allow(VIEW_INCIDENTS)
def day_log():
    """One London day's log (today unless ?day=YYYY-MM-DD), newest first, with prev/next day links."""
    day = sane_day(request.args.get("day")) or london_today()
    room = control_room()
    incidents = incident_service.day_log_rows(db(), room, day)
    cameras = incident_service.day_log_asset_ids(db(), room, day, scope())
    audit_read(db(), "incident", f"log {day.isoformat()}", "day's log")  # its rows show places and police refs
    return render_template(
        "controlroom/incidents/log.html", incidents=incidents, cameras=cameras, day=day, room=room,
        follow_up_labels=FOLLOW_UP_LABELS,
        today=london_today(), prev_day=day - timedelta(days=1), next_day=day + timedelta(days=1),
        arrests=sum(i.arrests for i in incidents), inside=sum(1 for i in incidents if i.in_monitored_hours),
    )


def _form(incident: Incident | None) -> IncidentForm:
    """The entry or edit form (posted values read in, if any) with the live category list, plus the retired
    category an incident being edited keeps."""
    form = IncidentForm()
    labels = {c.code: c.label for c in categories()}
    if incident is not None and incident.category not in labels:
        labels[incident.category] = category_labels().get(incident.category, incident.category)
    form.set_categories(labels)
    return form


def _render_form(form: IncidentForm, incident: Incident | None):
    """The entry or edit form, the cursor on the first field with a problem; 400 when it has problems."""
    return render_template(
        "controlroom/incidents/form.html", form=form, incident=incident, room=control_room(),
        focus=first_error(form, "category"),
    ), 400 if form.errors else 200


@bp.route("/new", methods=["GET", "POST"])
@allow(LOG_INCIDENTS)
def new():
    """Log an incident on one screen; on success back to the day's log, naming the new reference."""
    form = _form(None)
    at = utcnow()
    if request.method == "GET":
        form.occurred.data = at.astimezone(LONDON).strftime("%H:%M")
    elif form.validate_on_submit() and (data := form.incident_data(at=at)) is not None:
        try:
            incident = incident_service.log_incident(
                db(), data, room=control_room(), operator=current_user.username, now=at, scope=scope()
            )
            db().commit()
            flash(f"Incident {incident.reference} logged.")
            return redirect(url_for("incidents.day_log", day=london_date(incident.occurred_at).isoformat()))
        except incident_service.IncidentError as exc:
            db().rollback()
            show_problems(form, exc.problems, RENAMES)
    return _render_form(form, None)


@bp.route("/cameras")
@allow(LOG_INCIDENTS)
def camera_options():
    """Cameras in service matching ?q= by asset id or name, for the picker as the operator types (JSON)."""
    found = incident_service.find_cameras(db(), scope(), request.args.get("q", ""), limit=10)
    return jsonify(items=[{"id": c.id, "asset_id": c.asset_id, "name": c.name, "location": c.location_text}
                          for c in found])


def _history(incident: Incident) -> list[dict]:
    """The incident's audit trail, newest first, with camera links named by asset id (or masked when the user
    may not see the camera)."""
    prefix = f"{incident.id}/"
    entries = db().exec(
        select(AuditEntry).where(or_(
            (col(AuditEntry.table_name) == "incident") & (col(AuditEntry.record_id) == str(incident.id)),
            (col(AuditEntry.table_name) == "incident_camera") & col(AuditEntry.record_id).startswith(prefix),
        )).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    ).all()
    camera_ids = {int(e.record_id.split("/")[1]) for e in entries if e.table_name == "incident_camera"}
    visible = {c.id: c.asset_id for c in db().exec(select(Camera).where(col(Camera.id).in_(camera_ids),
                                                                         scope().where()))}
    rows = []
    for entry in entries:
        if entry.table_name == "incident_camera":
            camera_id = int(entry.record_id.split("/")[1])
            what = {"create": "camera added", "delete": "camera removed"}.get(entry.action, entry.action)
            rows.append({"entry": entry, "camera": visible.get(camera_id, "a camera outside your view"),
                         "summary": what, "changes": {}})
        else:
            what = {"create": "logged", "update": "changed", "delete": "deleted"}.get(entry.action, entry.action)
            rows.append({"entry": entry, "camera": None, "summary": what, "changes": entry.changed()})
    return rows


@bp.route("/<int:incident_id>")
@allow(VIEW_INCIDENTS)
def show(incident_id: int):
    """One incident: every field, its cameras, its evidence requests and (supervisors, admins, DPO) its history."""
    incident = _incident_or_404(incident_id)
    audit_read(db(), "incident", incident_id, "incident page")
    evidence = db().exec(select(EvidenceRequest).where(EvidenceRequest.incident_id == incident.id)
                         .order_by(col(EvidenceRequest.requested_at))).all()
    return render_template(
        "controlroom/incidents/show.html", incident=incident, room=control_room(),
        cameras=incident_service.incident_cameras(db(), incident.id, scope()), evidence=evidence,
        history=_history(incident) if current_user.role in INCIDENT_AUDIT else None,
        arrests=arrest_service.incident_arrests(db(), incident.id), offence_group_labels=OFFENCE_GROUP_LABELS,
        arrest_outcome_labels=ARREST_OUTCOME_LABELS,
        close_form=ConfirmForm(), reopen_form=ReopenForm(), **_labels(),
    )


@bp.route("/<int:incident_id>/edit", methods=["GET", "POST"])
@allow(LOG_INCIDENTS)
def edit(incident_id: int):
    """Correct an incident, also after closing: the reference stays, the audit trail records the change."""
    incident = _incident_or_404(incident_id)
    visible = incident_service.incident_cameras(db(), incident.id, scope())
    form = _form(incident)
    if request.method == "GET":
        form.fill(incident, visible)
    elif form.validate_on_submit() and (data := form.incident_data(at=utcnow())) is not None:
        try:
            # Within the user's scope: cameras on the incident the user cannot see are kept by the service.
            incident_service.update_incident(db(), incident.id, data, actor=current_user.username, now=utcnow(),
                                             scope=scope())
            db().commit()
            flash(f"Incident {incident.reference} saved.")
            return redirect(url_for("incidents.show", incident_id=incident.id))
        except incident_service.IncidentError as exc:
            db().rollback()
            show_problems(form, exc.problems, RENAMES)
    return _render_form(form, incident)


@bp.route("/<int:incident_id>/close", methods=["POST"])
@allow(LOG_INCIDENTS)
def close(incident_id: int):
    """Close the incident's follow-up (it stays editable)."""
    incident = _incident_or_404(incident_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    incident_service.close_incident(db(), incident.id, actor=current_user.username, now=utcnow())
    db().commit()
    flash(f"Incident {incident.reference} closed.")
    return redirect(url_for("incidents.show", incident_id=incident.id))


@bp.route("/<int:incident_id>/reopen", methods=["POST"])
@allow(LOG_INCIDENTS)
def reopen(incident_id: int):
    """Reopen a closed incident with the follow-up it now needs."""
    incident = _incident_or_404(incident_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        flash("Choose the follow-up the incident now needs.", "error")
    else:
        incident_service.reopen_incident(db(), incident.id, actor=current_user.username, now=utcnow(),
                                         follow_up=FollowUp(form.follow_up.data))
        db().commit()
        flash(f"Incident {incident.reference} reopened.")
    return redirect(url_for("incidents.show", incident_id=incident.id))
