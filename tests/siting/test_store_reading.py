"""Reading stored crimes by window and area (issue 15), on SQLite and PostgreSQL: what `load_crimes` and
`load_window` give equals every stored row read plainly through the ORM and filtered by hand, whatever path
changed the table; and the bulk import keeps the same rows, all or nothing, with its index and durability put back.
"""

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete, inspect, text
from sqlmodel import Session, select

from cctv.db import Database
from siting.model.inputs import CrimeSet, Site, month_index
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from siting.sources.police import PoliceFileError
from siting.store.crimes import import_crimes
from siting.store.reading import load_crimes, load_window
from siting.store.tables import Crime, CrimeImport, CrimeMonthColumns
from tests.siting.helpers import FIXTURES

JANUARY = FIXTURES / "2024-01-bucks-street.csv"
FEBRUARY = FIXTURES / "crlf"
MONTHLY = FIXTURES / "monthly"
ALL = [JANUARY, FEBRUARY, MONTHLY, FIXTURES / "monthly.zip"]  # the zip repeats the folder: duplicates across files
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
          "Last outcome category,Context")


def plain_rows(session: Session) -> list[Crime]:
    """Every stored crime through the ORM, in the order the store promises: by month, then as imported."""
    return list(session.exec(select(Crime).order_by(Crime.month, Crime.id)).all())  # type: ignore[arg-type]


def assert_same(crimes: CrimeSet, rows: list[Crime]) -> None:
    """The columns hold exactly these rows, in this order."""
    assert len(crimes) == len(rows)
    nan = float("nan")
    np.testing.assert_array_equal(crimes.easting, [nan if r.easting is None else r.easting for r in rows])
    np.testing.assert_array_equal(crimes.northing, [nan if r.northing is None else r.northing for r in rows])
    assert crimes.month.tolist() == [month_index(r.month) for r in rows]
    assert crimes.category_names().tolist() == [r.category for r in rows]
    assert crimes.location_names().tolist() == [r.location for r in rows]
    assert crimes.lsoa_pairs() == [(r.lsoa_code, r.lsoa_name) for r in rows]


def test_the_columns_read_back_are_the_rows_stored(session: Session) -> None:
    import_crimes(session, ALL, actor="planner")
    session.commit()
    rows = plain_rows(session)
    assert len(rows) == 16  # 21 read, 5 duplicates of the folder in the zip
    assert_same(load_crimes(session), rows)


def test_windowed_reading_equals_filtering_everything(session: Session) -> None:
    import_crimes(session, ALL, actor="planner")
    session.commit()
    rows = plain_rows(session)
    # A box around Wycombe leaves out the January Barnet row and every unlocated row.
    box = (480_000.0, 185_000.0, 495_000.0, 200_000.0)
    cases = [
        ({"first_month": "2024-02", "last_month": date(2024, 3, 1)},
         lambda r: date(2024, 2, 1) <= r.month <= date(2024, 3, 1)),
        ({"first_month": "2024-03"}, lambda r: r.month >= date(2024, 3, 1)),
        ({"last_month": "2024-01"}, lambda r: r.month <= date(2024, 1, 1)),
        ({"bounds": box}, lambda r: r.easting is not None and 480_000 <= r.easting <= 495_000
         and 185_000 <= r.northing <= 200_000),
        ({"first_month": "2024-02", "bounds": box}, lambda r: r.month >= date(2024, 2, 1) and r.easting is not None
         and 480_000 <= r.easting <= 495_000 and 185_000 <= r.northing <= 200_000),
        ({"first_month": "2030-01"}, lambda r: False),
    ]
    for arguments, keep in cases:
        expected = [r for r in rows if keep(r)]
        assert_same(load_crimes(session, **arguments), expected)
    in_box = [r for r in rows if r.easting is not None and 480_000 <= r.easting <= 495_000]
    assert 0 < len(in_box) < len(rows) - 3  # the box really leaves rows out
    asb = load_crimes(session, categories=["Anti-social behaviour"])
    assert_same(asb, [r for r in rows if r.category == "Anti-social behaviour"])
    assert asb.categories == ("Anti-social behaviour",)


def test_a_change_made_outside_the_importer_is_read_at_once(session: Session) -> None:
    import_crimes(session, [JANUARY, FEBRUARY], actor="planner")
    session.commit()
    # Another path (a re-filter, a deleted import) removes rows without knowing about the packed columns.
    session.exec(delete(Crime).where(Crime.category == "Anti-social behaviour"))  # type: ignore[call-overload]
    session.commit()
    assert_same(load_crimes(session), plain_rows(session))
    # The next import packs the changed month again, and adds its own months.
    import_crimes(session, [MONTHLY], actor="planner")
    session.commit()
    rows = plain_rows(session)
    assert_same(load_crimes(session), rows)
    packed = {p.month: p.rows for p in session.exec(select(CrimeMonthColumns)).all()}
    assert packed == {m: sum(r.month == m for r in rows) for m in {r.month for r in rows}}


def test_re_importing_overlapping_months_keeps_the_columns_exact(session: Session, tmp_path: Path) -> None:
    import_crimes(session, [JANUARY], actor="planner")
    session.commit()
    # A later file for January with one new crime and one already stored: the month is read back, not guessed.
    lines = JANUARY.read_text(encoding="utf-8-sig").splitlines()
    extra = tmp_path / "2024-01-more-street.csv"
    new_row = lines[1].split(",")
    new_row[0] = "brand-new-crime-id"
    extra.write_text("\n".join([lines[0], lines[1], ",".join(new_row)]) + "\n", encoding="utf-8")
    _, summary = import_crimes(session, [extra], actor="planner")
    session.commit()
    assert (summary.added, summary.duplicates) == (1, 1)
    assert_same(load_crimes(session), plain_rows(session))


def test_the_window_read_gives_the_same_run_as_every_crime(session: Session) -> None:
    import_crimes(session, ALL, actor="planner")
    session.commit()
    everything = load_crimes(session)
    sites = [Site.at("a", 486_500, 192_900), Site.at("b", 486_000, 193_300)]
    for params in (ModelParams(), ModelParams(end_month="2024-03"), ModelParams(window_months=12)):
        window = load_window(session, end_month=params.end_month, window_months=params.window_months)
        ours = score_sites(window, sites, np.empty((0, 2)), params).to_dict()
        theirs = score_sites(everything, sites, np.empty((0, 2)), params).to_dict()
        # The run's counts of crimes read are the window's; everything else is the same run.
        read = ours.pop("counts"), theirs.pop("counts")
        assert ours == theirs
        assert read[0]["crimes_total"] == len(window) and read[1]["crimes_total"] == len(everything)
        assert {k: v for k, v in read[0].items() if k not in ("crimes_total", "crimes_without_location")} == \
            {k: v for k, v in read[1].items() if k not in ("crimes_total", "crimes_without_location")}
    # A window that ends before the last month leaves the later months unread.
    march = load_window(session, end_month="2024-03", window_months=12)
    assert set(march.month.tolist()) == {month_index(f"2024-0{m}") for m in (1, 2, 3)}


def test_a_window_whose_first_months_are_missing_reads_the_earliest_month_too(session: Session,
                                                                              tmp_path: Path) -> None:
    # Held: January 2020, then January-April 2024. The default window, measured from January 2020, is the
    # longest, 36 months (May 2021-April 2024), whose first months hold nothing: read alone, its months would make
    # the model choose a 12-month window. January 2020 is read too, and the model sees the same window.
    old = tmp_path / "2020-01-old-street.csv"
    old.write_text(f"{HEADER}\nold1,2020-01,TVP,TVP,-0.75,51.63,On or near A Street,E01017862,W,Robbery,,\n",
                   encoding="utf-8")
    import_crimes(session, [old, JANUARY, FEBRUARY, MONTHLY], actor="planner")
    session.commit()
    window = load_window(session)
    everything = load_crimes(session)
    assert set(window.month.tolist()) == {month_index(m) for m in ("2020-01", "2024-01", "2024-02", "2024-03",
                                                                   "2024-04")}
    sites = [Site.at("a", 486_500, 192_900)]
    ours = score_sites(window, sites, np.empty((0, 2)), ModelParams())
    theirs = score_sites(everything, sites, np.empty((0, 2)), ModelParams())
    assert (ours.window_first, ours.window_last) == (theirs.window_first, theirs.window_last) == \
        (date(2021, 5, 1), date(2024, 4, 1))


def test_a_refused_import_writes_no_crime_no_columns_and_keeps_the_index(database: Database, tmp_path: Path) -> None:
    bad = tmp_path / "2024-05-bad-street.csv"
    bad.write_text(f"{HEADER}\nx1,2024-05,TVP,TVP,-0.75,51.63,On or near A Street,E01017862,W,Robbery,,\n"
                   "x2,2024-05,TVP,TVP,-0.75,51.63\n", encoding="utf-8")
    with pytest.raises(PoliceFileError) as caught, database.transaction("planner") as session:
        import_crimes(session, [JANUARY, FEBRUARY, MONTHLY, bad], actor="planner")  # large: the index is rebuilt
    assert (caught.value.file, caught.value.line) == ("2024-05-bad-street.csv", 3)
    with database.session("check") as session:
        for table in (Crime, CrimeImport, CrimeMonthColumns):
            assert session.exec(select(table)).all() == []
        indexes = {index["name"] for index in inspect(session.connection()).get_indexes("crime")}
        assert "ix_crime_month_category" in indexes


def test_a_large_import_puts_back_the_index_and_the_durability(database: Database) -> None:
    with database.session("check") as session:
        before = session.connection().exec_driver_sql("PRAGMA synchronous").scalar() \
            if database.engine.dialect.name == "sqlite" else None
    with database.transaction("planner") as session:
        import_crimes(session, ALL, actor="planner")
    with database.session("check") as session:
        connection = session.connection()
        assert "ix_crime_month_category" in {i["name"] for i in inspect(connection).get_indexes("crime")}
        if before is not None:
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == before
        # The index is really there and used for a month range.
        assert connection.execute(text("SELECT count(*) FROM crime WHERE month >= :m"),
                                  {"m": date(2024, 3, 1)}).scalar() == 5


def test_deleting_an_import_packs_its_months_again(session: Session) -> None:
    from siting.store.imports import delete_import

    import_crimes(session, [JANUARY], actor="planner")
    second, _ = import_crimes(session, [FEBRUARY, MONTHLY], actor="planner")
    session.commit()
    assert second.id is not None and delete_import(session, second.id) == 8
    session.commit()
    rows = plain_rows(session)
    assert {r.month for r in rows} == {date(2024, 1, 1)}
    assert_same(load_crimes(session), rows)
    assert [(p.month, p.rows) for p in session.exec(select(CrimeMonthColumns)).all()] == [(date(2024, 1, 1), 8)]


def test_duplicates_in_and_across_files_keep_the_first_row(session: Session, tmp_path: Path) -> None:
    row = "{id},2024-07,TVP,TVP,-0.75,51.63,On or near {street},E01017862,Wycombe 011A,Robbery,{outcome},"
    first = tmp_path / "a" / "2024-07-first-street.csv"
    second = tmp_path / "b" / "2024-07-second-street.csv"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_text("\n".join([HEADER, row.format(id="c1", street="A Street", outcome="first"),
                                row.format(id="c2", street="B Street", outcome="first"),
                                row.format(id="c1", street="A Street", outcome="repeat in file")]) + "\n",
                     encoding="utf-8")
    second.write_text("\n".join([HEADER, row.format(id="c2", street="B Street", outcome="repeat across files"),
                                 row.format(id="c3", street="C Street", outcome="second")]) + "\n", encoding="utf-8")
    _, summary = import_crimes(session, [first, second], actor="planner")
    session.commit()
    assert (summary.rows, summary.added, summary.duplicates) == (5, 3, 2)
    rows = plain_rows(session)
    assert [(r.crime_id, r.outcome, r.source_file) for r in rows] == [
        ("c1", "first", "2024-07-first-street.csv"), ("c2", "first", "2024-07-first-street.csv"),
        ("c3", "second", "2024-07-second-street.csv")]
    assert_same(load_crimes(session), rows)  # the month was read back: the rows sent were not all stored


def test_an_import_past_the_packing_limit_leaves_its_months_to_crime(session: Session,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from siting.store.columns import PackBuilder

    monkeypatch.setattr(PackBuilder, "MAX_ROWS", 4)  # a nation's years, in miniature
    import_crimes(session, ALL, actor="planner")
    session.commit()
    assert session.exec(select(CrimeMonthColumns)).all() == []  # nothing packed: past the limit
    assert_same(load_crimes(session), plain_rows(session))  # read straight from crime, the same
