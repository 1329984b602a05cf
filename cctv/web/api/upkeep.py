"""/api/v1 reads of the estate's upkeep for a council's asset or finance system: maintenance contracts with their SLA
table and how their faults have fared against it (read-only, for the roles that see the contracts page)."""

from datetime import date
from decimal import Decimal

from flask import Blueprint
from pydantic import BaseModel

from cctv.web.access import VIEW_CONTRACTS, allow, db, scope
from cctv.web.api.declare import operation
from inventory import contracts as contract_service
from inventory.types import utcnow

bp = Blueprint("upkeep_api", __name__, url_prefix="/api/v1")


class ContractRead(BaseModel):
    """A maintenance contract, its SLA hours by fault priority, and its faults on cameras the user may see."""

    id: int
    reference: str
    contractor: str
    service_area_id: int | None
    starts_on: date
    ends_on: date
    contact_name: str
    contact_phone: str
    contact_email: str
    sla_hours: dict[str, int]
    annual_value: Decimal | None
    faults: int
    open_faults: int
    faults_due: int  # fixed, or past their target
    fixed_within_sla: int
    share_within_sla: float | None  # fixed_within_sla / faults_due; None when none is due yet


class ContractList(BaseModel):
    """The maintenance contracts."""

    items: list[ContractRead]


@bp.route("/contracts")
@allow(VIEW_CONTRACTS)
@operation(answer=ContractList)
def list_contracts():
    """Maintenance contracts.

    Every contract with its SLA table and its faults' share fixed within it (faults on cameras the user may see)."""
    figures = contract_service.contract_sla(db(), scope(), utcnow())
    items = []
    for contract in contract_service.list_contracts(db()):
        sla = figures.get(contract.id or 0)
        items.append(contract.model_dump(include=set(ContractRead.model_fields)) | {
            "sla_hours": {priority.value: hours for priority, hours in contract.sla_hours().items()},
            "faults": sla.faults if sla else 0, "open_faults": sla.open if sla else 0,
            "faults_due": sla.due if sla else 0, "fixed_within_sla": sla.fixed_within_sla if sla else 0,
            "share_within_sla": sla.share_within_sla if sla else None,
        })
    return {"items": items}
