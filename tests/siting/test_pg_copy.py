"""PostgreSQL's COPY import (siting/store/pg_copy.py) keeps exactly the rows the executemany path keeps: the same
keys, values, order and figures, with duplicates within a file, across files, across COPY buffers and already
stored, and with malformed rows skipped. Skipped on SQLite, which has no COPY."""

from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from cctv.db import Database
from siting.sources.police import PoliceFileError
from siting.store import bulk, crimes, pg_copy
from siting.store.crimes import import_crimes
from siting.store.tables import Crime, CrimeImport
from tests.siting.helpers import FIXTURES

HERTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "police-uk-hertfordshire-2025"
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
          "Last outcome category,Context")
_KEPT = [c for c in Crime.__table__.c if c.name not in ("id", "import_id")]  # type: ignore[attr-defined]


def _files(tmp_path: Path) -> list[Path]:
    """The fixtures, plus a file repeating some of their keys, repeating its own, and with a malformed row."""
    extra = tmp_path / "2024-05-extra-street.csv"
    lines = [HEADER]
    january = (FIXTURES / "2024-01-bucks-street.csv").read_text(encoding="utf-8").splitlines()[1:4]
    lines += january  # already imported from the January file: duplicates across files
    row = ("abc{n},2024-05,Thames Valley Police,Thames Valley Police,-0.75,51.63,On or near X Street,E01017{n:03d},"
           "Wycombe 001A,Burglary,Under investigation,")
    lines += [row.format(n=n) for n in range(12)]
    lines += [row.format(n=3), row.format(n=11)]  # repeated in its own file, beyond a small buffer
    lines += ["bad,2024-05,too,few"]  # malformed: skipped and reported
    extra.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [FIXTURES / "2024-01-bucks-street.csv", FIXTURES / "crlf", FIXTURES / "monthly", extra,
            FIXTURES / "monthly.zip"]


def _import(session: Session, files: list) -> tuple[list[tuple], tuple]:
    problems: list[PoliceFileError] = []
    record, _ = import_crimes(session, files, actor="planner", on_problem=problems.append)
    session.commit()
    rows = session.connection().execute(select(*_KEPT).order_by(Crime.id)).all()
    stored = session.get(CrimeImport, record.id)
    assert stored is not None
    figures = (stored.rows_read, stored.added, stored.duplicates, stored.without_location, stored.problem_rows,
               stored.problems_json, [(p.file, p.line) for p in problems])
    return [tuple(r) for r in rows], figures


@pytest.fixture
def pg_session(database: Database) -> Session:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    with database.session("tester") as session:
        yield session


def _executemany(connection: Connection, expected_rows: int = 0) -> bulk.CrimeInsert:
    """psycopg's executemany with ON CONFLICT DO NOTHING: the path the COPY must agree with."""
    return bulk.CrimeInsert(connection)


def _crime_schema(connection: Connection) -> list[tuple]:
    """Every index of `crime` (name, definition, oid: a rebuilt index has a new oid) and every constraint."""
    indexes = connection.exec_driver_sql(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid), c.oid FROM pg_index i JOIN pg_class c ON c.oid = "
        "i.indexrelid WHERE i.indrelid = 'crime'::regclass ORDER BY 1").all()
    constraints = connection.exec_driver_sql(
        "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
        "WHERE conrelid = 'crime'::regclass ORDER BY 1").all()
    return [tuple(row) for row in [*indexes, *constraints]]


def _without_oids(schema: list[tuple]) -> list[tuple]:
    return [row[:2] for row in schema]


@pytest.mark.parametrize("expected_rows", [0, 10**9], ids=["keys-looked-up", "indexes-rebuilt"])
def test_copy_keeps_the_same_rows_as_executemany(pg_session: Session, database: Database, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch, expected_rows: int) -> None:
    files = _files(tmp_path)
    # A 4-row buffer: duplicates fall in different buffers, and keys of earlier buffers are already in `crime`.
    # Told to expect a load larger than the table, the writer drops the indexes and finds repeats at the end.
    monkeypatch.setattr(crimes, "crime_writer", lambda connection, _: pg_copy.CrimeCopy(
        connection, buffer_rows=4, expected_rows=expected_rows))
    schema = _crime_schema(pg_session.connection())
    copied_first, copied_figures = _import(pg_session, files)
    copied_again, again_figures = _import(pg_session, files[2:])  # everything already stored
    assert again_figures[1] == 0 and copied_again == copied_first
    rebuilt = _crime_schema(pg_session.connection())
    assert _without_oids(rebuilt) == _without_oids(schema)  # the same indexes and constraints, all validated
    assert (rebuilt != schema) == bool(expected_rows)  # new oids only where they were rebuilt

    pg_session.connection().exec_driver_sql("TRUNCATE crime, crime_import CASCADE")
    pg_session.commit()
    monkeypatch.setattr(crimes, "crime_writer", _executemany)
    inserted, inserted_figures = _import(pg_session, files)

    assert copied_first == inserted
    assert copied_figures == inserted_figures
    # Worked out by hand: 8 + 3 + 5 fixture rows; 17 in the extra file, 12 of them new (3 are January's, 2 its own
    # again); the zip's 5 again; one malformed row.
    assert copied_figures[:5] == (38, 28, 10, 3, 1)
    assert copied_figures[6] == [(files[3].name, 19)]


def test_the_first_import_rebuilds_the_indexes_and_a_small_one_keeps_them(pg_session: Session,
                                                                           tmp_path: Path) -> None:
    files = _files(tmp_path)
    empty = _crime_schema(pg_session.connection())
    _import(pg_session, files[:1])  # into an empty table: a load at least as large as what is stored
    first = _crime_schema(pg_session.connection())
    assert _without_oids(first) == _without_oids(empty) and first != empty
    pg_session.connection().exec_driver_sql(  # the table now holds far more than the next import
        "INSERT INTO crime (dedup_key, month, category, location, lsoa_code, lsoa_name, outcome, falls_within, "
        "source_file, import_id) SELECT 'filler' || n, DATE '2020-01-01', 'Burglary', '', '', '', '', '', '', "
        "(SELECT max(id) FROM crime_import) FROM generate_series(1, 5000) AS n")
    pg_session.commit()
    _import(pg_session, files[1:2])
    assert _crime_schema(pg_session.connection()) == first


def _row(key: str, import_id: int, month: date | None = date(2024, 1, 1)) -> tuple:
    return (key, key, month, "Burglary", -0.75, 51.63, 486_500.0, 192_900.0, "On or near X Street", "E01017000",
            "Wycombe 001A", "", "Thames Valley Police", "test.csv", import_id)


def _import_record(session: Session) -> int:
    record = CrimeImport(imported_by="tester")
    session.add(record)
    session.commit()
    assert record.id is not None
    return record.id


def test_a_failed_large_load_leaves_the_table_as_it_was(pg_session: Session) -> None:
    import_id = _import_record(pg_session)
    connection = pg_session.connection()
    writer = pg_copy.CrimeCopy(connection, expected_rows=10)
    writer.run([_row("kept-1", import_id), _row("kept-2", import_id)])
    writer.finish()
    pg_session.commit()
    before = _crime_schema(pg_session.connection())
    stored = pg_session.connection().execute(select(Crime.dedup_key).order_by(Crime.id)).scalars().all()

    writer = pg_copy.CrimeCopy(pg_session.connection(), buffer_rows=2, expected_rows=10)
    assert writer.deferred is not None  # the indexes are dropped for this load
    writer.run([_row("new-1", import_id), _row("new-2", import_id)])  # a full buffer: copied
    with pytest.raises(psycopg.errors.NotNullViolation):  # a month is required: the COPY fails
        writer.run([_row("new-3", import_id), _row("bad", import_id, month=None)])
        writer.finish()  # the failure of a buffer copied behind comes out here at the latest
    pg_session.rollback()

    assert _crime_schema(pg_session.connection()) == before  # the very same indexes, not rebuilt ones
    assert pg_session.connection().execute(select(Crime.dedup_key).order_by(Crime.id)).scalars().all() == stored
    assert stored == ["kept-1", "kept-2"]


def test_a_rollback_waits_for_the_buffer_being_copied(pg_session: Session) -> None:
    import_id = _import_record(pg_session)
    writer = pg_copy.CrimeCopy(pg_session.connection(), buffer_rows=1000, expected_rows=10)
    writer.run([_row(f"k{n}", import_id) for n in range(20_000)])  # copied behind while the caller goes on
    pg_session.rollback()  # e.g. the reader refused the next file
    assert writer._behind is None
    assert pg_session.connection().execute(select(Crime.id)).first() is None


def test_a_large_load_keeps_the_indexes_while_another_import_holds_its_record(pg_session: Session,
                                                                             database: Database) -> None:
    import_id = _import_record(pg_session)
    schema = _crime_schema(pg_session.connection())
    with database.engine.connect() as other:  # another import has added its record and not yet committed
        other.exec_driver_sql("INSERT INTO crime_import (imported_by, files_json, area, rows_read, added, "
                              "duplicates, without_location, outside_area, unplaced, problem_rows, problems_json, "
                              "months_json, imported_at) VALUES ('other', '[]', '', 0, 0, 0, 0, 0, 0, 0, '[]', "
                              "'[]', now())")
        writer = pg_copy.CrimeCopy(pg_session.connection(), expected_rows=10)  # would drop them otherwise
        assert writer.deferred is None
        writer.run([_row("a", import_id), _row("a", import_id), _row("b", import_id)])
        writer.finish()
        assert writer.copied == 2
        pg_session.commit()
        other.rollback()
    assert _crime_schema(pg_session.connection()) == schema


@pytest.mark.skipif(not HERTS.is_dir(), reason="the real Hertfordshire year is not here")
def test_copy_of_a_real_month_matches_executemany(pg_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    month = HERTS / "2025-03-hertfordshire-street.csv"
    copied, copied_figures = _import(pg_session, [month, month])
    pg_session.connection().exec_driver_sql("TRUNCATE crime, crime_import CASCADE")
    pg_session.commit()
    monkeypatch.setattr(crimes, "crime_writer", _executemany)
    inserted, inserted_figures = _import(pg_session, [month, month])
    assert copied == inserted and copied_figures == inserted_figures
    assert copied_figures[1] == len(copied) > 5000 and copied_figures[2] == copied_figures[1]


def test_the_rebuilt_key_index_keeps_its_c_collation_and_serves_the_key_lookup(pg_session: Session,
                                                                              tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # Migration 0026: the dedup_key's column and unique index are collated "C". A large load drops the index and
    # builds it again from the catalogue's definition, which takes the column's collation.
    monkeypatch.setattr(crimes, "crime_writer", lambda connection, _: pg_copy.CrimeCopy(
        connection, buffer_rows=4, expected_rows=10**9))
    _import(pg_session, _files(tmp_path))
    connection = pg_session.connection()
    assert connection.exec_driver_sql(
        "SELECT c.collname FROM pg_index i JOIN pg_collation c ON c.oid = i.indcollation[0] "
        "WHERE i.indexrelid = 'ix_crime_dedup_key'::regclass AND i.indisunique").scalar() == "C"
    # The import's lookup of stored keys (`CrimeCopy._flush`: text parameters against the "C" column) can use it.
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute("SET LOCAL enable_seqscan = off")
    plan = "\n".join(row[0] for row in cursor.execute(
        "EXPLAIN SELECT dedup_key FROM crime WHERE dedup_key = ANY(%s)", (["abc1", "abc2"],)))
    assert "ix_crime_dedup_key" in plan and "Seq Scan" not in plan, plan
