"""Each submission taken once, on SQLite and PostgreSQL: the entry form's one-time token (a double Enter, a re-sent
POST, two sent at the same moment) and the API's Idempotency-Key log one incident, and the repeat answers with it."""

import re
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import func, select, update
from werkzeug.security import generate_password_hash

from cctv.auth.models import User
from cctv.auth.service import issue_token
from cctv.controlroom import incidents as incident_service
from cctv.controlroom import rooms
from cctv.controlroom.models import Incident, Submission
from tests.conftest import BACKENDS, PASSWORD, build_app, database_url, login

FORM = {"category": "robbery", "occurred": "2025-11-15 02:30", "source": "police_radio",
        "location_text": "Frogmoor", "cameras": "CS-001", "police_reference": "CAD 12"}
BODY = {"occurred_at": "2025-11-15T02:30:00Z", "category": "violence", "location_text": "Desborough Road",
        "cameras": ["CS-001"]}


@pytest.fixture(params=BACKENDS)
def both_app(request: pytest.FixtureRequest, tmp_path, template_cache) -> Iterator[Flask]:
    """The app on a file SQLite database or on PostgreSQL, its control room in place and cheap password hashes."""
    app = build_app(database_url(request.param, tmp_path))
    app.jinja_env.bytecode_cache = template_cache
    with app.extensions["cctv_db"].session("fixture") as s:
        rooms.ensure_defaults(s)
        s.exec(update(User).values(password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")))
        s.commit()
    yield app
    app.extensions["cctv_db"].engine.dispose()


def _operator(app: Flask) -> FlaskClient:
    client = app.test_client()
    login(client, "operator")
    return client


def _token_of_form(client: FlaskClient) -> str:
    html = client.get("/incidents/new").get_data(as_text=True)
    found = re.search(r'<input id="once" name="once" type="hidden" value="([^"]+)"', html)
    assert found, "the form carries no one-time token"
    return found.group(1)


def _incidents(app: Flask) -> list[Incident]:
    with app.extensions["cctv_db"].session("check") as s:
        return list(s.exec(select(Incident).order_by(Incident.id)))


def test_a_double_enter_logs_one_incident_and_the_second_answer_shows_the_first(both_app: Flask) -> None:
    client = _operator(both_app)
    token = _token_of_form(client)
    first = client.post("/incidents/new", data=FORM | {"once": token})
    second = client.post("/incidents/new", data=FORM | {"once": token})
    [incident] = _incidents(both_app)
    expected = f"/incidents?session=2025-11-14#{incident.reference}"
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"] == expected
    page = client.get(expected).get_data(as_text=True)
    assert f"Incident {incident.reference} was already logged from this form; it was not logged again." in page
    # A new rendering of the form is a new token: the same incident typed again is a second incident.
    assert client.post("/incidents/new", data=FORM | {"once": _token_of_form(client)}).status_code == 302
    assert len(_incidents(both_app)) == 2


def test_a_form_with_problems_keeps_its_token_and_logs_once_corrected(both_app: Flask) -> None:
    client = _operator(both_app)
    token = _token_of_form(client)
    refused = client.post("/incidents/new", data=FORM | {"once": token, "category": ""})
    assert refused.status_code == 400 and f'value="{token}"' in refused.get_data(as_text=True)
    assert _incidents(both_app) == []
    assert client.post("/incidents/new", data=FORM | {"once": token}).status_code == 302
    assert client.post("/incidents/new", data=FORM | {"once": token}).status_code == 302
    assert len(_incidents(both_app)) == 1


def test_posts_without_a_token_are_each_logged(both_app: Flask) -> None:
    """Scripts post without the field (the demo history, the benchmark); a blank token guards nothing either."""
    client = _operator(both_app)
    for data in (FORM, FORM, FORM | {"once": ""}, FORM | {"once": ""}):
        assert client.post("/incidents/new", data=data).status_code == 302
    assert len(_incidents(both_app)) == 4


def test_the_same_token_from_another_user_is_theirs_alone(both_app: Flask) -> None:
    operator, supervisor = _operator(both_app), both_app.test_client()
    login(supervisor, "supervisor")
    token = _token_of_form(operator)
    operator.post("/incidents/new", data=FORM | {"once": token})
    supervisor.post("/incidents/new", data=FORM | {"once": token})
    assert sorted(i.operator for i in _incidents(both_app)) == ["operator", "supervisor"]


def test_two_submissions_of_one_form_at_the_same_moment_log_one_incident(
    both_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second POST checks the token while the first is still saving (forced: the first waits, claim made and
    incident numbered but not committed, until the second has looked and found nothing). The second must then
    wait for the first at the unique key and answer with its incident."""
    first_client, second_client = _operator(both_app), _operator(both_app)
    token = _token_of_form(first_client)
    first_inside, second_looked = threading.Event(), threading.Event()
    real_log_once, real_first_logged = incident_service.log_incident_once, incident_service.first_logged

    def slow_log_once(*args, **kwargs):
        incident = real_log_once(*args, **kwargs)  # claimed and numbered, not yet committed
        first_inside.set()
        assert second_looked.wait(timeout=60)
        return incident

    def watched_first_logged(*args, **kwargs):
        found = real_first_logged(*args, **kwargs)
        if first_inside.is_set() and not second_looked.is_set():
            assert found is None  # the first has not committed: the check alone cannot stop the second
            second_looked.set()
        return found

    monkeypatch.setattr(incident_service, "log_incident_once", slow_log_once)
    monkeypatch.setattr(incident_service, "first_logged", watched_first_logged)
    answers: dict[str, object] = {}

    def post(name: str, client: FlaskClient) -> None:
        try:
            answers[name] = client.post("/incidents/new", data=FORM | {"once": token})
        except BaseException as error:  # reported by the test, not lost in the thread
            answers[name] = error

    first = threading.Thread(target=post, args=("first", first_client))
    first.start()
    assert first_inside.wait(timeout=60)
    second = threading.Thread(target=post, args=("second", second_client))
    second.start()
    first.join(timeout=120)
    second.join(timeout=120)
    assert not first.is_alive() and not second.is_alive()
    assert second_looked.is_set()
    [incident] = _incidents(both_app)
    expected = f"/incidents?session=2025-11-14#{incident.reference}"
    for name in ("first", "second"):
        answer = answers[name]
        assert not isinstance(answer, BaseException), answer
        assert answer.status_code == 302 and answer.headers["Location"] == expected, name
    with both_app.extensions["cctv_db"].session("check") as s:
        assert s.exec(select(func.count()).select_from(Submission)).one() == 1


def _bearer(app: Flask, username: str) -> dict[str, str]:
    with app.extensions["cctv_db"].session("fixture") as s:
        user = s.exec(select(User).where(User.username == username)).one()
        _, plain = issue_token(s, user, "radio scheme")
        s.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_the_api_logs_once_per_idempotency_key(both_app: Flask) -> None:
    client, headers = both_app.test_client(), _bearer(both_app, "operator")
    keyed = headers | {"Idempotency-Key": "radio-2025-11-15-0001"}
    first = client.post("/api/v1/incidents", json=BODY, headers=keyed)
    again = client.post("/api/v1/incidents", json=BODY, headers=keyed)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert len(_incidents(both_app)) == 1
    # The same key with another body is refused, not answered with an incident it does not describe.
    other = client.post("/api/v1/incidents", json=BODY | {"location_text": "Elsewhere"}, headers=keyed)
    assert other.status_code == 422 and other.get_json()["error"][0]["field"] == "Idempotency-Key"
    # Another key, or none, is another incident; so is the same key from another token user.
    assert client.post("/api/v1/incidents", json=BODY, headers=headers | {"Idempotency-Key": "2"}).status_code == 201
    assert client.post("/api/v1/incidents", json=BODY, headers=headers).status_code == 201
    assert client.post("/api/v1/incidents", json=BODY,
                       headers=_bearer(both_app, "supervisor") | {"Idempotency-Key": "radio-2025-11-15-0001"}
                       ).status_code == 201
    assert len(_incidents(both_app)) == 4


def test_an_unusable_idempotency_key_is_422(both_app: Flask) -> None:
    client, headers = both_app.test_client(), _bearer(both_app, "operator")
    for key in ("", "x" * 256, "tab\there"):
        answer = client.post("/api/v1/incidents", json=BODY, headers=headers | {"Idempotency-Key": key})
        assert answer.status_code == 422, repr(key)
    assert _incidents(both_app) == []


def test_two_api_calls_with_one_key_at_the_same_moment_log_one_incident(
    both_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As for the form: the second call looks while the first is saving, then waits for it at the unique key."""
    headers = _bearer(both_app, "operator") | {"Idempotency-Key": "retry-1"}
    # The token's last use is stamped at most once a minute: stamp it now, so that neither call below writes before
    # its claim (on SQLite the second call's stamp would otherwise queue behind the held-open first transaction).
    assert both_app.test_client().get("/api/v1/incidents", headers=headers).status_code == 200
    first_inside, second_looked = threading.Event(), threading.Event()
    real_log_once, real_first_logged = incident_service.log_incident_once, incident_service.first_logged

    def slow_log_once(*args, **kwargs):
        incident = real_log_once(*args, **kwargs)
        first_inside.set()
        assert second_looked.wait(timeout=60)
        return incident

    def watched_first_logged(*args, **kwargs):
        found = real_first_logged(*args, **kwargs)
        if first_inside.is_set() and not second_looked.is_set():
            second_looked.set()
        return found

    monkeypatch.setattr(incident_service, "log_incident_once", slow_log_once)
    monkeypatch.setattr(incident_service, "first_logged", watched_first_logged)
    answers: dict[str, object] = {}

    def post(name: str) -> None:
        try:
            answers[name] = both_app.test_client().post("/api/v1/incidents", json=BODY, headers=headers)
        except BaseException as error:
            answers[name] = error

    first = threading.Thread(target=post, args=("first",))
    first.start()
    assert first_inside.wait(timeout=60)
    second = threading.Thread(target=post, args=("second",))
    second.start()
    first.join(timeout=120)
    second.join(timeout=120)
    assert [getattr(answers[n], "status_code", answers[n]) for n in ("first", "second")] == [201, 201]
    assert answers["first"].get_json() == answers["second"].get_json()
    assert answers["second"].headers["Idempotent-Replayed"] == "true"
    assert len(_incidents(both_app)) == 1
