"""Crimes in the database, on SQLite and PostgreSQL: importing the fixture files, re-importing, the area filter,
malformed files refused whole or skipped row by row, and reading the crimes back for the model."""

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from cctv.audit import AuditEntry
from cctv.db import Database
from siting.model.inputs import CrimeSet, month_index
from siting.sources.area import AreaFilter
from siting.sources.police import PoliceFileError, find_sources, read_crimes
from siting.store.crimes import crime_months, import_crimes, stored_crimes
from siting.store.reading import load_crimes
from siting.store.tables import Crime, CrimeImport
from tests.siting.helpers import FIXTURES

JANUARY = FIXTURES / "2024-01-bucks-street.csv"
FEBRUARY = FIXTURES / "crlf"  # one CRLF file with a byte-order mark
MONTHLY = FIXTURES / "monthly"  # March and April in monthly folders
MALFORMED = FIXTURES / "malformed"  # May; line 4 has 11 cells
ALL = [JANUARY, FEBRUARY, MONTHLY, FIXTURES / "monthly.zip"]  # the zip repeats the monthly folder
WYCOMBE = AreaFilter.from_bbox(-0.80, 51.60, -0.70, 51.65)  # leaves out the Barnet row of January
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
          "Last outcome category,Context")


def crime_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Crime)).one()


def test_the_fixture_files_are_imported_once_each(session: Session) -> None:
    seen = []
    record, summary = import_crimes(session, ALL, actor="planner", progress=lambda source: seen.append(source.name))
    session.commit()
    assert seen == [s.name for s in find_sources(*ALL)]
    # 8 + 3 + 5 rows, and the zip's 5 again: duplicates of the folder's, so skipped.
    assert (summary.rows, summary.added, summary.duplicates, summary.outside_area) == (21, 16, 5, 0)
    assert summary.without_location == 3
    assert summary.by_month() == {date(2024, 1, 1): 8, date(2024, 2, 1): 3, date(2024, 3, 1): 2,
                                  date(2024, 4, 1): 3}
    assert summary.by_category()["Anti-social behaviour"] == 7
    assert summary.missing_months() == []
    assert crime_count(session) == 16
    assert crime_months(session) == [date(2024, m, 1) for m in (1, 2, 3, 4)]

    stored = session.get(CrimeImport, record.id)
    assert stored is not None and stored.imported_by == "planner" and stored.area == ""
    assert (stored.rows_read, stored.added, stored.duplicates, stored.without_location) == (21, 16, 5, 3)
    assert (stored.first_month, stored.last_month) == (date(2024, 1, 1), date(2024, 4, 1))
    assert len(stored.months()) == 4 and stored.problems() == [] and len(stored.files()) == 6
    # Every crime points at its import; the import itself is audited, the bulk-inserted crimes are not.
    assert session.exec(select(func.count()).select_from(Crime).where(Crime.import_id == record.id)).one() == 16
    audited = session.exec(select(AuditEntry.table_name, AuditEntry.action)).all()
    assert ("crime_import", "create") in audited and ("crime_import", "update") in audited
    assert not [a for a in audited if a[0] == "crime"]


def test_re_importing_adds_nothing(session: Session) -> None:
    import_crimes(session, [JANUARY, FEBRUARY], actor="planner")
    session.commit()
    record, summary = import_crimes(session, [JANUARY, FEBRUARY], actor="planner")
    session.commit()
    assert (summary.rows, summary.added, summary.duplicates) == (11, 0, 11)
    assert summary.by_month() == {} and record.first_month is None
    assert crime_count(session) == 11
    assert summary.missing_months() == []  # the months are in the database already


def test_blank_id_anti_social_behaviour_rows_are_kept_even_when_identical(session: Session) -> None:
    import_crimes(session, [JANUARY], actor="planner")
    asb = session.exec(select(Crime).where(Crime.category == "Anti-social behaviour")
                       .order_by(Crime.id)).all()  # type: ignore[arg-type]
    assert len(asb) == 3 and all(c.crime_id is None for c in asb)
    assert (asb[0].location, asb[0].longitude) == (asb[1].location, asb[1].longitude)
    assert len({c.dedup_key for c in asb}) == 3
    violence = session.exec(select(Crime).where(Crime.crime_id.is_not(None)).order_by(Crime.id)).first()  # type: ignore[union-attr]
    assert violence is not None and violence.dedup_key == violence.crime_id
    assert violence.month == date(2024, 1, 1) and violence.source_file == "2024-01-bucks-street.csv"
    assert (violence.lsoa_code, violence.lsoa_name, violence.outcome) == ("E01017862", "Wycombe 011A",
                                                                          "Under investigation")
    assert violence.falls_within == "Thames Valley Police"
    assert violence.easting == pytest.approx(486_500, abs=600) and violence.northing == pytest.approx(192_900, abs=600)


def test_rows_without_coordinates_are_stored_but_flagged(session: Session) -> None:
    import_crimes(session, [JANUARY], actor="planner")
    unlocated = session.exec(select(Crime).where(Crime.longitude.is_(None))).all()  # type: ignore[union-attr]
    assert sorted(c.category for c in unlocated) == ["Bicycle theft", "Robbery"]
    assert all(c.latitude is None and c.easting is None and c.northing is None for c in unlocated)


def test_a_bounding_box_keeps_only_the_councils_crimes(session: Session) -> None:
    record, summary = import_crimes(session, [JANUARY, FEBRUARY], area=WYCOMBE, actor="planner")
    assert (summary.rows, summary.added, summary.outside_area, summary.unplaced) == (11, 7, 1, 3)
    # Unlocated rows cannot be placed in the area: counted, not stored (a force's are not all the council's).
    assert summary.without_location == 0 and record.unplaced == 3
    assert not session.exec(select(Crime).where(Crime.longitude.is_(None))).all()  # type: ignore[union-attr]
    assert not session.exec(select(Crime).where(Crime.lsoa_name.startswith("Barnet"))).all()  # type: ignore[attr-defined]
    assert record.outside_area == 1 and record.area.startswith("bounding box (longitude/latitude)")


def test_a_malformed_file_is_refused_and_nothing_is_written(database: Database) -> None:
    with pytest.raises(PoliceFileError) as caught, database.transaction("planner") as session:
        import_crimes(session, [JANUARY, MALFORMED], actor="planner")
    assert (caught.value.file, caught.value.line) == ("2024-05-bucks-street.csv", 4)
    assert "expected 12 cells, found 11" in str(caught.value)
    with database.session("check") as session:
        assert crime_count(session) == 0
        assert session.exec(select(func.count()).select_from(CrimeImport)).one() == 0


def test_skipping_bad_rows_imports_the_rest_and_reports_each(session: Session) -> None:
    seen: list[PoliceFileError] = []
    record, summary = import_crimes(session, [JANUARY, MALFORMED], actor="planner", on_problem=seen.append)
    assert [(p.file, p.line) for p in seen] == [("2024-05-bucks-street.csv", 4)]
    assert [(p.file, p.line) for p in summary.problems] == [("2024-05-bucks-street.csv", 4)]
    assert (summary.rows, summary.added) == (11, 11)
    assert summary.missing_months() == [date(2024, m, 1) for m in (2, 3, 4)]
    assert record.problem_rows == 1
    assert record.problems() == [{"file": "2024-05-bucks-street.csv", "line": 4,
                                  "reason": "expected 12 cells, found 11"}]
    assert "1 malformed row skipped" in "\n".join(summary.lines())


def test_a_value_too_long_for_its_column_is_a_malformed_row(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "2024-06-long-street.csv"
    path.write_text(f"{HEADER}\n{'x' * 101},2024-06,TVP,TVP,-0.75,51.63,On or near A Street,E01017862,W,Robbery,,\n"
                    "ok1,2024-06,TVP,TVP,-0.75,51.63,On or near A Street,E01017862,W,Robbery,,\n", encoding="utf-8")
    with pytest.raises(PoliceFileError, match="line 2: Crime ID is longer than 100 characters"):
        import_crimes(session, [path], actor="planner")
    session.rollback()
    problems: list[PoliceFileError] = []
    _, summary = import_crimes(session, [path], actor="planner", on_problem=problems.append)
    assert summary.added == 1 and [p.line for p in problems] == [2]


def test_an_empty_folder_is_named_as_the_wrong_path(session: Session, tmp_path: Path) -> None:
    with pytest.raises(PoliceFileError, match=r"no police\.uk street-level CSV"):
        import_crimes(session, [tmp_path], actor="planner")


def test_months_missing_are_named_and_filled_by_a_later_import(session: Session) -> None:
    _, summary = import_crimes(session, [JANUARY, MONTHLY / "2024-03"], actor="planner")
    assert summary.missing_months() == [date(2024, 2, 1)]
    assert "Months with no data: Feb 2024." in "\n".join(summary.lines())
    _, summary = import_crimes(session, [FEBRUARY], actor="planner")
    assert summary.missing_months() == []
    assert stored_crimes(session).missing_months() == []


def test_the_crimes_read_back_equal_the_crimes_read(session: Session) -> None:
    import_crimes(session, ALL, actor="planner")
    session.commit()
    read = CrimeSet.from_records(read_crimes(JANUARY, FEBRUARY, MONTHLY))  # the zip only repeats the folder
    loaded = load_crimes(session)
    assert len(loaded) == len(read) == 16
    np.testing.assert_allclose(loaded.easting, read.easting, rtol=0, atol=1e-6)  # NaN where unlocated, in both
    np.testing.assert_allclose(loaded.northing, read.northing, rtol=0, atol=1e-6)
    np.testing.assert_array_equal(loaded.month, read.month)
    np.testing.assert_array_equal(loaded.category_names(), read.category_names())
    # The labels and LSOAs come back too: they name where each site is (siting.model.place).
    np.testing.assert_array_equal(loaded.location_names(), read.location_names())
    assert loaded.lsoa_pairs() == read.lsoa_pairs() and ("E01017862", "Wycombe 011A") in loaded.lsoa_pairs()


def test_crimes_can_be_read_for_some_months_and_categories(session: Session) -> None:
    import_crimes(session, ALL, actor="planner")
    spring = load_crimes(session, first_month="2024-02", last_month=date(2024, 3, 1))
    assert sorted(set(spring.month.tolist())) == [month_index("2024-02"), month_index("2024-03")]
    assert len(spring) == 5
    asb = load_crimes(session, categories=["Anti-social behaviour"])
    assert len(asb) == 7 and asb.categories == ("Anti-social behaviour",)
    assert len(load_crimes(session, first_month="2030-01")) == 0


def test_an_empty_database_reads_back_no_crimes(session: Session) -> None:
    crimes = load_crimes(session)
    assert len(crimes) == 0 and crime_months(session) == []
    stored = stored_crimes(session)
    assert (stored.total, stored.imports, stored.last_import, stored.missing_months()) == (0, 0, None, [])


def test_the_stored_counts_sum_the_imports(session: Session) -> None:
    import_crimes(session, [JANUARY], actor="planner")
    record, _ = import_crimes(session, [FEBRUARY, MONTHLY], actor="analyst")
    stored = stored_crimes(session)
    assert stored.total == 16 and stored.without_location == 3 and stored.imports == 2
    assert stored.by_month[date(2024, 4, 1)] == 3 and stored.without_location_by_month[date(2024, 1, 1)] == 2
    assert stored.by_category["Anti-social behaviour"] == 7
    assert list(stored.by_category.values()) == sorted(stored.by_category.values(), reverse=True)
    assert stored.last_import is not None and stored.last_import.id == record.id


def _unique_key_index(session: Session) -> list[bool]:
    indexes = inspect(session.connection()).get_indexes("crime")
    return [bool(index["unique"]) for index in indexes if index["name"] == "ix_crime_dedup_key"]


def test_a_large_load_onto_stored_crimes_keeps_the_first_of_each_key_and_the_unique_index(
        database: Database) -> None:
    # On SQLite a load at least as large as what is stored drops the key's unique index and keeps keys unique
    # itself; the outcome must be what ON CONFLICT DO NOTHING gives, and the index must be back afterwards.
    with database.transaction("planner") as session:
        import_crimes(session, [JANUARY], actor="planner")
    with pytest.raises(PoliceFileError), database.transaction("planner") as session:
        import_crimes(session, [FEBRUARY, MALFORMED], actor="planner")  # refused: rolled back, index and all
    with database.transaction("planner") as session:
        record, summary = import_crimes(session, [FEBRUARY, MONTHLY, FIXTURES / "monthly.zip", JANUARY],
                                        actor="planner")
    # February 3 and the monthly folder's 5 are new; the zip repeats the folder and January is stored.
    assert (summary.rows, summary.added, summary.duplicates) == (21, 8, 13)
    with database.session("check") as session:
        assert crime_count(session) == 16
        assert _unique_key_index(session) == [True]
        first_march = session.exec(select(Crime).where(Crime.month == date(2024, 3, 1)).order_by(Crime.id)).first()
        assert first_march is not None and first_march.source_file == "2024-03-bucks-street.csv"  # the folder's
        key = session.exec(select(Crime.dedup_key).limit(1)).one()
    with pytest.raises(IntegrityError), database.transaction("planner") as session:
        session.add(Crime(dedup_key=key, month=date(2024, 1, 1), category="Robbery", import_id=record.id))
        session.flush()
