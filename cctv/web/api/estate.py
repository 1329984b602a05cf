"""The API's service areas, systems and control rooms: what an integration (or a fresh install's script) sets up
before adding cameras. Covert systems are hidden from tokens without covert access, as on the pages.
"""

from flask import Blueprint, abort
from flask_login import current_user
from pydantic import BaseModel, Field

from cctv.controlroom import rooms
from cctv.web.access import ADMIN_ONLY, ANY_ROLE, EDIT_SYSTEMS, allow, db, scope
from cctv.web.api.declare import operation
from cctv.web.api.parsing import unprocessable
from cctv.web.api.schemas import ServiceAreaRead
from inventory import service_areas as areas
from inventory import systems as system_service
from inventory.models import CameraSystemBase, ServiceAreaBase
from inventory.scope import OutOfScope

bp = Blueprint("estate_api", __name__, url_prefix="/api/v1")

NO_AREA = "No service area with that id"
NO_SYSTEM = "No system with that id, or none the token's user may see"
NO_ROOM = "No control room with that id"
TAKEN = "The code or name is another's"
AREA_NOT_YOURS = "The service area is not one of the user's"


class SystemRead(BaseModel):
    """A camera system: a named group of cameras one DPIA covers."""

    id: int
    name: str
    service_area_id: int
    description: str


class SystemList(BaseModel):
    """The systems the user may see, by name, each with how many of its cameras they may see."""

    items: list[SystemRead]


class RoomCreate(BaseModel):
    """A new control room."""

    code: str = Field(max_length=8, description="1 to 8 letters: the prefix of the room's incident references")
    name: str = Field(max_length=120)


class RoomUpdate(BaseModel):
    """A control room's new name (its code never changes)."""

    name: str = Field(max_length=120)


class RoomRead(BaseModel):
    """A control room."""

    id: int
    code: str
    name: str


class RoomList(BaseModel):
    """The control rooms, by name."""

    items: list[RoomRead]


@bp.route("/service-areas", methods=["POST"])
@allow(ADMIN_ONLY)
@operation(body=ServiceAreaBase, answer=ServiceAreaRead, status=201, errors={409: TAKEN})
def create_service_area(body: ServiceAreaBase):
    """Add a service area."""
    try:
        area = areas.create_service_area(db(), body)
    except areas.ServiceAreaError as exc:
        _refuse(exc.field, str(exc))
    db().commit()
    return area


@bp.route("/service-areas/<int:area_id>", methods=["PATCH"])
@allow(ADMIN_ONLY)
@operation(body=ServiceAreaBase, answer=ServiceAreaRead, errors={404: NO_AREA, 409: TAKEN})
def update_service_area(area_id: int, body: ServiceAreaBase):
    """Change a service area.

    Its code, name and description, all given; its cameras, systems and accounts stay with it."""
    try:
        area = areas.get_service_area(db(), area_id)
        areas.update_service_area(db(), area, body)
    except areas.ServiceAreaNotFound:
        abort(404, description=NO_AREA)
    except areas.ServiceAreaError as exc:
        _refuse(exc.field, str(exc))
    db().commit()
    return area


def _refuse(field: str, message: str):
    """A clash is 409; an empty code or name is 422 on its field."""
    if "already" in message:
        abort(409, description=message)
    unprocessable({field: message})


@bp.route("/systems")
@allow(ANY_ROLE)
@operation(answer=SystemList)
def list_systems():
    """Systems.

    The systems in the user's service areas (covert ones only with covert access), by name."""
    return {"items": [s.system for s in system_service.list_systems(db(), scope())]}


@bp.route("/systems", methods=["POST"])
@allow(EDIT_SYSTEMS)
@operation(body=CameraSystemBase, answer=SystemRead, status=201, errors={403: AREA_NOT_YOURS, 409: TAKEN})
def create_system(body: CameraSystemBase):
    """Add a system.

    Its 'new system' change makes its DPIA due."""
    try:
        system = system_service.create_system(db(), scope(), body, actor=current_user.username)
    except system_service.DuplicateSystemName as exc:
        abort(409, description=str(exc))
    except OutOfScope as exc:
        abort(403, description=str(exc))
    except LookupError as exc:
        unprocessable({"service_area_id": str(exc)})
    db().commit()
    return system


@bp.route("/systems/<int:system_id>", methods=["PATCH"])
@allow(EDIT_SYSTEMS)
@operation(body=CameraSystemBase, answer=SystemRead, errors={403: AREA_NOT_YOURS, 404: NO_SYSTEM, 409: TAKEN})
def update_system(system_id: int, body: CameraSystemBase):
    """Change a system.

    Its name, description and owning service area, all given; its cameras and DPIA stay with it."""
    system = system_service.visible_system(db(), scope(), system_id)
    if system is None:
        abort(404, description=NO_SYSTEM)
    try:
        system_service.update_system(db(), scope(), system, body)
    except system_service.DuplicateSystemName as exc:
        abort(409, description=str(exc))
    except OutOfScope as exc:
        abort(403, description=str(exc))
    except LookupError as exc:
        unprocessable({"service_area_id": str(exc)})
    except ValueError as exc:
        unprocessable({"name": str(exc)})
    db().commit()
    return system


@bp.route("/control-rooms")
@allow(ANY_ROLE)
@operation(answer=RoomList)
def list_control_rooms():
    """Control rooms.

    Every control room, by name."""
    return {"items": rooms.list_rooms(db())}


@bp.route("/control-rooms", methods=["POST"])
@allow(ADMIN_ONLY)
@operation(body=RoomCreate, answer=RoomRead, status=201, errors={409: TAKEN})
def create_control_room(body: RoomCreate):
    """Add a control room."""
    try:
        room = rooms.create_room(db(), body.code, body.name)
    except rooms.RoomError as exc:
        _refuse(exc.field, str(exc))
    db().commit()
    return room


@bp.route("/control-rooms/<int:room_id>", methods=["PATCH"])
@allow(ADMIN_ONLY)
@operation(body=RoomUpdate, answer=RoomRead, errors={404: NO_ROOM, 409: TAKEN})
def update_control_room(room_id: int, body: RoomUpdate):
    """Rename a control room.

    Its code stays: incident references already given out begin with it."""
    try:
        room = rooms.rename_room(db(), rooms.get_room(db(), room_id), body.name)
    except rooms.RoomNotFound:
        abort(404, description=NO_ROOM)
    except rooms.RoomError as exc:
        _refuse(exc.field, str(exc))
    db().commit()
    return room
