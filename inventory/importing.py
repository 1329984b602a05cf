"""Importing council camera lists (CSV or GeoJSON) through a column mapping: all rows or none.

Every bad row is reported with its file, line (or feature) and reason (a `common.tabular.Problem`); nothing is
written unless every row is good, so a list is never half-imported. The file is read by `common.tabular`, as
candidate sites are, and numbers by its `parse_number`.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from common import tabular
from common.tabular import Problem, TableError
from inventory.models import CameraCreate
from inventory.types import CameraKind, CameraStatus

# The fields a mapping may fill, and header names seen in councils' lists for each (compared as `header_words`
# gives them: "Camera_No." and "camera no" are one name). Every column of the export is here, so export -> import
# loses nothing.
TARGETS: dict[str, tuple[str, ...]] = {
    "asset_id": ("asset id", "camera id", "camera no", "camera number", "cam number", "cam no", "cam id",
                 "camera ref", "camera reference", "asset number", "asset no", "asset ref", "id", "ref"),
    "name": ("name", "camera name", "title"),
    "service_area": ("service area", "service", "department", "owner service"),
    "system": ("system", "camera system", "system name"),
    "kind": ("kind", "type", "camera type", "category"),
    "status": ("status", "state", "camera status"),
    "location_text": ("location", "location text", "site", "address", "description", "street"),
    "town": ("town", "area", "locality"),
    "ward": ("ward", "ward name", "area name"),
    "longitude": ("longitude", "lon", "lng", "long"),
    "latitude": ("latitude", "lat"),
    "easting": ("easting", "east", "x"),
    "northing": ("northing", "north", "y"),
    "control_room": ("control room", "monitored from", "monitoring centre"),
    "proactively_monitored": ("proactively monitored", "monitored", "proactive monitoring"),
    "retention_days": ("retention days", "retention", "retention period"),
    "install_date": ("install date", "installed", "date installed"),
    "manufacturer": ("manufacturer", "make"),
    "model": ("model",),
    "owner": ("owner", "asset owner"),
    "data_controller": ("data controller", "controller"),
    "funding_source": ("funding source", "funding", "funded by"),
    "source_ref": ("source ref", "source reference"),
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
    points: dict[str, tuple[str, str]] = field(default_factory=dict)  # where -> a GeoJSON Point's lon, lat

    def samples(self, column: str, limit: int = 3) -> list[str]:
        """The first few different values of a column, for the mapping page to show beside it."""
        seen: list[str] = []
        for _, values in self.records:
            value = values.get(column, "").strip()
            if value and value not in seen:
                seen.append(value)
                if len(seen) == limit:
                    break
        return seen


@dataclass
class ImportDefaults:
    """Values for rows whose file has no column for them."""

    service_area_id: int | None = None
    system_id: int | None = None  # the system whose DPIA covers rows that name none
    kind: CameraKind | None = None
    status: CameraStatus = CameraStatus.OPERATIONAL
    data_controller: str = ""  # the council's, from configuration (DATA_CONTROLLER): never assumed here
    repeated_ids: str = "refuse"  # or "generate": keep a repeated list id as source_ref beside a generated asset id
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # per field: the list's word -> ours


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
    records, points = [], {}
    for row in table.rows:
        values = dict(row.values)
        geometry = row.geometry if isinstance(row.geometry, dict) else {}
        coordinates = geometry.get("coordinates")
        if row.geometry is not None:
            # GeoJSON numbers arrive as Python floats: an id 1001 written as 1001.0 is still camera 1001.
            values = {k: v[:-2] if _INTEGRAL_FLOAT.fullmatch(v) else v for k, v in values.items()}
        if geometry.get("type") == "Point" and isinstance(coordinates, list) and len(coordinates) >= 2:
            lon, lat = (str(c) for c in coordinates[:2])
            points[row.where] = (lon, lat)
            values.setdefault("longitude", lon)
            values.setdefault("latitude", lat)
        records.append((row.where, values))
    headers = table.headers + [k for k in ("longitude", "latitude") if any(k in v for _, v in records)
                               and k not in table.headers]
    return SourceTable(filename, headers, records, list(table.problems), points)


_INTEGRAL_FLOAT = re.compile(r"-?\d+\.0")


def header_words(header: str) -> str:
    """A header as lower-case words: "Camera_No." -> "camera no", " LAT " -> "lat"."""
    return " ".join(re.findall(r"[a-z0-9]+", header.lower()))


def guess_mapping(headers: list[str], table: "SourceTable | None" = None,
                  given: dict[str, str] | None = None) -> dict[str, str]:
    """A mapping from the file's headers to our fields: the user's own (`given`, a field mapped to "" is left out)
    first, then each other field by the names councils use, then (with the table) by what the columns hold."""
    from inventory.import_guess import guess_by_content

    given = given or {}
    mapping = {target: column for target, column in given.items() if column}
    taken = set(mapping.values())
    by_words: dict[str, str] = {}
    for header in headers:
        by_words.setdefault(header_words(header), header)
    for target, names in TARGETS.items():
        if target in given:
            continue
        for name in names:
            header = by_words.get(name)
            if header is not None and header not in taken:
                mapping[target] = header
                taken.add(header)
                break
    if table is not None:
        for target, column in guess_by_content(table, mapping, skip=set(given)).items():
            mapping[target] = column
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


def parse_value_mappings(lines: list[str]) -> dict[str, dict[str, str]]:
    """FIELD:THEIRS=OURS entries (`status:Live=operational`, `kind:Traffic=traffic`): per field, the list's word
    (any case) -> ours. ValueError names an entry that is not of that form or names no field of ours."""
    found: dict[str, dict[str, str]] = {}
    for line in lines:
        entry = line.strip()
        if not entry:
            continue
        target, colon, rest = entry.partition(":")
        theirs, equals, ours = rest.partition("=")
        target = target.strip()
        if not colon or not equals or target not in TARGETS or not theirs.strip():
            raise ValueError(f"{entry!r}: use FIELD:VALUE=OURS, e.g. status:Live=operational, with FIELD one of "
                             f"{', '.join(TARGETS)}")
        found.setdefault(target, {})[theirs.strip().lower()] = ours.strip()
    return found


def format_value_mappings(values: dict[str, dict[str, str]]) -> str:
    """The entries parse_value_mappings reads, one a line (for the mapping page to re-show)."""
    return "\n".join(f"{target}:{theirs}={ours}" for target, words in values.items() for theirs, ours in words.items())
