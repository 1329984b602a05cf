"""Importing a council's camera list: upload, map the columns, preview every error, then commit all or none."""

import json
import secrets
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired

from cctv.web.access import IMPORT_CAMERAS, allow, db, scope
from cctv.web.inputs import db_int
from cctv.web.inventory.forms import kind_choices
from inventory.import_rows import commit_import, plan_import
from inventory.importing import (
    TARGETS,
    ImportDefaults,
    ImportFileError,
    SourceTable,
    guess_mapping,
    parse_value_mappings,
    read_table,
)
from inventory.service_areas import list_service_areas
from inventory.systems import list_systems
from inventory.types import CameraKind

bp = Blueprint("imports", __name__, template_folder="templates", url_prefix="/cameras/import")


class UploadForm(FlaskForm):
    """The file to import."""

    file = FileField("CSV or GeoJSON file", validators=[
        FileRequired(), FileAllowed(["csv", "geojson", "json"], "A .csv, .geojson or .json file, please."),
    ])


class StepForm(FlaskForm):
    """Only CSRF: the mapping's selects are read from the request by name."""


def _upload_dir() -> Path:
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(exist_ok=True)
    return path


def _load(token: str) -> tuple[dict, bytes]:
    if not token.isalnum():
        abort(404)
    meta_path = _upload_dir() / f"{token}.json"
    if not meta_path.exists():
        abort(404)
    meta = json.loads(meta_path.read_text())
    if meta["user"] != current_user.username:
        abort(404)  # an upload is private to whoever made it
    return meta, (_upload_dir() / f"{token}.data").read_bytes()


@bp.route("", methods=["GET", "POST"])
@allow(IMPORT_CAMERAS)
def upload():
    """Upload a file; it is kept aside until the import is committed."""
    form = UploadForm()
    if form.validate_on_submit():
        content = form.file.data.read()
        filename = Path(form.file.data.filename or "upload.csv").name
        try:
            read_table(filename, content)
        except ImportFileError as exc:
            form.file.errors.append(str(exc))
        else:
            token = secrets.token_hex(12)
            (_upload_dir() / f"{token}.data").write_bytes(content)
            (_upload_dir() / f"{token}.json").write_text(json.dumps({"file": filename, "user": current_user.username}))
            return redirect(url_for("imports.review", token=token))
    return render_template("inventory/imports/upload.html", form=form), 400 if form.errors else 200


def _read_choices(headers: list[str]) -> tuple[dict[str, str], ImportDefaults, str | None]:
    """The mapping, defaults and value mapping as chosen on the page; the last is why the value mapping could not be
    read (None when it could)."""
    mapping = {t: request.form[f"map_{t}"] for t in TARGETS if request.form.get(f"map_{t}") in headers}
    area = request.form.get("default_service_area", type=db_int)
    system = request.form.get("default_system", type=db_int)
    systems = {s.system.id for s in list_systems(db(), scope())}
    kind = request.form.get("default_kind") or None
    values_text = request.form.get("values", "")[:5000]
    try:
        values, values_error = parse_value_mappings(values_text.splitlines()), None
    except ValueError as exc:
        values, values_error = {}, str(exc)
    defaults = ImportDefaults(
        service_area_id=area if area and scope().allows_area(area) else None,
        system_id=system if system in systems else None,
        kind=CameraKind(kind) if kind in {k for k, _ in kind_choices(scope().include_covert)} else None,
        data_controller=(request.form.get("data_controller", "").strip()[:120]
                         or current_app.config["DATA_CONTROLLER"]),
        repeated_ids="generate" if request.form.get("repeated_ids") == "generate" else "refuse",
        values=values,
    )
    return mapping, defaults, values_error


def _distinct(table: SourceTable, column: str | None, limit: int = 12) -> list[str]:
    """The different values of a column (a status or kind column's words, to map to ours)."""
    return table.samples(column, limit) if column else []


@bp.route("/<token>", methods=["GET", "POST"])
@allow(IMPORT_CAMERAS)
def review(token: str):
    """Map the columns and preview; commit only when every row is good."""
    meta, content = _load(token)
    table = read_table(meta["file"], content)
    form = StepForm()
    plan, values_error = None, None
    if request.method == "GET":
        mapping = guess_mapping(table.headers, table)
        defaults = ImportDefaults(data_controller=current_app.config["DATA_CONTROLLER"])
    elif not form.validate_on_submit():
        abort(400)
    else:
        mapping, defaults, values_error = _read_choices(table.headers)
        plan = plan_import(db(), table, mapping, defaults, scope()) if values_error is None else None
        if plan is not None and request.form.get("action") == "commit" and plan.ok:
            cameras = commit_import(db(), plan, scope(), actor=current_user.username)
            db().commit()
            for suffix in ("data", "json"):
                (_upload_dir() / f"{token}.{suffix}").unlink(missing_ok=True)
            flash(f"Imported {len(cameras)} cameras from {meta['file']}.")
            return redirect(url_for("cameras.index"))
    return render_template(
        "inventory/imports/review.html", form=form, token=token, file=meta["file"], table=table, targets=list(TARGETS),
        mapping=mapping, defaults=defaults, plan=plan, values_error=values_error,
        values_text=request.form.get("values", "")[:5000] if request.method == "POST" else "",
        samples={t: table.samples(c) for t, c in mapping.items()},
        words={t: _distinct(table, mapping.get(t)) for t in ("status", "kind")},
        areas=[a for a in list_service_areas(db()) if scope().allows_area(a.id)],
        kinds=kind_choices(scope().include_covert), systems=list_systems(db(), scope()),
    )
