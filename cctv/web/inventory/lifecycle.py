"""Lifecycle and money: the replacement programme (page and CSV) and each camera's costs, life and warranty."""

import io

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from pydantic import ValidationError

from cctv.audit import audit_read
from cctv.web.access import EDIT_CAMERAS, VIEW_PROGRAMME, allow, db, scope
from cctv.web.inventory.upkeep_forms import LifecycleForm
from common.csv_cells import SafeWriter
from inventory import cameras as camera_service
from inventory import lifecycle as lifecycle_service
from inventory.types import CameraKind, london_today
from inventory.upkeep_models import CameraLifecycleBase

bp = Blueprint("lifecycle", __name__, template_folder="templates")


def _programme() -> lifecycle_service.Programme:
    return lifecycle_service.configured_programme(db(), scope(), today=london_today(), config=current_app.config)


@bp.route("/lifecycle")
@allow(VIEW_PROGRAMME)
def programme():
    """The replacement programme by financial year, with totals by service area and funding source."""
    programme = _programme()
    life = lifecycle_service.configured_by_kind(current_app.config.get("EXPECTED_LIFE_YEARS"),
                                                lifecycle_service.DEFAULT_EXPECTED_LIFE_YEARS, int)
    return render_template(
        "inventory/lifecycle/programme.html", programme=programme, label=lifecycle_service.year_label,
        totals=programme.total_by_year(), by_area=programme.by_service_area(), by_source=programme.by_funding(),
        life=[(kind.label, years) for kind, years in life.items() if scope().include_covert
              or kind != CameraKind.COVERT],
    )


@bp.route("/lifecycle.csv")
@allow(VIEW_PROGRAMME)
def programme_csv():
    """The programme, one line per camera, as CSV (no cell runs as a formula)."""
    buffer = io.StringIO()
    SafeWriter(buffer, lineterminator="\n").writerows(lifecycle_service.programme_rows(_programme()))
    audit_read(db(), "camera", "export", "replacement programme CSV")
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=replacement-programme.csv"})


@bp.route("/cameras/<int:camera_id>/lifecycle", methods=["GET", "POST"])
@allow(EDIT_CAMERAS)
def edit(camera_id: int):
    """A camera's purchase, installation and maintenance costs, expected life and warranty."""
    try:
        camera = camera_service.get_camera(db(), scope(), camera_id)
    except camera_service.CameraNotFound:
        abort(404)
    if not scope().allows_area(camera.service_area_id):
        abort(403)
    record = lifecycle_service.get_lifecycle(db(), camera.id)
    form = LifecycleForm(obj=record)
    if form.validate_on_submit():
        try:
            data = CameraLifecycleBase.model_validate(
                {name: getattr(form, name).data for name in CameraLifecycleBase.model_fields}
                | {"warranty_provider": (form.warranty_provider.data or "").strip()})
        except ValidationError as exc:
            for error in exc.errors():
                getattr(form, str(error["loc"][0])).errors.append(error["msg"])
        else:
            lifecycle_service.save_lifecycle(db(), scope(), camera, data)
            db().commit()
            flash(f"Lifecycle of {camera.asset_id} saved.")
            return redirect(url_for("cameras.show", camera_id=camera.id))
    return render_template("inventory/lifecycle/form.html", form=form, camera=camera), 400 if form.errors else 200
