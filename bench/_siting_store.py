"""A county's years of stored crimes for the siting benchmarks: Hertfordshire's real year (the 12 police.uk files of
../shared/data) copied back in time, one copy per earlier year, until the database holds the asked number of crimes.

Each copy is the real files with every month moved back whole years and every Crime ID suffixed with the copy's
number (so the dedup key keeps the copies apart); anti-social behaviour rows, which have no Crime ID, get new keys
from their shifted months. Positions, categories, labels and LSOAs are the real ones, so every year looks like a
real year of the county. The copies are written as CSV files and stored by `import_crimes`, as a council would.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from cctv.db import Database
from siting.sources.police import find_sources
from siting.store.crimes import import_crimes


def _shifted_copy(source: Path, target_folder: Path, years_back: int, limit: int | None) -> int:
    """Write `source` moved `years_back` years earlier into `target_folder`; at most `limit` rows. Rows written."""
    with open(source, encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        i_id, i_month = header.index("Crime ID"), header.index("Month")
        year, month, rows = "0", "00", []
        for row in reader:
            if limit is not None and len(rows) >= limit:
                break
            year, _, month = row[i_month].partition("-")
            row[i_month] = f"{int(year) - years_back:04d}-{month}"
            if row[i_id]:
                row[i_id] = f"{row[i_id]}-{years_back}"
            rows.append(row)
    shifted = f"{int(year) - years_back:04d}-{month}" if rows else source.stem
    target = target_folder / f"{shifted}-copy{years_back}-street.csv"
    with open(target, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def county_files(data: Path, folder: Path, crimes: int) -> list[Path]:
    """The real files, then copies moved back one year, two years, … until `crimes` rows are written, newest
    months first within each copy (the last copy stops part way through its year)."""
    real = sorted((s.path for s in find_sources(data)), reverse=True)  # newest month first
    written, files, years_back = 0, [], 0
    while written < crimes:
        copy = folder / f"copy{years_back}"
        copy.mkdir()
        for path in real:
            if written >= crimes:
                break
            rows = _shifted_copy(path, copy, years_back, crimes - written)
            written += rows
            files.append(copy)
        years_back += 1
    return sorted(set(files))


def store_county(url: str, data: Path, crimes: int) -> int:
    """Import about `crimes` rows of the county (see the module) into the migrated database at `url`; rows stored."""
    with tempfile.TemporaryDirectory(prefix="cctv-bench-county-") as tmp:
        folders = county_files(data, Path(tmp), crimes)
        database = Database(url)
        try:
            with database.transaction("bench") as session:
                _, summary = import_crimes(session, folders, actor="bench")
            if database.engine.dialect.name == "postgresql":
                # What autovacuum does within a minute of so large an import (its insert threshold): the pages marked
                # visible, so the month packs' check reads the month index alone (migration 0027), as it does for a
                # planner from then on. The first run right after the import reads the table (about 0.1 s more).
                with database.engine.connect() as connection:
                    connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM (ANALYZE) crime")
        finally:
            database.engine.dispose()
    return summary.added
