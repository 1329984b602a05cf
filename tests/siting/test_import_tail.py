"""The import's figures after the load, on SQLite and PostgreSQL: taken from what was sent when that is provably
what was added (each month sent holds exactly its rows sent, none of them before), else counted in the database;
either way the very figures the database gives, with duplicates within an import, a second import, and a month
that held crimes before."""

from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from cctv.db import Database
from siting.store import crimes
from siting.store.columns import MonthPack, _from_crime, month_ranges, read_packs, refresh_packs, signatures
from siting.store.crimes import crime_months, import_crimes
from siting.store.tables import Crime, CrimeImport
from tests.siting.test_store import ALL, FEBRUARY, HEADER, JANUARY, MONTHLY

_C = Crime.__table__.c  # type: ignore[attr-defined]


def _counted_in_database(session: Session, import_id: int) -> tuple[Counter, int]:
    """The rows carrying the import's id, per (month, category), and how many have no longitude."""
    query = (select(_C.month, _C.category, func.count(), func.count(_C.longitude)).where(_C.import_id == import_id)
             .group_by(_C.month, _C.category))
    counts, without = Counter(), 0
    for month, category, rows, located in session.connection().execute(query):
        counts[(month, category)] = rows
        without += rows - located
    return counts, without


@pytest.fixture
def database_counts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The imports whose added rows were counted in the database (`crimes._count_added`), by import id."""
    counted: list[int] = []
    original: Callable[..., Any] = crimes._count_added

    def spy(connection: Any, import_id: int, *args: Any) -> None:
        counted.append(import_id)
        original(connection, import_id, *args)

    monkeypatch.setattr(crimes, "_count_added", spy)
    return counted


def _import(session: Session, files: list) -> tuple[CrimeImport, Any]:
    record, summary = import_crimes(session, files, actor="planner")
    session.commit()
    assert record.id is not None
    counts, without = _counted_in_database(session, record.id)
    # The figures are the database's, whichever way they were found.
    assert summary.by_month_category == counts
    assert (summary.added, summary.without_location) == (sum(counts.values()), without)
    assert summary.duplicates == summary.rows - summary.outside_area - summary.unplaced - summary.added
    assert summary.present_months == set(crime_months(session))
    stored = session.get(CrimeImport, record.id)
    assert stored is not None and (stored.added, stored.duplicates, stored.without_location) == (
        summary.added, summary.duplicates, summary.without_location)
    # Every month's pack holds `crime`'s rows (names coded in either order), under its signature.
    connection = session.connection()
    wanted = signatures(connection)
    assert _decoded(read_packs(connection, wanted)) == _decoded(_from_crime(connection, sorted(wanted)))
    return record, summary


def _decoded(packs: list[MonthPack]) -> list[tuple]:
    return [(p.month, p.easting.tobytes(), p.northing.tobytes(), [p.categories[c] for c in p.category],
             [p.locations[c] for c in p.location], [tuple(p.lsoas[c]) for c in p.lsoa]) for p in packs]


def test_a_first_import_without_duplicates_takes_its_figures_from_what_it_sent(session: Session,
                                                                              database_counts: list[int]) -> None:
    _, summary = _import(session, [JANUARY, FEBRUARY, MONTHLY])
    assert database_counts == []  # nothing asked of `crime` but the one grouped pass
    assert (summary.rows, summary.added, summary.duplicates, summary.without_location) == (16, 16, 0, 3)


def test_duplicates_within_an_import_are_counted_in_the_database(session: Session,
                                                                 database_counts: list[int]) -> None:
    record, summary = _import(session, ALL)  # the zip repeats the monthly folder
    assert database_counts == [record.id]
    assert (summary.rows, summary.added, summary.duplicates, summary.without_location) == (21, 16, 5, 3)


def test_a_second_import_of_new_months_takes_its_figures_from_what_it_sent(session: Session,
                                                                          database_counts: list[int]) -> None:
    _import(session, [JANUARY])
    _, summary = _import(session, [FEBRUARY, MONTHLY])  # months that held nothing, ids above the first import's
    assert database_counts == []
    assert (summary.added, summary.duplicates) == (8, 0)
    assert summary.present_months == {date(2024, m, 1) for m in (1, 2, 3, 4)}


def test_a_second_import_into_months_held_before_is_counted_in_the_database(session: Session, tmp_path: Path,
                                                                           database_counts: list[int]) -> None:
    first, _ = _import(session, [JANUARY, FEBRUARY])
    # New keys for January (a month holding crimes already), and February again: nothing of it is new.
    extra = tmp_path / "2024-01-more-street.csv"
    row = ("new{n},2024-01,Thames Valley Police,Thames Valley Police,-0.75,51.63,On or near X Street,E01017000,"
           "Wycombe 001A,Burglary,Under investigation,")
    extra.write_text("\n".join([HEADER, *(row.format(n=n) for n in range(4))]) + "\n", encoding="utf-8")
    second, summary = _import(session, [extra])
    assert (summary.added, summary.duplicates) == (4, 0)  # none dropped, but January held rows before
    third, again = _import(session, [FEBRUARY, extra])
    assert (again.added, again.duplicates) == (0, 7)
    assert database_counts == [second.id, third.id]
    assert first.id not in database_counts
    ranges = month_ranges(session.connection())
    assert ranges[date(2024, 1, 1)][0] == 12 and set(ranges) == {date(2024, 1, 1), date(2024, 2, 1)}


def test_a_month_holding_as_many_rows_as_were_sent_but_one_from_before_is_counted_in_the_database(
        session: Session, tmp_path: Path, database_counts: list[int]) -> None:
    row = ("{key},2024-06,Thames Valley Police,Thames Valley Police,-0.75,51.63,On or near X Street,E01017000,"
           "Wycombe 001A,Burglary,Under investigation,")
    before, now = tmp_path / "2024-06-before-street.csv", tmp_path / "2024-06-now-street.csv"
    before.write_text(f"{HEADER}\n{row.format(key='k1')}\n", encoding="utf-8")
    now.write_text(f"{HEADER}\n{row.format(key='k1')}\n{row.format(key='k2')}\n", encoding="utf-8")
    _import(session, [before])
    second, summary = _import(session, [now])  # June holds 2 rows and 2 were sent, but k1 was there before
    assert (summary.added, summary.duplicates) == (1, 1)
    assert database_counts == [second.id]


def test_packs_are_written_lz4_compressed_on_postgresql_and_read_back_the_same(session: Session) -> None:
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        pytest.skip("TOAST compression is PostgreSQL's")
    _import(session, [JANUARY])
    import_id = session.connection().execute(select(func.max(_C.import_id))).scalar()
    connection = session.connection()
    connection.exec_driver_sql(  # a month large enough for its pack to be compressed (NaN eastings: unlocated)
        "INSERT INTO crime (dedup_key, month, category, location, lsoa_code, lsoa_name, outcome, falls_within, "
        f"source_file, import_id) SELECT 'filler' || n, DATE '2020-01-01', 'Burglary', '', '', '', '', '', '', "
        f"{import_id} FROM generate_series(1, 5000) AS n")
    before = connection.exec_driver_sql("SHOW default_toast_compression").scalar()
    assert refresh_packs(connection) == 1
    assert connection.exec_driver_sql("SHOW default_toast_compression").scalar() == before  # put back
    assert connection.exec_driver_sql("SELECT pg_column_compression(easting) FROM crime_month_columns "
                                      "WHERE month = DATE '2020-01-01'").scalar() == "lz4"
    wanted = signatures(connection)
    assert _decoded(read_packs(connection, wanted)) == _decoded(_from_crime(connection, sorted(wanted)))


def test_rows_another_import_committed_before_this_one_locked_crime_are_not_taken_for_its_own(
        session: Session, database: Database, monkeypatch: pytest.MonkeyPatch, database_counts: list[int]) -> None:
    if session.connection().dialect.name != "postgresql":
        pytest.skip("SQLite: the import holds the write lock from its record on, so no other can commit meanwhile")
    original = crimes.crime_writer
    others: list[int] = []

    def after_another_import(connection: Any, expected_rows: int) -> Any:
        if not others:  # once: another planner's import of the same month commits before this one locks `crime`
            others.append(0)
            with database.session("other") as other:
                import_crimes(other, [JANUARY], actor="other")
                other.commit()
        return original(connection, expected_rows)

    monkeypatch.setattr(crimes, "crime_writer", after_another_import)
    _, summary = _import(session, [JANUARY])  # the same rows: all of them stored by the other import just before
    assert (summary.added, summary.duplicates) == (0, 8)
