"""The Advisory Group CSVs never write a cell a spreadsheet would run as a formula (common.csv_cells)."""

import csv
import io

import pytest

from cctv.outcomes import csvs


def test_the_outcomes_csvs_quote_formulas(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = (["Town", "Incidents", "Change %"], [["=cmd|'/C calc'!A0", "3", "-12.5"]])
    monkeypatch.setitem(csvs._BUILDERS, "towns", lambda pack: rows)
    parsed = list(csv.reader(io.StringIO(csvs.table_csv("towns", pack=None))))  # type: ignore[arg-type]
    assert parsed == [["Town", "Incidents", "Change %"], ["'=cmd|'/C calc'!A0", "3", "-12.5"]]
