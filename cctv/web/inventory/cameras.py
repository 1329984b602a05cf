"""The camera register: list, page, create, edit and move."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from pydantic import ValidationError
from sqlmodel import col, select

from cctv.audit import AuditEntry
from cctv.web.access import ANY_ROLE, EDIT_CAMERAS, VIEW_AUDIT, allow, db, scope
from cctv.web.inputs import page_number
from cctv.web.inventory.filters import filter_args, life_years, parse_filter
from cctv.web.inventory.forms import CameraForm, FaultForm, FixForm, MoveForm, kind_choices
from inventory import cameras as camera_service
from inventory.funding import awards_for_camera
from inventory.lifecycle import get_lifecycle, past_life
from inventory.models import Camera, CameraCreate, CameraSystem, CameraUpdate
from inventory.scope import OutOfScope
from inventory.service_areas import list_service_areas
from inventory.systems import visible_system
from inventory.types import CameraStatus, london_today

bp = Blueprint("cameras", __name__, template_folder="templates", url_prefix="/cameras")


def _camera_or_404(camera_id: int) -> Camera:
    try:
        return camera_service.get_camera(db(), scope(), camera_id)
    except camera_service.CameraNotFound:
        abort(404)


@bp.route("")
@allow(ANY_ROLE)
def index():
    """The filtered, searchable, paged list of cameras the user may see."""
    filt = parse_filter(request.args)
    page = camera_service.list_cameras(
        db(), scope(), filt, today=london_today(), page=request.args.get("page", 1, type=page_number),
        per_page=int(current_app.config["PER_PAGE"]), life_years=life_years(),
    )
    return render_template(
        "inventory/cameras/list.html", page=page, filt=filt, args=filter_args(filt), areas=list_service_areas(db()),
        towns=camera_service.towns(db(), scope()), kinds=kind_choices(scope().include_covert),
        statuses=list(CameraStatus), today=london_today(), age_years=camera_service.age_years,
    )


def _prepare(form: CameraForm, camera: Camera | None = None) -> None:
    areas = [a for a in list_service_areas(db()) if scope().allows_area(a.id)]
    form.service_area_id.choices = {a.id: a.name for a in areas}
    # Only the systems the user may see and use: their areas', and covert ones only with covert access.
    systems = db().exec(select(CameraSystem).where(scope().systems_where()).order_by(CameraSystem.name)).all()
    choices: dict[int | None, str] = {None: "—"} | {s.id: s.name for s in systems}
    if camera is not None and camera.system_id is not None and camera.system_id not in choices:
        choices[camera.system_id] = "(kept as it is)"  # a system hidden from this user: kept, never named
    form.system_id.choices = choices
    form.kind.choices = dict(kind_choices(scope().include_covert))


def _apply_errors(form: CameraForm, exc: ValidationError) -> None:
    for error in exc.errors():
        field = getattr(form, str(error["loc"][0]), None) if error["loc"] else None
        (field.errors if field is not None else form.form_errors).append(error["msg"])


@bp.route("/new", methods=["GET", "POST"])
@allow(EDIT_CAMERAS)
def create():
    """Add a camera; on error the form comes back with everything typed and the error beside its field."""
    form = CameraForm()
    _prepare(form)
    if form.validate_on_submit() and (fields := form.camera_fields()) is not None:
        try:
            camera = camera_service.create_camera(
                db(), scope(), CameraCreate.model_validate(fields), actor=current_user.username
            )
            db().commit()
            flash(f"Camera {camera.asset_id} added.")
            return redirect(url_for("cameras.show", camera_id=camera.id))
        except ValidationError as exc:
            _apply_errors(form, exc)
        except camera_service.DuplicateAssetId as exc:
            form.asset_id.errors.append(str(exc))
        except OutOfScope as exc:
            form.service_area_id.errors.append(str(exc))
        except camera_service.UnknownReference as exc:
            getattr(form, exc.field).errors.append(str(exc))
        db().rollback()
    return render_template("inventory/cameras/form.html", form=form, camera=None), 400 if form.errors else 200


@bp.route("/<int:camera_id>")
@allow(ANY_ROLE)
def show(camera_id: int):
    """A camera with its moves, faults and (for those allowed) its audit history."""
    camera = _camera_or_404(camera_id)
    history = []
    if current_user.role in VIEW_AUDIT:
        history = db().exec(
            select(AuditEntry).where(AuditEntry.table_name == "camera", AuditEntry.record_id == str(camera.id))
            .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        ).all()
    form = CameraForm(obj=camera)
    form.fill_easting_northing(camera)
    lifecycle = get_lifecycle(db(), camera.id)
    return render_template(
        "inventory/cameras/show.html", camera=camera, history=history, easting=form.easting.data,
        northing=form.northing.data, fault_form=FaultForm(), fix_form=FixForm(),
        age=camera_service.age_years(camera, london_today()),
        eol=past_life(camera, lifecycle, london_today(), life_years()),
        system=visible_system(db(), scope(), camera.system_id) if camera.system_id else None,
        awards=awards_for_camera(db(), camera.id), lifecycle=lifecycle,
    )


@bp.route("/<int:camera_id>/edit", methods=["GET", "POST"])
@allow(EDIT_CAMERAS)
def edit(camera_id: int):
    """Edit a camera; moves, upgrades and decommissioning are recorded for its DPIA."""
    camera = _camera_or_404(camera_id)
    if not scope().allows_area(camera.service_area_id):
        abort(403)
    form = CameraForm(obj=camera)
    _prepare(form, camera)
    if request.method == "GET":
        form.fill_easting_northing(camera)
        form.funding_source.data = camera.funding_source or ""
    else:
        form.prefer_changed_grid_reference(camera)
    if form.validate_on_submit() and (fields := form.camera_fields()) is not None:
        fields.pop("asset_id")  # the asset id is the camera's identity: it is not edited
        try:
            changed = camera_service.update_camera(
                db(), scope(), camera, CameraUpdate.model_validate(fields), actor=current_user.username
            )
            db().commit()
            flash(f"Saved: {', '.join(sorted(changed))}." if changed else "Nothing changed.")
            return redirect(url_for("cameras.show", camera_id=camera.id))
        except ValidationError as exc:
            _apply_errors(form, exc)
        except OutOfScope as exc:
            form.service_area_id.errors.append(str(exc))
        except camera_service.UnknownReference as exc:
            getattr(form, exc.field).errors.append(str(exc))
        db().rollback()
    return render_template("inventory/cameras/form.html", form=form, camera=camera), 400 if form.errors else 200


@bp.route("/<int:camera_id>/move", methods=["GET", "POST"])
@allow(EDIT_CAMERAS)
def move(camera_id: int):
    """Move a camera (deployables above all): from, to, when and why."""
    camera = _camera_or_404(camera_id)
    if not scope().allows_area(camera.service_area_id):
        abort(403)
    form = MoveForm()
    if request.method == "GET":
        form.to_town.data = camera.town
    if form.validate_on_submit() and (point := form.resolve_point()) is not None:
        camera_service.move_camera(
            db(), scope(), camera, to_location_text=form.to_location_text.data.strip(),
            to_town=form.to_town.data.strip(), to_longitude=point[0], to_latitude=point[1],
            reason=form.reason.data.strip(), actor=current_user.username,
        )
        db().commit()
        flash(f"{camera.asset_id} moved to {camera.location_text}.")
        return redirect(url_for("cameras.show", camera_id=camera.id))
    return render_template("inventory/cameras/move.html", form=form, camera=camera), 400 if form.errors else 200


