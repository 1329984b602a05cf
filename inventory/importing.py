"""Importing council camera lists (CSV or GeoJSON) through a column mapping: all rows or none.

Every bad row is reported with its file, line (or feature) and reason (a `common.tabular.Problem`); nothing is
written unless every row is good, so a list is never half-imported. The file is read by `common.tabular`, as
candidate sites are, and numbers by its `parse_number`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from common import tabular
from common.tabular import Problem, TableError
from inventory.models import CameraCreate
from inventory.types import CameraKind, CameraStatus

# The fields a mapping may fill, and header names seen in councils' lists for each.
TARGETS: dict[str, tuple[str, ...]] = {
    "asset_id": ("asset id", "asset_id", "camera id", "camera_id", "camera no", "camera number", "id", "ref"),
    "name": ("name", "camera name", "title"),
    "service_area": ("service area", "service_area", "service", "department", "owner service"),
    "kind": ("kind", "type", "camera type", "category"),
    "status": ("status", "state"),
    "location_text": ("location", "location text", "location_text", "site", "address", "description"),
    "town": ("town", "area", "locality"),
    "ward": ("ward",),
    "longitude": ("longitude", "lon", "lng", "long"),
    "latitude": ("latitude", "lat"),
    "easting": ("easting", "east", "x"),
    "northing": ("northing", "north", "y"),
    "install_date": ("install date", "installed", "install_date", "date installed"),
    "manufacturer": ("manufacturer", "make"),
    "model": ("model",),
    "notes": ("notes", "comments", "remarks"),
}

# Words in a kind column or in free notes that name a kind.
KIND_WORDS: tuple[tuple[str, CameraKind], ...] = (
    ("covert", CameraKind.COVERT), ("anpr", CameraKind.ANPR), ("number plate", CameraKind.ANPR),
    ("traffic", CameraKind.TRAFFIC), ("body", CameraKind.BODY_WORN), ("deployable", CameraKind.DEPLOYABLE),
    ("redeployable", CameraKind.DEPLOYABLE), ("temporary", CameraKind.DEPLOYABLE), ("ptz", CameraKind.PUBLIC_SPACE_PTZ),
    ("car park", CameraKind.CAR_PARK), ("parking", CameraKind.CAR_PARK), ("building", CameraKind.BUILDING),
    ("internal", CameraKind.BUILDING), ("public space", CameraKind.PUBLIC_SPACE_FIXED),
    ("fixed", CameraKind.PUBLIC_SPACE_FIXED), ("town centre", CameraKind.PUBLIC_SPACE_FIXED),
)


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not CSV, not GeoJSON, no header)."""


@dataclass
class SourceTable:
    """A parsed file: its column names and each record with where it came from ('line 7', 'feature 3')."""

    file: str
    headers: list[str]
    records: list[tuple[str, dict[str, str]]]
    malformed: list[Problem] = field(default_factory=list)


@dataclass
class ImportDefaults:
    """Values for rows whose file has no column for them."""

    service_area_id: int | None = None
    kind: CameraKind | None = None
    status: CameraStatus = CameraStatus.OPERATIONAL
    data_controller: str = "Buckinghamshire Council"


@dataclass
class ImportPlan:
    """What an import would add, and every reason it cannot."""

    rows: list[tuple[str, CameraCreate]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def read_table(filename: str, content: bytes) -> SourceTable:
    """Read a camera list: CSV or a GeoJSON FeatureCollection, as `common.tabular` reads every upload. A feature's
    Point gives the row's longitude and latitude."""
    try:
        table = tabular.read_table(filename, content, features="cameras")
    except TableError as exc:
        raise ImportFileError(str(exc)) from exc
    records = []
    for row in table.rows:
        values = dict(row.values)
        geometry = row.geometry if isinstance(row.geometry, dict) else {}
        coordinates = geometry.get("coordinates")
        if geometry.get("type") == "Point" and isinstance(coordinates, list) and len(coordinates) >= 2:
            values["longitude"], values["latitude"] = (str(c) for c in coordinates[:2])
        records.append((row.where, values))
    headers = table.headers + [k for k in ("longitude", "latitude") if any(k in v for _, v in records)
                               and k not in table.headers]
    return SourceTable(filename, headers, records, list(table.problems))


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """A first mapping from the file's headers to our fields, by the names councils use."""
    by_lower = {h.strip().lower(): h for h in headers}
    mapping = {}
    for target, names in TARGETS.items():
        for name in names:
            if name in by_lower and by_lower[name] not in mapping.values():
                mapping[target] = by_lower[name]
                break
    return mapping


def kind_from_text(text: str) -> CameraKind | None:
    """A kind named in text such as 'Traffic camera' or 'public_space_ptz'."""
    lowered = text.strip().lower()
    try:
        return CameraKind(lowered)
    except ValueError:
        return next((kind for word, kind in KIND_WORDS if word in lowered), None)


def parse_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"install date '{value}' is not a date (use 2015-06-30 or 30/06/2015)")
