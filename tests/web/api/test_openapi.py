"""The OpenAPI document is generated from the API views' declarations: it is valid OpenAPI 3.1, it has every
/api/v1 route with its methods, and every status an operation answers when driven through its error cases (no
token, each role, a missing id, bodies that are not JSON objects, too large, with wrong or unknown fields, twice,
unreadable query values) is documented for that operation, with a body of the documented shape. On PostgreSQL too,
where a value the column cannot hold fails where SQLite lets it through."""

import re
from collections import defaultdict
from collections.abc import Iterator

import pytest
from flask import Blueprint, Flask
from openapi_schema_validator import OAS31Validator  # comes with openapi-spec-validator
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator
from sqlmodel import col, select

from cctv.auth.models import Role, User
from cctv.auth.service import issue_token
from cctv.web.access import ANY_ROLE, allow
from cctv.web.api.openapi import build_document
from siting.model.inputs import CrimeSet, Site
from siting.model.scoring import score_sites
from siting.store.saved import SiteSource, add_site, save_run
from tests.conftest import BACKENDS, build_app, database_url

MISSING = 99999
# Operations only the admin may call: driven with the admin's token (the others with a supervisor's).
ADMIN_ONLY = {"estate_api_create_service_area", "estate_api_update_service_area", "estate_api_create_control_room",
              "estate_api_update_control_room",
              # the DPO's and the admin's (a supervisor may not publish)
              "transparency_api_get_publication", "transparency_api_put_notice", "transparency_api_publish_system",
              "transparency_api_withdraw_system", "transparency_api_put_assessment", "transparency_api_put_figures"}
# What a case must answer wherever it applies: the driving itself is checked, not only the document.
EXPECTED = {"no token": 401, "missing id": 404, "malformed JSON": 400, "a JSON array": 400, "a form": 400,
            "no body": 400, "too large": 413, "wrong types": 422, "too long": 422}


def _valid(app: Flask) -> dict[str, dict]:
    """A body each operation accepts from a role allowed to use it."""
    estate = app.config["TEST_ESTATE"]
    return {"api_create_camera": {"asset_id": "CS-DOC-1", "name": "Doc", "kind": "public_space_ptz",
                                  "service_area_id": estate.community_safety},
            "api_update_camera": {"notes": "checked"},
            "api_create_fault": {"camera_id": estate.car_park_camera, "description": "No picture"},
            "incidents_api_create": {"occurred_at": "2025-11-15T02:30:00Z", "category": "violence",
                                     "cameras": ["PARK-001"]},
            "estate_api_create_service_area": {"code": "DOC", "name": "Doc area"},
            "estate_api_update_service_area": {"code": "CS", "name": "Community Safety"},
            "estate_api_create_system": {"name": "Doc system", "service_area_id": estate.community_safety},
            "estate_api_update_system": {"name": "Doc A", "service_area_id": estate.community_safety},
            "estate_api_create_control_room": {"code": "DOCB", "name": "Doc room B"},
            "estate_api_update_control_room": {"name": "Doc room"},
            "transparency_api_put_notice": {"contact_point": "cctv@example.gov.uk"},
            "transparency_api_publish_system": {"purpose": "Doc"},
            "transparency_api_put_assessment": {"id": None},
            "transparency_api_put_figures": {"id": None},
            "transparency_api_create_sign": {"place": "Doc", "wording": "CCTV"},
            "transparency_api_update_sign": {"place": "Doc", "wording": "CCTV", "cameras": ["CS-001"]}}


def _extra(app: Flask) -> dict[str, list[tuple[str, str, dict]]]:
    """Cases that need one role and one body: (name, role, body)."""
    areas = {"service_area_id": app.config["TEST_ESTATE"].community_safety}
    return {"api_update_camera": [("moved out of the user's areas", "service_manager", areas)],
            "estate_api_update_service_area": [("a taken code", "admin", {"code": "PARK", "name": "Doc"})],
            "estate_api_update_system": [("a taken name", "admin", {"name": "Doc B"} | areas)],
            "estate_api_update_control_room": [("a taken name", "admin", {"name": "Doc room C"})]}


def _tokens(app: Flask) -> dict[str, str]:
    with app.extensions["cctv_db"].session("fixture") as s:
        users = s.exec(select(User).where(col(User.username).in_([role.value for role in Role]))).all()
        plain = {user.username: issue_token(s, user, "doc")[1] for user in users}
        s.commit()
    return plain


def _body_cases(operation: dict, doc: dict, valid: dict) -> list[tuple[str, dict]]:
    """The client.open arguments of each malformed or invalid body."""
    schema = doc["components"]["schemas"][operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                                          .rsplit("/", 1)[1]]
    props = schema["properties"]
    strings = [name for name, p in props.items() if "string" in str(p.get("type", p.get("anyOf")))]
    cases = [("malformed JSON", {"data": '{"name": ', "content_type": "application/json"}),
             ("a JSON array", {"json": [valid]}), ("a form", {"data": {"name": "x"}}), ("no body", {}),
             ("too large", {"json": valid | {"notes": "x" * 2000}}),
             ("wrong types", {"json": {name: {"not": "valid"} for name in props}}),
             ("empty object", {"json": {}})]
    if strings:  # a body of numbers only (a year, an id) has nothing to make too long
        cases.append(("too long", {"json": valid | {name: "x" * 5000 for name in strings}}))
    cases += [(f"unknown {name}", {"json": valid | {name: [MISSING] if name.endswith("_ids") else MISSING}})
              for name, p in props.items() if name.endswith(("_id", "_ids")) and "integer" in str(p)]
    return [*cases, ("twice", {"json": valid}), ("twice", {"json": valid})]


def _saved_run(app: Flask) -> int:
    """A saved siting run to read."""
    with app.extensions["cctv_db"].session("fixture") as s:
        site = add_site(s, Site.at("x", 486_500, 192_900, "Frogmoor"), source=SiteSource.TYPED, actor="fixture")
        crimes = CrimeSet.from_columns([486_500], [192_900], ["2025-12"], ["Burglary"])
        run = save_run(s, score_sites(crimes, [site.to_model()]), actor="fixture")
        s.commit()
        assert run.id is not None
        return run.id


def _drive(app: Flask, doc: dict) -> list[tuple[str, str, int, object]]:
    """(operationId, case, status, JSON body) for every case of every documented operation."""
    client, tokens, valid, extra = app.test_client(), _tokens(app), _valid(app), _extra(app)
    bearer = {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}
    created = client.post("/api/v1/incidents", json=valid["incidents_api_create"], headers=bearer["supervisor"])
    ids = {"camera_id": app.config["TEST_ESTATE"].car_park_camera, "incident_id": created.get_json()["id"],
           "area_id": app.config["TEST_ESTATE"].community_safety, **_estate_records(client, app, bearer["admin"]),
           "run_id": _saved_run(app)}
    seen = []
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            op_id, sample = operation["operationId"], valid.get(operation["operationId"], {})
            url = "/api/v1" + path.format(**ids)
            cases = [("no token", {"headers": {}})]
            if "{" in path:
                cases.append(("missing id", {"path": re.sub(r"/\d+$", f"/{MISSING}", url)}
                              | ({"json": sample} if sample else {})))
            if "requestBody" in operation:
                cases += _body_cases(operation, doc, sample)
            cases += [(f"unreadable {p['name']}", {"query_string": {p["name"]: "not-a-value"}})
                      for p in operation.get("parameters", []) if p["in"] == "query"]
            cases += [(f"as {role}", {"headers": bearer[role]} | ({"json": sample} if sample else {}))
                      for role in tokens]
            cases += [(name, {"headers": bearer[role], "json": body}) for name, role, body in extra.get(op_id, [])]
            for case, options in cases:
                driver = bearer["admin" if op_id in ADMIN_ONLY else "supervisor"]
                options = {"path": url, "method": method.upper(), "headers": driver} | options
                app.config["MAX_CONTENT_LENGTH"] = 1000 if case == "too large" else 20 * 1024 * 1024
                response = client.open(**options)
                seen.append((op_id, case, response.status_code, response.get_json(silent=True)))
    return seen


def _estate_records(client, app: Flask, admin: dict[str, str]) -> dict[str, int]:
    """Two systems and two control rooms (so that a rename can clash) and a sign, by the API itself."""
    area = app.config["TEST_ESTATE"].community_safety
    systems = [client.post("/api/v1/systems", json={"name": name, "service_area_id": area}, headers=admin)
               for name in ("Doc A", "Doc B")]
    rooms = [client.post("/api/v1/control-rooms", json={"code": code, "name": name}, headers=admin)
             for code, name in (("DOC", "Doc room"), ("DOCC", "Doc room C"))]
    sign = client.post("/api/v1/signs", json={"place": "Doc sign", "wording": "CCTV"}, headers=admin)
    return {"system_id": systems[0].get_json()["id"], "room_id": rooms[0].get_json()["id"],
            "sign_id": sign.get_json()["id"]}


@pytest.fixture(scope="module", params=BACKENDS)
def driven(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[tuple[dict, list]]:
    """The document of an app on each backend, and what driving every operation through its cases answered."""
    # An exception is answered as the 500 it would be in service, so that it shows among the undocumented statuses.
    app = build_app(database_url(request.param, tmp_path_factory.mktemp("openapi")), PROPAGATE_EXCEPTIONS=False)
    doc = build_document(app)
    yield doc, _drive(app, doc)
    app.extensions["cctv_db"].engine.dispose()


def _operations(doc: dict) -> dict[str, dict]:
    return {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}


def test_every_status_answered_is_documented_with_its_body(driven: tuple[dict, list]) -> None:
    doc, seen = driven
    operations, problems = _operations(doc), []
    for op_id, case, status, body in seen:
        documented = operations[op_id]["responses"]
        if str(status) not in documented:
            problems.append(f"{op_id}: {case} answered {status}, not documented ({sorted(documented)})")
            continue
        schema = documented[str(status)]["content"]["application/json"]["schema"]
        errors = list(OAS31Validator(schema | {"components": doc["components"]}).iter_errors(body))
        if errors:
            problems.append(f"{op_id}: {case} answered {status} with {body!r}: {errors[0].message}")
        if EXPECTED.get(case, status) != status:
            problems.append(f"{op_id}: {case} answered {status}, not {EXPECTED[case]}")
    assert problems == []


def test_every_documented_status_is_answered(driven: tuple[dict, list]) -> None:
    """The document claims nothing the driven cases never produced: each status is there because a view answers
    it."""
    doc, seen = driven
    answered = defaultdict(set)
    for op_id, _, status, _ in seen:
        answered[op_id].add(str(status))
    assert {op_id: sorted(op["responses"]) for op_id, op in _operations(doc).items()} == {
        op_id: sorted(statuses) for op_id, statuses in answered.items()}


def test_a_body_that_is_not_a_json_object_is_the_same_400_everywhere(driven: tuple[dict, list]) -> None:
    _, seen = driven
    errors = defaultdict(set)
    for _, case, status, body in seen:
        if status == 400:
            errors[case].add(body["error"])
    assert set(errors) == {"malformed JSON", "a JSON array", "a form", "no body"}
    assert all(len(messages) == 1 for messages in errors.values()), errors
    assert "Content-Type: application/json" in next(iter(errors["a form"]))


def test_the_document_is_valid_openapi_3_1(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc, cls=OpenAPIV31SpecValidator)
    assert doc["openapi"] == "3.1.0"


def test_every_api_route_is_documented_with_its_methods(app: Flask) -> None:
    doc = build_document(app)
    documented = {("/api/v1" + path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routes = {(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - documented == {("/api/v1/openapi.json", "GET")}  # the document itself
    assert documented <= routes
    assert len(_operations(doc)) == len(documented)  # operation ids are unique


def test_an_api_route_without_a_declaration_stops_the_document(app: Flask) -> None:
    extra = Blueprint("undeclared", __name__, url_prefix="/api/v1")
    extra.add_url_rule("/undeclared", "undeclared", allow(ANY_ROLE)(lambda: {}))
    app.register_blueprint(extra)
    with pytest.raises(LookupError, match="without an @operation"):
        build_document(app)
