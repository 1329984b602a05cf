"""The chain of custody on the evidence page: every movement its own row, the hash checked at each (a file hashed as
it streams in, or a typed hash), mismatches refused beside the field with what was typed kept, uploads far past the
old 20 MB limit hashed without holding them, a clear 413 page, and the page's incident shown by its reference."""

import hashlib
import io
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from cctv.audit import AuditEntry
from cctv.controlroom import evidence, incident_queries, incidents, rooms
from cctv.controlroom.models import (
    EvidenceMedia,
    EvidenceMovement,
    EvidenceRequest,
    EvidenceRequestBase,
    IncidentCreate,
)
from tests.conftest import login

pytestmark = pytest.mark.usefixtures("quick_app")
FOOTAGE = b"exported footage \x00\x01" * 5000
OTHER = b"a different file" * 1000


class LazyFile(io.RawIOBase):
    """`size` bytes of a repeating 16 KiB pattern, made as they are read: the test never holds the file either."""

    CHUNK = bytes(range(256)) * 64

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = min(len(buffer), self.left, len(self.CHUNK))
        buffer[:n] = self.CHUNK[:n]
        self.left -= n
        return n


def _expected_sha256(size: int) -> str:
    digest, left = hashlib.sha256(), size
    while left:
        piece = LazyFile.CHUNK[:min(left, len(LazyFile.CHUNK))]
        digest.update(piece)
        left -= len(piece)
    return digest.hexdigest()


def _produced(app: Flask, session: Session, *, incident: bool = False) -> tuple[int, int]:
    """A request with one uploaded-and-hashed file (FOOTAGE), produced by the supervisor: (request id, file id)."""
    now = datetime.now(UTC)
    estate = app.config["TEST_ESTATE"]
    incident_id = None
    if incident:
        room = rooms.ensure_defaults(session)
        incident_id = incidents.log_incident(
            session, IncidentCreate(occurred_at=now - timedelta(hours=3), category="robbery",
                                    camera_ids=[estate.town_camera]), room=room, operator="operator", now=now).id
    request = evidence.record_request(
        session, EvidenceRequestBase(requesting_officer="PC 1234 Jones", incident_id=incident_id,
                                     window_start=now - timedelta(hours=4), window_end=now - timedelta(hours=2)),
        [estate.town_camera], actor="operator", now=now)
    media = evidence.add_media(session, request.id, media_id="WY-EXP-7", file=io.BytesIO(FOOTAGE), file_name="a.mp4",
                               actor="supervisor", now=now)
    evidence.produce(session, request.id, actor="supervisor", actor_role="supervisor", now=now)
    session.commit()
    return request.id, media.id


def _chain(session: Session, request_id: int) -> list[tuple[str, str, bool]]:
    session.expire_all()
    rows = session.exec(select(EvidenceMovement).where(EvidenceMovement.evidence_id == request_id)
                        .order_by(col(EvidenceMovement.id))).all()
    return [(m.kind.value, m.to_whom, m.hash_computed) for m in rows]


def test_every_movement_is_its_own_row_with_the_hash_checked(app: Flask, client: FlaskClient, form_view,
                                                             app_session: Session) -> None:
    request_id, file_id = _produced(app, app_session)
    login(client, "supervisor")
    url = f"/evidence/{request_id}/movements"
    good = hashlib.sha256(FOOTAGE).hexdigest()
    base = {"move-file_id": str(file_id), "move-how": "in person"}
    # First handover: the file presented again, hashed by the app.
    assert client.post(url, content_type="multipart/form-data", data={
        **base, "move-kind": "handed_over", "move-to_whom": "PC 1234 Jones",
        "move-file": (io.BytesIO(FOOTAGE), "a.mp4")}).status_code == 302
    # Back, then on to the CPS: typed hashes (upper case, spaces) are checked too.
    assert client.post(url, data={**base, "move-kind": "returned", "move-to_whom": "PC 1234 Jones",
                                  "move-sha256": f" {good.upper()} "}).status_code == 302
    assert client.post(url, data={**base, "move-kind": "handed_over", "move-to_whom": "CPS Thames and Chiltern",
                                  "move-how": "secure courier", "move-sha256": good}).status_code == 302
    assert _chain(app_session, request_id) == [
        ("produced", "", True), ("handed_over", "PC 1234 Jones", True), ("returned", "PC 1234 Jones", False),
        ("handed_over", "CPS Thames and Chiltern", False)]
    request = app_session.get(EvidenceRequest, request_id)
    assert (request.handed_over_to, request.released_by) == ("PC 1234 Jones", "supervisor")  # the first release
    html = client.get(f"/evidence/{request_id}").get_data(as_text=True)
    assert html.count('data-kind="handed_over"') == 2 and "CPS Thames and Chiltern" in html


def test_a_movement_whose_hash_differs_is_refused_beside_the_field_with_what_was_typed_kept(
    app: Flask, client: FlaskClient, form_view, app_session: Session
) -> None:
    request_id, file_id = _produced(app, app_session)
    login(client, "supervisor")
    url = f"/evidence/{request_id}/movements"
    typed = {"move-file_id": str(file_id), "move-kind": "copied", "move-to_whom": "DC 5 Khan",
             "move-how": "copied to DVD", "move-notes": "working copy"}
    response = client.post(url, content_type="multipart/form-data", data={
        **typed, "move-file": (io.BytesIO(OTHER), "wrong.mp4")})
    assert response.status_code == 400
    page = form_view(response)
    assert hashlib.sha256(OTHER).hexdigest() in page.error("move-sha256")
    assert "does not match WY-EXP-7" in page.error("move-sha256")
    assert (page.value("move-to_whom"), page.value("move-how"), page.value("move-notes")) == (
        "DC 5 Khan", "copied to DVD", "working copy")
    response = client.post(url, data={**typed, "move-sha256": "0" * 64})
    assert response.status_code == 400 and "does not match" in form_view(response).error("move-sha256")
    assert _chain(app_session, request_id) == [("produced", "", True)]


def test_nothing_follows_destruction_and_only_what_went_out_comes_back(app: Flask, client: FlaskClient, form_view,
                                                                      app_session: Session) -> None:
    request_id, file_id = _produced(app, app_session)
    login(client, "supervisor")
    url = f"/evidence/{request_id}/movements"
    good = {"move-file_id": str(file_id), "move-sha256": hashlib.sha256(FOOTAGE).hexdigest()}
    page = form_view(client.post(url, data={**good, "move-kind": "returned", "move-to_whom": "PC 1"}))
    assert "not out of the control room's custody" in page.error("move-kind")
    page = form_view(client.post(url, data={**good, "move-kind": "destroyed", "move-how": ""}))
    assert page.error("move-how") == "say how it was destroyed"
    assert client.post(url, data={**good, "move-kind": "destroyed", "move-how": "shredded"}).status_code == 302
    page = form_view(client.post(url, data={**good, "move-kind": "handed_over", "move-to_whom": "PC 1"}))
    assert "has been destroyed" in page.error("move-kind")
    assert _chain(app_session, request_id) == [("produced", "", True), ("destroyed", "", False)]


def test_operators_cannot_move_footage(app: Flask, as_role, app_session: Session) -> None:
    request_id, file_id = _produced(app, app_session)
    response = as_role("operator").post(f"/evidence/{request_id}/movements", data={
        "move-file_id": str(file_id), "move-kind": "handed_over", "move-to_whom": "PC 1",
        "move-sha256": hashlib.sha256(FOOTAGE).hexdigest()})
    assert response.status_code == 403
    assert _chain(app_session, request_id) == [("produced", "", True)]


def test_a_file_far_past_the_old_limit_is_hashed_as_it_streams_in(app: Flask, client: FlaskClient,
                                                                  app_session: Session) -> None:
    """25 MiB (the app's other forms stop at 20 MB): hashed right, and the request never holds the file (the test
    client spools the body to a temporary file; the app's peak Python memory stays a small fraction of it)."""
    size = 25 * 2**20
    assert size > app.config["MAX_CONTENT_LENGTH"]
    request_id, _file_id = _produced(app, app_session)
    login(client, "supervisor")
    tracemalloc.start()
    try:
        response = client.post(f"/evidence/{request_id}/media", content_type="multipart/form-data", data={
            "media_id": "WY-EXP-8", "file": (LazyFile(size), "camera 4 full night.mp4")})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert peak < 4 * 2**20, f"peak {peak:,} bytes"
    app_session.expire_all()
    media = app_session.exec(select(EvidenceMedia).where(EvidenceMedia.media_id == "WY-EXP-8")).one()
    assert (media.sha256, media.size_bytes, media.hash_computed) == (_expected_sha256(size), size, True)


def test_past_the_evidence_limit_the_page_comes_back_413_with_the_form_and_the_limit(
    app: Flask, client: FlaskClient, form_view, app_session: Session
) -> None:
    request_id, file_id = _produced(app, app_session)
    app.config["EVIDENCE_UPLOAD_MAX_BYTES"] = 2**20
    login(client, "supervisor")
    response = client.post(f"/evidence/{request_id}/movements", content_type="multipart/form-data", data={
        "move-file_id": str(file_id), "move-kind": "copied", "move-file": (LazyFile(2 * 2**20), "big.mp4")})
    assert response.status_code == 413
    page = form_view(response)
    assert "larger than the" in page.error("move-file") and "type the SHA-256" in page.error("move-file")
    html = response.get_data(as_text=True)
    assert 'id="movement-form"' in html and 'data-max-bytes="1048576"' in html
    assert _chain(app_session, request_id) == [("produced", "", True)]


def test_the_page_names_its_incident_by_reference(app: Flask, as_role, app_session: Session) -> None:
    request_id, _file_id = _produced(app, app_session, incident=True)
    request = app_session.get(EvidenceRequest, request_id)
    reference = incident_queries.get_incident(app_session, request.incident_id).reference
    html = as_role("operator").get(f"/evidence/{request_id}").get_data(as_text=True)
    assert f'<a href="/incidents/{request.incident_id}">{reference}</a>' in html
    assert ">None<" not in html


def test_viewing_evidence_is_in_the_audit_trail(app: Flask, as_role, app_session: Session) -> None:
    request_id, _file_id = _produced(app, app_session)
    client = as_role("dpo")
    assert client.get(f"/evidence/{request_id}").status_code == 200
    assert client.get("/evidence?show=all").status_code == 200
    reads = app_session.exec(select(AuditEntry).where(AuditEntry.action == "read",
                                                      AuditEntry.table_name == "evidence_request")).all()
    assert {(e.actor, e.record_id, e.changed()["what"]["after"]) for e in reads} == {
        ("dpo", str(request_id), "evidence request page"), ("dpo", "list", "evidence requests list (all)")}


def test_the_chain_downloads_as_csv_and_the_download_is_audited(app: Flask, client: FlaskClient,
                                                                 app_session: Session) -> None:
    request_id, file_id = _produced(app, app_session)
    login(client, "supervisor")
    good = hashlib.sha256(FOOTAGE).hexdigest()
    assert client.post(f"/evidence/{request_id}/movements", data={
        "move-file_id": str(file_id), "move-kind": "handed_over", "move-to_whom": "=HYPERLINK(\"x\")",
        "move-how": "in person", "move-sha256": good}).status_code == 302
    response = client.get(f"/evidence/{request_id}/custody.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("Request,When (Europe/London),File,Movement,By,To or from whom")
    assert [line.split(",")[2:4] for line in lines[1:]] == [["WY-EXP-7", "Produced"], ["WY-EXP-7", "Handed over"]]
    assert good in lines[2] and "'=HYPERLINK" in lines[2]  # a typed formula goes out as text
    reads = app_session.exec(select(AuditEntry).where(AuditEntry.action == "read",
                                                      AuditEntry.record_id == str(request_id))).all()
    assert "chain of custody CSV" in {e.changed()["what"]["after"] for e in reads}


def test_the_days_log_is_audited_as_read(as_role, app_session: Session) -> None:
    assert as_role("dpo").get("/incidents?day=2026-11-20").status_code == 200
    reads = app_session.exec(select(AuditEntry).where(AuditEntry.action == "read",
                                                      AuditEntry.table_name == "incident")).all()
    assert [(e.actor, e.record_id) for e in reads] == [("dpo", "log 2026-11-20")]
