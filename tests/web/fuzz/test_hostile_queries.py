"""Every GET page and every path id, fed hostile values: never a server error.

The tester's issue 17 found 500s from non-integer filters, 20-digit pages, ids past the database's integer range,
dates in year 1 or 9999, NUL bytes and more. This walks every GET route of the app: first once plainly, noting which
query parameters the view reads (a recording MultiDict), then each parameter alone and all of them together with
each hostile value, and each integer path id with each hostile id. Any 5xx fails, naming the request.
"""

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from flask import Flask
from werkzeug.datastructures import ImmutableMultiDict

from tests.conftest import BACKENDS, build_app, database_url, login
from tests.web.test_access_matrix import _prepare

HOSTILE = [
    "", "-1", "99999999999", "99999999999999999999", str(2**31), str(2**63), "1.5", "1e20", "NaN", "abc", "\x00",
    "a\x00b", "\x01\x1f\x7f", "x" * 5000, "0001-01-01", "9999-12-31", "10000-01-01", "٣", "ｃｓ", "\u200b", "[]",
    "'; DROP TABLE camera;--",
]
# The values that have broken a single parameter (its type, its range); each parameter is tried alone with these.
SHARP = ["-99999999999", "99999999999999999999", str(2**31), "\x00", "0001-01-01", "9999-12-31", "x" * 5000]
HOSTILE_IDS = ["0", str(2**31 - 1), str(2**31), str(2**63), "99999999999", "99999999999999999999"]
# Query names every page is also tried with, in case a view reads one only on a branch the plain visit misses.
COMMON_NAMES = ["page", "day", "year", "q", "service_area", "show", "next"]
SKIP_ENDPOINTS = {"static", "auth.logout"}


class RecordingArgs(ImmutableMultiDict):
    """The query string, noting each name a view asks for."""

    seen: set[str] = set()

    def get(self, key, default=None, type=None):
        RecordingArgs.seen.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        RecordingArgs.seen.add(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        RecordingArgs.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        RecordingArgs.seen.add(key)
        return super().__contains__(key)


@pytest.fixture(params=BACKENDS)
def fuzz_app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    app = build_app(database_url(request.param, tmp_path))
    app.request_class.parameter_storage_class = RecordingArgs
    yield app
    app.request_class.parameter_storage_class = ImmutableMultiDict
    app.extensions["cctv_db"].engine.dispose()


def _get_routes(app: Flask) -> list[tuple[str, object, dict[str, object]]]:
    if "FUZZ_ARGS" not in app.config:  # the records the URLs point at, made once
        app.config["FUZZ_ARGS"] = _prepare(app)
    args = app.config["FUZZ_ARGS"]
    return [(rule.endpoint, rule, {k: args[k] for k in rule.arguments}) for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in SKIP_ENDPOINTS]


def _check(client, url: str, failures: list[str], query: dict[str, str] | None = None) -> None:
    full = url + ("?" + urlencode(query) if query else "")
    try:  # the test app propagates exceptions (TESTING): each is a 500 to a real user
        response = client.get(full)
    except Exception as exc:
        failures.append(f"{type(exc).__name__}: {str(exc)[:120]} <- GET {full[:160]!r}")
        return
    if response.status_code >= 500:
        failures.append(f"{response.status_code} GET {full[:200]!r}")


def _fuzz(app: Flask, client, public_only: bool) -> int:
    failures: list[str] = []
    sent = 0
    with app.test_request_context():
        routes = _get_routes(app)
        built = {endpoint: rule.build(values, append_unknown=False)[1] for endpoint, rule, values in routes}
    for endpoint, rule, values in routes:
        if public_only and not getattr(app.view_functions[endpoint], "is_public", False):
            continue
        url = built[endpoint]
        RecordingArgs.seen = set()
        _check(client, url, failures)
        names = sorted(RecordingArgs.seen | set(COMMON_NAMES))
        for value in HOSTILE:
            _check(client, url, failures, dict.fromkeys(names, value))
        for name in RecordingArgs.seen:
            for value in SHARP:
                _check(client, url, failures, {name: value})
        sent += len(HOSTILE) + len(RecordingArgs.seen) * len(SHARP)
        for name in rule.arguments:
            if isinstance(values[name], int):
                for hostile_id in HOSTILE_IDS:
                    with app.test_request_context():
                        hostile = rule.build({**values, name: 0}, append_unknown=False)[1]
                    # Swap the id for the hostile one in the built path (the converter would refuse to build it).
                    _check(client, hostile.replace("/0", f"/{hostile_id}", 1), failures)
                    sent += 1
    assert failures == [], f"{len(failures)} server errors of {sent} requests:\n" + "\n".join(failures[:60])
    return sent


def test_no_hostile_query_or_id_gives_a_server_error_to_an_admin(fuzz_app: Flask) -> None:
    client = fuzz_app.test_client()
    login(client, "admin")
    assert _fuzz(fuzz_app, client, public_only=False) > 1000


def test_no_hostile_query_gives_a_server_error_to_anyone(fuzz_app: Flask) -> None:
    assert _fuzz(fuzz_app, fuzz_app.test_client(), public_only=True) > 10


def test_a_nul_byte_in_a_form_is_refused_not_stored(fuzz_app: Flask) -> None:
    """The unauthenticated login form included: PostgreSQL cannot hold a NUL, so it must never reach a query."""
    client = fuzz_app.test_client()
    response = client.post("/login", data={"username": "ad\x00min", "password": "x"})
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)
    login(client, "admin")
    response = client.post("/cameras/new", data={"asset_id": "CS-9", "name": "Nul\x00name"})
    assert response.status_code == 400
    # Tabs and line breaks are ordinary text in a form, and pass.
    assert client.post("/login", data={"username": "admin\t", "password": "x\r\n"}).status_code != 400


def test_ids_past_the_database_integer_are_not_found(fuzz_app: Flask) -> None:
    client = fuzz_app.test_client()
    login(client, "admin")
    assert client.get(f"/cameras/{2**31}").status_code == 404
    assert client.get(f"/cameras/{2**31 - 1}").status_code == 404
    assert client.get("/cameras?page=99999999999999999999").status_code == 200  # an unreadable page is page 1
    assert client.get("/incidents?day=9999-12-31").status_code == 200  # and an impossible day is today


def test_a_10_mb_narrative_is_refused_with_its_field_not_stored(fuzz_app: Flask) -> None:
    client = fuzz_app.test_client()
    login(client, "operator")
    huge = client.post("/incidents/new", data={"category": "theft", "narrative": "x" * 10_000_000})
    assert huge.status_code == 400 and "100,000 characters" in huge.get_data(as_text=True)
    long = client.post("/incidents/new", data={"category": "theft", "narrative": "x" * 20_001})
    assert long.status_code in (400, 422) and "20000" in long.get_data(as_text=True).replace(",", "")


# Values for every field of every form at once: what broke forms (1e20 as money, year-1 dates) and their kin.
FORM_VALUES = ["1e20", "-1", "99999999999999999999", str(2**31), "NaN", "inf", "0001-01-01", "9999-12-31",
               "0001-01-01 00:00", "9999-12-31 23:59", "x" * 5000, "ｃｓ\u200b", "[]", ""]


def test_no_hostile_form_gives_a_server_error(fuzz_app: Flask) -> None:
    """Every POST route, with every field name any page's forms use set to each hostile value in turn."""
    import re

    client = fuzz_app.test_client()
    login(client, "admin")
    with fuzz_app.test_request_context():
        routes = _get_routes(fuzz_app)
        pages = [rule.build(values, append_unknown=False)[1] for _, rule, values in routes]
    names: set[str] = set()
    for url in pages:
        names |= set(re.findall(r'name="([^"]+)"', client.get(url).get_data().decode("utf-8", "replace")))
    names -= {"csrf_token"}
    args = fuzz_app.config["FUZZ_ARGS"]
    with fuzz_app.test_request_context():
        posts = [rule.build({k: args[k] for k in rule.arguments}, append_unknown=False)[1]
                 for rule in fuzz_app.url_map.iter_rules() if "POST" in rule.methods
                 and rule.endpoint not in SKIP_ENDPOINTS and not rule.rule.startswith("/api/")]
    failures: list[str] = []
    for url in posts:
        for value in FORM_VALUES[:8]:  # the per-field test below tries them all
            try:
                response = client.post(url, data=dict.fromkeys(names, value))
            except Exception as exc:
                failures.append(f"{type(exc).__name__}: {str(exc)[:160]} <- POST {url} all fields={value[:30]!r}")
                continue
            if response.status_code >= 500:
                failures.append(f"{response.status_code} POST {url} all fields={value[:30]!r}")
    assert len(names) > 30 and len(posts) > 20
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures[:60])


def _baselines(app: Flask) -> dict[str, dict[str, str]]:
    """A valid submission of the forms that take dates, money and numbers, to spoil one field at a time."""
    area = str(app.config["TEST_ESTATE"].community_safety)
    return {
        "/funding/new": {"reference": "R-1", "source": "council_budget", "amount": "1000.00",
                         "awarded_on": "2026-01-01", "description": "d", "sites": "s", "asset_ids": "CS-001"},
        "/incidents/new": {"category": "theft", "occurred": "2026-01-01 10:00", "source": "proactive",
                           "location_text": "x", "cameras": "CS-001", "arrests": "0", "narrative": "n"},
        "/disclosures/new": {"kind": "subject_access", "requester": "A. Person", "received_on": "2026-01-01",
                             "summary": "s", "months": "0"},
        "/cameras/new": {"asset_id": "CS-NEW-1", "name": "n", "service_area_id": area, "kind": "public_space_fixed",
                         "status": "operational", "longitude": "-0.75", "latitude": "51.6", "retention_days": "31",
                         "install_date": "2020-01-01", "notes": "n", "location_text": "x", "town": "t", "ward": "w",
                         "control_room": "c", "manufacturer": "m", "model": "m", "owner": "o"},
    }


def test_no_hostile_value_in_one_field_of_a_valid_form_gives_a_server_error(fuzz_app: Flask) -> None:
    """Each field of a valid submission spoilt in turn with each hostile value: a field error, never a 500 (1e20
    as money, year 1 or 9999 as a date once were)."""
    client = fuzz_app.test_client()
    login(client, "admin")
    failures: list[str] = []
    sent = 0
    for url, valid in _baselines(fuzz_app).items():
        accepted = client.post(url, data=valid)
        assert accepted.status_code == 302, (url, accepted.get_data(as_text=True)[-2000:])  # the baseline is valid
        for name in valid:
            for value in [*FORM_VALUES, "-1e400", "1e30", "0.001", "2026-02-30 25:61"]:
                sent += 1
                try:
                    response = client.post(url, data={**valid, name: value})
                except Exception as exc:
                    failures.append(f"{type(exc).__name__}: {str(exc)[:160]} <- POST {url} {name}={value[:30]!r}")
                    continue
                if response.status_code >= 500:
                    failures.append(f"{response.status_code} POST {url} {name}={value[:30]!r}")
    assert sent > 400
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures[:60])
