"""Maintenance contracts: who fixes which cameras, with its own SLA table; which contract a fault goes to, and
each contract's performance against its own SLA."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from inventory.models import Camera, Fault
from inventory.scope import CameraScope
from inventory.upkeep_models import MaintenanceContract, MaintenanceContractBase

if TYPE_CHECKING:
    from inventory.faults import SlaFigures


class ContractNotFound(LookupError):
    """No contract with that id."""


class DuplicateContractReference(ValueError):
    """Another contract already has that reference."""


def _check(session: Session, data: MaintenanceContractBase, contract_id: int | None) -> None:
    if data.ends_on < data.starts_on:
        raise ValueError("a contract cannot end before it starts")
    stmt = select(MaintenanceContract.id).where(MaintenanceContract.reference == data.reference)
    if contract_id is not None:
        stmt = stmt.where(MaintenanceContract.id != contract_id)
    if session.exec(stmt).first() is not None:
        raise DuplicateContractReference(f"contract reference {data.reference} already exists")


def create_contract(session: Session, data: MaintenanceContractBase) -> MaintenanceContract:
    """Record a contract (audited as any ORM insert)."""
    _check(session, data, None)
    contract = MaintenanceContract.model_validate(data.model_dump())
    session.add(contract)
    session.flush()
    return contract


def update_contract(session: Session, contract: MaintenanceContract, data: MaintenanceContractBase) -> None:
    """Change a contract's fields. Faults already open keep the target they were given."""
    _check(session, data, contract.id)
    for name, value in data.model_dump().items():
        setattr(contract, name, value)
    session.add(contract)
    session.flush()


def get_contract(session: Session, contract_id: int) -> MaintenanceContract:
    contract = session.get(MaintenanceContract, contract_id)
    if contract is None:
        raise ContractNotFound(contract_id)
    return contract


def list_contracts(session: Session) -> list[MaintenanceContract]:
    """Every contract, latest first."""
    stmt = select(MaintenanceContract).order_by(col(MaintenanceContract.ends_on).desc(), col(MaintenanceContract.id))
    return list(session.exec(stmt))


def contract_for(session: Session, camera: Camera, on: date) -> MaintenanceContract | None:
    """The contract in force on a date for the camera: its service area's own before an estate-wide one, and of
    several, the one that started last."""
    stmt = select(MaintenanceContract).where(
        col(MaintenanceContract.starts_on) <= on, col(MaintenanceContract.ends_on) >= on,
        (col(MaintenanceContract.service_area_id) == camera.service_area_id)
        | col(MaintenanceContract.service_area_id).is_(None))
    found = list(session.exec(stmt))
    found.sort(key=lambda c: (c.service_area_id is not None, c.starts_on, c.id or 0), reverse=True)
    return found[0] if found else None


def contract_sla(session: Session, scope: CameraScope, now: datetime) -> "dict[int, SlaFigures]":
    """Each contract's faults measured against its own SLA (the target each fault was given from it), counting only
    the faults on cameras the user may see."""
    from inventory.faults import sla_figures  # faults imports this module to assign a fault its contract

    faults = session.exec(
        select(Fault).join(Camera, col(Camera.id) == col(Fault.camera_id))
        .where(col(Fault.contract_id).is_not(None), scope.where())
    ).all()
    by_contract: dict[int, list[Fault]] = {}
    for fault in faults:
        by_contract.setdefault(fault.contract_id, []).append(fault)  # type: ignore[arg-type]
    return {contract_id: sla_figures(found, now) for contract_id, found in by_contract.items()}
