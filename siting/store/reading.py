"""Reading stored crimes back for the model, by window of months, category and area, as one `CrimeSet`.

Reads the months' packed columns (`siting.store.columns`), never ORM rows, so a county's three years come back in a
fraction of a second. Apart from `siting.store.crimes` (the import) so that a command or page that only reads
crimes does not load the import's reader, writers and checks (about 0.1 s of `cctv siting score`'s start).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

import numpy as np
from sqlmodel import Session

from siting.model.inputs import CrimeSet, month_date, month_index
from siting.store.columns import MonthPack, merged_codes, read_packs, signatures


def load_crimes(
    session: Session,
    *,
    first_month: date | str | int | None = None,
    last_month: date | str | int | None = None,
    categories: Iterable[str] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> CrimeSet:
    """The stored crimes of a window of months (optionally some categories, optionally only those located inside
    `bounds`, (west, south, east, north) in National Grid metres) as a `CrimeSet`, oldest month first and in
    import order within a month.

    Reads the months' packed columns (`siting.store.columns`), never ORM rows, so a county's three years come
    back in a fraction of a second; the location label and LSOA come too (some labels mark places where crimes
    are recorded rather than committed, and both name where a site is). Coordinates are the easting/northing
    stored at import: nothing is reprojected. Unlocated crimes come back with NaN coordinates (none with bounds).
    """
    first = None if first_month is None else month_date(month_index(first_month))
    last = None if last_month is None else month_date(month_index(last_month))
    connection = session.connection()
    return _crime_set(read_packs(connection, signatures(connection, first, last)), categories, bounds)


def load_window(
    session: Session,
    *,
    end_month: date | str | int | None = None,
    window_months: int | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> CrimeSet:
    """The crimes a model run with this end month and window reads: `load_crimes` of just the window's months,
    which give the same run as every stored crime (only the run's counts of crimes read differ: they are the
    window's). The model measures its default window from the earliest month held
    (`siting.model.points.held_window`), so when the window's first month holds nothing and older months exist,
    the earliest month is read too and the window comes out the same."""
    from siting.model.points import held_window  # the model's own rule, not a copy of it

    connection = session.connection()
    stored = signatures(connection)
    if not stored:
        return _crime_set([], None, bounds)
    held = np.array(sorted(month_index(m) for m in stored), dtype=np.int64)
    end = int(held[-1]) if end_month is None else month_index(end_month)
    window = window_months if window_months is not None else held_window(held, end)
    first, earliest = end - window + 1, int(held[0])
    if earliest >= first or first in held:
        earliest = first  # the window's own months already give the model the same window
    wanted = {m: sig for m, sig in stored.items() if first <= month_index(m) <= end or month_index(m) == earliest}
    return _crime_set(read_packs(connection, wanted), None, bounds)


def _crime_set(packs: list[MonthPack], categories: Iterable[str] | None,
               bounds: tuple[float, float, float, float] | None) -> CrimeSet:
    """One `CrimeSet` of the packs, in their order, keeping only some categories and the crimes inside bounds."""
    if not packs:
        return CrimeSet.from_columns([], [], np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32), ())
    category, category_names = merged_codes([p.categories for p in packs], [p.category for p in packs])
    location, location_names = merged_codes([p.locations for p in packs], [p.location for p in packs])
    lsoa, lsoa_pairs = merged_codes([p.lsoas for p in packs], [p.lsoa for p in packs])
    month = np.concatenate([np.full(len(p), month_index(p.month), dtype=np.int64) for p in packs])
    crimes = CrimeSet(np.concatenate([p.easting for p in packs]), np.concatenate([p.northing for p in packs]), month,
                      category, category_names, location, location_names, lsoa, lsoa_pairs)
    keep = np.ones(len(crimes), dtype=bool)
    if categories is not None:
        wanted = set(categories)
        keep &= np.isin(crimes.category, [i for i, name in enumerate(category_names) if name in wanted])
    if bounds is not None:
        west, south, east, north = bounds
        keep &= ((crimes.easting >= west) & (crimes.easting <= east)
                 & (crimes.northing >= south) & (crimes.northing <= north))  # NaN (unlocated) is outside
    if keep.all():
        return crimes
    kept = crimes.subset(keep)
    if categories is None:
        return kept
    # Only the categories asked for are named, as a read of just those rows would name them.
    used = sorted(set(kept.category.tolist()))
    recode = np.zeros(len(category_names), dtype=np.int32)
    recode[used] = np.arange(len(used), dtype=np.int32)
    return replace(kept, category=recode[kept.category], categories=tuple(category_names[i] for i in used))
