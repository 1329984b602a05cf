"""The OpenAPI document, its schemas taken from the same models the API validates with."""

from typing import Any

from cctv.web.api.incidents import IncidentIn, IncidentPage, IncidentRead
from inventory.models import CameraCreate, CameraRead, CameraUpdate, FaultCreate, FaultRead

SCHEMAS = (CameraRead, CameraCreate, CameraUpdate, FaultRead, FaultCreate, IncidentIn, IncidentRead, IncidentPage)
FILTERS = ("service_area", "kind", "status", "town", "q", "min_age", "eol", "page", "per_page")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _components() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in SCHEMAS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


ERRORS = {"401": {"description": "No or bad token"}, "403": {"description": "Role or scope forbids it"}}


def openapi_document() -> dict[str, Any]:
    """OpenAPI 3.1 for /api/v1."""
    list_of = lambda name: {"type": "object", "properties": {"items": {"type": "array", "items": _ref(name)}}}  # noqa: E731
    camera_id = [{"name": "camera_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    filters = [{"name": f, "in": "query", "required": False, "schema": {"type": "string"}} for f in FILTERS]
    incident_id = [{"name": "incident_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    incident_query = [
        {"name": "day", "in": "query", "required": False, "schema": {"type": "string", "format": "date"},
         "description": "One London day's incidents (by occurred time)"},
        {"name": "since", "in": "query", "required": False, "schema": {"type": "string", "format": "date-time"},
         "description": "Incidents logged or changed at or after this instant, oldest change first"},
        {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
        {"name": "per_page", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
    ]
    problems = {"description": "Invalid fields: {error: [{field, error}]}"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "CCTV estate API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/cameras": {
                "get": {"summary": "List cameras", "parameters": filters,
                        "responses": {"200": _json(list_of("CameraRead")), **ERRORS}},
                "post": {"summary": "Add a camera", "requestBody": {"content": {"application/json": {
                    "schema": _ref("CameraCreate")}}}, "responses": {
                    "201": _json(_ref("CameraRead"), "Created"), "409": {"description": "Asset id exists"},
                    "422": {"description": "Invalid fields"}, **ERRORS}},
            },
            "/cameras/{camera_id}": {
                "get": {"summary": "One camera", "parameters": camera_id,
                        "responses": {"200": _json(_ref("CameraRead")), "404": {"description": "Not found"}, **ERRORS}},
                "patch": {"summary": "Change a camera", "parameters": camera_id, "requestBody": {"content": {
                    "application/json": {"schema": _ref("CameraUpdate")}}},
                    "responses": {"200": _json(_ref("CameraRead")), "404": {"description": "Not found"}, **ERRORS}},
            },
            "/service-areas": {"get": {"summary": "Service areas", "responses": {"200": _json({"type": "object"}),
                                                                                 **ERRORS}}},
            "/faults": {
                "get": {"summary": "Faults",
                        "parameters": [{"name": "open", "in": "query", "schema": {"type": "string"}}],
                        "responses": {"200": _json(list_of("FaultRead")), **ERRORS}},
                "post": {"summary": "Open a fault", "requestBody": {"content": {"application/json": {
                    "schema": _ref("FaultCreate")}}}, "responses": {"201": _json(_ref("FaultRead"), "Created"),
                                                                    **ERRORS}},
            },
            "/incidents": {
                "get": {"summary": "List incidents (a day, or changes since an instant)", "parameters": incident_query,
                        "responses": {"200": _json(_ref("IncidentPage")), "422": problems, **ERRORS}},
                "post": {"summary": "Log an incident", "requestBody": {"content": {"application/json": {
                    "schema": _ref("IncidentIn")}}}, "responses": {
                    "201": {**_json(_ref("IncidentRead"), "Created"),
                            "headers": {"Location": {"schema": {"type": "string"}}}},
                    "422": problems, **ERRORS}},
            },
            "/incidents/{incident_id}": {
                "get": {"summary": "One incident", "parameters": incident_id,
                        "responses": {"200": _json(_ref("IncidentRead")), "404": {"description": "Not found"},
                                      **ERRORS}},
            },
        },
        "components": {"schemas": _components(),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
