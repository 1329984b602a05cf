"""Evidence (footage) requests: the open list with the retention-risk flag, recording a request, and one request's
files, production, chain of custody (every movement, the hash checked at each) and later use.

Uploaded exports are hashed as they stream in (`cctv.web.uploads`): any size, never held in memory.

Operators record requests and the use later made of footage; only supervisors and admins add exported files,
produce and hand over (the service refuses anyone else too). Cameras are shown and accepted within the user's
scope, so covert cameras stay hidden from users without covert access.
"""

from collections import defaultdict
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, select
from werkzeug.exceptions import RequestEntityTooLarge

from cctv.audit import audit_read
from cctv.controlroom import custody
from cctv.controlroom import evidence as evidence_service
from cctv.controlroom import incidents as incident_service
from cctv.controlroom.models import EvidenceCamera, EvidenceRequest, EvidenceRequestBase, Incident
from cctv.controlroom.types import MOVEMENT_LABELS, LaterUse, MovementKind
from cctv.web.access import LOG_INCIDENTS, RELEASE_EVIDENCE, VIEW_EVIDENCE, allow, allowed_for, db, scope
from cctv.web.controlroom.common import (
    asset_ids_text,
    cameras_from_text,
    local_text,
    parse_local_time,
    show_problems,
)
from cctv.web.controlroom.forms import LATER_USE_LABELS, EvidenceForm, LaterUseForm, MediaForm, MovementForm
from cctv.web.forms import ConfirmForm
from cctv.web.inputs import db_int
from cctv.web.uploads import uploaded_hash
from inventory.models import Camera
from inventory.retention import shortest_retention
from inventory.types import utcnow

bp = Blueprint("evidence", __name__, template_folder="templates", url_prefix="/evidence")

WINDOW_AROUND_INCIDENT = timedelta(minutes=15)  # the footage asked for by default: a quarter-hour either side


def _request_or_404(evidence_id: int) -> EvidenceRequest:
    try:
        return evidence_service.get_request(db(), evidence_id)
    except evidence_service.EvidenceNotFound:
        abort(404)


def _cameras_of(evidence_ids: list[int]) -> dict[int, list[Camera]]:
    """Request id → its cameras the user may see, for many requests in one query."""
    if not evidence_ids:
        return {}
    rows = db().exec(
        select(EvidenceCamera.evidence_id, Camera).join(Camera, col(Camera.id) == EvidenceCamera.camera_id)
        .where(col(EvidenceCamera.evidence_id).in_(evidence_ids), scope().where()).order_by(col(Camera.asset_id))
    )
    cameras: dict[int, list[Camera]] = defaultdict(list)
    for evidence_id, camera in rows:
        cameras[evidence_id].append(camera)
    return cameras


def _references(requests: list[EvidenceRequest]) -> dict[int, str]:
    ids = {r.incident_id for r in requests if r.incident_id is not None}
    if not ids:
        return {}
    return dict(db().exec(select(Incident.id, Incident.reference).where(col(Incident.id).in_(ids))).all())


@bp.route("")
@allow(VIEW_EVIDENCE)
def index():
    """Open requests (or ?show=all), newest first, each flagged when its footage may already be overwritten."""
    open_only = request.args.get("show") != "all"
    requests = evidence_service.list_requests(db(), open_only=open_only)
    audit_read(db(), "evidence_request", "list", f"evidence requests list ({'open' if open_only else 'all'})")
    at = utcnow()
    cameras = _cameras_of([r.id for r in requests if r.id is not None])
    return render_template(
        "controlroom/evidence/list.html", requests=requests, open_only=open_only,
        cameras=cameras, references=_references(requests),
        risk={r.id: evidence_service.retention_risk(r, at, _retention(cameras.get(r.id, []))) for r in requests},
    )


def _retention(cameras: list[Camera]) -> int:
    """The days the footage asked for survives: the shortest retention stored for its cameras (issue 18)."""
    return shortest_retention(cameras, default=evidence_service.FOOTAGE_RETENTION_DAYS)


def _prefill(form: EvidenceForm, incident_id: int | None) -> None:
    """A request from an incident's page: its reference, police reference, cameras and a window around it."""
    incident = db().get(Incident, incident_id) if incident_id else None
    if incident is None:
        return
    form.incident.data = incident.reference
    form.police_reference.data = incident.police_reference
    form.cameras.data = asset_ids_text(incident_service.incident_cameras(db(), incident.id, scope()))
    form.window_start.data = local_text(incident.occurred_at - WINDOW_AROUND_INCIDENT)
    form.window_end.data = local_text(min(incident.occurred_at + WINDOW_AROUND_INCIDENT, utcnow()))


def _request_data(form: EvidenceForm) -> tuple[EvidenceRequestBase, list[int]] | None:
    """What was typed, as the service takes it; None with the errors beside the fields when it cannot be read."""
    problems: dict[str, str] = {}
    times = {}
    for name in ("window_start", "window_end"):
        try:
            times[name] = parse_local_time(getattr(form, name).data or "")
        except ValueError as exc:
            problems[name] = str(exc)
    cameras, camera_problem = cameras_from_text(form.cameras.data or "")
    if camera_problem:
        problems["cameras"] = camera_problem
    incident_id = None
    if (form.incident.data or "").strip():
        try:
            incident_id = incident_service.incident_by_reference(db(), form.incident.data).id
        except incident_service.IncidentNotFound:
            problems["incident"] = f"No incident {form.incident.data.strip()}."
    if problems:
        show_problems(form, problems)
        return None
    data = EvidenceRequestBase(
        requesting_officer=form.requesting_officer.data or "", force=(form.force.data or "").strip(),
        police_reference=(form.police_reference.data or "").strip(), incident_id=incident_id,
        window_start=times["window_start"], window_end=times["window_end"], notes=(form.notes.data or "").strip(),
    )
    return data, [c.id for c in cameras if c.id is not None]


@bp.route("/new", methods=["GET", "POST"])
@allow(LOG_INCIDENTS)
def new():
    """Record a police request for footage (from an incident's page, ?incident=<id> fills most of it in)."""
    form = EvidenceForm()
    if request.method == "GET":
        _prefill(form, request.args.get("incident", type=db_int))
    elif form.validate_on_submit() and (typed := _request_data(form)) is not None:
        try:
            created = evidence_service.record_request(db(), typed[0], typed[1], actor=current_user.username,
                                                      now=utcnow())
            db().commit()
            flash(f"Evidence request #{created.id} recorded.")
            return redirect(url_for("evidence.show", evidence_id=created.id))
        except evidence_service.EvidenceError as exc:
            db().rollback()
            show_problems(form, exc.problems, {"camera_ids": "cameras", "incident_id": "incident"})
    return render_template("controlroom/evidence/form.html", form=form), 400 if form.errors else 200


def _movement_form(found: EvidenceRequest, media: list, form: MovementForm | None = None) -> MovementForm:
    form = form or MovementForm(formdata=None, prefix="move")
    form.file_id.choices = [(m.id, f"{m.media_id} ({m.sha256[:12]}…)") for m in media]
    return form


def _show(found: EvidenceRequest, status: int = 200, **forms):
    """One request's page; `forms` replaces a blank form with one carrying what was typed and its errors."""
    later = forms.get("later_form") or LaterUseForm(formdata=None, later_use=LaterUse(found.later_use).value)
    cameras = _cameras_of([found.id]).get(found.id, [])
    media = evidence_service.request_media(db(), found.id)
    return render_template(
        "controlroom/evidence/show.html", req=found, cameras=cameras,
        media=media, media_names={m.id: m.media_id for m in media},
        reference=_references([found]).get(found.incident_id or 0),
        movements=custody.movements(db(), found.id), movement_labels=MOVEMENT_LABELS,
        risk=evidence_service.retention_risk(found, utcnow(), _retention(cameras)), retention_days=_retention(cameras),
        later_use_labels=LATER_USE_LABELS,
        media_form=forms.get("media_form") or MediaForm(formdata=None),
        move_form=_movement_form(found, media, forms.get("move_form")), later_form=later,
        confirm_form=ConfirmForm(formdata=None), produce_error=forms.get("produce_error", ""),
        upload_limit=int(current_app.config["EVIDENCE_UPLOAD_MAX_BYTES"]),
    ), status


@bp.route("/<int:evidence_id>")
@allow(VIEW_EVIDENCE)
def show(evidence_id: int):
    """A request: its cameras and window, exported files with their SHA-256, production, handover, later use."""
    audit_read(db(), "evidence_request", evidence_id, "evidence request page")  # kept only if the page is shown
    return _show(_request_or_404(evidence_id))


@bp.route("/<int:evidence_id>/custody.csv")
@allow(VIEW_EVIDENCE)
def custody_csv(evidence_id: int):
    """The chain of custody as CSV (audited as an export of the request)."""
    found = _request_or_404(evidence_id)
    audit_read(db(), "evidence_request", found.id, "chain of custody CSV")
    return Response(custody.custody_csv(db(), found.id), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=evidence-{found.id}-chain-of-custody.csv"})


@bp.route("/<int:evidence_id>/media", methods=["POST"])
@allow(RELEASE_EVIDENCE)
def add_media(evidence_id: int):
    """Add an exported file: uploaded (hashed here, a megabyte at a time) or its media id and SHA-256 typed."""
    found = _request_or_404(evidence_id)
    form = MediaForm()
    if form.validate_on_submit():
        computed, file_name = uploaded_hash("file")
        try:
            media = evidence_service.add_media(
                db(), found.id, media_id=form.media_id.data or "", sha256=form.sha256.data or None,
                computed=computed, file_name=file_name, actor=current_user.username, now=utcnow(),
            )
            db().commit()
            flash(f"File {media.media_id} added: SHA-256 {media.sha256}.")
            return redirect(url_for("evidence.show", evidence_id=found.id))
        except evidence_service.EvidenceError as exc:
            db().rollback()
            show_problems(form, exc.problems, {"file_name": "file"})
    return _show(found, 400, media_form=form)


@bp.route("/<int:evidence_id>/produce", methods=["POST"])
@allow(RELEASE_EVIDENCE)
def produce(evidence_id: int):
    """Mark the footage produced (at least one exported file recorded)."""
    found = _request_or_404(evidence_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        evidence_service.produce(db(), found.id, actor=current_user.username, actor_role=current_user.role,
                                 now=utcnow())
        db().commit()
    except evidence_service.EvidenceError as exc:
        db().rollback()
        return _show(found, 400, produce_error=" ".join(exc.problems.values()))
    flash(f"Evidence request #{found.id} produced.")
    return redirect(url_for("evidence.show", evidence_id=found.id))


@bp.route("/<int:evidence_id>/movements", methods=["POST"])
@allow(RELEASE_EVIDENCE)
def move(evidence_id: int):
    """Record one movement of a file (copied, handed over, returned, destroyed), its hash checked again."""
    found = _request_or_404(evidence_id)
    form = _movement_form(found, evidence_service.request_media(db(), found.id), MovementForm(prefix="move"))
    if form.validate_on_submit():
        computed, _name = uploaded_hash("move-file")
        try:
            moved = custody.record_movement(
                db(), found.id, file_id=form.file_id.data, kind=MovementKind(form.kind.data),
                to_whom=form.to_whom.data or "", how=form.how.data or "", notes=form.notes.data or "",
                typed_sha256=form.sha256.data or None, computed=computed, actor=current_user.username,
                actor_role=current_user.role, now=utcnow(),
            )
            db().commit()
            flash(f"{MOVEMENT_LABELS[moved.kind]} recorded; SHA-256 checked: {moved.sha256}.")
            return redirect(url_for("evidence.show", evidence_id=found.id))
        except evidence_service.EvidenceError as exc:
            db().rollback()
            show_problems(form, exc.problems, {"actor_role": "kind"})
    return _show(found, 400, move_form=form)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge):
    """An upload past EVIDENCE_UPLOAD_MAX_BYTES: the request's page again, the form ready, the limit beside the file
    (the browser stopped sending at the limit, so nothing of the body can be kept; the page's script refuses such a
    file before sending, keeping what was typed)."""
    # The CSRF check read the body before any view, so the role was not checked yet: check it here.
    role = current_user.role if current_user.is_authenticated else None
    if role is None or not allowed_for(current_app, request.endpoint or "", role):
        return _error
    evidence_id = (request.view_args or {}).get("evidence_id")
    try:
        found = evidence_service.get_request(db(), int(evidence_id or 0))
    except evidence_service.EvidenceNotFound:
        return _error
    limit = int(current_app.config["EVIDENCE_UPLOAD_MAX_BYTES"])
    message = (f"The file is larger than the {limit / 2**30:g} GB an upload may be: type the SHA-256 your export "
               "tool shows instead (the hash is then checked as typed).")
    if request.endpoint == "evidence.move":
        form = _movement_form(found, evidence_service.request_media(db(), found.id))
        form.file.errors = [message]
        return _show(found, 413, move_form=form)
    media_form = MediaForm(formdata=None)
    media_form.file.errors = [message]
    return _show(found, 413, media_form=media_form)


@bp.route("/<int:evidence_id>/later-use", methods=["POST"])
@allow(LOG_INCIDENTS)
def later_use(evidence_id: int):
    """Record what became of the footage, as the police report it back."""
    found = _request_or_404(evidence_id)
    form = LaterUseForm()
    if form.validate_on_submit():
        try:
            evidence_service.note_later_use(db(), found.id, LaterUse(form.later_use.data),
                                            actor=current_user.username, now=utcnow())
            db().commit()
            flash("Later use recorded.")
            return redirect(url_for("evidence.show", evidence_id=found.id))
        except evidence_service.EvidenceError as exc:
            db().rollback()
            show_problems(form, exc.problems)
    return _show(found, 400, later_form=form)
