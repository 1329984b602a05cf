"""Read data.police.uk street-level crime CSVs: single files, folders of monthly folders, and the site's zip archives.

Records come out as chunks of columns (`CrimeColumns`, parsed by `siting.sources.police_columns` without Python
work per row: the import's path), as plain tuples, or as `CrimeRecord`s; nothing here touches a database, so the
CLI, the upload page and the benchmark can all stream the same reader.

Malformed rows: by default the first malformed row raises `PoliceFileError` naming the file and the line, because a
bad row usually means the wrong file or a truncated download and a silent partial import would skew the model. Pass
`on_problem` (e.g. `problems.append`) to collect per-row problems instead and keep the good rows; each problem is a
`PoliceFileError` with the file, line and reason. Problems with the file as a whole (no header, a missing column,
a file that is not UTF-8 text, a broken zip) always raise: no row of such a file can be trusted.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path
from typing import TextIO

from siting.sources.police_columns import COLUMNS, CrimeColumns, PoliceFileError, parse_columns

__all__ = ["COLUMNS", "RECORD_FIELDS", "CrimeColumns", "CrimeRecord", "CsvSource", "PoliceFileError", "find_sources",
           "parse_rows", "parse_stream", "read_crime_columns", "read_crime_rows", "read_crimes"]

STREET_SUFFIX = "-street.csv"
# A zip bomb (1 MB holding 1 GiB) is refused from its directory, before a byte is inflated. The largest force's
# month is tens of MB and police.uk zips compress CSV about tenfold; a zip member's declared size also caps what
# zipfile will inflate from it, so checking the declared size is enough.
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
# Rows in one CSV: a month of the largest force is ~100,000; past this it is not a month's file.
MAX_ROWS_PER_FILE = 1_000_000


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
        """Yield this CSV's records as plain tuples in `RECORD_FIELDS` order."""
        return chain.from_iterable(columns.rows() for columns in self.read_columns(on_problem=on_problem))

    def read_columns(self, *, on_problem: Callable[[PoliceFileError], None] | None = None) -> Iterator[CrimeColumns]:
        """Yield this CSV's good rows as chunks of columns (the fast path for bulk inserts)."""
        if self.member is None:
            with open(self.path, encoding="utf-8-sig", newline="") as stream:
                yield from _parse(stream, self.name, on_problem)
            return
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as raw:
                # newline="" lets csv see CRLF and LF alike; utf-8-sig drops a byte-order mark.
                stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                yield from _parse(stream, self.name, on_problem)
        except zipfile.BadZipFile as exc:
            raise PoliceFileError(self.name, None, f"not a readable zip archive ({exc})") from exc


def _parse(stream: TextIO | Iterable[str], name: str,
           on_problem: Callable[[PoliceFileError], None] | None) -> Iterator[CrimeColumns]:
    # MAX_ROWS_PER_FILE read when called, so that a test (or a deployment) can lower it.
    return parse_columns(stream, name, max_rows=MAX_ROWS_PER_FILE, on_problem=on_problem)


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

    Building a frozen dataclass costs several microseconds a row, more than parsing it; code that wants rows of a
    few hundred thousand crimes should take this path (and a bulk import `read_crime_columns`).
    """
    for source in find_sources(*paths):
        yield from source.read_rows(on_problem=on_problem)


def read_crime_columns(
    *paths: str | Path, on_problem: Callable[[PoliceFileError], None] | None = None
) -> Iterator[CrimeColumns]:
    """Like `read_crimes`, but yield chunks of columns (`CrimeColumns`), each of one file."""
    for source in find_sources(*paths):
        yield from source.read_columns(on_problem=on_problem)


def parse_stream(
    stream: TextIO | Iterable[str], name: str, *, on_problem: Callable[[PoliceFileError], None] | None = None
) -> Iterator[CrimeRecord]:
    """Parse one street-level CSV from an open text stream (opened with newline=""); `name` is used in messages."""
    return map(CrimeRecord.from_row, parse_rows(stream, name, on_problem=on_problem))


def parse_rows(
    stream: TextIO | Iterable[str], name: str, *, on_problem: Callable[[PoliceFileError], None] | None = None
) -> Iterator[tuple]:
    """Parse one street-level CSV into tuples in `RECORD_FIELDS` order (see `parse_stream`)."""
    return chain.from_iterable(columns.rows() for columns in _parse(stream, name, on_problem))
