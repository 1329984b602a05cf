"""Tables of the camera estate, named as in full-stack-fastapi-template (XBase, X(table=True), XCreate)."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import field_validator
from sqlalchemy import Index, func, text
from sqlmodel import Field, Relationship, SQLModel

from inventory.asset_ids import normalise_asset_id
from inventory.types import (
    CameraKind,
    CameraStatus,
    ChangeKind,
    FaultPriority,
    FundingSource,
    enum_type,
    utcnow,
)


class ServiceAreaBase(SQLModel):
    """One of the council services that owns cameras."""

    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=120, unique=True)
    description: str = Field(default="", max_length=500)


class ServiceArea(ServiceAreaBase, table=True):
    """A service area as stored."""

    __tablename__ = "service_area"
    id: int | None = Field(default=None, primary_key=True)
    cameras: list["Camera"] = Relationship(back_populates="service_area")


class CameraSystemBase(SQLModel):
    """A named group of cameras that one DPIA covers, e.g. 'High Wycombe town-centre CCTV'."""

    name: str = Field(max_length=120, unique=True)
    service_area_id: int = Field(foreign_key="service_area.id")
    description: str = Field(default="", max_length=500)


class CameraSystem(CameraSystemBase, table=True):
    """A camera system as stored."""

    __tablename__ = "camera_system"
    id: int | None = Field(default=None, primary_key=True)


class CameraBase(SQLModel):
    """The fields a user gives for a camera."""

    asset_id: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=160)
    service_area_id: int = Field(foreign_key="service_area.id", index=True)
    system_id: int | None = Field(default=None, foreign_key="camera_system.id")
    kind: CameraKind = Field(sa_type=enum_type(CameraKind), index=True)
    status: CameraStatus = Field(default=CameraStatus.OPERATIONAL, sa_type=enum_type(CameraStatus), index=True)
    location_text: str = Field(default="", max_length=250)
    town: str = Field(default="", max_length=80, index=True)
    ward: str = Field(default="", max_length=80)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    control_room: str = Field(default="", max_length=80)
    proactively_monitored: bool = False
    retention_days: int = Field(default=31, ge=0, le=3650)
    manufacturer: str = Field(default="", max_length=80)
    model: str = Field(default="", max_length=80)
    install_date: date | None = None
    owner: str = Field(default="", max_length=120)
    data_controller: str = Field(default="", max_length=120)
    funding_source: FundingSource | None = Field(default=None, sa_type=enum_type(FundingSource))
    notes: str = Field(default="", max_length=2000)
    # The camera's id in the council list it was imported from, when that list's id could not be its asset id
    # (repeated in the list): the import generates an asset id and keeps the list's here.
    source_ref: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})

    @field_validator("asset_id", mode="before")
    @classmethod
    def _normalised_asset_id(cls, value: object) -> object:
        """Every way in (form, API, import) stores the same id for the same text: see inventory/asset_ids.py."""
        return normalise_asset_id(value) if isinstance(value, str) else value


class Camera(CameraBase, table=True):
    """A camera as stored; its location fields always equal its latest move for deployables."""

    __tablename__ = "camera"
    # Two asset ids that differ only in case are one camera (inventory/asset_ids.py): the services look first and
    # say which camera has it, and the database refuses a second one whatever way it came in (migration 0009).
    __table_args__ = (Index("uq_camera_asset_id_lower", func.lower(text("asset_id")), unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    service_area: ServiceArea | None = Relationship(back_populates="cameras")
    system: CameraSystem | None = Relationship()  # for exports, which name it (loaded with selectinload)
    moves: list["CameraMove"] = Relationship(
        back_populates="camera", sa_relationship_kwargs={"order_by": "CameraMove.moved_at.desc()"}
    )
    faults: list["Fault"] = Relationship(
        back_populates="camera", sa_relationship_kwargs={"order_by": "Fault.opened_at.desc()"}
    )


class CameraCreate(CameraBase):
    """What creating a camera takes."""


class CameraUpdate(SQLModel):
    """The fields an edit may change; None means 'leave as is'. The limits are CameraBase's: a longer value would
    otherwise reach the column (PostgreSQL refuses it) or the stored camera could no longer be read back."""

    name: str | None = Field(default=None, max_length=160)
    service_area_id: int | None = None
    system_id: int | None = None
    kind: CameraKind | None = None
    status: CameraStatus | None = None
    location_text: str | None = Field(default=None, max_length=250)
    town: str | None = Field(default=None, max_length=80)
    ward: str | None = Field(default=None, max_length=80)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    control_room: str | None = Field(default=None, max_length=80)
    proactively_monitored: bool | None = None
    retention_days: int | None = Field(default=None, ge=0, le=3650)
    manufacturer: str | None = Field(default=None, max_length=80)
    model: str | None = Field(default=None, max_length=80)
    install_date: date | None = None
    owner: str | None = Field(default=None, max_length=120)
    data_controller: str | None = Field(default=None, max_length=120)
    funding_source: FundingSource | None = None
    notes: str | None = Field(default=None, max_length=2000)
    source_ref: str | None = Field(default=None, max_length=80)


class CameraRead(CameraBase):
    """A camera as the API returns it."""

    id: int
    created_at: datetime
    updated_at: datetime


class CameraMoveBase(SQLModel):
    """A deployable camera's move from one place to another."""

    camera_id: int = Field(foreign_key="camera.id", index=True)
    moved_at: datetime = Field(default_factory=utcnow)
    from_location_text: str = Field(default="", max_length=250)
    from_longitude: float | None = None
    from_latitude: float | None = None
    to_location_text: str = Field(max_length=250)
    to_town: str = Field(default="", max_length=80)
    to_longitude: float | None = Field(default=None, ge=-180, le=180)
    to_latitude: float | None = Field(default=None, ge=-90, le=90)
    reason: str = Field(default="", max_length=500)
    moved_by: str = Field(default="", max_length=80)


class CameraMove(CameraMoveBase, table=True):
    """A move as stored."""

    __tablename__ = "camera_move"
    id: int | None = Field(default=None, primary_key=True)
    camera: Camera | None = Relationship(back_populates="moves")


class FaultBase(SQLModel):
    """A fault reported against a camera, tracked against the maintenance contract."""

    camera_id: int = Field(foreign_key="camera.id", index=True)
    priority: FaultPriority = Field(default=FaultPriority.MEDIUM, sa_type=enum_type(FaultPriority))
    description: str = Field(max_length=2000)
    contractor: str = Field(default="", max_length=120)
    contractor_ref: str = Field(default="", max_length=80)


class Fault(FaultBase, table=True):
    """A fault as stored; target_fix_by comes from the SLA at the time it was opened."""

    __tablename__ = "fault"
    id: int | None = Field(default=None, primary_key=True)
    opened_at: datetime = Field(default_factory=utcnow, index=True)
    reported_by: str = Field(default="", max_length=80)
    target_fix_by: datetime
    fixed_at: datetime | None = None
    resolution: str = Field(default="", max_length=2000)
    # The maintenance contract the fault was assigned to when opened: its SLA set target_fix_by (None: none was in
    # force, and the configured SLA_HOURS did). Not in FaultBase: assigned by the service, never sent by a client.
    contract_id: int | None = Field(default=None, foreign_key="maintenance_contract.id", index=True)
    camera: Camera | None = Relationship(back_populates="faults")

    @property
    def is_open(self) -> bool:
        return self.fixed_at is None

    def within_sla(self, now: datetime) -> bool:
        """Fixed by the target, or still open and not yet past it."""
        return (self.fixed_at or now) <= self.target_fix_by


class FaultCreate(FaultBase):
    """What opening a fault takes."""


class FaultRead(FaultBase):
    """A fault as the API returns it."""

    id: int
    opened_at: datetime
    reported_by: str
    target_fix_by: datetime
    fixed_at: datetime | None
    resolution: str


class FundingCamera(SQLModel, table=True):
    """Which cameras one funding award paid for."""

    __tablename__ = "funding_camera"
    funding_id: int = Field(foreign_key="funding.id", primary_key=True)
    camera_id: int = Field(foreign_key="camera.id", primary_key=True)


class FundingBase(SQLModel):
    """Money secured for cameras: amount, source, date and what it paid for."""

    reference: str = Field(max_length=60, unique=True)
    source: FundingSource = Field(sa_type=enum_type(FundingSource))
    amount: Decimal = Field(max_digits=12, decimal_places=2, ge=0)
    awarded_on: date
    description: str = Field(default="", max_length=500)
    sites: str = Field(default="", max_length=500)


class Funding(FundingBase, table=True):
    """A funding award as stored."""

    __tablename__ = "funding"
    id: int | None = Field(default=None, primary_key=True)
    # A withdrawn award is kept (with why) but no longer counts in totals or as paying for its cameras.
    withdrawn_on: date | None = None
    withdrawn_reason: str = Field(default="", max_length=500)
    cameras: list["Camera"] = Relationship(link_model=FundingCamera)


class FundingCreate(FundingBase):
    """What recording a funding award takes."""

    camera_ids: list[int] = []


class InventoryChange(SQLModel, table=True):
    """A change a DPIA must follow, recorded by the inventory for the DPIA register to consume."""

    __tablename__ = "inventory_change"
    id: int | None = Field(default=None, primary_key=True)
    kind: ChangeKind = Field(sa_type=enum_type(ChangeKind), index=True)
    camera_id: int | None = Field(default=None, foreign_key="camera.id", index=True)
    system_id: int | None = Field(default=None, foreign_key="camera_system.id")
    occurred_at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(default="", max_length=80)
    detail: str = Field(default="", max_length=500)
    consumed_at: datetime | None = Field(default=None, sa_column_kwargs={"index": True})


__all__ = [
    "Camera",
    "CameraCreate",
    "CameraMove",
    "CameraRead",
    "CameraSystem",
    "CameraUpdate",
    "Fault",
    "FaultCreate",
    "FaultRead",
    "Funding",
    "FundingCamera",
    "FundingCreate",
    "InventoryChange",
    "ServiceArea",
]
