"""Every CSV the system writes goes through here, so no cell can run as a spreadsheet formula (CSV injection).

The OWASP rule: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single
quote, which a spreadsheet shows as text and never evaluates. A camera's name or note typed as `=HYPERLINK(...)` or
`@SUM(...)` therefore goes out as `'=HYPERLINK(...)`.

Decision: genuine numbers stay numbers. An int, float or Decimal is written as it is, and so is text that is wholly a
plain decimal number ("-0.7493", "-12.5", "+3"): a spreadsheet reads it as a value and it cannot call anything, and
the Advisory Group's CSVs are meant to be summed ("percent change -12.5"). Anything else that starts with a
trigger (a "-" followed by more than digits, such as "-1+2" or "-cmd|...") is quoted.
"""

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?")


def formula_safe(value: Any) -> Any:
    """One cell made safe: a number as it is, None as '', text starting with a trigger prefixed with a quote."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Each cell of a row through `formula_safe`."""
    return [formula_safe(value) for value in row]


class SafeWriter:
    """csv.writer whose every cell goes through `formula_safe` (the header too: it is cells like any other)."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
