"""Candidate sites typed or uploaded: CSV, GeoJSON, or a typed line, read into `Site`s in National Grid metres.

Every reader returns `(sites, problems)` and is all-or-nothing: when anything is wrong `sites` is empty and each
problem names the file, the line or feature, and why, so a planner fixes the file once rather than finding out
later that half of it was silently dropped. `require_sites` turns problems into a `SiteFileError` for callers that
prefer an exception.

Coordinates may be longitude/latitude (WGS84) or British National Grid metres (EPSG:27700). Where a file does not
say which (X/Y columns, WKT, GeoJSON without a "crs"), the range decides: GB eastings and northings are far beyond
±180/±90, so the two cannot be confused. Every site must land inside the National Grid's extent. Files are read
by `common.tabular`, as camera lists are (encodings, delimiters, line and feature numbers, numbers in cells); the
geometry checks themselves are in `siting.sources.site_geometry`.
"""

from __future__ import annotations

import json
import re
from typing import Any

import shapely

from common.tabular import (
    NumberError,
    Problem,
    TableError,
    decode,
    is_geojson,
    read_csv,
    read_geojson,
    require_number,
)
from siting.model.inputs import Site
from siting.sources.site_geometry import BadSite, geojson_to_grid, point_to_grid, wkt_to_grid

# Header names seen in planners' spreadsheets, compared after `_header_key` (lower case, units and punctuation
# dropped). "site" is a name unless the file also has a name column, when it is the id (see `_columns`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("site id", "siteid", "id", "site ref", "ref", "reference", "site no", "site number", "site code", "code"),
    "name": ("name", "site name", "sitename", "location", "title", "label", "description", "site"),
    "lon": ("longitude", "lon", "lng", "long", "wgs84 longitude"),
    "lat": ("latitude", "lat", "wgs84 latitude"),
    "easting": ("easting", "eastings", "east", "bng easting", "os easting", "grid easting", "bng x"),
    "northing": ("northing", "northings", "north", "bng northing", "os northing", "grid northing", "bng y"),
    "x": ("x", "x coord", "x coordinate", "xcoord", "coord x", "point x"),
    "y": ("y", "y coord", "y coordinate", "ycoord", "coord y", "point y"),
    "wkt": ("wkt", "geometry", "geom", "the geom", "shape", "wkt geometry"),
}


class SiteFileError(ValueError):
    """Raised by `require_sites`; carries every problem so a page or the CLI can list them all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def require_sites(result: tuple[list[Site], list[Problem]]) -> list[Site]:
    """The sites, or a `SiteFileError` listing every problem: for callers that refuse a file with any fault."""
    sites, problems = result
    if problems:
        raise SiteFileError(problems)
    return sites


def read_sites(filename: str, content: bytes | str) -> tuple[list[Site], list[Problem]]:
    """An uploaded file: GeoJSON (.geojson/.json, or text starting with "{") or else CSV with a header line."""
    try:
        text = decode(filename, content)
    except TableError as exc:
        return [], [exc.problem]
    if is_geojson(filename, text):
        return read_sites_geojson(text, filename)
    return read_sites_csv(text, filename)


def read_sites_csv(text: str, filename: str = "sites.csv") -> tuple[list[Site], list[Problem]]:
    """Sites from CSV text with a header: an id and/or name, and lon/lat, easting/northing, X/Y or WKT columns."""
    try:
        table = read_csv(filename, text, example="Site,Easting,Northing")
    except TableError as exc:
        return [], [exc.problem]
    columns = _columns(table.headers)
    sources = [k for k in ("wkt", "easting", "lon", "x") if k in columns and (k == "wkt" or _pair(k) in columns)]
    problems: list[Problem] = []
    if "id" not in columns and "name" not in columns:
        problems.append(Problem(filename, "line 1", "no site id or name column (e.g. Site, Name, ID)"))
    if not sources:
        problems.append(Problem(filename, "line 1", "no coordinate columns: give Longitude and Latitude, "
                                                    "Easting and Northing, X and Y, or WKT"))
    if problems:
        return [], problems

    collected: list[tuple[str, Site]] = []
    problems += table.problems
    for row in table.rows:
        cell = {key: row.values[header].strip() for key, header in columns.items()}
        try:
            geometry = _row_geometry(cell, sources)
            collected.append((row.where, _site(cell.get("id", ""), cell.get("name", ""), geometry)))
        except (BadSite, NumberError) as exc:
            problems.append(Problem(filename, row.where, str(exc)))
    return _finish(filename, collected, problems)


def read_sites_geojson(source: str | dict[str, Any], filename: str = "sites.geojson"
                       ) -> tuple[list[Site], list[Problem]]:
    """Sites from a GeoJSON FeatureCollection (or one Feature) of Points, Polygons and MultiPolygons.

    Coordinates are longitude/latitude (RFC 7946) unless a "crs" member names EPSG:27700, or, with no "crs",
    a feature's coordinates are beyond ±180/±90 and so can only be National Grid metres.
    """
    try:
        table = read_geojson(filename, source, features="site features", one_feature=True)
    except TableError as exc:
        return [], [exc.problem]
    declared = json.dumps(table.crs) if table.crs else ""
    if declared and "27700" not in declared and not re.search(r"4326|CRS84", declared):
        return [], [Problem(filename, "", f"coordinate system {declared} is not supported: use longitude/"
                                          "latitude (EPSG:4326) or British National Grid (EPSG:27700)")]
    crs = "bng" if "27700" in declared else "lonlat" if declared else "auto"
    collected: list[tuple[str, Site]] = []
    problems: list[Problem] = list(table.problems)
    for row in table.rows:
        keyed = {_header_key(k): v for k, v in row.values.items()}
        try:
            site_id = _text(row.feature_id) or _first(keyed, COLUMNS["id"])
            collected.append((row.where, _site(site_id, _first(keyed, COLUMNS["name"]),
                                               geojson_to_grid(row.geometry, crs))))
        except BadSite as exc:
            problems.append(Problem(filename, row.where, str(exc)))
    return _finish(filename, collected, problems)


def parse_typed_sites(text: str, *, file: str = "typed sites") -> tuple[list[Site], list[Problem]]:
    """Typed sites, one a line: "Name, easting, northing" or "Name, longitude, latitude"; the name is also the id.

    "Name, latitude, longitude" as web maps copy it is accepted too: GB latitudes (49–61) and longitudes (−9 to 2)
    do not overlap, so the order is never in doubt. Blank lines and lines starting with "#" are skipped.
    """
    lines = text.splitlines()
    collected: list[tuple[str, Site]] = []
    problems: list[Problem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        at = f"line {number}" if len(lines) > 1 else ""
        parts = [p.strip() for p in re.split(r"[,;\t]", line)]
        try:
            if len(parts) < 3 or not ", ".join(parts[:-2]):
                raise BadSite(f"{line.strip()!r}: type a name and two coordinates, e.g. 'Frogmoor, 486500, 192950'")
            a = require_number(parts[-2], "first coordinate")
            b = require_number(parts[-1], "second coordinate")
            if 49 <= a <= 61 and -9 <= b <= 3:
                a, b = b, a  # latitude first, as copied from a web map
            collected.append((at, _site("", ", ".join(parts[:-2]), point_to_grid(a, b, "auto"))))
        except (BadSite, NumberError) as exc:
            problems.append(Problem(file, at, str(exc)))
    return _finish(file, collected, problems)


# --- the pieces ---------------------------------------------------------------------------------------------------

def _header_key(header: str) -> str:
    """"Easting (m)" → "easting", "Site_ID" → "site id": units and punctuation never decide a match."""
    without_units = re.sub(r"\(.*?\)|\[.*?\]", " ", header.lstrip("\ufeff"))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", without_units.casefold()).split())


def _columns(headers: list[str]) -> dict[str, str]:
    """Our field → the column (header) holding it, taking the first alias (in COLUMNS' order) the header row has."""
    keys = [_header_key(h) for h in headers]
    found: dict[str, str] = {}
    for field, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in keys and headers[keys.index(alias)] not in found.values():
                found[field] = headers[keys.index(alias)]
                break
    if "id" not in found and "site" in keys and found.get("name") != headers[keys.index("site")]:
        found["id"] = headers[keys.index("site")]  # "Site" beside "Name" is the site's id
    return found


def _pair(key: str) -> str:
    return {"easting": "northing", "lon": "lat", "x": "y"}[key]


def _first(values: dict[str, Any], aliases: tuple[str, ...]) -> str:
    return next((_text(values[a]) for a in aliases if _text(values.get(a))), "")


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


def _row_geometry(cell: dict[str, str], sources: list[str]) -> shapely.Geometry:
    """A CSV row's geometry from the first coordinate source the row fills in (WKT, metres, degrees, X/Y)."""
    for key in sources:
        if key == "wkt" and cell["wkt"]:
            return wkt_to_grid(cell["wkt"])
        if key != "wkt" and (cell[key] or cell[_pair(key)]):
            x = require_number(cell[key], key if key != "lon" else "longitude")
            y = require_number(cell[_pair(key)], _pair(key) if key != "lon" else "latitude")
            return point_to_grid(x, y, {"easting": "bng", "lon": "lonlat", "x": "auto"}[key])
    raise BadSite("no coordinates")


def _site(site_id: str, name: str, geometry: shapely.Geometry) -> Site:
    site_id, name = site_id.strip(), " ".join(name.split())
    if not (site_id or name):
        raise BadSite("the site has no id or name")
    return Site(site_id or name, geometry, name or site_id)


def _finish(file: str, collected: list[tuple[str, Site]], problems: list[Problem]
            ) -> tuple[list[Site], list[Problem]]:
    """Duplicate ids (case-insensitive, as a person reads them) become problems; any problem empties the result."""
    seen: dict[str, str] = {}
    for where, site in collected:
        key = site.site_id.casefold()
        if key in seen:
            first = f" (first at {seen[key]})" if seen[key] else ""
            problems.append(Problem(file, where, f"duplicate site id {site.site_id!r}{first}"))
        seen.setdefault(key, where)
    if not collected and not problems:
        problems.append(Problem(file, "", "no sites found"))
    problems.sort(key=lambda p: int(re.sub(r"\D", "", p.where) or 0))  # in file order, duplicates among the rest
    return ([] if problems else [site for _, site in collected]), problems
