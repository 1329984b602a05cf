"""The columnar police.uk parser: what the row reader promised (lines, problems in order, keys) holds however the
file is cut into chunks and whatever its cells span."""

import csv
import hashlib
import io
from dataclasses import fields
from datetime import date

import numpy as np
import pytest

from siting.sources.police import RECORD_FIELDS, CrimeColumns, PoliceFileError, parse_stream
from siting.sources.police_columns import parse_columns
from tests.siting.helpers import FIXTURES

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
          "Last outcome category,Context")
TV = "Thames Valley Police,Thames Valley Police"
ASB = f",2024-01,{TV},-0.75,51.6,On or near Here,E1,N,Anti-social behaviour,,"


def chunks(text: str, chunk_rows: int, **kwargs) -> list[CrimeColumns]:
    return list(parse_columns(io.StringIO(text, newline=""), "test.csv", max_rows=1_000, chunk_rows=chunk_rows,
                              **kwargs))


def test_the_columns_are_the_records_fields_in_order() -> None:
    assert tuple(f.name for f in fields(CrimeColumns)) == RECORD_FIELDS


def test_a_quoted_cell_spanning_lines_keeps_every_later_line_right() -> None:
    text = (f"{HEADER}\r\n"
            f'a,2024-01,{TV},-0.75,51.6,"On or near\r\nHigh Street",E1,N,Burglary,,\r\n'
            f'b,2024-01,{TV},-0.75,51.6,"Two\nbreaks\rhere",E1,N,Robbery,,\r\n'
            "\r\n"
            f"c,2024-01,{TV},-0.75,51.6,Here,E1,N,,,\r\n"
            f"d,2024-01,{TV},-0.75,51.6,Here,E1,N,Drugs,,\r\n")
    problems: list[PoliceFileError] = []
    records = list(parse_stream(io.StringIO(text, newline=""), "test.csv", on_problem=problems.append))
    # header 1; a: 2-3; b: 4-6 (a "\n" and a lone "\r" inside the cell); blank 7; c: 8; d: 9.
    assert [(r.crime_id, r.line) for r in records] == [("a", 3), ("b", 6), ("d", 9)]
    assert records[0].location == "On or near\r\nHigh Street"
    assert [(p.line, p.reason) for p in problems] == [(8, "blank Crime type")]


def test_chunks_give_the_same_rows_keys_and_problems_as_one_pass() -> None:
    rows = [ASB, f"x,2024-01,{TV},west,51.6,Here,E1,N,Robbery,,", ASB, "short,row", ASB, "", ASB]
    text = "\n".join([HEADER, *rows]) + "\n"
    whole_problems: list[PoliceFileError] = []
    small_problems: list[PoliceFileError] = []
    whole = chunks(text, 1_000, on_problem=whole_problems.append)
    small = chunks(text, 2, on_problem=small_problems.append)
    assert len(whole) == 1 and len(small) == 4  # two lines a chunk, each with one good row
    keys = [key for chunk in small for key in chunk.dedup_key]
    assert keys == list(whole[0].dedup_key)
    # The n-th identical anti-social behaviour row is the n-th incident, counted across chunks.
    expected = [hashlib.sha1(f"2024-01-01\x1fAnti-social behaviour\x1f-0.75,51.6\x1fOn or near Here\x1fE1\x1f{n}"
                             .encode()).hexdigest() for n in (1, 2, 3, 4)]
    assert keys == expected
    assert [line for chunk in small for line in chunk.line] == [2, 4, 6, 8]
    assert [(p.line, p.reason) for p in small_problems] == [(p.line, p.reason) for p in whole_problems] == [
        (3, "coordinate 'west', '51.6' is not a longitude and latitude"), (5, "expected 12 cells, found 2")]


def test_without_a_handler_the_first_problem_by_line_raises() -> None:
    # The month comes before the width in the file: the month's problem is the one named.
    text = "\n".join([HEADER, f"x,2024-1x,{TV},-0.75,51.6,Here,E1,N,Robbery,,", "short,row"]) + "\n"
    with pytest.raises(PoliceFileError, match=r"test.csv, line 2: month '2024-1x' is not YYYY-MM"):
        chunks(text, 1_000)


def test_columns_hold_nan_and_rows_hold_none_for_unlocated_crimes() -> None:
    [columns] = chunks("\n".join([HEADER, f"a,2024-01,{TV},,,No Location,E1,N,Robbery,,",
                                  f"b,2024-02,{TV}, -0.5 ,51.25,Here,E1,N,Robbery,,"]) + "\n", 1_000)
    assert np.isnan(columns.longitude[0]) and np.isnan(columns.latitude[0])
    assert columns.located.tolist() == [False, True]
    assert list(columns.month) == [date(2024, 1, 1), date(2024, 2, 1)]
    first, second = columns.rows()
    assert (first[3], first[4]) == (None, None)
    assert (second[3], second[4]) == (-0.5, 51.25) and type(second[3]) is float
    assert columns.take(np.array([False, True])).crime_id == ["b"]


def test_the_row_limit_counts_lines_across_chunks() -> None:
    text = (FIXTURES / "2024-01-bucks-street.csv").read_text(encoding="utf-8-sig")  # 8 rows
    stream = io.StringIO(text, newline="")
    with pytest.raises(PoliceFileError, match=r"line 8: more than 6 rows"):
        list(parse_columns(stream, "bucks.csv", max_rows=6, chunk_rows=3))
    assert sum(map(len, parse_columns(io.StringIO(text, newline=""), "bucks.csv", max_rows=8, chunk_rows=3))) == 8


LINES = [HEADER, f"a,2024-01,{TV},-0.75,51.6, On or near  X ,E1,N,Burglary,,", "",
         f'b,2024-01,{TV},-0.75,51.6,"On or near Y, Z",E1,N,Robbery,,',
         f'c,2024-01,{TV},-0.75,51.6,"On or near\nW",E1,N,Drugs,,', "   ",
         f"d,2024-01,{TV},-0.75,51.6,Caf\u00e9 \u2028,E1,N,Drugs,,x", "e,short"]


def _by_csv(text: str) -> list[tuple]:
    """What csv.reader itself makes of the text: (crime id, location, context, line) of each 12-cell row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    return [(row[0], row[6], row[11], reader.line_num) for row in reader if len(row) == 12]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 1_000])
def test_lines_are_read_as_the_csv_module_reads_them(ending: str, chunk_rows: int) -> None:
    # Unquoted lines are split at their commas, quoted ones read by csv (a quoted cell may run on past a chunk).
    text = ending.join(LINES)  # no break after the last line
    problems: list[PoliceFileError] = []
    read = [(crime_id, location, context, line) for columns in chunks(text, chunk_rows, on_problem=problems.append)
            for crime_id, location, context, line in zip(columns.crime_id, columns.location, columns.context,
                                                         columns.line, strict=True)]
    assert read == _by_csv(text)
    assert [row[0] for row in read] == ["a", "b", "c", "d"] and read[2][1] == "On or near\nW"
    assert read[0][1] == " On or near  X " and read[3][3] == 8  # c spans lines 5 and 6; "   " is line 7
    assert [(p.line, p.reason) for p in problems] == [(9, "expected 12 cells, found 2")]
