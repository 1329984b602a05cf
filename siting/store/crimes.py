"""Crimes in the database: import police.uk street-level files, and what is stored (reading crimes back for the
model is `siting.store.reading`).

`import_crimes` streams the reader's chunks of columns (`CsvSource.read_columns`), keeps the rows inside the area,
projects them to the National Grid a chunk at a time and bulk-inserts each chunk with the dialect's
`INSERT … ON CONFLICT (dedup_key) DO NOTHING` (`siting.store.import_batches`), so re-importing a month, or a folder
together with its zip, adds nothing twice. What was really added is never guessed from driver row counts, which
not every driver reports for executemany: one grouped pass over `crime` after the load (each month's rows and id
range, `siting.store.columns.month_ranges`) shows whether every month sent now holds exactly the rows sent for it
and nothing older (`exactly_sent`), in which case the figures are those of the rows sent; otherwise (a duplicate
dropped, a month held before, an import too large to keep its packs) they are counted from the database itself,
the rows carrying this import's id. The same pass gives the month packs' signatures and the months present.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from common.collector import collector_paused
from siting.geometry import WGS84
from siting.model.inputs import month_date, month_index
from siting.sources.area import AreaFilter
from siting.sources.import_summary import ImportSummary
from siting.sources.police import CsvSource, PoliceFileError, find_sources
from siting.store.bulk import BYTES_PER_ROW, CrimeInsert, crime_writer, relax_durability, sqlite_bulk_load
from siting.store.columns import MonthPack, exactly_sent, month_ranges, refresh_packs
from siting.store.import_batches import ImportBatches, ProblemHandler
from siting.store.tables import Crime, CrimeImport

PROBLEMS_KEPT = 500  # malformed rows listed on the CrimeImport record (all are counted)

_CRIMES = Crime.__table__.c  # type: ignore[attr-defined]

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
    connection = session.connection()
    relax_durability(connection)  # before the first write: SQLite allows it only outside a transaction
    record = CrimeImport(imported_by=actor, files_json=json.dumps(summary.files), area=describe_area(area))
    session.add(record)
    session.flush()  # the record's id is every new crime's import_id
    assert record.id is not None

    def problem(error: PoliceFileError) -> None:
        summary.problems.append(error)
        if on_problem is not None:
            on_problem(error)

    handler = problem if on_problem is not None else None
    expected_rows = sum(s.size for s in sources) // BYTES_PER_ROW
    # Rows are hundreds of thousands of small containers with no cycles: the collector's passes only cost time.
    with collector_paused(), sqlite_bulk_load(connection, expected_rows=expected_rows) as known_keys:
        # Past SQLite's unique index, dropped for a large load, the writer keeps the keys unique itself.
        writer = crime_writer(connection, expected_rows) if known_keys is None else CrimeInsert(connection, known_keys)
        # Rows added by this import have ids above the highest stored now and carry its id: counted by a primary-key
        # range scan, without an index on import_id (which would slow every import). Read only now that no other
        # import can add crimes until this one ends (PostgreSQL: the writer's lock on `crime`; SQLite: the write
        # lock since the record's insert), so every row above it is this import's.
        highest = connection.execute(select(func.max(_CRIMES.id))).scalar() or 0
        batches = ImportBatches(writer, record.id, area, handler)
        for source in sources:
            for columns in source.read_columns(on_problem=handler):
                batches.write(columns)
            if progress is not None:
                progress(source)
        batches.insert.finish()
    # One grouped pass over `crime` gives each month's rows and id range: the packs' signatures, which months hold
    # exactly what was sent (`exactly_sent`), and the months present (the scans of `crime` after the load are
    # serial on the server, each about as long as building an index).
    sent = batches.packs.packs()
    ranges = month_ranges(connection)
    # The months this import changed, packed for the model in its transaction, from what it sent where exact.
    refresh_packs(connection, sent=sent, ids_above=highest, ranges=ranges)
    if not _added_as_sent(summary, batches, sent, ranges, highest):
        _count_added(connection, record.id, highest, summary)
    summary.rows, summary.outside_area, summary.unplaced = batches.read, batches.outside, batches.unplaced
    summary.duplicates = batches.kept - summary.added
    summary.present_months = set(ranges)  # the months holding a crime, as `crime_months` lists them
    _record_figures(record, summary)
    session.add(record)
    session.flush()  # audited as an update carrying the figures
    return record, summary


def _added_as_sent(summary: ImportSummary, batches: ImportBatches, sent: dict[date, MonthPack],
                   ranges: dict[date, tuple[int, int, int]], highest: int) -> bool:
    """Fill the summary's added rows from the rows sent, when they are provably what was added: every row sent is
    in `sent` (not past `PackBuilder.MAX_ROWS`) and every month sent holds exactly its rows sent (`exactly_sent`:
    only rows of this import, none dropped as a duplicate). Otherwise leave the summary and return False (the rows
    added are then counted in the database, `_count_added`). Rows are only ever added for a month sent."""
    if sum(len(pack) for pack in sent.values()) != batches.kept or exactly_sent(sent, ranges, highest) != set(sent):
        return False
    counts: Counter[tuple[date, str]] = Counter()
    for month, pack in sent.items():
        for category, rows in zip(pack.categories, np.bincount(pack.category, minlength=len(pack.categories)).tolist(),
                                  strict=True):
            counts[(month, category)] += rows
    summary.by_month_category = counts
    summary.added = sum(counts.values())
    summary.without_location = sum(int(np.isnan(pack.easting).sum()) for pack in sent.values())  # NaN: unlocated
    return True


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
