"""The system's clock in London, shared column helpers, and the enumerations of the inventory.

The clock is here once for every package: instants are stored in UTC (a naive value, as SQLite hands back, is
UTC), and people see London's wall clock. `london_time`, `london_date` and `london_midnight` are the only
conversions between the two; `LONDON` is for building wall-clock times (monitored hours, say).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

import sqlalchemy as sa

LONDON = ZoneInfo("Europe/London")  # the council's wall clock: monitored hours, due dates, periods, what users see


def utcnow() -> datetime:
    """The current time, aware, in UTC (SQLModel's UTCDateTime stores it as UTC on every database)."""
    return datetime.now(UTC)


def london_time(at: datetime) -> datetime:
    """The instant on London's wall clock (aware); a naive value (as SQLite hands back) is UTC."""
    if at.utcoffset() is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(LONDON)


def london_date(at: datetime) -> date:
    """The date in London at an instant; a naive value is UTC."""
    return london_time(at).date()


def london_today() -> date:
    """Today's date on London's wall clock."""
    return london_date(utcnow())


def london_midnight(day: date) -> datetime:
    """The UTC instant at which a London calendar day starts (00:00 local exists on every day in London)."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def enum_type(enum: type[StrEnum]) -> sa.Enum:
    """A portable VARCHAR column for a StrEnum (no native PostgreSQL enum types to migrate)."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class CameraKind(StrEnum):
    """The kinds of surveillance system in the council's strategy."""

    PUBLIC_SPACE_FIXED = "public_space_fixed"
    PUBLIC_SPACE_PTZ = "public_space_ptz"
    DEPLOYABLE = "deployable"
    CAR_PARK = "car_park"
    BUILDING = "building"
    BODY_WORN = "body_worn"
    ANPR = "anpr"
    TRAFFIC = "traffic"
    COVERT = "covert"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[CameraKind, str] = {
    CameraKind.PUBLIC_SPACE_FIXED: "Public space (fixed)",
    CameraKind.PUBLIC_SPACE_PTZ: "Public space (PTZ)",
    CameraKind.DEPLOYABLE: "Deployable",
    CameraKind.CAR_PARK: "Car park",
    CameraKind.BUILDING: "Building / facilities",
    CameraKind.BODY_WORN: "Body-worn video",
    CameraKind.ANPR: "ANPR",
    CameraKind.TRAFFIC: "Traffic management",
    CameraKind.COVERT: "Covert",
}

# Public-space CCTV and car parks: the 222 cameras the strategy counts apart.
PUBLIC_SPACE_KINDS = frozenset(
    {CameraKind.PUBLIC_SPACE_FIXED, CameraKind.PUBLIC_SPACE_PTZ, CameraKind.DEPLOYABLE, CameraKind.CAR_PARK}
)


class CameraStatus(StrEnum):
    """Where a camera is in its life."""

    PLANNED = "planned"
    OPERATIONAL = "operational"
    FAULTY = "faulty"
    IN_STORAGE = "in_storage"
    DECOMMISSIONED = "decommissioned"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class FundingSource(StrEnum):
    """Where money for cameras comes from; council sources and external ones are reported apart."""

    NCIL = "ncil"
    S106 = "s106"
    CAPITAL = "capital"
    COUNCIL_BUDGET = "council_budget"
    EXTERNAL_PRIVATE = "external_private"

    @property
    def label(self) -> str:
        return FUNDING_LABELS[self]

    @property
    def is_external(self) -> bool:
        return self in (FundingSource.S106, FundingSource.EXTERNAL_PRIVATE)


FUNDING_LABELS: dict[FundingSource, str] = {
    FundingSource.NCIL: "NCIL",
    FundingSource.S106: "Section 106",
    FundingSource.CAPITAL: "Capital programme",
    FundingSource.COUNCIL_BUDGET: "Council budget",
    FundingSource.EXTERNAL_PRIVATE: "External / private",
}


class FaultPriority(StrEnum):
    """Fault priority; each has a target fix time under the maintenance contract's SLA."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Hours to fix under the maintenance contract; overridable through configuration.
DEFAULT_SLA_HOURS: dict[FaultPriority, int] = {
    FaultPriority.CRITICAL: 4,
    FaultPriority.HIGH: 24,
    FaultPriority.MEDIUM: 72,
    FaultPriority.LOW: 168,
}


class ChangeKind(StrEnum):
    """Inventory changes a DPIA must follow (DESIGN §5)."""

    CAMERA_ADDED = "camera_added"
    CAMERA_DECOMMISSIONED = "camera_decommissioned"
    CAMERA_MOVED = "camera_moved"
    CAMERA_UPGRADED = "camera_upgraded"
    SYSTEM_CREATED = "system_created"
