"""The API's one reader of request bodies and query strings.

A body must be a JSON object sent as application/json: anything else (malformed JSON, another JSON type, a form, no
body) is 400 {"error": "<what is wrong>"}; a body past MAX_CONTENT_LENGTH is 413. Fields that a pydantic model refuses
are 422 {"error": [{"field": ..., "error": ...}, ...]}, for bodies and query strings alike, and so is any other
problem a view pins on a field (`unprocessable`).
"""

import json
from typing import Any, NoReturn, TypeVar

from flask import abort, request
from pydantic import BaseModel, ValidationError, WrapValidator
from pydantic_core import PydanticUseDefault

from cctv.web.inputs import DB_INT_MAX, DB_INT_MIN
from common.tabular import json_depth

ModelT = TypeVar("ModelT", bound=BaseModel)


# PostgreSQL cannot store a NUL in text, and no camera, place or narrative has one: in a body or a query string it is
# replaced by U+FFFD, the mark for a character that could not be read (its length and everything around it kept).
NUL = "\x00"
UNREADABLE = "\ufffd"
# A body nested deeper than this is refused before Python's recursion limit could turn it into a 500.
MAX_DEPTH = 32


def without_nul(value: Any) -> Any:
    """A JSON value with every NUL in its strings and keys replaced by U+FFFD."""
    if isinstance(value, str):
        return value.replace(NUL, UNREADABLE)
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


def _not_a_number(constant: str) -> NoReturn:
    raise ValueError(f"{constant} is not JSON")


def _kind_of(value: object) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number",
            type(None): "null"}.get(type(value), type(value).__name__)


def json_object() -> dict[str, Any]:
    """The request's body as a JSON object; 400 saying what is wrong with it otherwise (413 when too large)."""
    if not request.is_json:
        abort(400, description="send the body as a JSON object, with Content-Type: application/json")
    raw = request.get_data(cache=True)  # past MAX_CONTENT_LENGTH this raises 413
    try:
        text = raw.decode("utf-8")
        if json_depth(text) > MAX_DEPTH:
            abort(400, description=f"the body nests arrays and objects deeper than {MAX_DEPTH} levels")
        payload = without_nul(json.loads(text, parse_constant=_not_a_number))
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        abort(400, description=f"the body is not valid JSON: {exc}")
    if not isinstance(payload, dict):
        abort(400, description=f"send the body as a JSON object, not {_kind_of(payload)}")
    return payload


def _message(error: Any) -> str:
    """pydantic's message, without the 'Value error, ' it puts before a validator's own words."""
    if error["type"] == "value_error" and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])
    return error["msg"]


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """A ValidationError as the API's list of {field, error} (a nested field as 'cameras.0')."""
    return [{"field": ".".join(map(str, e["loc"])), "error": _message(e)} for e in exc.errors()]


def unprocessable(problems: dict[str, str] | list[dict[str, str]]) -> NoReturn:
    """Answer 422 with the fields at fault, given as {field: error} or as a list of {field, error}."""
    if isinstance(problems, dict):
        problems = [{"field": field, "error": message} for field, message in problems.items()]
    abort(422, description=problems)


def _out_of_range(value: Any, path: str = "") -> list[dict[str, str]]:
    """The fields (as 'cameras.0') holding an integer past the database's INTEGER: no id, count or day total can be
    one, and PostgreSQL would refuse it with an error rather than find nothing."""
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _out_of_range(item, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _out_of_range(item, f"{path}.{i}" if path else str(i))]
    if isinstance(value, int) and not isinstance(value, bool) and not DB_INT_MIN <= value <= DB_INT_MAX:
        return [{"field": path, "error": f"must be between {DB_INT_MIN} and {DB_INT_MAX}"}]
    return []


def parse_body(model: type[ModelT]) -> ModelT:
    """The JSON object body validated as `model`: 400 when it is not a JSON object, 422 with the fields at fault
    (an integer past the database's range among them)."""
    payload = json_object()
    if problems := _out_of_range(payload):
        unprocessable(problems)
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        unprocessable(field_errors(exc))


def parse_query(model: type[ModelT]) -> ModelT:
    """The query string validated as `model` (the first value of a repeated parameter); 422 with the fields at
    fault, unless the field is LENIENT."""
    try:
        return model.model_validate(without_nul(request.args.to_dict()))
    except ValidationError as exc:
        unprocessable(field_errors(exc))


def _default_when_invalid(value: Any, handler: Any) -> Any:
    try:
        return handler(value)
    except ValidationError:
        raise PydanticUseDefault() from None


# A query field that takes its default when its value cannot be read (?page=abc is page 1), as the list pages do.
LENIENT = WrapValidator(_default_when_invalid)


def is_lenient(model: type[BaseModel]) -> bool:
    """Whether every field of a query model is LENIENT, so that the model can never answer 422."""
    return all(LENIENT in info.metadata for info in model.model_fields.values())
