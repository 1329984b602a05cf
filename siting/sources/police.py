"""Read data.police.uk street-level crime CSVs: single files, folders of monthly folders, and the site's zip archives.

Records come out as plain `CrimeRecord`s; nothing here touches a database, so the CLI, the upload page and the
benchmark can all stream the same reader.

Malformed rows: by default the first malformed row raises `PoliceFileError` naming the file and the line, because a
bad row usually means the wrong file or a truncated download and a silent partial import would skew the model. Pass
`on_problem` (e.g. `problems.append`) to collect per-row problems instead and keep the good rows; each problem is a
`PoliceFileError` with the file, line and reason. Problems with the file as a whole (no header, a missing column,
a file that is not UTF-8 text, a broken zip) always raise: no row of such a file can be trusted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

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
STREET_SUFFIX = "-street.csv"
# A zip bomb (1 MB holding 1 GiB) is refused from its directory, before a byte is inflated. The largest force's
# month is tens of MB and police.uk zips compress CSV about tenfold; a zip member's declared size also caps what
# zipfile will inflate from it, so checking the declared size is enough.
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
# Rows in one CSV: a month of the largest force is ~100,000; past this it is not a month's file.
MAX_ROWS_PER_FILE = 1_000_000


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
class CrimeRecord:
    """One row of a street-level file. Blank text cells are "", absent coordinates and Crime IDs are None."""

    crime_id: str | None
    month: date
    category: str
    longitude: float | None
    latitude: float | None
    location: str
    lsoa_code: str
    lsoa_name: str
    outcome: str
    falls_within: str
    reported_by: str
    context: str
    source: str
    line: int
    dedup_key: str

    @classmethod
    def from_row(cls, row: tuple) -> CrimeRecord:
        """Build a record from a tuple yielded by `read_crime_rows` (fields in `RECORD_FIELDS` order)."""
        return cls(*row)

    @property
    def has_location(self) -> bool:
        """True when the row carries a longitude and latitude."""
        return self.longitude is not None


RECORD_FIELDS: tuple[str, ...] = tuple(CrimeRecord.__dataclass_fields__)


@dataclass(frozen=True)
class CsvSource:
    """One CSV to read: a file on disk, or a member of a zip archive (`member` set, `path` is the archive)."""

    path: Path
    member: str | None = None

    @property
    def name(self) -> str:
        """The name used in records and error messages: the file name, or "archive.zip!folder/member.csv"."""
        return f"{self.path.name}!{self.member}" if self.member else self.path.name

    @property
    def size(self) -> int:
        """Uncompressed size in bytes, for a progress bar."""
        if self.member is None:
            return self.path.stat().st_size
        with zipfile.ZipFile(self.path) as archive:
            return archive.getinfo(self.member).file_size

    def read(self, *, on_problem: Callable[[PoliceFileError], None] | None = None) -> Iterator[CrimeRecord]:
        """Yield the records of this one CSV (see `read_crimes` for `on_problem`)."""
        return map(CrimeRecord.from_row, self.read_rows(on_problem=on_problem))

    def read_rows(self, *, on_problem: Callable[[PoliceFileError], None] | None = None) -> Iterator[tuple]:
        """Yield this CSV's records as plain tuples in `RECORD_FIELDS` order (the fast path for bulk inserts)."""
        if self.member is None:
            with open(self.path, encoding="utf-8-sig", newline="") as stream:
                yield from parse_rows(stream, self.name, on_problem=on_problem)
            return
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as raw:
                # newline="" lets csv see CRLF and LF alike; utf-8-sig drops a byte-order mark.
                stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                yield from parse_rows(stream, self.name, on_problem=on_problem)
        except zipfile.BadZipFile as exc:
            raise PoliceFileError(self.name, None, f"not a readable zip archive ({exc})") from exc


def _is_street_csv(name: str) -> bool:
    # Also skips folders (names ending in "/") and the resource-fork litter macOS adds to zips.
    base = name.rsplit("/", 1)[-1]
    return base.lower().endswith(STREET_SUFFIX) and not name.startswith("__MACOSX/") and not base.startswith("._")


def _check_member(path: Path, info: zipfile.ZipInfo) -> None:
    """PoliceFileError for a zip member that would inflate past MAX_MEMBER_BYTES or MAX_RATIO times its size."""
    name = f"{path.name}!{info.filename}"
    if info.file_size > MAX_MEMBER_BYTES:
        raise PoliceFileError(name, None, f"unpacks to {info.file_size / 2**20:,.0f} MB, more than the "
                                          f"{MAX_MEMBER_BYTES // 2**20} MB a month's file can be: refused unread")
    if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
        raise PoliceFileError(name, None, f"unpacks to {info.file_size // max(info.compress_size, 1):,} times its "
                                          f"packed size (a zip bomb?), more than {MAX_RATIO}: refused unread")


def find_sources(*paths: str | Path) -> list[CsvSource]:
    """Expand files, folders and zips into the CSVs to read, in a stable order.

    A file named directly is read whatever its name. A folder is searched recursively for `*-street.csv` (the site's
    zips also hold outcomes and stop-and-search files, which are not crimes); zips inside folders are not opened, so
    a folder holding both a zip and its unpacked copy is read once. A zip yields its `*-street.csv` members.
    """
    sources: list[CsvSource] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _is_street_csv(p.name))
            sources.extend(CsvSource(p) for p in found)
        elif path.is_file() and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                infos = [i for i in archive.infolist() if _is_street_csv(i.filename)]
            for info in infos:
                _check_member(path, info)
            members = sorted(i.filename for i in infos)
            sources.extend(CsvSource(path, m) for m in members)
        elif path.is_file():
            sources.append(CsvSource(path))
        else:
            raise PoliceFileError(str(path), None, "no such file or folder")
    return sources


def read_crimes(
    *paths: str | Path, on_problem: Callable[[PoliceFileError], None] | None = None
) -> Iterator[CrimeRecord]:
    """Yield every record from the given files, folders and zip archives.

    With `on_problem=None` a malformed row raises `PoliceFileError`; otherwise the row is skipped and the error is
    passed to `on_problem`.
    """
    for source in find_sources(*paths):
        yield from source.read(on_problem=on_problem)


def read_crime_rows(
    *paths: str | Path, on_problem: Callable[[PoliceFileError], None] | None = None
) -> Iterator[tuple]:
    """Like `read_crimes`, but yield plain tuples in `RECORD_FIELDS` order.

    Building a frozen dataclass costs several microseconds a row, more than parsing it; a bulk database import of a
    few hundred thousand rows should take this path and hand the tuples straight to `executemany`.
    """
    for source in find_sources(*paths):
        yield from source.read_rows(on_problem=on_problem)


def _dedup_hash(month: date, category: str, lon: float | None, lat: float | None, location: str, lsoa: str,
                occurrence: int) -> str:
    # Parsed values, not raw text, so the same row hashes alike whatever the line endings or number formatting.
    # repr() of a float is its shortest round-trip text: "0.115240" and "0.11524" hash alike.
    text = f"{month.isoformat()}\x1f{category}\x1f{lon!r},{lat!r}\x1f{location}\x1f{lsoa}\x1f{occurrence}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


_NOT_A_NUMBER = float("nan")


def parse_stream(
    stream: TextIO | Iterable[str], name: str, *, on_problem: Callable[[PoliceFileError], None] | None = None
) -> Iterator[CrimeRecord]:
    """Parse one street-level CSV from an open text stream (opened with newline=""); `name` is used in messages."""
    return map(CrimeRecord.from_row, parse_rows(stream, name, on_problem=on_problem))


def parse_rows(
    stream: TextIO | Iterable[str], name: str, *, on_problem: Callable[[PoliceFileError], None] | None = None
) -> Iterator[tuple]:
    """Parse one street-level CSV into tuples in `RECORD_FIELDS` order (see `parse_stream`)."""
    reader = csv.reader(stream)
    try:
        header = next(reader, None)
        if header is None:
            raise PoliceFileError(name, None, "the file is empty (no header row)")
        header = [cell.strip().lstrip("\ufeff") for cell in header]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            raise PoliceFileError(name, 1, f"not a police.uk street-level file: missing column(s) {', '.join(missing)}")
        (i_id, i_month, i_reported, i_falls, i_lon, i_lat, i_location, i_lsoa, i_lsoa_name, i_type, i_outcome,
         i_context) = (header.index(column) for column in COLUMNS)
        width = len(header)
        months: dict[str, date] = {}
        occurrences: dict[tuple, int] = {}

        def problem(reason: str) -> None:
            error = PoliceFileError(name, reader.line_num, reason)
            if on_problem is None:
                raise error
            on_problem(error)

        for row in reader:
            if reader.line_num > MAX_ROWS_PER_FILE + 1:
                raise PoliceFileError(name, reader.line_num, f"more than {MAX_ROWS_PER_FILE:,} rows: not one month's "
                                                             "file; split it")
            if len(row) != width:
                if not any(cell.strip() for cell in row):
                    continue  # blank lines (often trailing) carry nothing
                problem(f"expected {width} cells, found {len(row)}")
                continue
            month_text = row[i_month]
            month = months.get(month_text)
            if month is None:
                try:
                    year, _, mm = month_text.strip().partition("-")
                    month = date(int(year), int(mm), 1)
                except ValueError:
                    problem(f"month {month_text!r} is not YYYY-MM")
                    continue
                months[month_text] = month
            category = row[i_type].strip()
            if not category:
                problem("blank Crime type")
                continue
            lon_text, lat_text = row[i_lon], row[i_lat]
            if lon_text and lat_text:
                # float() accepts surrounding spaces itself; the range test also rejects "nan" and "inf".
                try:
                    lon: float | None = float(lon_text)
                    lat: float | None = float(lat_text)
                except ValueError:
                    lon = lat = _NOT_A_NUMBER
                if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):  # type: ignore[operator]
                    if lon_text.strip() or lat_text.strip():
                        problem(f"coordinate {lon_text!r}, {lat_text!r} is not a longitude and latitude")
                        continue
                    lon = lat = None
            elif lon_text.strip() or lat_text.strip():
                problem("only one of Longitude and Latitude is given")
                continue
            else:
                lon = lat = None
            crime_id = row[i_id] or None
            if crime_id is not None and crime_id != crime_id.strip():
                crime_id = crime_id.strip() or None
            location, lsoa = row[i_location], row[i_lsoa]
            if crime_id is None:
                # Anti-social behaviour has no Crime ID: the n-th identical row in a file is the n-th incident, so
                # repeats within a file are kept while re-importing the same file adds nothing.
                identity = (month, category, lon, lat, location, lsoa)
                occurrence = occurrences.get(identity, 0) + 1
                occurrences[identity] = occurrence
                key = _dedup_hash(month, category, lon, lat, location, lsoa, occurrence)
            else:
                key = crime_id
            yield (crime_id, month, category, lon, lat, location, lsoa, row[i_lsoa_name], row[i_outcome],
                   row[i_falls], row[i_reported], row[i_context], name, reader.line_num, key)
    except UnicodeDecodeError as exc:
        raise PoliceFileError(name, reader.line_num + 1, f"not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise PoliceFileError(name, reader.line_num, f"not a readable CSV ({exc})") from exc
