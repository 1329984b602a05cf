"""What each API view takes and answers, declared once beside it; the view's request parsing, its reply and the
OpenAPI document (cctv/web/api/openapi.py) all read that one declaration, so a status cannot drift from its document.

    @bp.route("/cameras", methods=["POST"])
    @allow(EDIT_CAMERAS)
    @operation(body=CameraCreate, answer=CameraRead, status=201, errors={409: "The asset id is taken"})
    def create_camera(body: CameraCreate): ...

The view gets the validated body as `body` and the query string as `query`, and returns what `answer` validates (a
model, an ORM object, a dict), optionally with response headers: (value, {"Location": ...}). The statuses it can
answer are the success status, 401 and 403 from its @allow roles, 400, 413 and 422 from a body, 422 from a query
model that is not LENIENT, and the `errors` it raises itself with abort().
"""

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from http import HTTPStatus
from typing import Any

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel
from werkzeug.exceptions import HTTPException

from cctv.web.access import ANY_ROLE
from cctv.web.api.parsing import is_lenient, parse_body, parse_query

ViewFunc = Callable[..., Any]

# Why each status that the declaration adds by itself is answered.
NO_TOKEN = "No token, or one that is unknown, revoked, or of a disabled account"
ROLE = "The token's user has a role that may not do this"
NOT_AN_OBJECT = "The body is not a JSON object: malformed JSON, another JSON type, or not sent as application/json"
TOO_LARGE = "The body is larger than the server accepts"
BAD_FIELDS = "Fields at fault, each with why"
BAD_QUERY = "Query parameters at fault, each with why"


class Error(BaseModel):
    """Every error but 422: what went wrong, in words."""

    error: str


class FieldError(BaseModel):
    """One field at fault: its name (a nested one as 'cameras.0') and why."""

    field: str
    error: str


class FieldErrors(BaseModel):
    """A 422: the fields at fault."""

    error: list[FieldError]


@dataclass(frozen=True)
class Operation:
    """One API view's declaration: its body and query models, its answer and success status, and the error statuses
    it raises itself (each with why)."""

    summary: str
    description: str = ""
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    answer: type[BaseModel] | None = None
    status: int = 200
    errors: Mapping[int, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)  # success headers, with what they hold
    documented: bool = True

    def responses(self, roles: frozenset | None) -> dict[int, str]:
        """Every status this operation answers, with why, for a view guarded by these roles (None: public)."""
        found: dict[int, list[str]] = {self.status: [HTTPStatus(self.status).phrase]}

        def add(status: int, why: str) -> None:
            found.setdefault(status, []).append(why)

        if roles is not None:
            add(401, NO_TOKEN)
            if roles != ANY_ROLE:
                add(403, ROLE)
        if self.body is not None:
            add(400, NOT_AN_OBJECT)
            add(413, TOO_LARGE)
            add(422, BAD_FIELDS)
        if self.query is not None and not is_lenient(self.query):
            add(422, BAD_QUERY)
        for status, why in self.errors.items():
            add(status, why)
        return {status: whys[0] + "".join(f"; or {why[0].lower()}{why[1:]}" for why in whys[1:])
                for status, whys in sorted(found.items())}

    def reply(self, result: Any) -> ResponseReturnValue:
        """The view's result as JSON with the declared status: validated as `answer` when one is declared."""
        headers: dict[str, str] = {}
        if isinstance(result, tuple):
            result, headers = result
        undeclared = set(headers) - set(self.headers)
        if undeclared:
            raise RuntimeError(f"headers {sorted(undeclared)} are not declared for {self.summary!r}")
        if self.answer is not None:
            if not isinstance(result, self.answer):
                result = self.answer.model_validate(result, from_attributes=True)
            result = result.model_dump(mode="json")
        response = jsonify(result)
        response.status_code = self.status
        response.headers.update(headers)
        return response


def operation(*, body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
              answer: type[BaseModel] | None = None, status: int = 200, errors: Mapping[int, str] | None = None,
              headers: Mapping[str, str] | None = None, documented: bool = True) -> Callable[[ViewFunc], ViewFunc]:
    """Declare an API view (inside its @allow): its summary is its docstring's first line, its description the
    rest."""

    def decorate(view: ViewFunc) -> ViewFunc:
        if hasattr(view, "allowed_roles"):  # outside @allow, a body would be read before the token is checked
            raise TypeError(f"@operation on {view.__name__} must come below @allow or @public")
        summary, _, description = (inspect.getdoc(view) or view.__name__).partition("\n")
        declared = Operation(summary=summary.strip().removesuffix("."), description=description.strip(),
                             body=body, query=query, answer=answer, status=status, errors=dict(errors or {}),
                             headers=dict(headers or {}), documented=documented)

        @wraps(view)
        def run(**path_args: Any) -> ResponseReturnValue:
            args = dict(path_args)
            try:
                if declared.body is not None:
                    args["body"] = parse_body(declared.body)
                if declared.query is not None:
                    args["query"] = parse_query(declared.query)
                return declared.reply(view(**args))
            except HTTPException as exc:  # 401 and the role's 403 come from @allow, outside this
                if exc.code not in declared.responses(None):
                    current_app.logger.error("%s answered %s, which its declaration does not name",
                                             view.__name__, exc.code)
                raise

        run.api_operation = declared  # type: ignore[attr-defined]
        return run

    return decorate


def operation_of(view: ViewFunc) -> Operation:
    """The declaration of an API view; LookupError for a view that has none."""
    declared = getattr(view, "api_operation", None)
    if not isinstance(declared, Operation):
        raise LookupError(f"{view.__name__} is an API view without an @operation declaration")
    return declared
