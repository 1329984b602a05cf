"""The Advisory Group's pack as data: `AdvisoryPack` (every figure for one period and set of filters) and its
`IdleCamera` rows.

The type lives apart from `summary`, which builds it, because the readers of a pack (`principles`, `csvs`, the
report modules, the dashboard) only need its shape; `summary` itself calls `principles`, so keeping the type there
made the two import each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from cctv.outcomes.arrests import ArrestMeasures
from cctv.outcomes.compliance import ComplianceMeasures
from cctv.outcomes.deployables import DeploymentRow, DeploymentSummary
from cctv.outcomes.effectiveness import CameraRow, Change
from cctv.outcomes.hours_review import HoursGrid
from cctv.outcomes.incidents import IncidentMeasures, IncidentTotals
from cctv.outcomes.investment import InvestmentMeasures
from cctv.outcomes.maintenance import MaintenanceMeasures
from cctv.outcomes.periods import Filters, Period
from inventory.types import CameraKind


@dataclass(frozen=True)
class IdleCamera:
    """An operational camera with no incident in the last `AdvisoryPack.idle_months` months, listed for review."""

    camera_id: int
    asset_id: str
    name: str
    kind: CameraKind
    town: str
    service_area: str
    install_date: date | None
    last_incident: datetime | None  # the latest incident it was ever used on, None if never


@dataclass(frozen=True)
class AdvisoryPack:
    """Every figure the dashboard, the CSVs and the PDF show, for one period under one set of filters.

    `today` (a London date) and `now` (aware UTC) fix what "so far" means: the idle window, the end of deployments
    still running, the SLA clock and the DPIA register's due dates.
    """

    period: Period
    filters: Filters
    filter_labels: tuple[str, ...]  # e.g. ("Town: High Wycombe", "Service area: Parking"); empty for everything
    today: date
    now: datetime
    incidents: IncidentMeasures
    previous: IncidentTotals  # the totals for `period.previous()` (its breakdowns are never shown)
    trend: Mapping[str, Change]  # each total against the previous period, in TOTAL_NAMES order
    monitored_hours: float  # hours the control room monitored in the period
    cameras: tuple[CameraRow, ...]  # most incidents first
    best_cameras: tuple[CameraRow, ...]  # the first few of `cameras` with any incident (summary.BEST_COUNT)
    worst_cameras: tuple[CameraRow, ...]  # the least used, fewest first, never also in best
    idle_cameras: tuple[IdleCamera, ...]
    idle_months: int
    hours: HoursGrid
    deployments: tuple[DeploymentRow, ...]
    deployment_summary: DeploymentSummary
    radius_m: float
    investment: InvestmentMeasures
    maintenance: MaintenanceMeasures
    compliance: ComplianceMeasures
    arrests: ArrestMeasures  # by offence group and outcome

    @property
    def title(self) -> str:
        """"Advisory Group report: Q3 2025" (with the filters when any)."""
        suffix = f" ({'; '.join(self.filter_labels)})" if self.filter_labels else ""
        return f"Advisory Group report: {self.period.label}{suffix}"


__all__ = ["AdvisoryPack", "IdleCamera"]
