"""The JSON API under /api/v1 for integrations: cameras, service areas and faults, with bearer tokens.

Each view declares what it takes and answers with @operation (cctv/web/api/declare.py): that declaration parses
its body and query string and is what the OpenAPI document at /api/v1/openapi.json says of it.
"""

from flask import Blueprint, abort, current_app
from flask_login import current_user
from sqlmodel import select

from cctv.audit import audit_reads
from cctv.web.access import ANY_ROLE, EDIT_CAMERAS, RAISE_FAULT, allow, db, public, scope
from cctv.web.api.declare import operation
from cctv.web.api.openapi import openapi_document
from cctv.web.api.parsing import unprocessable
from cctv.web.api.schemas import CameraPage, CameraQuery, FaultList, FaultQuery, ServiceAreaList
from cctv.web.inventory.filters import life_years
from inventory import cameras as camera_service
from inventory import faults as fault_service
from inventory.models import Camera, CameraCreate, CameraRead, CameraUpdate, FaultCreate, FaultRead, ServiceArea
from inventory.scope import OutOfScope
from inventory.types import FaultPriority, london_today

bp = Blueprint("api", __name__, url_prefix="/api/v1")

NO_CAMERA = "No camera with that id, or none the token's user may see"
OUT_OF_SCOPE = "The camera's service area is not one of the user's, or it is covert and the user has no covert access"
# Whoever's camera holds the asset id, the answer is the same: it never says whether the user could see that camera.
TAKEN = "The asset id is not available (another camera has it)"
BAD_REFERENCE = ("The service area does not exist, or the system (field system_id) does not exist or is not one the "
                 "user may use: outside their service areas, or covert without covert access")


@bp.route("/openapi.json")
@public
@operation(documented=False)
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return openapi_document(current_app)


@bp.route("/cameras")
@allow(ANY_ROLE)
@operation(query=CameraQuery, answer=CameraPage)
def list_cameras(query: CameraQuery):
    """List cameras.

    The cameras the token's user may see, filtered like the list page, in asset-id order, a page at a time."""
    return camera_service.list_cameras(db(), scope(), query.filter(), today=london_today(), page=query.page,
                                       per_page=query.per_page, life_years=life_years())


@bp.route("/cameras", methods=["POST"])
@allow(EDIT_CAMERAS)
@operation(body=CameraCreate, answer=CameraRead, status=201, errors={
    403: OUT_OF_SCOPE, 409: TAKEN, 422: BAD_REFERENCE})
def create_camera(body: CameraCreate):
    """Add a camera."""
    try:
        camera = camera_service.create_camera(db(), scope(), body, actor=current_user.username)
    except camera_service.DuplicateAssetId as exc:
        abort(409, description=str(exc))
    except OutOfScope as exc:
        abort(403, description=str(exc))
    except camera_service.UnknownReference as exc:
        unprocessable({exc.field: str(exc)})
    db().commit()
    return camera


def _camera_or_404(camera_id: int) -> Camera:
    try:
        return camera_service.get_camera(db(), scope(), camera_id)
    except camera_service.CameraNotFound:
        abort(404, description=f"no camera {camera_id}")


@bp.route("/cameras/<int:camera_id>")
@allow(ANY_ROLE)
@operation(answer=CameraRead, errors={404: NO_CAMERA})
def get_camera(camera_id: int):
    """One camera."""
    return _camera_or_404(camera_id)


@bp.route("/cameras/<int:camera_id>", methods=["PATCH"])
@allow(EDIT_CAMERAS)
@operation(body=CameraUpdate, answer=CameraRead, errors={
    403: OUT_OF_SCOPE, 404: NO_CAMERA, 422: BAD_REFERENCE})
def update_camera(camera_id: int, body: CameraUpdate):
    """Change a camera.

    Only the fields sent change; the asset id never does. A move, an upgrade or decommissioning is recorded for the
    camera's DPIA."""
    camera = _camera_or_404(camera_id)
    try:
        camera_service.update_camera(db(), scope(), camera, body, actor=current_user.username)
    except OutOfScope as exc:
        abort(403, description=str(exc))
    except camera_service.UnknownReference as exc:
        unprocessable({exc.field: str(exc)})
    db().commit()
    return camera


@bp.route("/service-areas")
@allow(ANY_ROLE)
@operation(answer=ServiceAreaList)
def list_service_areas():
    """Service areas.

    The council's service areas, by name."""
    return {"items": db().exec(select(ServiceArea).order_by(ServiceArea.name)).all()}


@bp.route("/faults")
@allow(ANY_ROLE)
@operation(query=FaultQuery, answer=FaultList)
def list_faults(query: FaultQuery):
    """Faults.

    Faults on cameras the user may see, newest first (?open=1 for those not yet fixed). Each fault read is audited:
    it names who reported it (personal data)."""
    faults = fault_service.list_faults(db(), scope(), open_only=query.open)
    audit_reads(db(), "fault", [f.id for f in faults if f.id is not None], "API fault list")
    return {"items": faults}


@bp.route("/faults", methods=["POST"])
@allow(RAISE_FAULT)
@operation(body=FaultCreate, answer=FaultRead, status=201, errors={404: NO_CAMERA, 403: OUT_OF_SCOPE})
def create_fault(body: FaultCreate):
    """Open a fault.

    On a camera the user may see; its target fix time comes from the priority's SLA, and an operational camera
    becomes faulty."""
    camera = _camera_or_404(body.camera_id)
    sla = {FaultPriority(k): int(v) for k, v in current_app.config["SLA_HOURS"].items()}
    try:
        fault = fault_service.open_fault(db(), scope(), camera, body, actor=current_user.username, sla_hours=sla)
    except OutOfScope as exc:
        abort(403, description=str(exc))
    db().commit()
    return fault
