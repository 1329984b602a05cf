"""The crime data page: what police.uk data is loaded, uploading more (CSV files or the site's zip), and the
council's area that every import, proposal and validation works inside by default."""

from pathlib import Path

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, MultipleFileField
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, StringField
from wtforms.validators import Length

from cctv.web.access import EDIT_SITING, VIEW_SITING, allow, db
from cctv.web.forms import ConfirmForm
from cctv.web.inputs import db_int
from cctv.web.siting.import_jobs import job_status, start_import, start_refilter
from siting.sources.area import AreaError, AreaFilter
from siting.store.council_area import NAME_LENGTH, clear_council_area, current_area, set_council_area
from siting.store.crimes import stored_crimes
from siting.store.imports import delete_import, list_imports
from siting.store.jobs import ImportJob, ImportJobState
from siting.store.refilter import crimes_held

bp = Blueprint("crimes", __name__, template_folder="templates", url_prefix="/siting/crimes")


class CrimeUploadForm(FlaskForm):
    """Street-level CSVs or a zip from data.police.uk, an optional bounding box, and whether to skip bad rows."""

    files = MultipleFileField("Files", validators=[
        FileRequired(), FileAllowed(["csv", "zip"], "data.police.uk street-level .csv files or a .zip, please."),
    ])
    bbox = StringField("Keep only crimes inside (west,south,east,north)", validators=[Length(max=100)])
    everywhere = BooleanField("Keep crimes outside the council's area too")
    skip_bad_rows = BooleanField("Skip malformed rows (and list them) instead of refusing the import")


class CouncilAreaForm(FlaskForm):
    """The council's boundary: a GeoJSON file of one or many polygons (its LSOAs, say), merged, and its name."""

    boundary = FileField("Boundary (GeoJSON)", validators=[
        FileRequired(), FileAllowed(["geojson", "json"], "A GeoJSON file (.geojson or .json), please."),
    ])
    name = StringField("Name", validators=[Length(max=NAME_LENGTH)])
    keep_crimes = BooleanField("Keep crimes imported earlier outside it")


def _area(text: str) -> AreaFilter | None:
    """The bounding box typed, in degrees (or National Grid metres when beyond ±180)."""
    if not text.strip():
        return None
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise AreaError("use four numbers: west,south,east,north") from None
    metres = any(abs(v) > 180 for v in (west, south, east, north))
    return AreaFilter.from_bbox(west, south, east, north, crs="bng" if metres else "wgs84")


def _page(form: CrimeUploadForm, summary_lines: list[str] | None = None, status: int = 200,
          area_form: CouncilAreaForm | None = None, job: ImportJob | None = None,
          failure_lines: list[str] | None = None):
    return render_template("siting/crimes/index.html", form=form, stored=stored_crimes(db()),
                           summary_lines=summary_lines, failure_lines=failure_lines, council=current_area(db()),
                           imports=list_imports(db()),
                           area_form=area_form or CouncilAreaForm(formdata=None),
                           clear_form=ConfirmForm(formdata=None), job=job,
                           upload_limit=int(current_app.config["CRIME_UPLOAD_MAX_BYTES"])), status


@bp.route("")
@allow(VIEW_SITING)
def index():
    """The months and categories loaded, the latest import, and (for planners) the upload form; with `?job=N`, that
    background job's summary or failure, or (while it runs) the box the page's script polls."""
    job_id = request.args.get("job", type=db_int)  # an id the database can hold, else no job
    job = None if job_id is None else db().get(ImportJob, job_id)
    if job is None or job.state in (ImportJobState.QUEUED, ImportJobState.RUNNING):
        return _page(CrimeUploadForm(), job=job)
    if job.state == ImportJobState.DONE:
        return _page(CrimeUploadForm(), job.lines())
    return _page(CrimeUploadForm(), failure_lines=job.lines())


@bp.route("", methods=["POST"])
@allow(EDIT_SITING)
def upload():
    """Import the uploaded files in one transaction, in the background while the page shows progress
    (`cctv.web.siting.import_jobs`); a malformed row refuses it all unless told to skip. The page's script asks
    for JSON (the job to poll, or the errors); a plain form post gets the page."""
    form = CrimeUploadForm()
    if not form.validate_on_submit():
        return _refused(form)
    try:
        area = _area(form.bbox.data or "")
    except AreaError as exc:
        form.bbox.errors.append(str(exc))
        return _refused(form)
    council = current_area(db())
    if area is None and council is not None and not form.everywhere.data:
        area = council.to_filter()
    job = start_import(form.files.data, area=area, skip_bad_rows=bool(form.skip_bad_rows.data),
                       actor=current_user.username)
    if _wants_json():
        return jsonify({**job_status(job), "status_url": url_for("crime_jobs.status", job_id=job.id)}), 202
    if job.state == ImportJobState.FAILED:  # within the request (CRIME_IMPORT_IN_BACKGROUND off): beside the field
        form.files.errors.extend(job.lines())
        return _page(form, status=400)
    if job.state == ImportJobState.DONE:
        return _page(CrimeUploadForm(), job.lines())
    return _page(CrimeUploadForm(), job=job, status=202)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _refused(form: CrimeUploadForm, status: int = 400):
    """The form's errors: as JSON for the page's script, else the page with each error beside its field."""
    if _wants_json():
        return jsonify(errors=[f"{getattr(form, name).label.text}: {e}" for name, errs in form.errors.items()
                               for e in errs]), status
    return _page(form, status=status)


@bp.route("/area", methods=["POST"])
@allow(EDIT_SITING)
def set_area():
    """Make the uploaded GeoJSON the council's area (replacing any before it), and remove the crimes imported
    earlier outside it unless told to keep them (or none is held): a background job (`siting.store.refilter`, tens
    of seconds at a county's years) that the page then follows (`?job=N`)."""
    area_form = CouncilAreaForm()
    if area_form.validate_on_submit():
        upload = area_form.boundary.data
        try:
            row = set_council_area(db(), upload.read(), name=area_form.name.data or Path(upload.filename or "").stem,
                                   actor=current_user.username)
        except (AreaError, UnicodeDecodeError) as exc:
            db().rollback()
            area_form.boundary.errors.append(f"Not used: {exc}")
        else:
            described = f"The council's area is now {row.name} ({row.area_km2:,.1f} km²)."
            if area_form.keep_crimes.data or not crimes_held(db()):
                db().commit()
                flash(described, "success")
                return redirect(url_for("crimes.index"))
            job = start_refilter(row.to_filter(), described=described, actor=current_user.username)  # commits
            return redirect(url_for("crimes.index", job=job.id))
    return _page(CrimeUploadForm(formdata=None), status=400, area_form=area_form)


@bp.route("/area/clear", methods=["POST"])
@allow(EDIT_SITING)
def clear_area():
    """Stop using the council's area: imports and proposals cover all the crimes again."""
    if ConfirmForm().validate_on_submit() and clear_council_area(db()):
        db().commit()
        flash("The council's area is no longer used.", "success")
    return redirect(url_for("crimes.index"))


@bp.route("/imports/<int:import_id>/delete", methods=["POST"])
@allow(EDIT_SITING)
def delete(import_id: int):
    """Take an import back: every crime it added, and its record (kept in the audit trail)."""
    if ConfirmForm().validate_on_submit():
        removed = delete_import(db(), import_id)
        if removed is None:
            flash("There is no such import.", "error")
        else:
            db().commit()
            flash(f"Import {import_id} deleted with the {removed:,} crimes it added.", "success")
    return redirect(url_for("crimes.index"))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge):
    """An upload past MAX_CONTENT_LENGTH: the page again, its form ready, saying the limit and what to do instead
    (the browser stops sending at the limit, so nothing of it can be kept; nothing was imported)."""
    limit = int(current_app.config["CRIME_UPLOAD_MAX_BYTES"]) // 2**20
    form = CrimeUploadForm(formdata=None)
    form.files.errors = [f"Nothing imported: the files came to more than the {limit:,} MB one upload may be. Upload "
                         "them a few months at a time, or have an administrator load them on the server with "
                         "`cctv crimes import`, which has no limit."]
    if _wants_json():
        return jsonify(errors=form.files.errors), 413
    return _page(form, status=413)
