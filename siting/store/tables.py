"""Imported police.uk crimes and the record of each import, as stored in the database.

A `Crime` keeps the street-level row as police.uk gave it (WGS84 longitude/latitude, month, category, LSOA,
outcome) plus its British National Grid easting/northing, computed once at import so that reading crimes back into
the model never reprojects. Rows without coordinates are stored too (all four coordinates NULL) when the import has
no area: they count in the month and category figures, and the model reports them as unlocated. An import with an
area counts them but does not store them: a force's unlocated rows are the whole force's, not the council's.

`dedup_key` is the reader's key (`police_csv`): the Crime ID, or for anti-social behaviour (no Crime ID) a hash of
the row and its occurrence in the file. Its unique index is what makes re-importing a month add nothing.

A `CrimeImport` is the audited record of one import: who, when, which files, which area, and the figures.
"""

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, String
from sqlmodel import AutoString, Field, SQLModel

from inventory.types import utcnow

# Bounded text columns; the importer refuses (or skips) a row whose value would not fit, rather than letting
# PostgreSQL fail the whole batch with a bare "value too long" (SQLite would silently store it).
KEY_LENGTH = 100
CATEGORY_LENGTH = 100
LSOA_CODE_LENGTH = 20
# The dedup key's column collated "C" on PostgreSQL (migration 0026): the keys are Crime IDs (hex) or SHA-1 hex
# digests, only ever compared for equality, so the collation changes no answer, and "C" compares bytes, where the
# database's libc collation (C.UTF-8, a council's en_GB.UTF-8) calls strcoll and cannot use abbreviated keys:
# building the unique index after a county's year took half the time. SQLite's default (BINARY) compares bytes.
KEY_TYPE = AutoString(KEY_LENGTH).with_variant(String(KEY_LENGTH, collation="C"), "postgresql")


class CrimeImportBase(SQLModel):
    """What one run of the importer read, kept, and skipped."""

    imported_by: str = Field(default="", max_length=80)
    files_json: str = Field(default="[]")  # JSON list of the CSV names read ("archive.zip!member.csv" for zips)
    area: str = Field(default="", max_length=500)  # the area filter, described; "" when none was given
    rows_read: int = 0  # good rows read (malformed rows are in problems)
    added: int = 0
    duplicates: int = 0  # already in the database, or repeated within this import
    without_location: int = 0  # of the rows added
    outside_area: int = 0
    unplaced: int = 0  # rows without a location, not stored because an area was given (it cannot place them)
    problem_rows: int = 0  # malformed rows skipped (only with on_problem; otherwise the import is refused)
    problems_json: str = Field(default="[]")  # JSON list of {"file", "line", "reason"}, the first few hundred
    first_month: date | None = None
    last_month: date | None = None
    months_json: str = Field(default="[]")  # JSON list of the ISO months this import added rows for


class CrimeImport(CrimeImportBase, table=True):
    """An import as stored; added through the ORM, so the audit trail records it (see `siting.store.crimes`)."""

    __tablename__ = "crime_import"
    id: int | None = Field(default=None, primary_key=True)
    imported_at: datetime = Field(default_factory=utcnow, index=True)

    def files(self) -> list[str]:
        """The names of the files read."""
        return json.loads(self.files_json)

    def problems(self) -> list[dict[str, Any]]:
        """The malformed rows skipped, as {"file", "line", "reason"} (the first few hundred of them)."""
        return json.loads(self.problems_json)

    def months(self) -> list[date]:
        """The months this import added rows for."""
        return [date.fromisoformat(m) for m in json.loads(self.months_json)]


class CrimeBase(SQLModel):
    """One street-level crime as police.uk published it, with its National Grid position."""

    dedup_key: str = Field(max_length=KEY_LENGTH, sa_type=KEY_TYPE)  # unique: by its own index, see Crime
    crime_id: str | None = Field(default=None, max_length=KEY_LENGTH)  # None for anti-social behaviour
    month: date  # always the 1st of the month: police.uk publishes months, not days
    category: str = Field(max_length=CATEGORY_LENGTH)
    longitude: float | None = None
    latitude: float | None = None
    easting: float | None = None  # EPSG:27700 metres, from longitude/latitude at import
    northing: float | None = None
    location: str = ""  # "On or near High Street": police.uk's anonymous snap point, not an address
    lsoa_code: str = Field(default="", max_length=LSOA_CODE_LENGTH)
    lsoa_name: str = ""
    outcome: str = ""  # "Last outcome category" when the file was published
    falls_within: str = ""
    source_file: str = ""


class Crime(CrimeBase, table=True):
    """A crime as stored, tied to the import that added it."""

    __tablename__ = "crime"
    # One (month, category) index rather than one each: every read is by month range, often with categories, and
    # each extra index costs a bulk import about a tenth of its time. import_id is deliberately not indexed for
    # the same reason: an import counts its own rows by id range (see siting.store.crimes).
    # dedup_key is unique by an index rather than a table constraint (migration 0023): SQLite cannot drop a
    # constraint's index, and a large import into SQLite drops this one and builds it again from the loaded rows,
    # keeping the keys unique itself meanwhile (siting.store.bulk.sqlite_bulk_load).
    # On PostgreSQL the month index carries the id (migration 0027), so the check of the month packs against
    # `crime` (each month's count and highest id, on every model run: siting.store.columns.signatures) is an
    # index-only scan rather than a read of the whole table; SQLite keeps the id (its rowid) in every index anyway.
    __table_args__ = (Index("ix_crime_month_category", "month", "category", postgresql_include=["id"]),
                      Index("ix_crime_dedup_key", "dedup_key", unique=True))
    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="crime_import.id")


class CrimeMonthColumns(SQLModel, table=True):
    """One month's stored crimes as packed numpy columns, kept in step with `crime` by `siting.store.columns`.

    The model reads crimes as columns; building them row by row from `crime` took seconds at a county's three
    years (457k rows), on every page view and command. Each month is packed once, when an import adds to it, and
    read back as a few blobs. `rows` and `max_id` are the month's signature in `crime` when it was packed: a month
    whose signature differs (crimes deleted or added by another path) is rebuilt from `crime`, never used stale.
    Columns are in `crime.id` order; codes index the month's own JSON lists.
    """

    __tablename__ = "crime_month_columns"
    month: date = Field(primary_key=True)
    rows: int
    max_id: int
    easting: bytes  # float64 little-endian, NaN where unlocated
    northing: bytes
    category: bytes  # int32 codes into categories_json
    location: bytes  # int32 codes into locations_json
    lsoa: bytes  # int32 codes into lsoas_json
    categories_json: str = "[]"
    locations_json: str = "[]"
    lsoas_json: str = "[]"  # [[code, name], ...]
