"""The one set of rules for what a request may carry in its path and query string.

Hostile input must get a clear 4xx, never a 500 (issue 17). Ids in paths go through `DbIdConverter` (registered as
Flask's `int`) and `ids_in_range`, so an id past the database's INTEGER range is simply no page (404) instead of an
overflow in the driver. Integers and dates read from a query string go through `db_int`, `bounded_int` and
`sane_day`, which refuse what the database or `datetime` cannot hold. `refuse_control_characters` answers 400 to a
NUL byte (PostgreSQL cannot store one) or another control character in a page's path, query string or form fields.
"""

from datetime import date

from flask import abort, request
from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**31 - 1  # PostgreSQL's INTEGER, the type of every id column; SQLite's is wider, so the narrower rules
DB_INT_MIN = -(2**31)
FIRST_DAY = date(1900, 1, 1)  # no camera, crime or incident is older; and a day's neighbours always exist
LAST_DAY = date(2199, 12, 31)
# Tab, line feed and carriage return are ordinary text in a form; every other C0 control, and DEL, is not.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
_CONTROLS = frozenset(chr(c) for c in [*range(32), 127]) - _ALLOWED_CONTROLS
_CONTROLS_IN_QUERY = _CONTROLS | {"\n", "\r"}  # a line break has no business in a URL
# The longest text any form field may carry, whatever its own limit (a DPIA section, a narrative: 20,000 at most).
# A field past it is refused before it reaches a form, a model or the database.
MAX_FIELD_CHARS = 100_000


class DbIdConverter(IntegerConverter):
    """`<int:...>` of at most 30 digits (a longer one matches no route). The range is checked by `ids_in_range`
    rather than here: Werkzeug answers a converter's refusal with 405 when another method has the same path."""

    regex = r"\d{1,30}"


def ids_in_range(_endpoint: str | None, values: dict | None) -> None:
    """Before a view: 404 for an id in its path past the database's INTEGER range (no such record can exist)."""
    if any(isinstance(v, int) and not DB_INT_MIN <= v <= DB_INT_MAX for v in (values or {}).values()):
        abort(404)


def db_int(text: str) -> int:
    """A query-string integer the database can hold; ValueError otherwise (so `args.get(..., type=db_int)` falls
    back to its default, as it does for 'abc')."""
    return bounded_int(text, DB_INT_MIN, DB_INT_MAX)


def page_number(text: str) -> int:
    """A page number from 1; ValueError for anything else."""
    return bounded_int(text, 1, DB_INT_MAX)


def bounded_int(text: str, low: int, high: int) -> int:
    """`text` as a decimal integer within [low, high]; ValueError otherwise (before converting a 5,000-digit one)."""
    text = text.strip()
    if len(text) > 20:
        raise ValueError("too many digits")
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"{value} is outside {low}..{high}")
    return value


def int_or_none(text: str | None, low: int = DB_INT_MIN, high: int = DB_INT_MAX) -> int | None:
    """A bounded integer from a query string, or None when absent, unreadable or out of range."""
    try:
        return bounded_int(text, low, high) if text not in (None, "") else None
    except ValueError:
        return None


def sane_day(text: str | None) -> date | None:
    """A date from YYYY-MM-DD between 1900 and 2199, or None when absent, unreadable or out of that range."""
    try:
        day = date.fromisoformat(text) if text and len(text) <= 10 else None
    except ValueError:
        return None
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None


def has_control_characters(text: str, *, in_query: bool = False) -> bool:
    """Whether text holds a NUL or another control character (in a form, tab and line breaks are allowed)."""
    return not (_CONTROLS_IN_QUERY if in_query else _CONTROLS).isdisjoint(text)


def refuse_control_characters() -> None:
    """Before every page request: 400 when the path, a query parameter or a form field holds a control character.

    Not under /api/: the API reads its input in one place (cctv/web/api/parsing.py), which keeps a NUL out of the
    database itself, so that what its OpenAPI document calls a valid string is accepted."""
    if request.path.startswith("/api/"):
        return
    if has_control_characters(request.path, in_query=True) or any(
            has_control_characters(key, in_query=True) or has_control_characters(value, in_query=True)
            for key, value in request.args.items(multi=True)):
        abort(400, description="The address holds a control character (such as a NUL byte); remove it.")
    is_form = request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
    if is_form and request.method in ("POST", "PUT", "PATCH") and any(
            has_control_characters(key) or has_control_characters(value)
            for key, value in request.form.items(multi=True)):
        abort(400, description="A field holds a control character (such as a NUL byte); remove it and resend.")
    if is_form and any(len(value) > MAX_FIELD_CHARS for value in request.form.values()):
        abort(400, description=f"A field is longer than the {MAX_FIELD_CHARS:,} characters any field may hold; "
                               "shorten it and resend.")
