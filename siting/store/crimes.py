"""Crimes in the database: import police.uk street-level files, and read crimes back fast for the model.

`import_crimes` streams the reader's plain tuples (`read_crime_rows`' fast path), keeps the rows inside the area,
projects them to the National Grid in vectorised batches and bulk-inserts each batch with the dialect's
`INSERT … ON CONFLICT (dedup_key) DO NOTHING`, so re-importing a month, or a folder together with its zip, adds
nothing twice. What was really added is then counted from the database itself (the rows carrying this import's id),
never guessed from driver row counts, which not every driver reports for executemany.

Decisions:
- Malformed rows. By default the first malformed row raises `PoliceFileError` naming the file and line, and the
  caller's transaction rolls back: nothing of the import is written (all or nothing, as a truncated download or the
  wrong file should not half-load). With `on_problem` (the CLI's --skip-bad-rows) each bad row is skipped, passed to
  `on_problem`, listed in the summary and kept on the `CrimeImport` record. A file that cannot be read at all
  (no header, not UTF-8, a broken zip) always refuses the import.
- Rows without coordinates are stored (NULL coordinates) and counted in the month and category figures when there
  is no area; the model leaves them out and says how many. With an area they are counted ("unplaced") and not
  stored: a force's file holds the whole force's unlocated rows, and no area can say which are the council's.
- Rows outside the area are counted, not stored.
- The audit trail (`cctv.audit`) records ORM flushes; these Core bulk inserts bypass it on purpose (a year of a
  force's crimes is 100k+ rows, and a per-row audit entry would say nothing the police file does not). The
  `CrimeImport` row, added through the ORM and updated with the figures, is the audited record of the import, and
  every crime points at it by `import_id`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.engine import Connection
from sqlmodel import Session

from siting.geometry import WGS84, to_bng
from siting.model.inputs import CrimeSet, month_date, month_index
from siting.sources.area import AreaFilter
from siting.sources.import_summary import ImportSummary
from siting.sources.police import RECORD_FIELDS, CsvSource, PoliceFileError, find_sources
from siting.store.bulk import crime_writer, sqlite_cache
from siting.store.tables import CATEGORY_LENGTH, KEY_LENGTH, LSOA_CODE_LENGTH, Crime, CrimeImport

BATCH_ROWS = 5_000  # rows per INSERT: large enough to amortise the round trip, small enough to stream
PROBLEMS_KEPT = 500  # malformed rows listed on the CrimeImport record (all are counted)

(_ID, _MONTH, _CATEGORY, _LON, _LAT, _LOCATION, _LSOA, _LSOA_NAME, _OUTCOME, _FALLS, _SOURCE, _LINE, _KEY) = (
    RECORD_FIELDS.index(name) for name in ("crime_id", "month", "category", "longitude", "latitude", "location",
                                           "lsoa_code", "lsoa_name", "outcome", "falls_within", "source", "line",
                                           "dedup_key")
)
_CRIMES = Crime.__table__.c  # type: ignore[attr-defined]

ProblemHandler = Callable[[PoliceFileError], None]
Progress = Callable[[CsvSource], None]


def describe_area(area: AreaFilter | None) -> str:
    """The area filter in words, for the import record ("" when there is none)."""
    if area is None:
        return ""
    unit = "longitude/latitude" if area.crs == WGS84 else "National Grid metres"
    west, south, east, north = (round(float(v), 6) for v in area.geometry.bounds)
    return f"{area.name or 'boundary'} ({unit}) spanning W {west}, S {south}, E {east}, N {north}"[:500]


def _sources(paths: Iterable[str | Path | CsvSource] | str | Path | CsvSource) -> list[CsvSource]:
    if isinstance(paths, str | Path | CsvSource):
        paths = [paths]
    sources: list[CsvSource] = []
    for given in paths:
        if isinstance(given, CsvSource):
            sources.append(given)
            continue
        found = find_sources(given)
        if not found:  # an empty folder or a zip of other files: almost certainly the wrong path
            raise PoliceFileError(str(given), None, "no police.uk street-level CSV (*-street.csv) in it")
        sources.extend(found)
    return sources


_LIMITS = ((_KEY, KEY_LENGTH, "Crime ID"), (_CATEGORY, CATEGORY_LENGTH, "Crime type"),
           (_LSOA, LSOA_CODE_LENGTH, "LSOA code"))


def _too_long(rows: list[tuple], problem: ProblemHandler | None) -> list[tuple]:
    """The rows whose text fits the bounded columns (see siting.store.tables); a row that does not is a problem."""
    # One C-speed pass per bounded column; the row-by-row check runs only for a batch that has such a row.
    if all(max(map(len, map(itemgetter(i), rows))) <= limit for i, limit, _ in _LIMITS):
        return rows
    fitting = []
    for row in rows:
        over = next(((what, limit) for i, limit, what in _LIMITS if len(row[i]) > limit), None)
        if over is None:
            fitting.append(row)
            continue
        error = PoliceFileError(row[_SOURCE], row[_LINE], f"{over[0]} is longer than {over[1]} characters")
        if problem is None:
            raise error
        problem(error)
    return fitting


class _Batches:
    """Writes the reader's rows batch by batch; counts rows read, outside the area and sent to the database."""

    def __init__(self, connection: Connection, import_id: int, area: AreaFilter | None,
                 problem: ProblemHandler | None) -> None:
        self.insert = crime_writer(connection)
        self.import_id = import_id
        self.area = area
        self.problem = problem
        self.read = self.outside = self.unplaced = self.kept = 0

    def write(self, rows: list[tuple]) -> None:
        """Check, filter by area, project to the National Grid and insert one batch of rows."""
        rows = _too_long(rows, self.problem)
        if not rows:
            return
        self.read += len(rows)
        lon = np.array(list(map(itemgetter(_LON), rows)), dtype=np.float64)  # None becomes NaN
        lat = np.array(list(map(itemgetter(_LAT), rows)), dtype=np.float64)
        located = ~np.isnan(lon)
        if self.area is not None:
            keep = self.area.contains(lon, lat)  # NaN is outside: unlocated rows cannot be placed (see above)
            self.unplaced += int((~located).sum())
            self.outside += int((located & ~keep).sum())
            rows = [r for r, k in zip(rows, keep.tolist(), strict=True) if k]
            lon, lat, located = lon[keep], lat[keep], located[keep]
        easting, northing = to_bng(lon, lat)
        # NaN → None (SQL NULL) in one pass; an object array's tolist() gives plain Python floats.
        east = np.where(located, easting, None).tolist()
        north = np.where(located, northing, None).tolist()
        month = self.insert.months({r[_MONTH] for r in rows})
        import_id = self.import_id
        self.insert.run([
            (r[_KEY], r[_ID], month[r[_MONTH]], r[_CATEGORY], r[_LON], r[_LAT], e, n, r[_LOCATION], r[_LSOA],
             r[_LSOA_NAME], r[_OUTCOME], r[_FALLS], r[_SOURCE], import_id)
            for r, e, n in zip(rows, east, north, strict=True)
        ])
        self.kept += len(rows)


def import_crimes(
    session: Session,
    paths: Iterable[str | Path | CsvSource] | str | Path | CsvSource,
    *,
    area: AreaFilter | None = None,
    actor: str,
    on_problem: ProblemHandler | None = None,
    progress: Progress | None = None,
) -> tuple[CrimeImport, ImportSummary]:
    """Import street-level CSVs (files, folders of monthly folders, zips, or `CsvSource`s) into the database.

    Does not commit: the caller owns the transaction. Raises `PoliceFileError` for a malformed row unless
    `on_problem` is given (see the module's notes). `progress(source)` is called after each CSV is read.
    """
    sources = _sources(paths)
    summary = ImportSummary(files=[s.name for s in sources])
    record = CrimeImport(imported_by=actor, files_json=json.dumps(summary.files), area=describe_area(area))
    session.add(record)
    session.flush()  # the record's id is every new crime's import_id
    assert record.id is not None
    connection = session.connection()
    # Rows added by this import have ids above today's highest and carry its id: counted by a primary-key range
    # scan, without an index on import_id (which would slow every import).
    highest = connection.execute(select(func.max(_CRIMES.id))).scalar() or 0

    def problem(error: PoliceFileError) -> None:
        summary.problems.append(error)
        if on_problem is not None:
            on_problem(error)

    handler = problem if on_problem is not None else None
    batches = _Batches(connection, record.id, area, handler)
    with sqlite_cache(connection):
        for source in sources:
            rows = source.read_rows(on_problem=handler)
            while batch := list(islice(rows, BATCH_ROWS)):
                batches.write(batch)
            if progress is not None:
                progress(source)
        batches.insert.finish()
    _count_added(connection, record.id, highest, summary)
    summary.rows, summary.outside_area, summary.unplaced = batches.read, batches.outside, batches.unplaced
    summary.duplicates = batches.kept - summary.added
    summary.present_months = set(crime_months(session))
    _record_figures(record, summary)
    session.add(record)
    session.flush()  # audited as an update carrying the figures
    return record, summary


def _count_added(connection: Connection, import_id: int, highest: int, summary: ImportSummary) -> None:
    """Fill the summary's added rows from the database: exactly the rows that carry this import's id."""
    query = (select(_CRIMES.month, _CRIMES.category, func.count(), func.count(_CRIMES.longitude))
             .where(_CRIMES.id > highest, _CRIMES.import_id == import_id)
             .group_by(_CRIMES.month, _CRIMES.category))
    counts: Counter[tuple[date, str]] = Counter()
    without = 0
    for month, category, rows, located in connection.execute(query):
        counts[(month, category)] = rows
        without += rows - located
    summary.by_month_category = counts
    summary.added = sum(counts.values())
    summary.without_location = without


def _record_figures(record: CrimeImport, summary: ImportSummary) -> None:
    """Copy the summary's figures onto the import record."""
    months = sorted(summary.by_month())
    record.rows_read, record.added, record.duplicates = summary.rows, summary.added, summary.duplicates
    record.without_location, record.outside_area = summary.without_location, summary.outside_area
    record.unplaced = summary.unplaced
    record.problem_rows = len(summary.problems)
    record.problems_json = json.dumps([{"file": p.file, "line": p.line, "reason": p.reason}
                                       for p in summary.problems[:PROBLEMS_KEPT]])
    record.first_month, record.last_month = (months[0], months[-1]) if months else (None, None)
    record.months_json = json.dumps([m.isoformat() for m in months])


def _codes(values: Sequence[Any], key: Callable[[Any], Any]) -> tuple[list[Any], np.ndarray]:
    """Distinct values (sorted by `key`) and each value's index among them; a few dozen distinct among 100k+."""
    distinct = sorted(set(values), key=key)
    lookup = {value: i for i, value in enumerate(distinct)}
    return distinct, np.fromiter((lookup[v] for v in values), dtype=np.int64, count=len(values))


def load_crimes(
    session: Session,
    *,
    first_month: date | str | int | None = None,
    last_month: date | str | int | None = None,
    categories: Iterable[str] | None = None,
) -> CrimeSet:
    """The stored crimes (optionally a range of months and some categories) as a `CrimeSet` in National Grid metres.

    Reads only the columns the model needs with one Core select (the location label and LSOA too: some labels mark
    places where crimes are recorded rather than committed, and both name where a site is), and uses the
    easting/northing stored at import, so nothing is reprojected. Unlocated crimes come back with NaN coordinates.
    """
    # The month as text on SQLite ("2025-01-01"), skipping the per-row date parsing; PostgreSQL's driver gives a
    # date either way. Both are mapped to month indices once per distinct value.
    month = type_coerce(_CRIMES.month, String)
    query = select(_CRIMES.easting, _CRIMES.northing, month, _CRIMES.category, _CRIMES.location, _CRIMES.lsoa_code,
                   _CRIMES.lsoa_name).order_by(_CRIMES.id)
    if first_month is not None:
        query = query.where(_CRIMES.month >= month_date(month_index(first_month)))
    if last_month is not None:
        query = query.where(_CRIMES.month <= month_date(month_index(last_month)))
    if categories is not None:
        query = query.where(_CRIMES.category.in_(list(categories)))
    rows = session.connection().execute(query).all()
    if not rows:
        return CrimeSet.from_columns([], [], np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32), ())
    easting, northing, months, names, labels, lsoa_codes, lsoa_names = zip(*rows, strict=True)
    month_values, month_codes = _codes(months, month_index)
    month_of = np.array([month_index(m) for m in month_values], dtype=np.int64)
    category_names, category_codes = _codes(names, str)
    label_names, label_codes = _codes([label or "" for label in labels], str)
    lsoa_pairs, lsoa_index = _codes([(c or "", n or "") for c, n in zip(lsoa_codes, lsoa_names, strict=True)], tuple)
    crimes = CrimeSet.from_columns(np.array(easting, dtype=np.float64), np.array(northing, dtype=np.float64),
                                   month_of[month_codes], category_codes, category_names)
    return replace(crimes, location=label_codes.astype(np.int32), locations=tuple(label_names),
                   lsoa=lsoa_index.astype(np.int32), lsoas=tuple(lsoa_pairs))


def crime_months(session: Session) -> list[date]:
    """The months holding at least one stored crime, oldest first."""
    query = select(_CRIMES.month).distinct().order_by(_CRIMES.month)
    return list(session.connection().execute(query).scalars())


@dataclass(frozen=True)
class StoredCrimes:
    """What the database holds: crimes per month and per category, unlocated crimes, and the imports."""

    by_month: dict[date, int]
    without_location_by_month: dict[date, int]
    by_category: dict[str, int]
    imports: int
    last_import: CrimeImport | None

    @property
    def total(self) -> int:
        """All stored crimes."""
        return sum(self.by_month.values())

    @property
    def without_location(self) -> int:
        """Stored crimes without coordinates."""
        return sum(self.without_location_by_month.values())

    def missing_months(self) -> list[date]:
        """Months between the first and last stored month that hold no crime: a gap in the data."""
        if not self.by_month:
            return []
        first, last = month_index(min(self.by_month)), month_index(max(self.by_month))
        return [month_date(m) for m in range(first, last + 1) if month_date(m) not in self.by_month]


def stored_crimes(session: Session) -> StoredCrimes:
    """Counts of the stored crimes (for `cctv crimes summary` and the planner pages)."""
    connection = session.connection()
    by_month, without = {}, {}
    query = (select(_CRIMES.month, func.count(), func.count(_CRIMES.longitude))
             .group_by(_CRIMES.month).order_by(_CRIMES.month))
    for month, rows, located in connection.execute(query):
        by_month[month] = rows
        without[month] = rows - located
    query = select(_CRIMES.category, func.count()).group_by(_CRIMES.category).order_by(func.count().desc())
    by_category = {category: rows for category, rows in connection.execute(query)}
    imports = session.scalar(select(func.count()).select_from(CrimeImport)) or 0
    last = session.scalars(select(CrimeImport).order_by(CrimeImport.id.desc()).limit(1)).first()  # type: ignore[union-attr]
    return StoredCrimes(by_month, without, by_category, imports, last)
