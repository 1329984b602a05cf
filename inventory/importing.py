"""Importing council camera lists (CSV or GeoJSON) through a column mapping: all rows or none.

Every bad row is reported with its file, line (or feature) and reason; nothing is written unless every
row is good, so a list is never half-imported.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime

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


@dataclass(frozen=True)
class RowError:
    """Why one row could not be imported, and where it is."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, {self.where}: {self.message}"


@dataclass
class SourceTable:
    """A parsed file: its column names and each record with where it came from ('line 7', 'feature 3')."""

    file: str
    headers: list[str]
    records: list[tuple[str, dict[str, str]]]
    malformed: list[RowError] = field(default_factory=list)


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
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def read_table(filename: str, content: bytes) -> SourceTable:
    """Read a CSV (any line endings, optional BOM) or a GeoJSON FeatureCollection of points."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")  # Excel's 'CSV' from a Windows desktop
        except UnicodeDecodeError as exc:  # not text at all (a spreadsheet, a zip)
            raise ImportFileError(f"{filename}: not a text file (save it as CSV or GeoJSON)") from exc
    if filename.lower().endswith((".geojson", ".json")):
        return _read_geojson(filename, text)
    return _read_csv(filename, text)


def _read_csv(filename: str, text: str) -> SourceTable:
    rows = reader_rows(text)
    if not rows or not any(cell.strip() for cell in rows[0][1]):
        raise ImportFileError(f"{filename}: the first line must name the columns")
    headers = [h.strip() for h in rows[0][1]]
    table = SourceTable(filename, headers, [])
    for line_no, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines at the end of hand-edited files
        if len(cells) > len(headers):
            table.malformed.append(RowError(
                filename, f"line {line_no}", f"{len(cells)} cells but the header names {len(headers)} columns"
            ))
            continue
        padded = cells + [""] * (len(headers) - len(cells))
        table.records.append((f"line {line_no}", dict(zip(headers, padded, strict=True))))
    return table


def reader_rows(text: str) -> list[tuple[int, list[str]]]:
    """Every record with the line of the file it starts on (a quoted cell may span several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    start = 1
    for cells in reader:
        rows.append((start, cells))
        start = reader.line_num + 1
    return rows


def _read_geojson(filename: str, text: str) -> SourceTable:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{filename}, line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ImportFileError(f"{filename}: expected a GeoJSON FeatureCollection")
    headers: list[str] = []
    records = []
    for index, feature in enumerate(doc.get("features") or [], start=1):
        props = {k: "" if v is None else str(v) for k, v in (feature.get("properties") or {}).items()}
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Point" and len(geometry.get("coordinates") or []) >= 2:
            props["longitude"], props["latitude"] = (str(c) for c in geometry["coordinates"][:2])
        for key in props:
            if key not in headers:
                headers.append(key)
        records.append((f"feature {index}", props))
    return SourceTable(filename, headers, records)


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


def parse_number(value: str, label: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value.strip())
    except ValueError:
        raise ValueError(f"{label} '{value}' is not a number") from None


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
