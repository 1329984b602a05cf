"""Reading data.police.uk street-level files: the quirks of real files, each with a small fixture file."""

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from siting.sources.area import AreaFilter
from siting.sources.police import (
    RECORD_FIELDS,
    CrimeRecord,
    PoliceFileError,
    find_sources,
    parse_stream,
    read_crime_rows,
    read_crimes,
)
from tests.siting.helpers import FIXTURES, HERTS

JANUARY = FIXTURES / "2024-01-bucks-street.csv"
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
          "Last outcome category,Context")
TV = "Thames Valley Police,Thames Valley Police"


def parse(text: str, **kwargs) -> list[CrimeRecord]:
    return list(parse_stream(io.StringIO(text, newline=""), "test.csv", **kwargs))


def test_a_plain_file_reads_every_row_with_its_line() -> None:
    records = list(read_crimes(JANUARY))
    assert len(records) == 8
    first = records[0]
    assert first.crime_id.startswith("a1b2c3")
    assert first.month == date(2024, 1, 1)
    assert first.category == "Violence and sexual offences"
    assert (first.longitude, first.latitude) == (-0.75173, 51.628276)
    assert first.location == "On or near High Street"
    assert (first.lsoa_code, first.lsoa_name) == ("E01017862", "Wycombe 011A")
    assert first.outcome == "Under investigation"
    assert first.falls_within == "Thames Valley Police"
    assert (first.source, first.line) == ("2024-01-bucks-street.csv", 2)
    assert [r.line for r in records] == list(range(2, 10))
    assert records[6].location == "On or near Queen's Square, Wycombe"  # a quoted comma stays in its cell


def test_anti_social_behaviour_has_no_crime_id_but_a_stable_key() -> None:
    records = list(read_crimes(JANUARY))
    asb = [r for r in records if r.category == "Anti-social behaviour"]
    assert len(asb) == 3 and all(r.crime_id is None for r in asb)
    # Two identical rows are two incidents: both kept, with different keys.
    assert asb[0].dedup_key != asb[1].dedup_key
    assert len({r.dedup_key for r in records}) == len(records)
    # Crimes with an id are keyed by it.
    assert records[0].dedup_key == records[0].crime_id
    # Re-reading the same file gives the same keys, so re-importing a month adds nothing.
    assert [r.dedup_key for r in read_crimes(JANUARY)] == [r.dedup_key for r in records]


def test_rows_without_coordinates_keep_none() -> None:
    records = list(read_crimes(JANUARY))
    missing = [r for r in records if not r.has_location]
    assert [r.category for r in missing] == ["Bicycle theft", "Robbery"]
    assert all(r.longitude is None and r.latitude is None and r.location == "No Location" for r in missing)


def test_crlf_and_a_byte_order_mark() -> None:
    path = FIXTURES / "crlf" / "2024-02-bucks-street.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    records = list(read_crimes(path))
    assert [r.category for r in records] == ["Robbery", "Anti-social behaviour", "Shoplifting"]
    assert records[0].crime_id.startswith("f607")  # the BOM did not stick to "Crime ID"
    assert all("\r" not in value for r in records for value in (r.context, r.outcome, r.crime_id or ""))


def test_line_endings_do_not_change_the_keys(tmp_path: Path) -> None:
    crlf = tmp_path / "2024-01-bucks-street.csv"
    crlf.write_bytes(b"\xef\xbb\xbf" + JANUARY.read_bytes().replace(b"\n", b"\r\n"))
    assert [r.dedup_key for r in read_crimes(crlf)] == [r.dedup_key for r in read_crimes(JANUARY)]


def test_a_zip_of_monthly_folders_reads_only_street_files() -> None:
    sources = find_sources(FIXTURES / "monthly.zip")
    assert [s.name for s in sources] == ["monthly.zip!2024-03/2024-03-bucks-street.csv",
                                         "monthly.zip!2024-04/2024-04-bucks-street.csv"]
    records = list(read_crimes(FIXTURES / "monthly.zip"))
    assert Counter(r.month for r in records) == {date(2024, 3, 1): 2, date(2024, 4, 1): 3}
    assert records[0].source == "monthly.zip!2024-03/2024-03-bucks-street.csv"
    assert sources[0].size == (FIXTURES / "monthly" / "2024-03" / "2024-03-bucks-street.csv").stat().st_size


def test_a_folder_is_searched_recursively_for_street_files() -> None:
    sources = find_sources(FIXTURES / "monthly")
    assert [s.path.name for s in sources] == ["2024-03-bucks-street.csv", "2024-04-bucks-street.csv"]
    from_folder = [r.dedup_key for r in read_crimes(FIXTURES / "monthly")]
    from_zip = [r.dedup_key for r in read_crimes(FIXTURES / "monthly.zip")]
    assert from_folder == from_zip  # the same month imported twice, from either form, has the same keys
    assert len(from_folder) == 5


def test_several_paths_at_once_and_the_fast_tuple_path() -> None:
    paths = (JANUARY, FIXTURES / "crlf", FIXTURES / "monthly.zip")
    records = list(read_crimes(*paths))
    rows = list(read_crime_rows(*paths))
    assert len(records) == len(rows) == 8 + 3 + 5
    assert [CrimeRecord.from_row(row) for row in rows] == records
    assert RECORD_FIELDS[0] == "crime_id" and RECORD_FIELDS[-1] == "dedup_key"


def test_a_malformed_row_names_the_file_and_line() -> None:
    path = FIXTURES / "malformed" / "2024-05-bucks-street.csv"
    with pytest.raises(PoliceFileError) as caught:
        list(read_crimes(path))
    assert caught.value.file == "2024-05-bucks-street.csv" and caught.value.line == 4
    assert "2024-05-bucks-street.csv, line 4: expected 12 cells, found 11" in str(caught.value)


def test_problems_can_be_collected_keeping_the_good_rows() -> None:
    problems: list[PoliceFileError] = []
    records = list(read_crimes(FIXTURES / "malformed", on_problem=problems.append))
    assert [r.line for r in records] == [2, 3, 5]
    assert [(p.line, p.reason) for p in problems] == [(4, "expected 12 cells, found 11")]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (f"x,2024-13,{TV},-0.75,51.6,Here,E1,N,Robbery,,", "month '2024-13' is not YYYY-MM"),
        (f"x,Jan 2024,{TV},-0.75,51.6,Here,E1,N,Robbery,,", "month 'Jan 2024' is not YYYY-MM"),
        (f"x,2024-01,{TV},west,51.6,Here,E1,N,Robbery,,", "coordinate 'west', '51.6' is not a longitude and latitude"),
        (f"x,2024-01,{TV},-0.75,951.6,Here,E1,N,Robbery,,", "is not a longitude and latitude"),
        (f"x,2024-01,{TV},nan,51.6,Here,E1,N,Robbery,,", "is not a longitude and latitude"),
        (f"x,2024-01,{TV},-0.75,,Here,E1,N,Robbery,,", "only one of Longitude and Latitude is given"),
        (f"x,2024-01,{TV},-0.75,51.6,Here,E1,N,,,", "blank Crime type"),
    ],
)
def test_bad_cells_are_malformed_rows(row: str, reason: str) -> None:
    good = f"y,2024-01,{TV},-0.75,51.6,Here,E1,N,Burglary,,"
    with pytest.raises(PoliceFileError, match=f"test.csv, line 3: .*{reason.split(chr(39))[0]}"):
        parse(f"{HEADER}\n{good}\n{row}\n")
    problems: list[PoliceFileError] = []
    assert len(parse(f"{HEADER}\n{good}\n{row}\n{good}\n", on_problem=problems.append)) == 2
    assert problems[0].line == 3 and reason in problems[0].reason


def test_a_missing_column_always_raises_even_when_collecting() -> None:
    text = HEADER.replace(",Crime type", "") + "\n"
    with pytest.raises(PoliceFileError, match=r"line 1: .*missing column.*Crime type"):
        parse(text, on_problem=lambda p: None)
    with pytest.raises(PoliceFileError, match="empty"):
        parse("")


def test_blank_lines_and_surrounding_spaces_are_tolerated() -> None:
    text = f"{HEADER}\n\n y ,2024-01,{TV}, -0.75 , 51.6 ,Here,E1,N, Burglary ,,\n\n"
    [record] = parse(text)
    assert (record.crime_id, record.longitude, record.latitude, record.category) == ("y", -0.75, 51.6, "Burglary")
    assert record.line == 3


def test_a_file_that_is_not_utf8_or_not_a_zip(tmp_path: Path) -> None:
    latin = tmp_path / "2024-01-x-street.csv"
    latin.write_bytes((HEADER + f"\ny,2024-01,{TV},-0.75,51.6,Caf\xe9,E1,N,Burglary,,\n").encode("latin-1"))
    with pytest.raises(PoliceFileError, match="not UTF-8"):
        list(read_crimes(latin))
    with pytest.raises(PoliceFileError, match="no such file"):
        find_sources(tmp_path / "missing")


def test_an_area_filter_drops_a_forces_rows_outside_the_council() -> None:
    records = [r for r in read_crimes(JANUARY) if r.has_location]
    area = AreaFilter.from_bbox(-1.1, 51.45, -0.45, 51.75)  # roughly Wycombe district
    inside = area.contains([r.longitude for r in records], [r.latitude for r in records])
    assert [r.lsoa_name for r, keep in zip(records, inside, strict=True) if not keep] == ["Barnet 004E"]


@pytest.mark.skipif(not HERTS.is_dir(), reason="shared police.uk data not present")
def test_a_real_hertfordshire_month_matches_a_plain_csv_read() -> None:
    path = HERTS / "2025-01-hertfordshire-street.csv"
    with open(path, newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    records = list(read_crimes(path))
    assert len(records) == len(rows)
    assert sum(r.crime_id is None for r in records) == sum(not row["Crime ID"] for row in rows)
    assert sum(not r.has_location for r in records) == sum(not row["Longitude"] for row in rows)
    assert Counter(r.category for r in records) == Counter(row["Crime type"] for row in rows)
    assert {r.month for r in records} == {date(2025, 1, 1)}
    assert len({r.dedup_key for r in records}) == len(records)
    lon = np.array([r.longitude for r in records if r.has_location])
    assert np.allclose(lon, [float(row["Longitude"]) for row in rows if row["Longitude"]])
