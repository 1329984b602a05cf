"""The crime data page: what police.uk data is loaded, and uploading more (CSV files or the site's zip)."""

import tempfile
from pathlib import Path

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileRequired, MultipleFileField
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, StringField
from wtforms.validators import Length

from cctv.web.access import EDIT_SITING, VIEW_SITING, allow, db
from siting.sources.area import AreaError, AreaFilter
from siting.sources.police import PoliceFileError
from siting.store.crimes import import_crimes, stored_crimes

bp = Blueprint("crimes", __name__, template_folder="templates", url_prefix="/siting/crimes")


class CrimeUploadForm(FlaskForm):
    """Street-level CSVs or a zip from data.police.uk, an optional bounding box, and whether to skip bad rows."""

    files = MultipleFileField("Files", validators=[
        FileRequired(), FileAllowed(["csv", "zip"], "data.police.uk street-level .csv files or a .zip, please."),
    ])
    bbox = StringField("Keep only crimes inside (west,south,east,north)", validators=[Length(max=100)])
    skip_bad_rows = BooleanField("Skip malformed rows (and list them) instead of refusing the import")


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


def _page(form: CrimeUploadForm, summary_lines: list[str] | None = None, status: int = 200):
    return render_template("siting/crimes/index.html", form=form, stored=stored_crimes(db()),
                           summary_lines=summary_lines), status


@bp.route("")
@allow(VIEW_SITING)
def index():
    """The months and categories loaded, the latest import, and (for planners) the upload form."""
    return _page(CrimeUploadForm())


@bp.route("", methods=["POST"])
@allow(EDIT_SITING)
def upload():
    """Import the uploaded files in one transaction; a malformed row refuses it all unless told to skip."""
    form = CrimeUploadForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        area = _area(form.bbox.data or "")
    except AreaError as exc:
        form.bbox.errors.append(str(exc))
        return _page(form, status=400)
    problems: list[PoliceFileError] = []
    with tempfile.TemporaryDirectory(dir=current_app.instance_path) as folder:
        paths = []
        for upload in form.files.data:
            path = Path(folder) / Path(upload.filename or "upload.csv").name
            upload.save(path)
            paths.append(path)
        try:
            _, summary = import_crimes(db(), paths, area=area, actor=current_user.username,
                                       on_problem=problems.append if form.skip_bad_rows.data else None)
            db().commit()
        except PoliceFileError as exc:
            db().rollback()
            form.files.errors.append(f"Nothing imported: {exc}")
            return _page(form, status=400)
    return _page(CrimeUploadForm(), summary.lines())


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge):
    """An upload past MAX_CONTENT_LENGTH: the page again, its form ready, saying the limit and what to do instead
    (the browser stops sending at the limit, so nothing of it can be kept; nothing was imported)."""
    limit = int(current_app.config["MAX_CONTENT_LENGTH"]) // 2**20
    form = CrimeUploadForm(formdata=None)
    form.files.errors = [f"Nothing imported: the files came to more than the {limit} MB one upload may be. Upload "
                         "them a few months at a time, or have an administrator load a year or more on the server "
                         "with `cctv crimes import`, which has no limit."]
    return _page(form, status=413)
