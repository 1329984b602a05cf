"""The write side of a crime import: each chunk of the reader's columns checked against the columns' bounds, kept
to the area, projected to the National Grid and handed to the database's bulk writer.

Column by column: the reader hands over columns (`siting.sources.police_columns`), the checks, the area test and
the projection run on whole columns, and the writer's rows are built by one C-level `zip` of the columns (the
month's text once per distinct month, the file name and import id repeated), never by a Python loop over rows.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat

import numpy as np

from siting.geometry import to_bng
from siting.sources.area import AreaFilter
from siting.sources.police import CrimeColumns, PoliceFileError
from siting.sources.police_columns import nullable
from siting.store.bulk import CrimeInsert
from siting.store.columns import PackBuilder
from siting.store.pg_copy import CrimeCopy
from siting.store.tables import CATEGORY_LENGTH, KEY_LENGTH, LSOA_CODE_LENGTH

ProblemHandler = Callable[[PoliceFileError], None]

# Bounded text columns (see siting.store.tables), in the order a row's first offending value is named.
_LIMITS = (("dedup_key", KEY_LENGTH, "Crime ID"), ("category", CATEGORY_LENGTH, "Crime type"),
           ("lsoa_code", LSOA_CODE_LENGTH, "LSOA code"))


def fitting(columns: CrimeColumns, problem: ProblemHandler | None) -> CrimeColumns:
    """The rows whose text fits the bounded columns; a row that does not is a problem (raised without a handler)."""
    bounded = [(getattr(columns, name), limit, what) for name, limit, what in _LIMITS]
    # One C-speed pass per bounded column; the row-by-row check runs only for a chunk that has such a row.
    if all(max(map(len, values), default=0) <= limit for values, limit, _ in bounded):
        return columns
    keep = np.ones(len(columns), dtype=bool)
    for i in range(len(columns)):
        over = next(((what, limit) for values, limit, what in bounded if len(values[i]) > limit), None)
        if over is None:
            continue
        error = PoliceFileError(columns.source, columns.line[i], f"{over[0]} is longer than {over[1]} characters")
        if problem is None:
            raise error
        problem(error)
        keep[i] = False
    return columns.take(keep)


class ImportBatches:
    """Writes the reader's chunks; counts rows read, outside the area, unplaced and sent to the database."""

    def __init__(self, writer: CrimeInsert | CrimeCopy, import_id: int, area: AreaFilter | None,
                 problem: ProblemHandler | None) -> None:
        """Write through `writer` (`siting.store.bulk.crime_writer`'s); `problem` takes rows too long for their
        columns."""
        self.insert = writer
        self.packs = PackBuilder()
        self.import_id = import_id
        self.area = area
        self.problem = problem
        self.read = self.outside = self.unplaced = self.kept = 0

    def write(self, columns: CrimeColumns) -> None:
        """Check, filter by area, project to the National Grid and insert one chunk of rows."""
        columns = fitting(columns, self.problem)
        if not len(columns):
            return
        self.read += len(columns)
        if self.area is not None:
            # NaN is outside: rows without a location cannot be placed (see siting.store.crimes).
            keep = self.area.contains(columns.longitude, columns.latitude)
            located = columns.located
            self.unplaced += int((~located).sum())
            self.outside += int((located & ~keep).sum())
            if not keep.all():
                columns = columns.take(keep)
        located = columns.located
        easting, northing = to_bng(columns.longitude, columns.latitude)
        easting, northing = np.where(located, easting, np.nan), np.where(located, northing, np.nan)
        self.packs.add(columns.month, easting, northing, columns.category, columns.location,
                       list(zip(columns.lsoa_code, columns.lsoa_name, strict=True)))
        month = self.insert.months(set(columns.month))
        nulls = [nullable(values) for values in (columns.longitude, columns.latitude, easting, northing)]  # NaN: NULL
        self.insert.run(list(zip(columns.dedup_key, columns.crime_id, map(month.__getitem__, columns.month),
                                 columns.category, *nulls, columns.location, columns.lsoa_code, columns.lsoa_name,
                                 columns.outcome, columns.falls_within, repeat(columns.source),
                                 repeat(self.import_id))))
        self.kept += len(columns)
