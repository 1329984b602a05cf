"""Parse a data.police.uk street-level CSV into columns, a chunk of rows at a time, with no Python loop per row.

Why columns: the import of a force's year spent more time in a Python loop over the rows (validate, convert, build a
tuple) than SQLite spent storing them. Here a chunk of lines comes as columns (`siting.sources.police_lines`: csv's
reading, by one split of the chunk where its lines are plain), and each check and conversion runs once per column:
months and coordinates are parsed once per distinct text (a month's file has one month and a few thousand snap
points), the range test is numpy's, the rest are C-level `map`s. Only the rows a column check flags go through the
row-by-row rules (`_row_problem`), which give the same reason, file and line as ever; only rows without a Crime ID
(anti-social behaviour) are hashed one by one for their key.

What a chunk promises is what the row reader promised (`siting.sources.police`): every good row, in file order,
with its 1-based line (the line its record ends on); a malformed row raises `PoliceFileError` naming the file and
line, or, with `on_problem`, is passed to it and left out. The problems of a chunk are reported in line order,
before any of its rows is yielded.
"""

from __future__ import annotations

import csv
import hashlib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date
from itertools import compress, repeat
from typing import TextIO

import numpy as np

from siting.sources.police_lines import Chunk, Records

COLUMNS: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
# Rows parsed at a time: a month of a county is one chunk; memory follows the chunk, not the file.
CHUNK_ROWS = 20_000


class PoliceFileError(ValueError):
    """A police.uk file, or one row of it, that cannot be read; `file` and `line` say where (line is 1-based)."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple:
        # Rebuild from the parts, so an error can cross a process boundary (e.g. a background import job).
        return (type(self), (self.file, self.line, self.reason))


@dataclass(frozen=True, slots=True)
class CrimeColumns:
    """Good rows of one CSV as columns, in file order; the fields are `CrimeRecord`'s, in its order.

    Coordinates are float64 arrays with NaN where a row has none; `source` names the file once for every row.
    """

    crime_id: Sequence[str | None]
    month: Sequence[date]
    category: Sequence[str]
    longitude: np.ndarray
    latitude: np.ndarray
    location: Sequence[str]
    lsoa_code: Sequence[str]
    lsoa_name: Sequence[str]
    outcome: Sequence[str]
    falls_within: Sequence[str]
    reported_by: Sequence[str]
    context: Sequence[str]
    source: str
    line: Sequence[int]
    dedup_key: Sequence[str]

    def __len__(self) -> int:
        return len(self.dedup_key)

    @property
    def located(self) -> np.ndarray:
        """True for the rows with a longitude and latitude."""
        return ~np.isnan(self.longitude)

    def take(self, keep: np.ndarray | Sequence[bool]) -> CrimeColumns:
        """The rows where `keep` is true, in their order."""
        mask = np.asarray(keep, dtype=bool)
        flags = mask.tolist()
        parts = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, column in parts.items():
            if isinstance(column, np.ndarray):
                parts[name] = column[mask]
            elif name != "source":
                parts[name] = list(compress(column, flags))
        return CrimeColumns(**parts)

    def rows(self) -> Iterator[tuple]:
        """The rows as tuples in the fields' order, None where a row has no coordinates (built by C-level zip)."""
        return zip(self.crime_id, self.month, self.category, nullable(self.longitude), nullable(self.latitude),
                   self.location, self.lsoa_code, self.lsoa_name, self.outcome, self.falls_within, self.reported_by,
                   self.context, repeat(self.source), self.line, self.dedup_key)


def nullable(values: np.ndarray) -> list[float | None]:
    """Python floats, None for NaN (an object array's tolist keeps plain floats): SQL NULL for the drivers."""
    return np.where(np.isnan(values), None, values).tolist()


@dataclass(frozen=True)
class _Layout:
    """Where each needed column is in this file's header."""

    width: int
    crime_id: int
    month: int
    reported_by: int
    falls_within: int
    longitude: int
    latitude: int
    location: int
    lsoa_code: int
    lsoa_name: int
    category: int
    outcome: int
    context: int

    @classmethod
    def of(cls, header: list[str] | None, name: str) -> _Layout:
        """The layout of a header row, or PoliceFileError when it is missing or lacks a column."""
        if header is None:
            raise PoliceFileError(name, None, "the file is empty (no header row)")
        header = [cell.strip().lstrip("\ufeff") for cell in header]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            raise PoliceFileError(name, 1, f"not a police.uk street-level file: missing column(s) {', '.join(missing)}")
        return cls(len(header), *(header.index(column) for column in COLUMNS))


def _month(text: str) -> date | None:
    """The first of the month a "YYYY-MM" cell names, None when it names none."""
    try:
        year, _, month = text.strip().partition("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


_NOT_A_NUMBER = float("nan")


def _coordinate(text: str) -> float:
    # float() accepts surrounding spaces itself; NaN for text that is no number (the range test rejects NaN).
    try:
        return float(text)
    except ValueError:
        return _NOT_A_NUMBER


def _row_problem(row: list[str], at: _Layout) -> str | None:
    """Why a row of the right width is malformed, the first reason in the row's order of checks (None if it is
    not): the rules the column checks of `_checked` apply to whole columns, row by row."""
    if _month(row[at.month]) is None:
        return f"month {row[at.month]!r} is not YYYY-MM"
    if not row[at.category].strip():
        return "blank Crime type"
    lon_text, lat_text = row[at.longitude], row[at.latitude]
    lon, lat = _coordinate(lon_text), _coordinate(lat_text)
    if (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0) or not (lon_text.strip() or lat_text.strip()):
        return None
    if lon_text and lat_text:
        return f"coordinate {lon_text!r}, {lat_text!r} is not a longitude and latitude"
    return "only one of Longitude and Latitude is given"


def _dedup_text(month: str, category: str, lon: float | None, lat: float | None, location: str, lsoa: str,
                occurrence: int) -> bytes:
    """What a row without a Crime ID is keyed by (its SHA-1): its month ("YYYY-MM-DD"), category, coordinates,
    location, LSOA and which identical row of its file it is."""
    # Parsed values, not raw text, so the same row hashes alike whatever the line endings or number formatting.
    # repr() of a float is its shortest round-trip text: "0.115240" and "0.11524" hash alike.
    return f"{month}\x1f{category}\x1f{lon!r},{lat!r}\x1f{location}\x1f{lsoa}\x1f{occurrence}".encode()


class _Parser:
    """One file's chunks: checks columns, reports problems, keys the rows (occurrences counted over the file)."""

    def __init__(self, name: str, layout: _Layout, on_problem: Callable[[PoliceFileError], None] | None) -> None:
        self.name = name
        self.at = layout
        self.on_problem = on_problem
        self.occurrences: dict[tuple, int] = {}

    def chunk(self, chunk: Chunk) -> CrimeColumns | None:
        """The good rows of a chunk as columns (None if it has none), after reporting its problems in line order."""
        problems: list[tuple[int, str]] = []
        cells, lines = chunk.columns, chunk.lines
        if cells is None:
            rows, lines = self._of_width(chunk.rows or [], lines, problems)
            cells = list(zip(*rows, strict=True))
        columns = self._checked(cells, lines, problems) if cells else None
        for line, reason in sorted(problems):
            error = PoliceFileError(self.name, line, reason)
            if self.on_problem is None:
                raise error
            self.on_problem(error)
        return columns

    def _of_width(self, rows: list[list[str]], lines: Sequence[int],
                  problems: list[tuple[int, str]]) -> tuple[list[list[str]], Sequence[int]]:
        """The rows with as many cells as the header, and their lines; the others' reasons added to `problems`."""
        width = self.at.width
        if set(map(len, rows)) == {width}:
            return rows, lines
        kept = [i for i, row in enumerate(rows) if len(row) == width]
        problems += [(lines[i], f"expected {width} cells, found {len(row)}") for i, row in enumerate(rows)
                     if len(row) != width and any(cell.strip() for cell in row)]  # blank lines carry nothing
        return [rows[i] for i in kept], [lines[i] for i in kept]

    def _checked(self, cells: list[Sequence[str]], lines: Sequence[int],
                 problems: list[tuple[int, str]]) -> CrimeColumns | None:
        """Columns of the rows that pass every check; the others' reasons added to `problems`."""
        at, count = self.at, len(cells[0])
        month_of = {text: _month(text) for text in set(cells[at.month])}
        month = list(map(month_of.__getitem__, cells[at.month]))
        category = list(map(str.strip, cells[at.category]))
        coordinate = {text: _coordinate(text) for text in {*cells[at.longitude], *cells[at.latitude]}}
        lon = np.fromiter(map(coordinate.__getitem__, cells[at.longitude]), dtype=np.float64, count=count)
        lat = np.fromiter(map(coordinate.__getitem__, cells[at.latitude]), dtype=np.float64, count=count)
        located = (lon >= -180.0) & (lon <= 180.0) & (lat >= -90.0) & (lat <= 90.0)  # NaN is outside
        suspect = set(np.flatnonzero(~located).tolist())
        if None in month_of.values():
            suspect.update(i for i, value in enumerate(month) if value is None)
        if "" in category:
            suspect.update(i for i, value in enumerate(category) if not value)
        bad = [(i, reason) for i in sorted(suspect)
               if (reason := _row_problem([column[i] for column in cells], at)) is not None]
        problems += [(lines[i], reason) for i, reason in bad]
        lon[~located] = np.nan  # blank on both sides: a row without a location
        columns = [month, category, *(cells[i] for i in (at.crime_id, at.location, at.lsoa_code, at.lsoa_name,
                                                          at.outcome, at.falls_within, at.reported_by, at.context)),
                   lines]
        if bad:
            keep = np.ones(count, dtype=bool)
            keep[[i for i, _ in bad]] = False
            if not keep.any():
                return None
            flags = keep.tolist()
            columns = [list(compress(column, flags)) for column in columns]
            lon, lat = lon[keep], lat[keep]
        month, category, ids, location, lsoa_code, lsoa_name, outcome, falls, reported, context, lines = columns
        lat = np.where(np.isnan(lon), np.nan, lat)
        crime_id = [text.strip() or None for text in ids]
        return CrimeColumns(crime_id, month, category, lon, lat, location, lsoa_code, lsoa_name, outcome, falls,
                            reported, context, self.name, lines, self._keys(crime_id, month, category, lon, lat,
                                                                            location, lsoa_code))

    def _keys(self, crime_id: list[str | None], month: list[date], category: list[str], lon: np.ndarray,
              lat: np.ndarray, location: Sequence[str], lsoa: Sequence[str]) -> list[str]:
        """Each row's dedup key: its Crime ID, or a hash of the row and its occurrence in the file."""
        keys: list[str] = list(crime_id)  # type: ignore[arg-type]  # the None ones are filled below
        unnamed = [i for i, value in enumerate(crime_id) if value is None]
        if not unnamed:
            return keys
        lons, lats = nullable(lon), nullable(lat)
        iso = {day: day.isoformat() for day in set(month)}
        occurrences, sha1 = self.occurrences, hashlib.sha1
        for i in unnamed:
            # Anti-social behaviour has no Crime ID: the n-th identical row in a file is the n-th incident, so
            # repeats within a file are kept while re-importing the same file adds nothing.
            identity = (month[i], category[i], lons[i], lats[i], location[i], lsoa[i])
            occurrences[identity] = occurrence = occurrences.get(identity, 0) + 1
            keys[i] = sha1(_dedup_text(iso[month[i]], *identity[1:], occurrence)).hexdigest()
        return keys


def parse_columns(
    stream: TextIO | Iterable[str], name: str, *, max_rows: int,
    on_problem: Callable[[PoliceFileError], None] | None = None, chunk_rows: int = CHUNK_ROWS,
) -> Iterator[CrimeColumns]:
    """Parse one street-level CSV from an open text stream (opened with newline="") into chunks of columns.

    `name` is used in messages; a file of more than `max_rows` rows is refused at the first row past it.
    """
    records = Records(stream)
    try:
        parser = _Parser(name, _Layout.of(records.header(), name), on_problem)
        while chunk := records.chunk(chunk_rows, parser.at.width):
            past = bisect_right(chunk.lines, max_rows + 1)  # the first row ending past the last line a month has
            columns = parser.chunk(chunk.head(past)) if past else None
            if columns is not None:
                yield columns
            if past < len(chunk.lines):
                raise PoliceFileError(name, chunk.lines[past], f"more than {max_rows:,} rows: not one month's file; "
                                                               "split it")
    except UnicodeDecodeError as exc:
        raise PoliceFileError(name, records.line + 1, f"not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise PoliceFileError(name, records.line, f"not a readable CSV ({exc})") from exc
