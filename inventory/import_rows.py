"""Turning mapped rows into cameras: the checks of one row, and planning/committing a whole import."""

from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from common.tabular import Problem, parse_number
from inventory.asset_ids import asset_id_key
from inventory.cameras import asset_id_taken, create_camera
from inventory.geo import CoordinateError, check_lonlat, from_bng
from inventory.importing import ImportDefaults, ImportPlan, SourceTable, kind_from_text, parse_date
from inventory.models import Camera, CameraCreate, ServiceArea
from inventory.scope import CameraScope, OutOfScope
from inventory.types import CameraStatus


class RowProblem(ValueError):
    """One row's reason for refusal."""


def _point(values: dict[str, str]) -> tuple[float | None, float | None]:
    lon = parse_number(values.get("longitude", ""), "longitude")
    lat = parse_number(values.get("latitude", ""), "latitude")
    if lon is not None or lat is not None:
        if lon is None or lat is None:
            raise RowProblem("longitude and latitude must both be given")
        check_lonlat(lon, lat)
        return lon, lat
    east = parse_number(values.get("easting", ""), "easting")
    north = parse_number(values.get("northing", ""), "northing")
    if east is None and north is None:
        return None, None
    if east is None or north is None:
        raise RowProblem("easting and northing must both be given")
    return from_bng(east, north)


def _service_area(value: str, areas: dict[str, int], defaults: ImportDefaults) -> int:
    if value.strip():
        area_id = areas.get(value.strip().lower())
        if area_id is None:
            raise RowProblem(f"service area '{value}' is not one of the council's service areas")
        return area_id
    if defaults.service_area_id is None:
        raise RowProblem("no service area: map a column or choose a default")
    return defaults.service_area_id


def _kind(values: dict[str, str], defaults: ImportDefaults):
    if values.get("kind", "").strip():
        kind = kind_from_text(values["kind"])
        if kind is None:
            raise RowProblem(f"kind '{values['kind']}' is not a kind of camera we know")
        return kind
    kind = kind_from_text(values.get("notes", "")) or defaults.kind
    if kind is None:
        raise RowProblem("no kind: map a column or choose a default")
    return kind


def _status(value: str, defaults: ImportDefaults) -> CameraStatus:
    if not value.strip():
        return defaults.status
    try:
        return CameraStatus(value.strip().lower().replace(" ", "_"))
    except ValueError:
        raise RowProblem(f"status '{value}' is not one of {', '.join(s.value for s in CameraStatus)}") from None


def row_to_camera(values: dict[str, str], areas: dict[str, int], defaults: ImportDefaults) -> CameraCreate:
    """One mapped row as a camera to create, or RowProblem/ValueError saying why not."""
    asset_id = values.get("asset_id", "").strip()
    if not asset_id:
        raise RowProblem("no asset id")
    lon, lat = _point(values)
    data: dict[str, Any] = {
        "asset_id": asset_id,
        "name": values.get("name", "").strip() or values.get("location_text", "").strip() or asset_id,
        "service_area_id": _service_area(values.get("service_area", ""), areas, defaults),
        "kind": _kind(values, defaults),
        "status": _status(values.get("status", ""), defaults),
        "longitude": lon, "latitude": lat,
        "install_date": parse_date(values.get("install_date", "")),
        "data_controller": defaults.data_controller,
    }
    for name in ("location_text", "town", "ward", "manufacturer", "model", "notes"):
        data[name] = values.get(name, "").strip()
    return CameraCreate.model_validate(data)


def _area_lookup(session: Session) -> dict[str, int]:
    areas: dict[str, int] = {}
    for area in session.exec(select(ServiceArea)):
        areas[area.name.lower()] = area.id
        areas[area.code.lower()] = area.id
    return areas


def plan_import(
    session: Session, table: SourceTable, mapping: dict[str, str], defaults: ImportDefaults, scope: CameraScope
) -> ImportPlan:
    """Check every row; the plan holds the cameras to add and every row's error."""
    plan = ImportPlan()
    areas = _area_lookup(session)
    unknown = sorted(set(mapping.values()) - set(table.headers))
    if unknown:
        plan.errors.append(Problem(table.file, "header", f"no column named {', '.join(unknown)}"))
        return plan
    if "asset_id" not in mapping:
        plan.errors.append(Problem(table.file, "header", "map a column to the asset id"))
        return plan
    plan.errors.extend(table.malformed)
    first_seen: dict[str, str] = {}
    for where, record in table.records:
        values = {target: record.get(column, "") for target, column in mapping.items()}
        try:
            camera = row_to_camera(values, areas, defaults)
            scope.check(camera.service_area_id, camera.kind)
        except (ValueError, CoordinateError, OutOfScope) as exc:
            plan.errors.append(Problem(table.file, where, _reason(exc)))
            continue
        key = asset_id_key(camera.asset_id)  # CS-1 and cs-1 are one camera
        if key in first_seen:
            repeat = f"asset id {camera.asset_id} repeats {first_seen[key]}"
            plan.errors.append(Problem(table.file, where, repeat))
            continue
        first_seen[key] = where
        plan.rows.append((where, camera))
    _refuse_existing(session, table.file, plan)
    return plan


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return str(exc)


def _refuse_existing(session: Session, file: str, plan: ImportPlan) -> None:
    keys = [asset_id_key(camera.asset_id) for _, camera in plan.rows]
    existing = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start: start + 500]
        found = session.exec(select(Camera.asset_id).where(func.lower(col(Camera.asset_id)).in_(chunk)))
        existing |= {asset_id_key(asset_id) for asset_id in found}
    kept = []
    for where, camera in plan.rows:
        if asset_id_key(camera.asset_id) in existing:
            plan.errors.append(Problem(file, where, asset_id_taken(camera.asset_id)))
        else:
            kept.append((where, camera))
    plan.rows = kept
    plan.errors.sort(key=lambda e: _order(e.where))


def _order(where: str) -> int:
    parts = where.split()
    return int(parts[-1]) if parts[-1].isdigit() else 0


def commit_import(session: Session, plan: ImportPlan, scope: CameraScope, *, actor: str) -> list[Camera]:
    """Add every planned camera in the caller's transaction; refuses a plan with any error."""
    if not plan.ok:
        raise ValueError("an import with errors is not committed; fix the file and preview again")
    return [create_camera(session, scope, camera, actor=actor) for _, camera in plan.rows]
