"""The OpenAPI 3.1 document, generated from the app itself: every /api/v1 route in the URL map with its methods,
each described by its view's @operation declaration (cctv/web/api/declare.py) and its @allow roles; the schemas are
the pydantic models the views validate and answer with. A route without a declaration is an error, not a gap."""

import re
from http import HTTPStatus
from typing import Any

from flask import Flask
from pydantic import BaseModel
from werkzeug.routing import Rule

from cctv.web.api.declare import Error, FieldErrors, Operation, operation_of

PREFIX = "/api/v1"
REF = "#/components/schemas/{model}"
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_CONVERTERS = {"int": {"type": "integer", "minimum": 0}, "float": {"type": "number", "minimum": 0},
               "uuid": {"type": "string", "format": "uuid"}}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


class _Schemas:
    """The components' schemas, each model's once, with the enums and models it refers to."""

    def __init__(self) -> None:
        self.found: dict[str, Any] = {}
        self.owners: dict[str, type[BaseModel]] = {}

    def add(self, model: type[BaseModel], mode: str = "validation") -> dict[str, Any]:
        """The model's schema, added to the components with the definitions it refers to."""
        schema = self.refer(model, mode)
        self._put(model.__name__, schema, model)
        return schema

    def refer(self, model: type[BaseModel], mode: str = "validation") -> dict[str, Any]:
        """The model's schema, only the definitions it refers to added (a query's, whose fields are parameters)."""
        schema = model.model_json_schema(ref_template=REF, mode=mode)  # type: ignore[arg-type]
        for name, definition in schema.pop("$defs", {}).items():
            self._put(name, definition)
        return schema

    def _put(self, name: str, schema: dict[str, Any], model: type[BaseModel] | None = None) -> None:
        if model is not None and self.owners.setdefault(name, model) is not model:
            raise ValueError(f"two models are called {name}: {self.owners[name]} and {model}")
        if self.found.setdefault(name, schema) != schema:  # e.g. one model as a body and as an answer, differing
            raise ValueError(f"{name} has two different schemas")


def _path(rule: Rule) -> tuple[str, list[dict[str, Any]]]:
    """The rule's path in OpenAPI's form, and its path parameters typed by their converters."""
    parameters = [{"name": name, "in": "path", "required": True,
                   "schema": dict(_CONVERTERS.get(converter, {"type": "string"}))}
                  for converter, name in _ARGUMENT.findall(rule.rule)]
    return _ARGUMENT.sub(r"{\2}", rule.rule).removeprefix(PREFIX), parameters


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema without the 'or null' of an optional field: leaving it out is the null."""
    choices = [s for s in schema.get("anyOf", []) if s != {"type": "null"}]
    if len(choices) != 1:
        return schema
    rest = {k: v for k, v in schema.items() if k != "anyOf" and not (k == "default" and v is None)}
    return choices[0] | rest


def _query(model: type[BaseModel], schemas: _Schemas) -> list[dict[str, Any]]:
    schema = schemas.refer(model)
    required = set(schema.get("required", ()))
    parameters = []
    for name, prop in schema["properties"].items():
        prop = {k: v for k, v in _not_null(prop).items() if k != "title"}
        parameter = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if "description" in prop:
            parameter["description"] = prop.pop("description")
        parameters.append(parameter)
    return parameters


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _responses(declared: Operation, roles: frozenset | None, schemas: _Schemas) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, why in declared.responses(roles).items():
        if status == declared.status:
            answer: dict[str, Any] = {"type": "object"}
            if declared.answer is not None:
                schemas.add(declared.answer, "serialization")
                answer = _ref(declared.answer)
            responses[str(status)] = _json(HTTPStatus(status).phrase, answer)
            if declared.headers:
                responses[str(status)]["headers"] = {name: {"description": what, "schema": {"type": "string"}}
                                                     for name, what in declared.headers.items()}
        else:
            responses[str(status)] = _json(why, _ref(FieldErrors if status == 422 else Error))
    return responses


def _operation(app: Flask, rule: Rule, declared: Operation, schemas: _Schemas) -> dict[str, Any]:
    path, parameters = _path(rule)
    roles = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
    described: dict[str, Any] = {"operationId": rule.endpoint.replace(".", "_"), "summary": declared.summary,
                                 "tags": [path.split("/")[1]]}
    if declared.description:
        described["description"] = declared.description
    if roles is None:
        described["security"] = []  # public
    else:
        described["description"] = (declared.description + "\n\n" if declared.description else "") + \
            "Roles: " + ", ".join(sorted(str(role.value) for role in roles)) + "."
    if declared.query is not None:
        parameters += _query(declared.query, schemas)
    if parameters:
        described["parameters"] = parameters
    if declared.body is not None:
        schemas.add(declared.body)
        described["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(
            declared.body)}}}
    described["responses"] = _responses(declared, roles, schemas)
    return described


def build_document(app: Flask) -> dict[str, Any]:
    """OpenAPI 3.1 for every route under /api/v1 (but those declared documented=False: the document itself)."""
    schemas = _Schemas()
    schemas.add(Error)
    schemas.add(FieldErrors)
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        declared = operation_of(app.view_functions[rule.endpoint])
        if not declared.documented:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(_path(rule)[0], {})[method.lower()] = _operation(app, rule, declared, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "CCTV estate API", "version": "1",
                 "description": "Calls send 'Authorization: Bearer <token>'. Errors are JSON: {\"error\": \"...\"}, "
                                "and 422 lists the fields at fault: {\"error\": [{\"field\": ..., \"error\": ...}]}."},
        "servers": [{"url": PREFIX}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas.found.items())),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def openapi_document(app: Flask) -> dict[str, Any]:
    """The app's OpenAPI document, built once per app."""
    if "cctv_openapi" not in app.extensions:
        app.extensions["cctv_openapi"] = build_document(app)
    return app.extensions["cctv_openapi"]
