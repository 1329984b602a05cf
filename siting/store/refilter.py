"""Bringing crimes already imported inside the council's area, when the area is set or changed after the import.

An import keeps only the crimes inside the council's area, but a planner often imports a force's year first and
draws the area afterwards, or replaces it with a smaller one. `refilter_crimes` then does what the import would have
done: crimes outside the area are deleted, and so are rows without a location (a force's unlocated rows are the
whole force's; no area can say which are the council's), each import's record is updated with what it lost.

Decisions:
- The crimes go in Core DELETEs by id (a force's year is hundreds of thousands of rows: one audit entry per crime
  would say nothing the police file does not), exactly as `siting.store.imports.delete_import` does. What is audited
  is each import's record, updated through the ORM: `added` goes down, `outside_area` and `unplaced` go up by what
  it lost, and its `area` says which area it now fits. The trail therefore holds who re-filtered, when, and how many
  of each import's crimes went.
- Points are tested in National Grid metres (stored at import), the same test the import makes in its own CRS.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, select
from sqlmodel import Session, col
from sqlmodel import select as sql_select

from siting.sources.area import AreaFilter
from siting.store.crimes import describe_area
from siting.store.tables import Crime, CrimeImport

DELETE_BATCH = 5_000  # ids per DELETE: well under every driver's limit on bound parameters
READ_BATCH = 50_000
_CRIMES = Crime.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Refiltered:
    """What re-filtering removed: crimes outside the area and rows without a location, and what stayed."""

    outside: int
    unplaced: int
    kept: int

    @property
    def removed(self) -> int:
        """Crimes deleted in all."""
        return self.outside + self.unplaced

    def line(self) -> str:
        """The planner's one-line answer."""
        if not self.removed and not self.kept:
            return "No crimes are held yet: nothing to re-filter."
        if not self.removed:
            return f"All {self.kept:,} crimes held are inside the area: none removed."
        unplaced = f" and {self.unplaced:,} without a location" if self.unplaced else ""
        return (f"{self.removed:,} crimes imported earlier were removed ({self.outside:,} outside the area{unplaced});"
                f" {self.kept:,} are kept.")


def crimes_held(session: Session) -> bool:
    """Whether any crime is stored (nothing to re-filter otherwise)."""
    return session.exec(sql_select(Crime.id).limit(1)).first() is not None


def refilter_crimes(session: Session, area: AreaFilter) -> Refiltered:
    """Delete the stored crimes outside `area` and those without a location, updating each import's record (see
    the module). Does not commit."""
    connection = session.connection()
    outside_by_import: Counter[int] = Counter()
    unplaced_by_import: Counter[int] = Counter()
    doomed: list[int] = []
    kept = 0
    rows = connection.execute(select(_CRIMES.id, _CRIMES.import_id, _CRIMES.easting, _CRIMES.northing)
                              .order_by(_CRIMES.id)).yield_per(READ_BATCH)
    for batch in rows.partitions():
        ids = np.array([r[0] for r in batch], dtype=np.int64)
        imports = np.array([r[1] for r in batch], dtype=np.int64)
        east = np.array([np.nan if r[2] is None else r[2] for r in batch], dtype=np.float64)
        north = np.array([np.nan if r[3] is None else r[3] for r in batch], dtype=np.float64)
        unlocated = np.isnan(east) | np.isnan(north)
        outside = ~unlocated & ~area.contains_bng(east, north)
        kept += int((~unlocated & ~outside).sum())
        outside_by_import.update(imports[outside].tolist())
        unplaced_by_import.update(imports[unlocated].tolist())
        doomed.extend(ids[outside | unlocated].tolist())
    for start in range(0, len(doomed), DELETE_BATCH):
        connection.execute(delete(Crime).where(col(Crime.id).in_(doomed[start:start + DELETE_BATCH])))
    described = describe_area(area)
    touched = set(outside_by_import) | set(unplaced_by_import)
    for record in session.exec(sql_select(CrimeImport).where(col(CrimeImport.id).in_(touched))):
        lost_outside, lost_unplaced = outside_by_import[record.id], unplaced_by_import[record.id]
        record.added -= lost_outside + lost_unplaced
        record.without_location -= lost_unplaced
        record.outside_area += lost_outside
        record.unplaced += lost_unplaced
        record.area = f"re-filtered to {described}"[:500]
        session.add(record)
    session.flush()  # audited: each import's record carries what it lost
    return Refiltered(sum(outside_by_import.values()), sum(unplaced_by_import.values()), kept)
