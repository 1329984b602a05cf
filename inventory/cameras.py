"""Camera services: filtered lists, create, edit, move and the DPIA-relevant changes they raise."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql import Select
from sqlmodel import Session, col, func, or_, select

from inventory.asset_ids import asset_id_key
from inventory.changes import record_change
from inventory.lifecycle import DEFAULT_EXPECTED_LIFE_YEARS, past_life_clause, with_lifecycle, years_before
from inventory.models import Camera, CameraCreate, CameraMove, CameraSystem, CameraUpdate, ServiceArea
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus, ChangeKind, utcnow

LifeYears = Mapping[CameraKind, int]  # expected life by kind (inventory.lifecycle.configured_life_years)


class CameraNotFound(LookupError):
    """No camera with that id, or none the user may see (covert stays invisible)."""


class DuplicateAssetId(ValueError):
    """Another camera already has that asset id (one the user may not see, perhaps: the message never says)."""


def asset_id_taken(asset_id: str) -> str:
    """The one answer for an asset id already used, whoever's camera holds it: it must not say whether that camera
    is one the user can see, nor what it is (a covert camera's asset id would otherwise be confirmed)."""
    return f"asset id {asset_id} is not available: choose another"


class UnknownReference(LookupError):
    """A camera names a service area or system that does not exist; `field` says which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class CameraFilter:
    """The list filters: each None means 'any'."""

    service_area_id: int | None = None
    kind: CameraKind | None = None
    status: CameraStatus | None = None
    town: str | None = None
    q: str | None = None
    min_age_years: int | None = None
    end_of_life: bool | None = None


@dataclass
class CameraPage:
    """One page of a filtered camera list."""

    items: list[Camera]
    total: int
    page: int
    per_page: int
    past_life: set[int] = field(default_factory=set)  # ids of the items past their expected life
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.per_page))


def age_years(camera: Camera, today: date) -> float | None:
    """The camera's age in years from its install date, or None when unknown."""
    if camera.install_date is None:
        return None
    return round((today - camera.install_date).days / 365.25, 1)


def filtered_select(
    scope: CameraScope, filt: CameraFilter, today: date, life_years: LifeYears = DEFAULT_EXPECTED_LIFE_YEARS
) -> Select:
    """The SELECT of cameras the user may see that match the filter, in asset-id order (each camera's lifecycle
    record outer-joined: end of life is its own expected life, else its kind's, as in the replacement programme)."""
    stmt = with_lifecycle(select(Camera)).where(scope.where())
    if filt.service_area_id is not None:
        stmt = stmt.where(Camera.service_area_id == filt.service_area_id)
    if filt.kind is not None:
        stmt = stmt.where(Camera.kind == filt.kind)
    if filt.status is not None:
        stmt = stmt.where(Camera.status == filt.status)
    if filt.town:
        stmt = stmt.where(col(Camera.town) == filt.town)
    if filt.q:
        pattern = f"%{filt.q.strip()}%"
        stmt = stmt.where(
            or_(
                col(Camera.asset_id).ilike(pattern),
                col(Camera.name).ilike(pattern),
                col(Camera.location_text).ilike(pattern),
                col(Camera.notes).ilike(pattern),
            )
        )
    if filt.min_age_years is not None:
        stmt = stmt.where(col(Camera.install_date) <= years_before(today, filt.min_age_years))
    if filt.end_of_life is not None:
        stmt = stmt.where(past_life_clause(today, life_years, past=filt.end_of_life))
    return stmt.order_by(col(Camera.asset_id))


def list_cameras(
    session: Session,
    scope: CameraScope,
    filt: CameraFilter,
    *,
    today: date,
    page: int = 1,
    per_page: int = 50,
    life_years: LifeYears = DEFAULT_EXPECTED_LIFE_YEARS,
) -> CameraPage:
    """One page of the cameras the user may see, with the total count for the pager and which are past their
    expected life (read in the same statement as the page)."""
    stmt = filtered_select(scope, filt, today, life_years)
    total = session.exec(select(func.count()).select_from(stmt.order_by(None).subquery())).one()
    page = max(1, page)
    rows = session.execute(  # execute, not exec: SQLModel's exec would keep only the first column
        # many-to-one, so joining it in keeps one row per camera and saves a second round trip per page
        stmt.add_columns(past_life_clause(today, life_years).label("past_life"))
        .options(joinedload(Camera.service_area))  # type: ignore[arg-type]
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return CameraPage(items=[camera for camera, _ in rows], total=total, page=page, per_page=per_page,
                      past_life={camera.id for camera, past in rows if past})


def all_matching(
    session: Session, scope: CameraScope, filt: CameraFilter, *, today: date,
    life_years: LifeYears = DEFAULT_EXPECTED_LIFE_YEARS,
) -> list[Camera]:
    """Every camera the user may see that matches (for maps and exports)."""
    stmt = filtered_select(scope, filt, today, life_years).options(
        selectinload(Camera.service_area),  # type: ignore[arg-type]
        selectinload(Camera.system),  # type: ignore[arg-type]
    )
    return list(session.exec(stmt))


def get_camera(session: Session, scope: CameraScope, camera_id: int) -> Camera:
    """The camera, or CameraNotFound when it does not exist for this user."""
    camera = session.get(Camera, camera_id)
    if camera is None or not scope.sees(camera):
        raise CameraNotFound(camera_id)
    return camera


def towns(session: Session, scope: CameraScope) -> list[str]:
    """The towns that have cameras the user may see, for the filter list."""
    stmt = select(Camera.town).where(scope.where(), col(Camera.town) != "").distinct()
    return sorted(session.exec(stmt))


def count_by_kind(session: Session, scope: CameraScope) -> dict[CameraKind, int]:
    """How many cameras of each kind the user may see (covert absent without access)."""
    stmt = select(Camera.kind, func.count()).where(scope.where()).group_by(Camera.kind)
    return {CameraKind(kind): n for kind, n in session.exec(stmt)}


def _check_unique_asset_id(session: Session, asset_id: str) -> None:
    if session.exec(select(Camera.id).where(func.lower(Camera.asset_id) == asset_id_key(asset_id))).first() is not None:
        raise DuplicateAssetId(asset_id_taken(asset_id))


def _check_references(
    session: Session, scope: CameraScope, service_area_id: int | None, system_id: int | None
) -> None:
    """UnknownReference unless the service area and system given (None: not given) exist, and the system is one the
    user may see (their areas; covert only with covert access). A hidden system gets the same answer as a missing
    one, so a write cannot probe for it, nor put a camera into another area's (or a covert) system."""
    if service_area_id is not None and session.get(ServiceArea, service_area_id) is None:
        raise UnknownReference("service_area_id", f"service area {service_area_id} does not exist")
    if system_id is not None and session.exec(
        select(CameraSystem.id).where(CameraSystem.id == system_id, scope.systems_where())
    ).first() is None:
        raise UnknownReference("system_id", f"camera system {system_id} does not exist or is not one of yours")


def create_camera(
    session: Session, scope: CameraScope, data: CameraCreate, *, actor: str, now: datetime | None = None
) -> Camera:
    """Add a camera to the register and raise the 'camera added' change for its DPIA (OutOfScope, DuplicateAssetId,
    UnknownReference when it cannot be)."""
    scope.check(data.service_area_id, data.kind)
    _check_unique_asset_id(session, data.asset_id)
    _check_references(session, scope, data.service_area_id, data.system_id)
    now = now or utcnow()
    camera = Camera.model_validate(data, update={"created_at": now, "updated_at": now})
    session.add(camera)
    session.flush()
    record_change(
        session, ChangeKind.CAMERA_ADDED, camera_id=camera.id, system_id=camera.system_id, actor=actor,
        detail=f"{camera.asset_id} {camera.name} added", at=now,
    )
    return camera


# Which edited fields mean the DPIA must be reviewed, and as what kind of change.
_MOVE_FIELDS = {"longitude", "latitude", "location_text"}
_UPGRADE_FIELDS = {"manufacturer", "model"}
# The only fields an edit may clear with None; for every other field None means 'leave as is'.
_CLEARABLE_FIELDS = {"system_id", "longitude", "latitude", "install_date", "funding_source"}


def update_camera(
    session: Session,
    scope: CameraScope,
    camera: Camera,
    data: CameraUpdate,
    *,
    actor: str,
    now: datetime | None = None,
) -> set[str]:
    """Apply an edit; record moves, upgrades and decommissioning as DPIA changes. Returns changed fields.
    OutOfScope or UnknownReference (a service area or system that does not exist) change nothing."""
    scope.check(camera.service_area_id, camera.kind)
    changes = {
        k: v for k, v in data.model_dump(exclude_unset=True).items()
        if (v is not None or k in _CLEARABLE_FIELDS) and getattr(camera, k) != v
    }
    scope.check(changes.get("service_area_id", camera.service_area_id), changes.get("kind", camera.kind))
    if not changes:
        return set()
    _check_references(session, scope, changes.get("service_area_id"), changes.get("system_id"))
    now = now or utcnow()
    if changes.get("kind", camera.kind) == CameraKind.DEPLOYABLE and changes.keys() & _MOVE_FIELDS:
        # a deployable is where its latest move put it, so an edited location is recorded as a move
        session.add(CameraMove(
            camera_id=camera.id, moved_at=now, from_location_text=camera.location_text,
            from_longitude=camera.longitude, from_latitude=camera.latitude,
            to_location_text=changes.get("location_text", camera.location_text),
            to_town=changes.get("town", camera.town), to_longitude=changes.get("longitude", camera.longitude),
            to_latitude=changes.get("latitude", camera.latitude), reason="Location edited", moved_by=actor,
        ))
    for name, value in changes.items():
        setattr(camera, name, value)
    camera.updated_at = now
    session.add(camera)
    _record_edit_changes(session, camera, set(changes), actor=actor, at=now)
    return set(changes)


def _record_edit_changes(session: Session, camera: Camera, changed: set[str], *, actor: str, at: datetime) -> None:
    label = f"{camera.asset_id} {camera.name}"
    if changed & _MOVE_FIELDS:
        record_change(session, ChangeKind.CAMERA_MOVED, camera_id=camera.id, system_id=camera.system_id,
                      actor=actor, detail=f"{label} moved to {camera.location_text}", at=at)
    if changed & _UPGRADE_FIELDS:
        record_change(session, ChangeKind.CAMERA_UPGRADED, camera_id=camera.id, system_id=camera.system_id,
                      actor=actor, detail=f"{label} now {camera.manufacturer} {camera.model}", at=at)
    if "status" in changed and camera.status == CameraStatus.DECOMMISSIONED:
        record_change(session, ChangeKind.CAMERA_DECOMMISSIONED, camera_id=camera.id,
                      system_id=camera.system_id, actor=actor, detail=f"{label} decommissioned", at=at)


def move_camera(
    session: Session,
    scope: CameraScope,
    camera: Camera,
    *,
    to_location_text: str,
    to_town: str,
    to_longitude: float | None,
    to_latitude: float | None,
    reason: str,
    actor: str,
    at: datetime | None = None,
) -> CameraMove:
    """Move a camera (usually a deployable): record where from and to; the latest move is where it is."""
    scope.check(camera.service_area_id, camera.kind)
    at = at or utcnow()
    move = CameraMove(
        camera_id=camera.id, moved_at=at, from_location_text=camera.location_text,
        from_longitude=camera.longitude, from_latitude=camera.latitude, to_location_text=to_location_text,
        to_town=to_town, to_longitude=to_longitude, to_latitude=to_latitude, reason=reason, moved_by=actor,
    )
    session.add(move)
    camera.location_text, camera.town = to_location_text, to_town or camera.town
    camera.longitude, camera.latitude = to_longitude, to_latitude
    camera.updated_at = at
    session.add(camera)
    record_change(session, ChangeKind.CAMERA_MOVED, camera_id=camera.id, system_id=camera.system_id,
                  actor=actor, detail=f"{camera.asset_id} moved to {to_location_text}: {reason}", at=at)
    return move
