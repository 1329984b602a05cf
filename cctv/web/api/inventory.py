"""The JSON API under /api/v1 for integrations: cameras, service areas and faults, with bearer tokens."""

from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user
from pydantic import ValidationError
from sqlmodel import select

from cctv.web.access import ANY_ROLE, EDIT_CAMERAS, RAISE_FAULT, allow, db, public, scope
from cctv.web.api.openapi import openapi_document
from cctv.web.inventory.filters import eol_years, parse_filter, today
from inventory import cameras as camera_service
from inventory import faults as fault_service
from inventory.models import CameraCreate, CameraRead, CameraUpdate, FaultCreate, FaultRead, ServiceArea
from inventory.scope import OutOfScope
from inventory.types import FaultPriority

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _body(model: type):
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, description="send a JSON object")
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        abort(422, description=[{"field": ".".join(map(str, e["loc"])), "error": e["msg"]} for e in exc.errors()])


def _camera_json(camera) -> dict:
    return CameraRead.model_validate(camera).model_dump(mode="json")


@bp.route("/openapi.json")
@public
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


@bp.route("/cameras")
@allow(ANY_ROLE)
def list_cameras():
    """Cameras the token's user may see, filtered like the list page, paged."""
    per_page = min(max(request.args.get("per_page", 100, type=int), 1), 1000)
    page = camera_service.list_cameras(db(), scope(), parse_filter(request.args), today=today(),
                                       page=request.args.get("page", 1, type=int), per_page=per_page,
                                       eol_years=eol_years())
    return jsonify(items=[_camera_json(c) for c in page.items], total=page.total, page=page.page,
                   per_page=page.per_page, pages=page.pages)


@bp.route("/cameras", methods=["POST"])
@allow(EDIT_CAMERAS)
def create_camera():
    """Add a camera."""
    data = _body(CameraCreate)
    try:
        camera = camera_service.create_camera(db(), scope(), data, actor=current_user.username)
    except camera_service.DuplicateAssetId as exc:
        abort(409, description=str(exc))
    except OutOfScope as exc:
        abort(403, description=str(exc))
    except LookupError as exc:
        abort(422, description=str(exc))
    db().commit()
    return jsonify(_camera_json(camera)), 201


def _camera_or_404(camera_id: int):
    try:
        return camera_service.get_camera(db(), scope(), camera_id)
    except camera_service.CameraNotFound:
        abort(404, description=f"no camera {camera_id}")


@bp.route("/cameras/<int:camera_id>")
@allow(ANY_ROLE)
def get_camera(camera_id: int):
    """One camera."""
    return jsonify(_camera_json(_camera_or_404(camera_id)))


@bp.route("/cameras/<int:camera_id>", methods=["PATCH"])
@allow(EDIT_CAMERAS)
def update_camera(camera_id: int):
    """Change some of a camera's fields."""
    camera = _camera_or_404(camera_id)
    data = _body(CameraUpdate)
    try:
        camera_service.update_camera(db(), scope(), camera, data, actor=current_user.username)
    except OutOfScope as exc:
        abort(403, description=str(exc))
    db().commit()
    return jsonify(_camera_json(camera))


@bp.route("/service-areas")
@allow(ANY_ROLE)
def list_service_areas():
    """The council's service areas."""
    areas = db().exec(select(ServiceArea).order_by(ServiceArea.name)).all()
    return jsonify(items=[{"id": a.id, "code": a.code, "name": a.name, "description": a.description} for a in areas])


@bp.route("/faults")
@allow(ANY_ROLE)
def list_faults():
    """Faults on cameras the user may see (?open=1 for open ones only)."""
    faults = fault_service.list_faults(db(), scope(), open_only=request.args.get("open") in ("1", "true"))
    return jsonify(items=[FaultRead.model_validate(f).model_dump(mode="json") for f in faults])


@bp.route("/faults", methods=["POST"])
@allow(RAISE_FAULT)
def create_fault():
    """Open a fault on a camera; its SLA target comes from the priority."""
    data = _body(FaultCreate)
    camera = _camera_or_404(data.camera_id)
    sla = {FaultPriority(k): int(v) for k, v in current_app.config["SLA_HOURS"].items()}
    try:
        fault = fault_service.open_fault(db(), scope(), camera, data, actor=current_user.username, sla_hours=sla)
    except OutOfScope as exc:
        abort(403, description=str(exc))
    db().commit()
    return jsonify(FaultRead.model_validate(fault).model_dump(mode="json")), 201
