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

    once              the rendered form's one-time token (optional): the incident is logged once per token; a
                      repeat (a double Enter, a re-sent POST, even one sent while the first is still saving)
                      logs nothing and answers like the first, naming the incident it logged

Success: 302 to /incidents?session=<its monitored session's date>#<reference> (the row highlighted and scrolled
into view), with the flash "Incident <reference> logged.".
Problems: 400 with the form re-shown as typed and each problem beside its field.

The operator is the signed-in user and the control room is the default (Wycombe) room.
"""


from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, or_, select

from cctv.audit import AuditEntry, audit_read
from cctv.controlroom import arrests as arrest_service
from cctv.controlroom import incidents as incident_service
from cctv.controlroom.models import EvidenceRequest, Incident
from cctv.controlroom.submissions import SubmissionTaken
from cctv.controlroom.types import ARREST_OUTCOME_LABELS, OFFENCE_GROUP_LABELS, SOURCE_LABELS, FollowUp
from cctv.web.access import INCIDENT_AUDIT, LOG_INCIDENTS, VIEW_INCIDENTS, VOID_INCIDENTS, allow, db, scope
from cctv.web.controlroom.common import (
    categories,
    category_labels,
    control_room,
    first_error,
    show_problems,
)
from cctv.web.controlroom.incident_forms import FOLLOW_UP_LABELS, RENAMES, IncidentForm, ReopenForm, VoidForm
from cctv.web.controlroom.incident_log import live_rows, log_page
from cctv.web.forms import ConfirmForm
from inventory.models import Camera
from inventory.types import LONDON, utcnow

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
    """The log of one monitored session, newest first: the present one, or ?session=YYYY-MM-DD (Friday's runs
    08:00 to Saturday 04:00); or of one London calendar day (?day=YYYY-MM-DD). New incidents appear as logged."""
    page = log_page(request.args, follow_up_labels=FOLLOW_UP_LABELS)
    what = "session" if page["by_session"] else "day"
    # Its rows show places and police references: a read of personal data, in the trail ("log 2026-11-20" for a
    # calendar day, "log session 2026-11-20" for a monitored session).
    audit_read(db(), "incident", f"log {'session ' if page['by_session'] else ''}{page['day'].isoformat()}",
               f"the {what}'s log")
    return render_template("controlroom/incidents/log.html", **page)


@bp.route("/live")
@allow(VIEW_INCIDENTS)
def live():
    """The log's rows logged after ?after=<id> in the session (?session=) or calendar day (?day=) a log page shows,
    as JSON, for the page to add without a reload (short polling)."""
    return jsonify(items=live_rows(request.args, follow_up_labels=FOLLOW_UP_LABELS))


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


def _in_the_log(incident: Incident):
    """To the incident's row in its session's log: the row is the URL's target, so it is highlighted and scrolled
    into view."""
    return redirect(url_for("incidents.day_log", session=incident.monitored_session.isoformat(),
                            _anchor=incident.reference))


def _logged_already(first: tuple[Incident | None, str] | None):
    """The answer to a repeated submission of one rendering of the form: what the first one logged."""
    incident = first[0] if first else None
    if incident is None:
        flash("This form was already sent.")
        return redirect(url_for("incidents.day_log"))
    flash(f"Incident {incident.reference} was already logged from this form; it was not logged again.")
    return _in_the_log(incident)


@bp.route("/new", methods=["GET", "POST"])
@allow(LOG_INCIDENTS)
def new():
    """Log an incident on one screen, once per rendering of the form; then to its row in the session's log."""
    form = _form(None)
    at, operator = utcnow(), current_user.username
    key = request.form.get("once") or None  # no token (scripts), or a blank one, guards nothing
    if request.method == "GET":
        form.occurred.data = at.astimezone(LONDON).strftime("%H:%M")
    elif key and (first := incident_service.first_logged(db(), operator, key)):
        return _logged_already(first)
    elif form.validate_on_submit() and (data := form.incident_data(at=at)) is not None:
        try:
            if key is None:
                incident = incident_service.log_incident(db(), data, room=control_room(), operator=operator, now=at,
                                                         scope=scope())
            else:
                incident = incident_service.log_incident_once(db(), key, data, room=control_room(),
                                                              operator=operator, now=at, scope=scope())
            db().commit()
        except SubmissionTaken:  # the same form, sent again while the first was saving: it has committed now
            db().rollback()
            return _logged_already(incident_service.first_logged(db(), operator, key or ""))
        except incident_service.IncidentError as exc:
            db().rollback()
            show_problems(form, exc.problems, RENAMES)
        else:
            flash(f"Incident {incident.reference} logged.")
            return _in_the_log(incident)
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



@bp.route("/<int:incident_id>/void", methods=["GET", "POST"])
@allow(VOID_INCIDENTS)
def void(incident_id: int):
    """Void an incident with a reason (supervisors and admins): it keeps its reference, shows as void in the log
    and on its page, and leaves every outcomes measure; the audit trail records who voided it and why."""
    incident = _incident_or_404(incident_id)
    form = VoidForm()
    if incident.voided_at is None and form.validate_on_submit():
        try:
            incident_service.void_incident(db(), incident.id, actor=current_user.username,
                                           reason=form.reason.data or "", now=utcnow())
            db().commit()
            flash(f"Incident {incident.reference} is void.")
            return redirect(url_for("incidents.show", incident_id=incident.id))
        except incident_service.IncidentError as exc:
            db().rollback()
            show_problems(form, exc.problems)
    return render_template("controlroom/incidents/void.html", form=form, incident=incident,
                           **_labels()), 400 if form.errors else 200
