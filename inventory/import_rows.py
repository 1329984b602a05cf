"""Turning mapped rows into cameras: the checks of one row, and planning/committing a whole import.

Committed cameras go through `create_camera`, so an import raises the same 'camera added' DPIA changes (with each
camera's system) as adding the cameras one by one.
"""

from collections import Counter
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from common.tabular import Problem, parse_number
from inventory.asset_ids import asset_id_key
from inventory.cameras import asset_id_taken, create_camera
from inventory.geo import CoordinateError, check_lonlat, from_bng
from inventory.importing import ImportDefaults, ImportPlan, SourceTable, kind_from_text, parse_date
from inventory.models import Camera, CameraCreate, CameraSystem, ServiceArea
from inventory.scope import CameraScope, OutOfScope
from inventory.types import FUNDING_LABELS, CameraStatus, FundingSource

YES = {"yes", "y", "true", "1", "monitored", "proactive", "proactively monitored"}
NO = {"no", "n", "false", "0", "not monitored", ""}


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
        raise RowProblem(f"status '{value}' is not one of {', '.join(s.value for s in CameraStatus)} "
                         f"(map the list's word to ours: status:{value.strip()}=faulty)") from None


def _system(value: str, systems: dict[str, int]) -> int | None:
    if not value.strip():
        return None
    system_id = systems.get(value.strip().lower())
    if system_id is None:
        # The same answer for a system that does not exist and one the user may not see (a covert system's name).
        raise RowProblem(f"system '{value.strip()}' is not one of your systems: add it first "
                         "(the Systems page or `cctv systems create`)")
    return system_id


def _monitored(value: str) -> bool:
    word = value.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise RowProblem(f"proactively monitored '{value}' is not yes or no")


def _retention(value: str) -> int:
    days = parse_number(value, "retention days")
    if days is None:
        return 31
    if days != int(days):
        raise RowProblem(f"retention days '{value}' is not a whole number of days")
    return int(days)


def _funding(value: str) -> FundingSource | None:
    word = value.strip().lower()
    if not word:
        return None
    for source in FundingSource:
        if word in (source.value, FUNDING_LABELS[source].lower()):
            return source
    raise RowProblem(f"funding source '{value}' is not one of {', '.join(s.value for s in FundingSource)}")


def row_to_camera(values: dict[str, str], areas: dict[str, int], defaults: ImportDefaults,
                  systems: dict[str, int] | None = None) -> CameraCreate:
    """One mapped row as a camera to create, or RowProblem/ValueError saying why not."""
    asset_id = values.get("asset_id", "").strip()
    if not asset_id:
        raise RowProblem("no asset id")
    lon, lat = _point(values)
    data: dict[str, Any] = {
        "asset_id": asset_id,
        "name": values.get("name", "").strip() or values.get("location_text", "").strip() or asset_id,
        "service_area_id": _service_area(values.get("service_area", ""), areas, defaults),
        "system_id": _system(values.get("system", ""), systems or {}) or defaults.system_id,
        "kind": _kind(values, defaults),
        "status": _status(values.get("status", ""), defaults),
        "longitude": lon, "latitude": lat,
        "install_date": parse_date(values.get("install_date", "")),
        "data_controller": values.get("data_controller", "").strip() or defaults.data_controller,
        "proactively_monitored": _monitored(values.get("proactively_monitored", "")),
        "retention_days": _retention(values.get("retention_days", "")),
        "funding_source": _funding(values.get("funding_source", "")),
    }
    for name in ("location_text", "town", "ward", "manufacturer", "model", "notes", "owner", "control_room",
                 "source_ref"):
        data[name] = values.get(name, "").strip()
    return CameraCreate.model_validate(data)


def _area_lookup(session: Session) -> dict[str, int]:
    areas: dict[str, int] = {}
    for area in session.exec(select(ServiceArea)):
        areas[area.name.lower()] = area.id
        areas[area.code.lower()] = area.id
    return areas


def _system_lookup(session: Session, scope: CameraScope) -> dict[str, int]:
    stmt = select(CameraSystem.name, CameraSystem.id).where(scope.systems_where())
    return {name.lower(): system_id for name, system_id in session.exec(stmt)}


def _mapped_values(record: dict[str, str], where: str, table: SourceTable, mapping: dict[str, str],
                   defaults: ImportDefaults) -> dict[str, str]:
    """A record's values by our field: the user's value mapping applied, a GeoJSON Point always used."""
    values = {target: record.get(column, "") for target, column in mapping.items()}
    for target, words in defaults.values.items():
        value = values.get(target, "").strip().lower()
        if value in words:
            values[target] = words[value]
    point = table.points.get(where)
    if point is not None:  # the feature's own geometry is where the camera is, whatever a property says
        values.update(longitude=point[0], latitude=point[1], easting="", northing="")
    return values


def _generated_ids(table: SourceTable, mapping: dict[str, str]) -> dict[str, str]:
    """where -> asset id for each row whose list id repeats: the id with -1, -2, ... in the list's order, never one
    another row of the list holds."""
    column = mapping.get("asset_id", "")
    ids = [(where, record.get(column, "").strip()) for where, record in table.records]
    counts = Counter(_key(asset_id) for _, asset_id in ids if asset_id)
    used = set(counts)
    generated, seen = {}, Counter()
    for where, asset_id in ids:
        key = _key(asset_id)
        if not asset_id or counts[key] < 2:
            continue
        while True:
            seen[key] += 1
            candidate = f"{asset_id}-{seen[key]}"
            if _key(candidate) not in used:
                break
        used.add(_key(candidate))
        generated[where] = candidate
    return generated


def _key(asset_id: str) -> str:
    try:
        return asset_id_key(asset_id)
    except ValueError:
        return asset_id


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
    systems = _system_lookup(session, scope)
    generated = _generated_ids(table, mapping) if defaults.repeated_ids == "generate" else {}
    first_seen: dict[str, str] = {}
    for where, record in table.records:
        values = _mapped_values(record, where, table, mapping, defaults)
        if where in generated:  # the list's id is kept as the source reference beside the generated asset id
            values["source_ref"] = values.get("source_ref", "").strip() or values["asset_id"]
            values["asset_id"] = generated[where]
        try:
            camera = row_to_camera(values, areas, defaults, systems)
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
