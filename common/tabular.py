"""Reading an uploaded table, CSV or GeoJSON, into rows that each know where in the file they came from.

Camera lists (`inventory.importing`) and candidate sites (`siting.sources.sites`) are read here, so both accept
the same files in the same way:

- bytes are UTF-8 (a byte-order mark is dropped) or else Windows-1252, Excel's "CSV" on a Windows desktop;
- GeoJSON is a file named .geojson or .json, or text that starts with "{"; anything else is CSV;
- CSV's delimiter is whichever of comma, semicolon or tab its first line holds most (Excel in much of Europe
  saves "CSV" with semicolons); the first line names the columns; blank lines are skipped; a short row is padded
  with empty cells; a row with more filled cells than the header names is a problem (its cells have shifted);
  each row is "line N", the line its record starts on, so a quoted cell spanning lines keeps later numbers right;
- a GeoJSON FeatureCollection gives a row per feature ("feature N"): its properties as text, its geometry and id
  as given; the collection's "crs" member is kept for the caller to judge.

What cannot be read at all raises `TableError` (file and, where known, line); a row that cannot be read is a
`Problem` in `Table.problems`, and reading goes on. `parse_number` (blank allowed) and `require_number` are the one
reading of a number from a cell.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

DELIMITERS = ",;\t"
NOT_TEXT = "not a text file: save it as CSV or GeoJSON"


@dataclass(frozen=True)
class Problem:
    """Why one row (or the whole file) cannot be used, and where: "line 4", "feature 2", "header", or "" for the
    file as a whole."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class TableError(ValueError):
    """The file as a whole cannot be read: not text, not JSON, no header. `problem` says where and why."""

    def __init__(self, file: str, where: str, message: str) -> None:
        self.problem = Problem(file, where, message)
        super().__init__(str(self.problem))


class NumberError(ValueError):
    """A cell that should hold a number does not; the message names the cell and what it held."""


@dataclass(frozen=True)
class Row:
    """One record: where it is, its values by column, and (GeoJSON only) the feature's geometry and id as given."""

    where: str
    values: dict[str, str]
    geometry: Any = None
    feature_id: Any = None


@dataclass
class Table:
    """A file read: its column names in order, its rows, and the rows that could not be read."""

    file: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    crs: Any = None  # GeoJSON: the collection's "crs" member, when it has one


# An uploaded list of cameras or candidate sites is hundreds of rows; past this it is the wrong file (or an attack),
# and reading it would hold a request for minutes.
MAX_ROWS = 100_000
# GeoJSON nests eight or so levels (collection, features, feature, geometry, MultiPolygon's rings and points);
# deeper text is refused before json.loads, whose recursion a deep enough file would exhaust.
MAX_JSON_DEPTH = 32


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (brackets inside strings skipped), without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def decode(file: str, content: bytes | str) -> str:
    """The file's text: UTF-8 (without a byte-order mark), else Windows-1252; TableError when it is not text."""
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(file, "", NOT_TEXT)  # a spreadsheet or a zip, say


def is_geojson(file: str, text: str) -> bool:
    """Whether to read the file as GeoJSON: by its name, or by its text starting as a JSON object does."""
    return file.lower().endswith((".geojson", ".json")) or text.lstrip().startswith("{")


def read_table(file: str, content: bytes | str, *, features: str = "features", example: str = "",
               one_feature: bool = False) -> Table:
    """An uploaded file, CSV or GeoJSON (see the module's notes). `features` names what a FeatureCollection should
    hold and `example` shows a header line, in the messages; `one_feature` accepts a lone Feature as well."""
    text = decode(file, content)
    if is_geojson(file, text):
        return read_geojson(file, text, features=features, one_feature=one_feature)
    return read_csv(file, text, example=example)


def read_csv(file: str, text: str, *, example: str = "") -> Table:
    """CSV text with a header line (see the module's notes); `example`, e.g. "Site,Easting,Northing", is shown
    when the first line names no columns."""
    text = text.removeprefix("\ufeff")
    first = text.partition("\n")[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=max(DELIMITERS, key=first.count))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise TableError(file, "line 1", f"not readable as CSV ({exc})") from None
    if not header or not any(cell.strip() for cell in header):
        raise TableError(file, "line 1", "the first line must name the columns" + (f", e.g. {example}" if example
                                                                                    else ""))
    table = Table(file, [h.strip() for h in header])
    width = len(table.headers)
    line = reader.line_num + 1
    try:
        for cells in reader:
            where, line = f"line {line}", reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # blank lines left at the end of hand-edited files
            if any(cell.strip() for cell in cells[width:]):
                table.problems.append(Problem(file, where, f"{len(cells)} cells but the header names {width} "
                                                           "columns"))
                continue
            if len(table.rows) >= MAX_ROWS:
                raise TableError(file, where, f"more than {MAX_ROWS:,} rows: split the file and upload each part")
            values: dict[str, str] = {}
            for name, cell in zip(table.headers, cells + [""] * (width - len(cells)), strict=False):
                values.setdefault(name, cell)  # of two columns with one name, the first is read
            table.rows.append(Row(where, values))
    except csv.Error as exc:  # e.g. a field longer than the csv module allows
        table.problems.append(Problem(file, f"line {line}", f"not readable as CSV ({exc})"))
    return table


def read_geojson(file: str, source: str | dict[str, Any], *, features: str = "features",
                 one_feature: bool = False) -> Table:
    """A GeoJSON FeatureCollection (and, with `one_feature`, a lone Feature): a row per feature."""
    if isinstance(source, str) and json_depth(source) > MAX_JSON_DEPTH:
        raise TableError(file, "", f"arrays and objects nest deeper than {MAX_JSON_DEPTH} levels: not GeoJSON")
    try:
        doc = json.loads(source) if isinstance(source, str) else source
    except json.JSONDecodeError as exc:
        raise TableError(file, f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind != "FeatureCollection" and not (one_feature and kind == "Feature"):
        raise TableError(file, "", f"expected a GeoJSON FeatureCollection of {features}")
    found = doc.get("features") if kind == "FeatureCollection" else [doc]
    if isinstance(found, list) and len(found) > MAX_ROWS:
        raise TableError(file, "", f"more than {MAX_ROWS:,} features: split the file and upload each part")
    table = Table(file, [], crs=doc.get("crs"))
    for number, feature in enumerate(found if isinstance(found, list) else [], start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            table.problems.append(Problem(file, where, "not a GeoJSON Feature"))
            continue
        props = feature.get("properties")
        values = {str(k): _text(v) for k, v in props.items()} if isinstance(props, dict) else {}
        table.headers += [key for key in values if key not in table.headers]
        table.rows.append(Row(where, values, feature.get("geometry"), feature.get("id")))
    return table


def _text(value: Any) -> str:
    """A property as cell text: nothing for null, and nothing for a nested object or list (not a cell's value)."""
    return "" if value is None or isinstance(value, dict | list) else str(value)


def parse_number(value: Any, label: str) -> float | None:
    """A finite number from a cell, or None for a blank cell. NumberError names the cell (`label`) and what it held:
    "easting '4867OO' is not a number" (NaN and infinity are not numbers of a place either)."""
    text = "" if value is None else str(value).strip()
    return require_number(text, label) if text else None


def require_number(value: Any, label: str) -> float:
    """A finite number from a cell that must have one: a blank cell is "easting '' is not a number"."""
    text = "" if value is None else str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise NumberError(f"{label} '{text}' is not a number") from None
    if not math.isfinite(number):
        raise NumberError(f"{label} '{text}' is not a number")
    return number


__all__ = ["MAX_JSON_DEPTH", "MAX_ROWS", "NOT_TEXT", "NumberError", "Problem", "Row", "Table", "TableError", "decode",
           "is_geojson", "json_depth", "parse_number", "read_csv", "read_geojson", "read_table", "require_number"]
