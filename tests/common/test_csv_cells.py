"""CSV injection: every cell that a spreadsheet would run as a formula goes out as text; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.csv_cells import TRIGGERS, SafeWriter, formula_safe


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd",
                                  "-cmd|' /C calc'!A0", "=1", "-", "+", "-1e5", "- 3"])
def test_a_formula_is_quoted(cell: str) -> None:
    assert formula_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-0.7493", "-12.5", "+3", "42", "plain", "", "a=b", " =1"])
def test_text_that_cannot_run_is_unchanged(cell: str) -> None:
    assert formula_safe(cell) == cell


def test_numbers_stay_numbers() -> None:
    assert formula_safe(-0.75) == -0.75
    assert formula_safe(-3) == -3
    assert formula_safe(Decimal("-1.50")) == Decimal("-1.50")
    assert formula_safe(None) == ""
    assert formula_safe(True) == "True"


@given(st.text())
def test_no_written_cell_starts_with_a_trigger_unless_it_is_a_plain_number(text: str) -> None:
    out = io.StringIO()
    SafeWriter(out).writerow([text])
    [cell] = next(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert not cell.startswith(TRIGGERS) or formula_safe(cell) == cell
    assert cell.removeprefix("'") == text or cell == text
