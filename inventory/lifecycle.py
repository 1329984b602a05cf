"""Lifecycle and money: each camera's expected life, costs and warranty, and the replacement programme by
financial year with totals by service area and funding source.

A camera is due for replacement when it reaches its expected life: its own figure if recorded, else its kind's
(configurable, `DEFAULT_EXPECTED_LIFE_YEARS`). The same rule flags it "past end of life" in the camera list, its
filter and its page (`past_life`, and `past_life_clause` for the same test in SQL): one rule, here.

What replacing it costs is its recorded purchase and installation cost; when neither is recorded, its kind's
estimate (`DEFAULT_REPLACEMENT_COST`), marked as an estimate so nobody mistakes it for a quote. A camera already past
its life is due in the current year (the backlog). Cameras with no install date cannot be placed in a year: they are
counted apart, never guessed.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, not_
from sqlmodel import Session, col, select

from inventory.models import Camera, Funding, FundingCamera, ServiceArea
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus, FundingSource, utcnow
from inventory.upkeep_models import CameraLifecycle, CameraLifecycleBase

# Years a camera of each kind is expected to serve: fixed cameras 10 (the strategy's "10-15 years old and at end of
# life"), moving and carried equipment less. The council overrides these with EXPECTED_LIFE_YEARS.
DEFAULT_EXPECTED_LIFE_YEARS: dict[CameraKind, int] = {
    CameraKind.PUBLIC_SPACE_FIXED: 10, CameraKind.PUBLIC_SPACE_PTZ: 8, CameraKind.DEPLOYABLE: 5,
    CameraKind.CAR_PARK: 10, CameraKind.BUILDING: 10, CameraKind.BODY_WORN: 4, CameraKind.ANPR: 8,
    CameraKind.TRAFFIC: 10, CameraKind.COVERT: 5,
}
# Replacement cost (equipment and installation, £) of a kind, used only where a camera has no recorded cost.
DEFAULT_REPLACEMENT_COST: dict[CameraKind, Decimal] = {
    CameraKind.PUBLIC_SPACE_FIXED: Decimal("3500"), CameraKind.PUBLIC_SPACE_PTZ: Decimal("6000"),
    CameraKind.DEPLOYABLE: Decimal("8000"), CameraKind.CAR_PARK: Decimal("3000"), CameraKind.BUILDING: Decimal("1500"),
    CameraKind.BODY_WORN: Decimal("600"), CameraKind.ANPR: Decimal("9000"), CameraKind.TRAFFIC: Decimal("5000"),
    CameraKind.COVERT: Decimal("4000"),
}
MAX_LIFE_YEARS = 50  # the most a camera's own expected life may be (CameraLifecycleBase.expected_life_years)
NOT_RECORDED = "not recorded"  # the funding source of a camera no award or record names


def financial_year(day: date) -> int:
    """The council's financial year a day falls in, by its starting calendar year (1 April 2026 -> 2026/27)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    """'2026/27' for the financial year starting April 2026."""
    return f"{year}/{(year + 1) % 100:02d}"


def expected_life_of_kind(kind: CameraKind, life_years: Mapping[CameraKind, int]) -> int:
    """A kind's expected life: the council's figure, else the default."""
    return life_years.get(kind, DEFAULT_EXPECTED_LIFE_YEARS[kind])


def expected_life(camera: Camera, record: CameraLifecycleBase | None, life_years: Mapping[CameraKind, int]) -> int:
    """The camera's own expected life when recorded, else its kind's."""
    if record is not None and record.expected_life_years:
        return record.expected_life_years
    return expected_life_of_kind(CameraKind(camera.kind), life_years)


def configured_life_years(config: Mapping[str, Any]) -> dict[CameraKind, int]:
    """The expected life of each kind under the council's settings (EXPECTED_LIFE_YEARS over the defaults)."""
    return configured_by_kind(config.get("EXPECTED_LIFE_YEARS"), DEFAULT_EXPECTED_LIFE_YEARS, int)


def years_before(today: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def past_life(camera: Camera, record: CameraLifecycleBase | None, today: date,
              life_years: Mapping[CameraKind, int] = DEFAULT_EXPECTED_LIFE_YEARS) -> bool:
    """Whether the camera has reached its expected life by `today` (installed on or before the same day that many
    years ago); never for a camera with no install date."""
    life = expected_life(camera, record, life_years)
    return camera.install_date is not None and camera.install_date <= years_before(today, life)


def past_life_clause(today: date, life_years: Mapping[CameraKind, int] = DEFAULT_EXPECTED_LIFE_YEARS,
                     *, past: bool = True) -> ColumnElement[bool]:
    """`past_life` as SQL, for a SELECT of cameras outer-joined to their lifecycle record (`with_lifecycle`): the
    install date against the cut-off of the camera's own expected life, else its kind's. `past=False` is its
    opposite, which includes the cameras with no install date."""
    own = case(*[(col(CameraLifecycle.expected_life_years) == years, years_before(today, years))
                 for years in range(1, MAX_LIFE_YEARS + 1)])
    by_kind = case(*[(col(Camera.kind) == kind, years_before(today, expected_life_of_kind(kind, life_years)))
                     for kind in CameraKind])
    reached = and_(col(Camera.install_date).is_not(None), col(Camera.install_date) <= func.coalesce(own, by_kind))
    return reached if past else not_(reached)


def with_lifecycle(stmt):  # type: ignore[no-untyped-def]
    """A SELECT of cameras with each camera's lifecycle record outer-joined (for `past_life_clause`)."""
    return stmt.outerjoin(CameraLifecycle, col(CameraLifecycle.camera_id) == col(Camera.id))


def past_life_ids(session: Session, cameras: list[Camera], today: date,
                  life_years: Mapping[CameraKind, int] = DEFAULT_EXPECTED_LIFE_YEARS) -> set[int]:
    """The ids of those cameras that are past their expected life (one statement for their lifecycle records)."""
    ids = [c.id for c in cameras if c.id is not None and c.install_date is not None]
    records = {r.camera_id: r for r in session.exec(select(CameraLifecycle)
                                                     .where(col(CameraLifecycle.camera_id).in_(ids)))} if ids else {}
    return {c.id for c in cameras if c.id is not None and past_life(c, records.get(c.id), today, life_years)}


def replacement_cost(camera: Camera, record: CameraLifecycleBase | None,
                     estimates: Mapping[CameraKind, Decimal]) -> tuple[Decimal, bool]:
    """(cost, estimated): purchase plus installation as recorded, or the kind's estimate when neither is."""
    if record is not None and (record.purchase_cost is not None or record.installation_cost is not None):
        return (record.purchase_cost or Decimal(0)) + (record.installation_cost or Decimal(0)), False
    kind = CameraKind(camera.kind)
    return estimates.get(kind, DEFAULT_REPLACEMENT_COST[kind]), True


@dataclass(frozen=True)
class ProgrammeItem:
    """One camera's replacement in the programme."""

    camera_id: int
    asset_id: str
    name: str
    kind: CameraKind
    service_area: str
    funding: str  # a FundingSource label, or NOT_RECORDED
    install_date: date
    life_years: int
    year: int  # financial year of replacement (the current one for the backlog)
    overdue: bool  # already past its expected life
    cost: Decimal
    estimated: bool
    annual_maintenance: Decimal | None


@dataclass
class Programme:
    """The replacement programme over `years` financial years from `first_year`."""

    first_year: int
    years: list[int]
    items: list[ProgrammeItem] = field(default_factory=list)
    undated: int = 0  # cameras with no install date: not placed in any year
    later: int = 0  # cameras due after the programme's last year

    def total_by_year(self) -> dict[int, Decimal]:
        totals = {year: Decimal(0) for year in self.years}
        for item in self.items:
            totals[item.year] += item.cost
        return totals

    def _by(self, key: str) -> dict[str, dict[int, Decimal]]:
        table: dict[str, dict[int, Decimal]] = defaultdict(lambda: {year: Decimal(0) for year in self.years})
        for item in self.items:
            table[getattr(item, key)][item.year] += item.cost
        return dict(sorted(table.items()))

    def by_service_area(self) -> dict[str, dict[int, Decimal]]:
        """Service area name -> financial year -> cost."""
        return self._by("service_area")

    def by_funding(self) -> dict[str, dict[int, Decimal]]:
        """Funding source label -> financial year -> cost."""
        return self._by("funding")

    def estimated_count(self) -> int:
        return sum(item.estimated for item in self.items)

    def annual_maintenance(self) -> Decimal:
        """The recorded annual maintenance cost of the cameras in the programme."""
        return sum((item.annual_maintenance or Decimal(0) for item in self.items), Decimal(0))


def _funding_by_camera(session: Session, camera_ids: list[int]) -> dict[int, FundingSource]:
    """The source of the latest award still standing that paid for each camera."""
    rows = session.exec(
        select(FundingCamera.camera_id, Funding.source)
        .join(Funding, col(Funding.id) == col(FundingCamera.funding_id))
        .where(col(FundingCamera.camera_id).in_(camera_ids), col(Funding.withdrawn_on).is_(None))
        .order_by(col(Funding.awarded_on), col(Funding.id))
    ).all()
    return {camera_id: FundingSource(source) for camera_id, source in rows}  # later awards overwrite earlier


def replacement_programme(
    session: Session, scope: CameraScope, *, today: date, years: int = 10,
    life_years: Mapping[CameraKind, int] = DEFAULT_EXPECTED_LIFE_YEARS,
    cost_estimates: Mapping[CameraKind, Decimal] = DEFAULT_REPLACEMENT_COST,
) -> Programme:
    """Every camera the user may see that is in service (not planned, not decommissioned), placed in the financial
    year it reaches its expected life, over `years` years from the current one."""
    first = financial_year(today)
    programme = Programme(first_year=first, years=list(range(first, first + years)))
    rows = session.exec(
        select(Camera, ServiceArea.name, CameraLifecycle)
        .join(ServiceArea, col(ServiceArea.id) == col(Camera.service_area_id))
        .outerjoin(CameraLifecycle, col(CameraLifecycle.camera_id) == col(Camera.id))
        .where(scope.where(), col(Camera.status).not_in([CameraStatus.PLANNED, CameraStatus.DECOMMISSIONED]))
        .order_by(col(Camera.asset_id))
    ).all()
    funding = _funding_by_camera(session, [camera.id for camera, _, _ in rows])
    for camera, area_name, record in rows:
        if camera.install_date is None:
            programme.undated += 1
            continue
        life = expected_life(camera, record, life_years)
        due = financial_year(_add_years(camera.install_date, life))
        if due >= first + years:
            programme.later += 1
            continue
        cost, estimated = replacement_cost(camera, record, cost_estimates)
        source = funding.get(camera.id) or (FundingSource(camera.funding_source) if camera.funding_source else None)
        programme.items.append(ProgrammeItem(
            camera_id=camera.id, asset_id=camera.asset_id, name=camera.name, kind=CameraKind(camera.kind),
            service_area=area_name, funding=source.label if source else NOT_RECORDED,
            install_date=camera.install_date, life_years=life, year=max(due, first), overdue=due < first,
            cost=cost, estimated=estimated,
            annual_maintenance=record.annual_maintenance_cost if record is not None else None,
        ))
    return programme


def configured_by_kind(configured: Mapping[str, Any] | None, defaults: Mapping[CameraKind, Any], cast: type) -> dict:
    """Figures by kind from configuration (kind value -> figure) over the defaults; unknown kinds are ignored."""
    kinds = set(CameraKind)
    return dict(defaults) | {CameraKind(k): cast(v) for k, v in (configured or {}).items() if k in kinds}


def configured_programme(session: Session, scope: CameraScope, *, today: date, config: Mapping[str, Any]
                         ) -> Programme:
    """The replacement programme under the council's settings (REPLACEMENT_PROGRAMME_YEARS, EXPECTED_LIFE_YEARS,
    REPLACEMENT_COST_ESTIMATES), as the programme page and the capital bid both show it."""
    return replacement_programme(
        session, scope, today=today, years=int(config["REPLACEMENT_PROGRAMME_YEARS"]),
        life_years=configured_life_years(config),
        cost_estimates=configured_by_kind(config.get("REPLACEMENT_COST_ESTIMATES"), DEFAULT_REPLACEMENT_COST, Decimal),
    )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def programme_rows(programme: Programme) -> list[list[object]]:
    """The programme as CSV rows (header first): one line per camera, costs as numbers."""
    rows: list[list[object]] = [["financial_year", "asset_id", "name", "kind", "service_area", "funding_source",
                                 "install_date", "expected_life_years", "overdue", "replacement_cost",
                                 "cost_estimated", "annual_maintenance_cost"]]
    for item in sorted(programme.items, key=lambda i: (i.year, i.asset_id)):
        rows.append([year_label(item.year), item.asset_id, item.name, item.kind.label, item.service_area,
                     item.funding, item.install_date.isoformat(), item.life_years, "yes" if item.overdue else "no",
                     item.cost, "yes" if item.estimated else "no",
                     "" if item.annual_maintenance is None else item.annual_maintenance])
    return rows


def get_lifecycle(session: Session, camera_id: int) -> CameraLifecycle | None:
    """The camera's lifecycle record, if one was ever saved."""
    return session.get(CameraLifecycle, camera_id)


def save_lifecycle(session: Session, scope: CameraScope, camera: Camera, data: CameraLifecycleBase) -> CameraLifecycle:
    """Create or update the camera's costs, expected life and warranty (audited as any ORM change)."""
    scope.check(camera.service_area_id, camera.kind)
    record = session.get(CameraLifecycle, camera.id) or CameraLifecycle(camera_id=camera.id)
    for name, value in data.model_dump().items():
        setattr(record, name, value)
    record.updated_at = utcnow()
    session.add(record)
    session.flush()
    return record
