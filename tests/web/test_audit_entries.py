"""Sign-ins and reads of personal data leave audit entries through cctv/audit.py, with who and what."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from cctv.audit import AuditEntry
from cctv.controlroom import disclosure, evidence, incidents, rooms
from cctv.controlroom.models import DisclosureBase, EvidenceRequestBase, IncidentCreate
from cctv.controlroom.types import DisclosureKind
from tests.conftest import PASSWORD, login

pytestmark = pytest.mark.usefixtures("quick_app")


def _entries(session: Session, **where: str) -> list[AuditEntry]:
    session.expire_all()
    stmt = select(AuditEntry).order_by(col(AuditEntry.id))
    for name, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, name) == value)
    return list(session.exec(stmt))


def test_sign_ins_are_audited_as_the_name_typed_and_never_with_the_password(
    client: FlaskClient, app_session: Session
) -> None:
    client.post("/login", data={"username": "ghost", "password": "guess-number-one"})
    client.post("/login", data={"username": "operator", "password": "guess-number-two"})
    login(client, "operator")
    ghost, wrong, right = [e for e in _entries(app_session, table_name="app_user") if e.action.startswith("login")]
    assert (ghost.actor, ghost.action, ghost.record_id) == ("ghost", "login_fail", "")
    assert (wrong.actor, wrong.action) == ("operator", "login_fail") and wrong.record_id != ""
    assert wrong.changed() == {"address": {"after": "127.0.0.1"}, "reason": {"after": "wrong"}}
    assert (right.actor, right.action, right.record_id) == ("operator", "login", wrong.record_id)
    everything = " ".join(e.changes for e in _entries(app_session))
    assert "guess-number" not in everything and PASSWORD not in everything
    # The sign-in's own change (last_login_at) is the person's too, not 'anonymous'.
    assert not _entries(app_session, actor="anonymous")


def test_sign_out_is_audited(client: FlaskClient, app_session: Session) -> None:
    login(client, "planner")
    client.post("/logout")
    last = _entries(app_session, table_name="app_user")[-1]
    assert (last.actor, last.action) == ("planner", "update")
    assert set(last.changed()) == {"session_version"}


def _records(app: Flask, session: Session) -> dict[str, int]:
    estate = app.config["TEST_ESTATE"]
    now = datetime.now(UTC)
    incident = incidents.log_incident(
        session, IncidentCreate(occurred_at=now - timedelta(hours=1), category="violence",
                                camera_ids=[estate.town_camera]),
        room=rooms.ensure_defaults(session), operator="operator", now=now)
    request = evidence.record_request(
        session, EvidenceRequestBase(requesting_officer="PC 1234 Jones", window_start=now - timedelta(hours=2),
                                     window_end=now - timedelta(hours=1)),
        [estate.town_camera], actor="operator", now=now)
    found = disclosure.open_disclosure(session, DisclosureBase(kind=DisclosureKind.POLICE, requester="TVP",
                                                               received_on=now.date()), actor="supervisor")
    session.commit()
    return {"incident": incident.id, "evidence_request": request.id, "disclosure": found.id}


@pytest.mark.parametrize(("table", "path"), [
    ("incident", "/incidents/{}"), ("evidence_request", "/evidence/{}"), ("disclosure", "/disclosures/{}"),
])
def test_reading_a_record_is_audited_as_a_read(app: Flask, as_role, app_session: Session, table: str,
                                               path: str) -> None:
    record_id = _records(app, app_session)[table]
    client = as_role("supervisor")
    assert client.get(path.format(record_id)).status_code == 200
    reads = _entries(app_session, action="read")
    assert [(e.actor, e.table_name, e.record_id) for e in reads] == [("supervisor", table, str(record_id))]
    assert client.get(path.format(record_id + 1000)).status_code == 404
    assert len(_entries(app_session, action="read")) == 1  # a page not shown is no read


def test_exports_are_audited_as_reads(as_role, app_session: Session) -> None:
    client = as_role("supervisor")
    assert client.get("/cameras.csv?town=Aylesbury").status_code == 200
    read = _entries(app_session, action="read")[-1]
    assert (read.actor, read.table_name, read.record_id) == ("supervisor", "camera", "export")
    assert read.changed() == {"what": {"after": "cameras CSV ?town=Aylesbury"}}
