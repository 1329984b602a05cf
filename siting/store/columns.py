"""Stored crimes as packed numpy columns, one pack per month (`CrimeMonthColumns`), and reading them by window.

Why: the model wants columns (easting, northing, month, category, location label, LSOA), and building them from
`crime` row by row cost 2.6-9 s for a county's 457k rows on every page view and command. A pack per month is
written when an import changes that month, and a window of months is read back as a few blobs.

Never stale: each pack carries the month's signature in `crime` when it was packed (row count and highest id).
Every read compares the packs with the signatures `crime` has now (one grouped count over the month index) and
builds any month whose pack is missing or differs straight from `crime` (correct, only slower); the next import
packs it again (`refresh_packs`). So a path that deletes or adds crimes without knowing about packs cannot make the
model read old data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection

from siting.store.capacity import check_fits
from siting.store.tables import Crime, CrimeMonthColumns

_CRIMES = Crime.__table__.c  # type: ignore[attr-defined]
_PACKS = CrimeMonthColumns.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class MonthPack:
    """One month's crimes as columns; the codes index this pack's own name lists."""

    month: date
    easting: np.ndarray
    northing: np.ndarray
    category: np.ndarray
    location: np.ndarray
    lsoa: np.ndarray
    categories: list[str]
    locations: list[str]
    lsoas: list[tuple[str, str]]

    def __len__(self) -> int:
        return len(self.easting)


def _coded(values: Sequence[Any]) -> tuple[np.ndarray, list[Any]]:
    """Each value's index among the distinct values (in first-seen order), and the distinct values."""
    lookup: dict[Any, int] = {}
    codes = np.fromiter((lookup.setdefault(v, len(lookup)) for v in values), dtype=np.int32, count=len(values))
    return codes, list(lookup)


def _packs_from_rows(rows: Sequence[tuple]) -> list[MonthPack]:
    """Packs from (month, easting, northing, category, location, lsoa_code, lsoa_name) rows sorted by month, id."""
    packs = []
    start = 0
    while start < len(rows):
        month = rows[start][0]
        end = start
        while end < len(rows) and rows[end][0] == month:
            end += 1
        _, easting, northing, category, location, lsoa_code, lsoa_name = zip(*rows[start:end], strict=True)
        category_codes, categories = _coded(category)
        location_codes, locations = _coded([label or "" for label in location])
        lsoa_codes, lsoas = _coded([(c or "", n or "") for c, n in zip(lsoa_code, lsoa_name, strict=True)])
        packs.append(MonthPack(month, np.array(easting, dtype=np.float64), np.array(northing, dtype=np.float64),
                               category_codes, location_codes, lsoa_codes, categories, locations, lsoas))
        start = end
    return packs


def _from_crime(connection: Connection, months: Sequence[date]) -> list[MonthPack]:
    """The packs of these months built from `crime` itself (NULL coordinates become NaN)."""
    if not months:
        return []
    query = (select(_CRIMES.month, _CRIMES.easting, _CRIMES.northing, _CRIMES.category, _CRIMES.location,
                    _CRIMES.lsoa_code, _CRIMES.lsoa_name)
             .where(_CRIMES.month.in_(list(months))).order_by(_CRIMES.month, _CRIMES.id))
    rows = [(m, np.nan if e is None else e, np.nan if n is None else n, *rest)
            for m, e, n, *rest in connection.execute(query)]
    return _packs_from_rows(rows)


def signatures(connection: Connection, first: date | None = None,
               last: date | None = None) -> dict[date, tuple[int, int]]:
    """Each stored month's (rows, highest id) in `crime`, within the window."""
    return _signatures_of(month_ranges(connection, first, last))


def month_ranges(connection: Connection, first: date | None = None,
                 last: date | None = None) -> dict[date, tuple[int, int, int]]:
    """Each stored month's (rows, lowest id, highest id) in `crime`, within the window: one grouped pass that gives
    the months' `signatures`, which months hold crimes, and which of them hold only rows added after a given id."""
    query = select(_CRIMES.month, func.count(), func.min(_CRIMES.id), func.max(_CRIMES.id)).group_by(_CRIMES.month)
    if first is not None:
        query = query.where(_CRIMES.month >= first)
    if last is not None:
        query = query.where(_CRIMES.month <= last)
    return {month: (rows, lowest, highest) for month, rows, lowest, highest in connection.execute(query)}


def _signatures_of(ranges: dict[date, tuple[int, int, int]]) -> dict[date, tuple[int, int]]:
    """The `signatures` (rows, highest id) of `month_ranges`."""
    return {month: (rows, highest) for month, (rows, _lowest, highest) in ranges.items()}


def exactly_sent(sent: dict[date, MonthPack], ranges: dict[date, tuple[int, int, int]],
                 ids_above: int) -> set[date]:
    """The months of `sent` (an import's `PackBuilder.packs()`) whose crimes in `crime` are exactly the rows sent
    for them: every crime of the month has an id above `ids_above` (the highest stored once the import held off
    any other: the month held nothing before, and only this import added to it), and they number the rows sent
    for it, so none of those was dropped as a duplicate. `ranges` is `month_ranges` after the import."""
    return {month for month, pack in sent.items()
            if month in ranges and ranges[month][1] > ids_above and ranges[month][0] == len(pack)}


def _unpacked(row: Any) -> MonthPack:
    return MonthPack(row.month, np.frombuffer(row.easting, dtype="<f8"), np.frombuffer(row.northing, dtype="<f8"),
                     np.frombuffer(row.category, dtype="<i4"), np.frombuffer(row.location, dtype="<i4"),
                     np.frombuffer(row.lsoa, dtype="<i4"), json.loads(row.categories_json),
                     json.loads(row.locations_json), [tuple(pair) for pair in json.loads(row.lsoas_json)])


def read_packs(connection: Connection, wanted: dict[date, tuple[int, int]]) -> list[MonthPack]:
    """The months of `wanted` (months and their `signatures`), oldest first, each from its pack when the pack
    matches `crime`, else built from `crime` (see the module). Refused (`capacity.TooLargeForMemory`) before
    anything is read when the months' crimes would not fit in memory: their signatures count them."""
    if not wanted:
        return []
    check_fits(sum(rows for rows, _ in wanted.values()))
    # Binary results on PostgreSQL: the packs are megabytes of bytea (`cctv.db.BINARY_RESULTS`); SQLite ignores it.
    query = select(_PACKS).where(_PACKS.c.month.in_(list(wanted))).execution_options(binary_results=True)
    packs: dict[date, MonthPack] = {}
    for row in connection.execute(query):
        if wanted.get(row.month) == (row.rows, row.max_id):
            packs[row.month] = _unpacked(row)
    for pack in _from_crime(connection, sorted(set(wanted) - set(packs))):
        packs[pack.month] = pack
    return [packs[month] for month in sorted(packs)]


class _Codes(dict[Any, int]):
    """Values' codes in first-seen order: a value not yet coded takes the next code as it is first looked up."""

    def __missing__(self, value: Any) -> int:
        code = self[value] = len(self)
        return code


def _codes_in(lookup: _Codes, values: Sequence[Any]) -> np.ndarray:
    """Each value's code in `lookup`, coding the values not yet in it: one C-speed pass (dict lookups call
    `__missing__` only for a new value, and a batch has few), two fifths faster than finding the new ones first."""
    return np.fromiter(map(lookup.__getitem__, values), dtype=np.int32, count=len(values))


class PackBuilder:
    """The packs of the rows an import sends to the database, built as they go, so the import need not read its
    months back from `crime` (which cost as much as a fifth of the import).

    Used only where they are exactly what `crime` now holds (see `refresh_packs`): a month that held no crime
    before the import and now holds exactly the rows sent for it. Past `MAX_ROWS` it stops keeping rows (memory
    follows the import, and a force's years would not fit), and those months are read back from `crime`.
    """

    MAX_ROWS = 3_000_000

    def __init__(self) -> None:
        """Nothing kept yet."""
        self.names: tuple[_Codes, _Codes, _Codes] = (_Codes(), _Codes(), _Codes())
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.rows = 0
        self.months = _Codes()

    def add(self, months: Sequence[date], easting: np.ndarray, northing: np.ndarray, categories: Sequence[str],
            locations: Sequence[str], lsoas: Sequence[tuple[str, str]]) -> None:
        """Keep one batch of rows as sent (easting/northing NaN where unlocated, and only there: the rows stored
        without a longitude), in the order they were sent."""
        self.rows += len(months)
        if self.rows > self.MAX_ROWS:
            self.parts.clear()
            return
        month_codes = _codes_in(self.months, months)
        coded = [_codes_in(lookup, values) for lookup, values in zip(self.names, (categories, locations, lsoas),
                                                                       strict=True)]
        self.parts.append((month_codes, np.asarray(easting, dtype=np.float64),
                           np.asarray(northing, dtype=np.float64), *coded))

    def packs(self) -> dict[date, MonthPack]:
        """Each month's pack of the rows kept (none when past `MAX_ROWS`)."""
        if not self.parts or self.rows > self.MAX_ROWS:
            return {}
        month, easting, northing, *codes = (np.concatenate(column) for column in zip(*self.parts, strict=True))
        names = [list(lookup) for lookup in self.names]
        packs = {}
        for day, code in self.months.items():
            pick = month == code
            local = []
            for column, all_names in zip(codes, names, strict=True):
                used, recoded = np.unique(column[pick], return_inverse=True)
                local.append((recoded.astype(np.int32), [all_names[i] for i in used.tolist()]))
            (category, categories), (location, locations), (lsoa, lsoas) = local
            packs[day] = MonthPack(day, easting[pick], northing[pick], category, location, lsoa, categories,
                                   locations, [tuple(pair) for pair in lsoas])
        return packs


def refresh_packs(connection: Connection, months: Iterable[date] = (), *, sent: dict[date, MonthPack] | None = None,
                  ids_above: int = 0, ranges: dict[date, tuple[int, int, int]] | None = None) -> int:
    """Pack again the given months and every month whose pack is missing or stale; drop packs of months that hold
    no crime now. Runs in the caller's transaction (an import's: the packs commit or roll back with it). Returns
    the months packed.

    `sent` (an import's `PackBuilder.packs()`) is used for a month whose crimes are exactly the rows sent for it
    (`exactly_sent`, with `ids_above` the highest id before the import); any other month is read back from `crime`.
    `ranges` is `month_ranges` of `crime` as it is now, when the caller has it (an import, which also takes the
    months present and its own figures from it); otherwise it is read here (one grouped pass over `crime`).
    """
    if ranges is None:
        ranges = month_ranges(connection)
    stored = _signatures_of(ranges)
    fresh = {month: sent[month] for month in exactly_sent(sent, ranges, ids_above)} if sent else {}
    current = {row.month: (row.rows, row.max_id)
               for row in connection.execute(select(_PACKS.c.month, _PACKS.c.rows, _PACKS.c.max_id))}
    gone = [month for month in current if month not in stored]
    stale = {month for month, signature in stored.items() if current.get(month) != signature}
    stale |= set(months) & set(stored)
    if gone or stale:
        connection.execute(delete(_PACKS).where(_PACKS.c.month.in_(gone + sorted(stale))))
    packs = [fresh[month] for month in sorted(stale & fresh.keys())]
    read_back = sorted(stale - fresh.keys())
    # Beyond a machine's memory (a nation's years, for PostGIS) the months are left unpacked: reading them back
    # would take the import far past its time, and the in-memory model does not read that much anyway.
    if sum(stored[month][0] for month in read_back) <= PackBuilder.MAX_ROWS:
        packs += _from_crime(connection, read_back)
    if packs:
        with _fast_compression(connection):
            connection.execute(_PACKS.insert(), [_packed(pack, stored[pack.month]) for pack in packs])
    return len(packs)


@contextmanager
def _fast_compression(connection: Connection) -> Iterator[None]:
    """PostgreSQL: the packs' blobs compressed with lz4, where the server has it, rather than the default pglz,
    while they are written (for the caller's transaction at most). A county's year (12 packs, 4.5 MB) took 106 ms
    to insert with pglz and 22 ms with lz4, and reads back in 12 ms instead of 20 ms, for a tenth more space. The
    values read back are the same bytes; packs written before keep their compression. SQLite: nothing to do."""
    if connection.dialect.name != "postgresql":
        yield
        return
    before, has_lz4 = connection.exec_driver_sql(
        "SELECT setting, 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'").one()
    if not has_lz4 or before == "lz4":
        yield
        return
    connection.exec_driver_sql("SELECT set_config('default_toast_compression', 'lz4', true)")
    yield  # on an error the transaction rolls back, and the local setting with it
    connection.exec_driver_sql("SELECT set_config('default_toast_compression', %s, true)", (before,))


def _packed(pack: MonthPack, signature: tuple[int, int]) -> dict[str, Any]:
    return {"month": pack.month, "rows": signature[0], "max_id": signature[1],
            "easting": pack.easting.astype("<f8").tobytes(), "northing": pack.northing.astype("<f8").tobytes(),
            "category": pack.category.astype("<i4").tobytes(), "location": pack.location.astype("<i4").tobytes(),
            "lsoa": pack.lsoa.astype("<i4").tobytes(), "categories_json": json.dumps(pack.categories),
            "locations_json": json.dumps(pack.locations), "lsoas_json": json.dumps(pack.lsoas)}


def merged_codes(names_per_pack: Sequence[Sequence[Any]], codes_per_pack: Sequence[np.ndarray],
                 key: Any = None) -> tuple[np.ndarray, tuple[Any, ...]]:
    """One code column over all packs, indexing the sorted union of their name lists."""
    distinct = sorted({name for names in names_per_pack for name in names}, key=key)
    lookup = {name: i for i, name in enumerate(distinct)}
    parts = [np.array([lookup[name] for name in names], dtype=np.int32)[codes] if len(codes) else
             np.empty(0, dtype=np.int32) for names, codes in zip(names_per_pack, codes_per_pack, strict=True)]
    return (np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)), tuple(distinct)
