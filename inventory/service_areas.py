"""Service areas: the council services that own cameras (Community Safety, Parking Services, …).

A fresh install has none, and a camera cannot be added without one, so the pages, `cctv service-areas` and the API
create and rename them here. An area is never deleted: cameras, systems and accounts point at it, and the audit
trail names it.
"""

from sqlmodel import Session, func, select

from inventory.models import ServiceArea, ServiceAreaBase


class ServiceAreaError(ValueError):
    """A code or name that is empty or already another area's; `field` says which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ServiceAreaNotFound(LookupError):
    """No service area with that id or code."""


def list_service_areas(session: Session) -> list[ServiceArea]:
    """Every service area, by name."""
    return list(session.exec(select(ServiceArea).order_by(ServiceArea.name)))


def get_service_area(session: Session, area_id: int) -> ServiceArea:
    """The service area with this id (ServiceAreaNotFound)."""
    area = session.get(ServiceArea, area_id)
    if area is None:
        raise ServiceAreaNotFound(f"no service area {area_id}")
    return area


def area_by_code(session: Session, code: str) -> ServiceArea:
    """The service area with this code, whatever its case (ServiceAreaNotFound)."""
    area = session.exec(select(ServiceArea).where(func.upper(ServiceArea.code) == code.strip().upper())).first()
    if area is None:
        raise ServiceAreaNotFound(f"no service area with code {code.strip()}: `cctv service-areas list` shows them, "
                                  "`cctv service-areas create CODE NAME` adds one")
    return area


def _clean(data: ServiceAreaBase) -> ServiceAreaBase:
    # Codes are typed in commands and files (`--service-area CS`): upper case and without spaces, so that "cs " and
    # "CS" are one area.
    code = "".join(data.code.split()).upper()
    name = " ".join(data.name.split())
    if not code:
        raise ServiceAreaError("code", "Give the service area a code (e.g. CS).")
    if not name:
        raise ServiceAreaError("name", "Give the service area a name.")
    if len(code) > 32:  # upper case can be longer than what was typed ("ß" is "SS")
        raise ServiceAreaError("code", "A code is at most 32 characters.")
    return ServiceAreaBase(code=code, name=name, description=data.description.strip())


def _check_free(session: Session, data: ServiceAreaBase, except_id: int | None) -> None:
    for field, column, value in (("code", ServiceArea.code, data.code), ("name", ServiceArea.name, data.name)):
        clash = session.exec(select(ServiceArea.id).where(func.lower(column) == value.lower())).first()
        if clash is not None and clash != except_id:
            raise ServiceAreaError(field, f"Another service area already has the {field} {value}.")


def create_service_area(session: Session, data: ServiceAreaBase) -> ServiceArea:
    """Add a service area (ServiceAreaError for an empty or taken code or name); audited with the session."""
    data = _clean(data)
    _check_free(session, data, None)
    area = ServiceArea.model_validate(data)
    session.add(area)
    session.flush()
    return area


def update_service_area(session: Session, area: ServiceArea, data: ServiceAreaBase) -> ServiceArea:
    """Rename a service area or change its code or description; its cameras, systems and accounts stay with it."""
    data = _clean(data)
    _check_free(session, data, area.id)
    area.code, area.name, area.description = data.code, data.name, data.description
    session.add(area)
    session.flush()
    return area
