"""Service areas: the council services that own cameras (Community Safety, Parking Services, …)."""

from sqlmodel import Session, select

from inventory.models import ServiceArea


def list_service_areas(session: Session) -> list[ServiceArea]:
    """Every service area, by name."""
    return list(session.exec(select(ServiceArea).order_by(ServiceArea.name)))
