"""PostgreSQL's COPY import (siting/store/pg_copy.py) keeps exactly the rows the executemany path keeps: the same
keys, values, order and figures, with duplicates within a file, across files, across COPY buffers and already
stored, and with malformed rows skipped. Skipped on SQLite, which has no COPY."""

from pathlib import Path

import pytest
from sqlalchemy import select
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


def test_copy_keeps_the_same_rows_as_executemany(pg_session: Session, database: Database, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files(tmp_path)
    # A 4-row buffer: duplicates fall in different buffers, and keys of earlier buffers are already in `crime`.
    monkeypatch.setattr(crimes, "crime_writer", lambda connection: pg_copy.CrimeCopy(connection, buffer_rows=4))
    copied_first, copied_figures = _import(pg_session, files)
    copied_again, again_figures = _import(pg_session, files[2:])  # everything already stored
    assert again_figures[1] == 0 and len(copied_again) == len(copied_first)

    pg_session.connection().exec_driver_sql("TRUNCATE crime, crime_import CASCADE")
    pg_session.commit()
    monkeypatch.setattr(crimes, "crime_writer", bulk.CrimeInsert)  # psycopg's executemany, ON CONFLICT DO NOTHING
    inserted, inserted_figures = _import(pg_session, files)

    assert copied_first == inserted
    assert copied_figures == inserted_figures
    # Worked out by hand: 8 + 3 + 5 fixture rows; 17 in the extra file, 12 of them new (3 are January's, 2 its own
    # again); the zip's 5 again; one malformed row.
    assert copied_figures[:5] == (38, 28, 10, 3, 1)
    assert copied_figures[6] == [(files[3].name, 19)]


@pytest.mark.skipif(not HERTS.is_dir(), reason="the real Hertfordshire year is not here")
def test_copy_of_a_real_month_matches_executemany(pg_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    month = HERTS / "2025-03-hertfordshire-street.csv"
    copied, copied_figures = _import(pg_session, [month, month])
    pg_session.connection().exec_driver_sql("TRUNCATE crime, crime_import CASCADE")
    pg_session.commit()
    monkeypatch.setattr(crimes, "crime_writer", bulk.CrimeInsert)
    inserted, inserted_figures = _import(pg_session, [month, month])
    assert copied == inserted and copied_figures == inserted_figures
    assert copied_figures[1] == len(copied) > 5000 and copied_figures[2] == copied_figures[1]
