"""The import summary the CLI prints and the upload page shows."""

import pickle
from datetime import date

from siting.sources.import_summary import ImportSummary
from siting.sources.police import PoliceFileError, read_crimes
from tests.siting.helpers import FIXTURES


def test_an_import_summary_counts_added_duplicate_and_outside_rows() -> None:
    summary = ImportSummary(files=["2024-01-bucks-street.csv", "monthly.zip"])
    seen: set[str] = set()
    for record in read_crimes(FIXTURES / "2024-01-bucks-street.csv", FIXTURES / "monthly.zip",
                              FIXTURES / "monthly"):
        outside = record.lsoa_name.startswith("Barnet")
        summary.add(record, outside=outside, duplicate=record.dedup_key in seen)
        seen.add(record.dedup_key)
    assert (summary.rows, summary.added, summary.duplicates, summary.outside_area) == (18, 12, 5, 1)
    assert summary.without_location == 2
    assert summary.by_month() == {date(2024, 1, 1): 7, date(2024, 3, 1): 2, date(2024, 4, 1): 3}
    assert summary.by_category()["Anti-social behaviour"] == 6
    assert summary.missing_months() == [date(2024, 2, 1)]
    assert summary.missing_months(present={date(2024, 2, 1)}) == []
    assert summary.missing_months(date(2023, 12, 1), date(2024, 5, 1)) == [date(2023, 12, 1), date(2024, 2, 1),
                                                                           date(2024, 5, 1)]
    summary.problems.append(PoliceFileError("x.csv", 4, "expected 12 cells, found 11"))
    text = "\n".join(summary.lines())
    assert "18 rows read from 2 files: 12 added, 5 already imported (skipped), 1 outside the area." in text
    assert "Per month: Jan 2024 7, Mar 2024 2, Apr 2024 3." in text
    assert "Months with no data: Feb 2024." in text
    assert "1 malformed row skipped, first: x.csv, line 4: expected 12 cells, found 11" in text


def test_a_police_file_error_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(PoliceFileError("x.csv", 4, "bad")))
    assert (error.file, error.line, error.reason, str(error)) == ("x.csv", 4, "bad", "x.csv, line 4: bad")
