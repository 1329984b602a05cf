"""Tables of the estate's upkeep: each camera's costs and warranty, maintenance contracts with their own SLA,
planned preventive maintenance (PPM) schedules, and body-worn devices issued to officers.

Kept apart from `inventory.models` (the register itself) so that module stays readable; `cctv.models` imports both.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel

from inventory.types import FaultPriority, utcnow


class CameraLifecycleBase(SQLModel):
    """What a camera cost, what it costs to keep, how long it should last and its warranty."""

    purchase_cost: Decimal | None = Field(default=None, max_digits=12, decimal_places=2, ge=0)
    installation_cost: Decimal | None = Field(default=None, max_digits=12, decimal_places=2, ge=0)
    annual_maintenance_cost: Decimal | None = Field(default=None, max_digits=12, decimal_places=2, ge=0)
    # None: the expected life of the camera's kind (configuration EXPECTED_LIFE_YEARS).
    expected_life_years: int | None = Field(default=None, ge=1, le=50)
    warranty_provider: str = Field(default="", max_length=120)
    warranty_ends_on: date | None = None


class CameraLifecycle(CameraLifecycleBase, table=True):
    """One camera's lifecycle and money record (at most one per camera)."""

    __tablename__ = "camera_lifecycle"
    camera_id: int = Field(foreign_key="camera.id", primary_key=True)
    updated_at: datetime = Field(default_factory=utcnow)


class MaintenanceContractBase(SQLModel):
    """A maintenance contract: who fixes faults, for which cameras, when, and how fast (its own SLA table)."""

    reference: str = Field(max_length=60, unique=True)
    contractor: str = Field(max_length=120)
    # None: the contract covers the whole estate; otherwise one service area's cameras.
    service_area_id: int | None = Field(default=None, foreign_key="service_area.id")
    starts_on: date
    ends_on: date
    contact_name: str = Field(default="", max_length=120)
    contact_phone: str = Field(default="", max_length=40)
    contact_email: str = Field(default="", max_length=200)
    sla_critical_hours: int = Field(default=4, ge=1, le=8760)
    sla_high_hours: int = Field(default=24, ge=1, le=8760)
    sla_medium_hours: int = Field(default=72, ge=1, le=8760)
    sla_low_hours: int = Field(default=168, ge=1, le=8760)
    annual_value: Decimal | None = Field(default=None, max_digits=12, decimal_places=2, ge=0)
    notes: str = Field(default="", max_length=2000)

    def sla_hours(self) -> dict[FaultPriority, int]:
        """Hours to fix by fault priority under this contract."""
        return {FaultPriority.CRITICAL: self.sla_critical_hours, FaultPriority.HIGH: self.sla_high_hours,
                FaultPriority.MEDIUM: self.sla_medium_hours, FaultPriority.LOW: self.sla_low_hours}

    def covers(self, service_area_id: int, on: date) -> bool:
        """Whether the contract is in force on a date for a camera of that service area."""
        return self.starts_on <= on <= self.ends_on and self.service_area_id in (None, service_area_id)


class MaintenanceContract(MaintenanceContractBase, table=True):
    """A maintenance contract as stored."""

    __tablename__ = "maintenance_contract"
    id: int | None = Field(default=None, primary_key=True)


class PpmScheduleBase(SQLModel):
    """Planned preventive maintenance under a contract: what is visited, how often, and when next."""

    contract_id: int = Field(foreign_key="maintenance_contract.id", index=True)
    title: str = Field(max_length=160)
    covers: str = Field(default="", max_length=250)  # in words: "Wycombe town-centre cameras, clean and check"
    interval_months: int = Field(default=12, ge=1, le=60)
    next_due_on: date
    remind_days_before: int = Field(default=14, ge=0, le=180)


class PpmSchedule(PpmScheduleBase, table=True):
    """A PPM schedule as stored; recording a visit moves next_due_on on by the interval."""

    __tablename__ = "ppm_schedule"
    id: int | None = Field(default=None, primary_key=True)
    last_done_on: date | None = None


class BodyWornIssueBase(SQLModel):
    """A body-worn video device handed to a named officer, and when it must come back."""

    camera_id: int = Field(foreign_key="camera.id", index=True)
    officer_name: str = Field(max_length=120)
    officer_number: str = Field(default="", max_length=40)
    due_back_at: datetime
    notes: str = Field(default="", max_length=500)


class BodyWornIssue(BodyWornIssueBase, table=True):
    """One issue of a device; out while returned_at is empty."""

    __tablename__ = "body_worn_issue"
    id: int | None = Field(default=None, primary_key=True)
    issued_at: datetime = Field(default_factory=utcnow)
    issued_by: str = Field(default="", max_length=80)
    returned_at: datetime | None = None
    returned_to: str = Field(default="", max_length=80)


__all__ = ["BodyWornIssue", "CameraLifecycle", "MaintenanceContract", "PpmSchedule"]
