"""The audit trail: every create, update and delete stores who, when and the fields before/after; secrets are never
stored; nobody can change or delete an entry, but the retention scrub of named fields; a rolled-back change leaves
no trace. On every backend under test."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from cctv.audit import AuditEntry, AuditTrailIsReadOnly, scrub_audit_fields
from cctv.auth.models import ApiToken, Role, User
from cctv.db import Database
from inventory.funding import record_funding
from inventory.models import Camera, Funding, FundingCreate, ServiceArea
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus, FundingSource
from tests.conftest import Estate


def entries(session: Session, table: str, record_id: object | None = None) -> list[AuditEntry]:
    """The audit entries of a table (and one record), oldest first."""
    stmt = select(AuditEntry).where(AuditEntry.table_name == table)
    if record_id is not None:
        stmt = stmt.where(AuditEntry.record_id == str(record_id))
    return list(session.exec(stmt.order_by(col(AuditEntry.id))))


def a_camera(area_id: int, asset_id: str = "CS-100") -> Camera:
    """A camera to add."""
    return Camera(asset_id=asset_id, name="Market Square", service_area_id=area_id, kind=CameraKind.PUBLIC_SPACE_PTZ,
                  location_text="Market Square", town="Aylesbury", install_date=date(2013, 4, 2))


def test_a_create_is_recorded_with_who_and_every_field(database: Database, estate: Estate) -> None:
    before = datetime.now(UTC)
    with database.session("alice") as s:
        camera = a_camera(estate.community_safety)
        s.add(camera)
        s.commit()
        found = entries(s, "camera", camera.id)
    assert [(e.action, e.actor, e.record_id) for e in found] == [("create", "alice", str(camera.id))]
    entry = found[0]
    assert before <= entry.at <= datetime.now(UTC)
    changed = entry.changed()
    assert changed["asset_id"] == {"after": "CS-100"}
    assert changed["kind"] == {"after": "public_space_ptz"}
    assert changed["install_date"] == {"after": "2013-04-02"}
    assert changed["id"] == {"after": camera.id}
    assert changed["longitude"] == {"after": None}


def test_an_update_records_only_the_changed_fields_before_and_after(database: Database, estate: Estate) -> None:
    with database.session("bob") as s:
        camera = s.get(Camera, estate.town_camera)
        camera.status = CameraStatus.FAULTY
        camera.location_text = "Frogmoor south"
        camera.town = "High Wycombe"  # the same value: not a change
        s.add(camera)
        s.commit()
        found = entries(s, "camera", estate.town_camera)
    assert [(e.action, e.actor) for e in found] == [("create", "tester"), ("update", "bob")]
    assert found[1].changed() == {
        "status": {"before": "operational", "after": "faulty"},
        "location_text": {"before": "Frogmoor", "after": "Frogmoor south"},
    }


def test_setting_the_same_value_writes_no_entry(database: Database, estate: Estate) -> None:
    with database.session("bob") as s:
        camera = s.get(Camera, estate.town_camera)
        camera.name = "Frogmoor north"
        s.add(camera)
        s.commit()
        assert [e.action for e in entries(s, "camera", estate.town_camera)] == ["create"]


def test_a_delete_records_what_was_there(database: Database, estate: Estate) -> None:
    with database.session("carol") as s:
        area = ServiceArea(code="TMP", name="Temporary", description="to go")
        s.add(area)
        s.commit()
        area_id = area.id
        s.delete(area)
        s.commit()
        found = entries(s, "service_area", area_id)
    assert [(e.action, e.actor) for e in found] == [("create", "carol"), ("delete", "carol")]
    assert found[1].changed() == {"code": {"before": "TMP"}, "name": {"before": "Temporary"},
                                  "description": {"before": "to go"}, "id": {"before": area_id}}


def test_amounts_and_enums_are_stored_as_plain_text(database: Database, estate: Estate) -> None:
    with database.session("dpo") as s:
        award = Funding(reference="NCIL-1", source=FundingSource.NCIL, amount=Decimal("85000.50"),
                        awarded_on=date(2024, 4, 1))
        s.add(award)
        s.commit()
        changed = entries(s, "funding", award.id)[0].changed()
    assert changed["amount"] == {"after": "85000.50"}
    assert changed["source"] == {"after": "ncil"}


def test_password_and_token_hashes_are_never_stored(database: Database, estate: Estate) -> None:
    with database.session("admin") as s:
        user = User(username="dave", role=Role.OPERATOR, password_hash="scrypt:32768:8:1$salt$secret-hash-1")
        s.add(user)
        s.flush()
        token = ApiToken(user_id=user.id, name="asset system", token_hash="f" * 64, prefix="cctv_abc")
        s.add(token)
        s.commit()
        user.password_hash = "scrypt:32768:8:1$salt$secret-hash-2"
        user.full_name = "Dave Smith"
        s.add(user)
        s.commit()
        created, updated = entries(s, "app_user", user.id)
        token_entry = entries(s, "api_token", token.id)[0]
        everything = " ".join(e.changes for e in s.exec(select(AuditEntry)))
    assert created.changed()["password_hash"] == {"after": "***"}
    assert updated.changed() == {"password_hash": {"before": "***", "after": "***"},
                                 "full_name": {"before": "", "after": "Dave Smith"}}
    assert token_entry.changed()["token_hash"] == {"after": "***"}
    assert token_entry.changed()["prefix"] == {"after": "cctv_abc"}
    assert "secret-hash" not in everything and "f" * 64 not in everything


def test_the_actor_may_be_resolved_when_the_change_is_flushed(database: Database, estate: Estate) -> None:
    who = {"name": "nobody yet"}
    with database.session(lambda: who["name"]) as s:
        who["name"] = "erin"
        s.add(a_camera(estate.community_safety))
        s.commit()
        assert [e.actor for e in entries(s, "camera")][-1] == "erin"


def test_an_entry_cannot_be_changed(database: Database, estate: Estate) -> None:
    with database.session("mallory") as s:
        entry = entries(s, "camera", estate.town_camera)[0]
        original = (entry.actor, entry.changes)
        entry.actor = "someone else"
        entry.changes = "{}"
        s.add(entry)
        with pytest.raises(AuditTrailIsReadOnly):
            s.commit()
    with database.session("check") as s:
        stored = entries(s, "camera", estate.town_camera)[0]
        assert (stored.actor, stored.changes) == original


def test_an_entry_cannot_be_deleted(database: Database, estate: Estate) -> None:
    with database.session("mallory") as s:
        count = len(list(s.exec(select(AuditEntry))))
        s.delete(entries(s, "camera", estate.town_camera)[0])
        with pytest.raises(AuditTrailIsReadOnly):
            s.flush()
    with database.session("check") as s:
        assert len(list(s.exec(select(AuditEntry)))) == count


def test_bulk_statements_cannot_change_or_delete_entries(database: Database, estate: Estate) -> None:
    with database.session("mallory") as s:
        count = len(list(s.exec(select(AuditEntry))))
        with pytest.raises(AuditTrailIsReadOnly):
            s.exec(delete(AuditEntry))
        with pytest.raises(AuditTrailIsReadOnly):
            s.exec(update(AuditEntry).values(actor="someone else"))
        s.rollback()
    with database.session("check") as s:
        found = list(s.exec(select(AuditEntry)))
        assert len(found) == count
        assert "someone else" not in {e.actor for e in found}


def test_core_statements_cannot_change_or_delete_entries(database: Database, estate: Estate) -> None:
    """Run on the session's connection, a Core UPDATE or DELETE bypasses the ORM; the engine refuses it too, whatever
    execution option it claims."""
    trail = AuditEntry.__table__
    with database.session("mallory") as s:
        count = len(list(s.exec(select(AuditEntry))))
        with pytest.raises(AuditTrailIsReadOnly):
            s.connection().execute(update(trail).values(actor="someone else"))
        with pytest.raises(AuditTrailIsReadOnly):
            s.connection().execute(delete(trail).where(trail.c.table_name == "camera"))
        with pytest.raises(AuditTrailIsReadOnly):
            s.connection().execute(update(trail).values(changes="{}"), execution_options={"cctv_audit_scrub": True})
        s.rollback()
    with database.session("check") as s:
        found = list(s.exec(select(AuditEntry)))
        assert len(found) == count and "someone else" not in {e.actor for e in found}


def test_the_scrub_replaces_only_the_named_fields_of_the_named_records(database: Database, estate: Estate) -> None:
    with database.session("bob") as s:
        camera = s.get(Camera, estate.town_camera)
        camera.location_text, camera.notes = "Outside 4 Acacia Avenue", "Resident J. Smith complained"
        s.add(camera)
        s.commit()
        before = {e.id: (e.actor, e.at, e.action) for e in entries(s, "camera")}
        untouched = [e.changes for e in entries(s, "camera", estate.car_park_camera)]
    with database.session("retention") as s:
        changed = scrub_audit_fields(s, "camera", [estate.town_camera], ["location_text", "notes", "name"],
                                     "[removed]", keep=["Frogmoor north"])
        s.commit()
    with database.session("check") as s:
        created, edited = entries(s, "camera", estate.town_camera)
        assert changed == 2
        assert created.changed()["location_text"] == {"after": "[removed]"}
        assert created.changed()["notes"] == {"after": ""}  # an empty value names no one: it stays
        assert created.changed()["name"] == {"after": "Frogmoor north"}  # kept, as asked
        assert created.changed()["asset_id"] == {"after": "CS-001"}  # fields not named stay
        assert edited.changed() == {"location_text": {"before": "[removed]", "after": "[removed]"},
                                    "notes": {"before": "", "after": "[removed]"}}
        assert {e.id: (e.actor, e.at, e.action) for e in entries(s, "camera")} == before  # who, when and what stay
        assert [e.changes for e in entries(s, "camera", estate.car_park_camera)] == untouched
        assert scrub_audit_fields(s, "camera", [estate.town_camera], ["location_text"], "[removed]") == 0  # once
        assert scrub_audit_fields(s, "camera", [], ["location_text"], "[removed]") == 0
        # The scrub opens no door: the trail still refuses every other change in the same session.
        with pytest.raises(AuditTrailIsReadOnly):
            s.exec(update(AuditEntry).values(actor="someone else"))
        with pytest.raises(AuditTrailIsReadOnly):
            s.connection().execute(update(AuditEntry.__table__).values(actor="someone else"))
        s.rollback()


def test_a_rolled_back_change_leaves_no_entry(database: Database, estate: Estate) -> None:
    with database.session("frank") as s:
        before = len(list(s.exec(select(AuditEntry))))
        camera = s.get(Camera, estate.car_park_camera)
        camera.status = CameraStatus.DECOMMISSIONED
        s.add(camera)
        s.add(a_camera(estate.community_safety))
        s.flush()  # the entries are written here, inside the transaction
        assert len(list(s.exec(select(AuditEntry)))) == before + 2
        s.rollback()
    with database.session("check") as s:
        assert len(list(s.exec(select(AuditEntry)))) == before
        assert entries(s, "camera", estate.car_park_camera)[-1].action == "create"
        assert "frank" not in {e.actor for e in s.exec(select(AuditEntry))}


def test_a_failed_transaction_leaves_no_entry(database: Database, estate: Estate) -> None:
    with database.session("check") as s:
        before = len(list(s.exec(select(AuditEntry))))
    with pytest.raises(RuntimeError), database.transaction("grace") as s:
        s.add(a_camera(estate.community_safety, "CS-200"))
        s.flush()
        raise RuntimeError("the job failed half way")
    with database.session("check") as s:
        assert len(list(s.exec(select(AuditEntry)))) == before
        assert s.exec(select(Camera).where(Camera.asset_id == "CS-200")).first() is None
    with database.transaction("grace") as s:
        s.add(a_camera(estate.community_safety, "CS-201"))
    with database.session("check") as s:
        assert [e.actor for e in entries(s, "camera")][-1] == "grace"


def test_the_cameras_an_award_paid_for_are_in_the_trail(session: Session, estate: Estate) -> None:
    funding = record_funding(session, CameraScope.everything(), FundingCreate(
        reference="NCIL-9", source=FundingSource.NCIL, amount=Decimal("1000"), awarded_on=date(2025, 4, 1),
        camera_ids=[estate.town_camera]))
    session.commit()
    links = session.exec(select(AuditEntry).where(AuditEntry.table_name == "funding_camera")).all()
    assert [(e.action, e.record_id) for e in links] == [("create", f"{funding.id}/{estate.town_camera}")]
