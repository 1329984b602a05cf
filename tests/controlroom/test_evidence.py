"""Evidence requests: validation, the SHA-256 of exported files, who may produce and release footage, the chain of
custody, later use and the footage-retention flag (answers worked out by hand)."""

import hashlib
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from cctv.audit import AuditEntry
from cctv.controlroom.custody import record_movement
from cctv.controlroom.evidence import (
    EvidenceError,
    EvidenceNotFound,
    add_media,
    list_requests,
    note_later_use,
    produce,
    record_request,
    request_cameras,
    request_media,
    retention_risk,
)
from cctv.controlroom.models import EvidenceRequest, EvidenceRequestBase
from cctv.controlroom.types import LaterUse, MovementKind
from tests.conftest import Estate

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2's "abc" example


def hand_over(session: Session, evidence_id: int, *, to: str, actor: str, actor_role: str, now: datetime) -> None:
    """Hand the request's first file over, its hash typed as the exporter showed it (ABC_SHA256)."""
    first = request_media(session, evidence_id)[0]
    record_movement(session, evidence_id, file_id=first.id, kind=MovementKind.HANDED_OVER, to_whom=to,
                    typed_sha256=ABC_SHA256, actor=actor, actor_role=actor_role, now=now)


def request_data(**changes: object) -> EvidenceRequestBase:
    """PC Patel's request for an hour of footage two days ago."""
    values: dict[str, object] = {
        "requesting_officer": "PC 1234 Patel", "police_reference": "43260012345",
        "window_start": NOW - timedelta(days=2, hours=1), "window_end": NOW - timedelta(days=2),
    }
    values.update(changes)
    return EvidenceRequestBase.model_validate(values)


def new_request(session: Session, estate: Estate, **changes: object) -> EvidenceRequest:
    """A recorded request for the town and car-park cameras."""
    return record_request(session, request_data(**changes), [estate.town_camera, estate.car_park_camera],
                          actor="operator", now=NOW)


def problems(error: pytest.ExceptionInfo[EvidenceError]) -> set[str]:
    """The fields an EvidenceError complains about."""
    return set(error.value.problems)


# --- recording a request ------------------------------------------------------------------------------------------


def test_a_request_is_recorded_with_its_cameras(session: Session, estate: Estate) -> None:
    request = record_request(session, request_data(), [estate.car_park_camera, estate.town_camera, estate.town_camera],
                             actor="operator", now=NOW)
    session.commit()
    assert request.requested_at == NOW
    assert request.recorded_by == "operator"
    assert request.force == "Thames Valley Police"
    assert [c.asset_id for c in request_cameras(session, request.id)] == ["CS-001", "PARK-001"]
    assert request.window_start == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "camera_ids", "field"),
    [
        ({"window_end": NOW - timedelta(days=3)}, None, "window_end"),  # ends before it starts
        ({"window_start": NOW + timedelta(hours=1), "window_end": NOW + timedelta(hours=2)}, None, "window_start"),
        ({"window_end": NOW + timedelta(minutes=30)}, None, "window_end"),  # footage not recorded yet
        ({"requesting_officer": "   "}, None, "requesting_officer"),
        ({}, [], "camera_ids"),
        ({}, [999], "camera_ids"),
        ({"incident_id": 999}, None, "incident_id"),
    ],
)
def test_a_bad_request_is_refused_field_by_field(
    session: Session, estate: Estate, changes: dict, camera_ids: list[int] | None, field: str
) -> None:
    ids = [estate.town_camera] if camera_ids is None else camera_ids
    with pytest.raises(EvidenceError) as error:
        record_request(session, request_data(**changes), ids, actor="operator", now=NOW)
    assert field in problems(error)
    assert session.exec(select(EvidenceRequest)).all() == []


def test_a_window_ending_within_five_minutes_of_now_is_accepted(session: Session, estate: Estate) -> None:
    request = new_request(session, estate, window_end=NOW + timedelta(minutes=5))
    assert request.window_end == NOW + timedelta(minutes=5)


def test_times_without_a_zone_are_refused(session: Session, estate: Estate) -> None:
    with pytest.raises(EvidenceError) as error:
        new_request(session, estate, window_start=datetime(2026, 3, 8, 13, 0))
    assert problems(error) == {"window_start"}


# --- exported files and their hashes ------------------------------------------------------------------------------


def test_the_app_hashes_an_uploaded_file(session: Session, estate: Estate) -> None:
    request = new_request(session, estate)
    media = add_media(session, request.id, media_id="DVD-0001", file=io.BytesIO(b"abc"), file_name="export.mp4",
                      actor="supervisor", now=NOW)
    assert media.sha256 == ABC_SHA256 == hashlib.sha256(b"abc").hexdigest()
    assert media.hash_computed is True
    assert media.size_bytes == 3
    assert (media.file_name, media.added_by, media.added_at) == ("export.mp4", "supervisor", NOW)


def test_a_file_larger_than_one_chunk_is_hashed_whole(session: Session, estate: Estate) -> None:
    data = bytes(range(256)) * (3 * 4096) + b"tail!"  # 3 MiB and 5 bytes: four reads of at most 1 MiB
    request = new_request(session, estate)
    media = add_media(session, request.id, media_id="USB-7", file=io.BytesIO(data), actor="supervisor", now=NOW)
    assert media.size_bytes == 3 * 1024 * 1024 + 5
    assert media.sha256 == hashlib.sha256(data).hexdigest()


def test_a_typed_hash_is_kept_in_lower_case(session: Session, estate: Estate) -> None:
    request = new_request(session, estate)
    media = add_media(session, request.id, media_id="DVD-0002", sha256=f"  {ABC_SHA256.upper()} ",
                      actor="operator", now=NOW)
    assert media.sha256 == ABC_SHA256
    assert media.hash_computed is False
    assert media.size_bytes is None


def test_a_typed_hash_agreeing_with_the_file_is_accepted(session: Session, estate: Estate) -> None:
    request = new_request(session, estate)
    media = add_media(session, request.id, media_id="DVD-3", sha256=ABC_SHA256.upper(), file=io.BytesIO(b"abc"),
                      actor="operator", now=NOW)
    assert media.sha256 == ABC_SHA256
    assert media.hash_computed is True


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sha256": ABC_SHA256[:63]}, "sha256"),  # 63 characters
        ({"sha256": ABC_SHA256[:63] + "g"}, "sha256"),  # not hexadecimal
        ({"sha256": ABC_SHA256, "file": b"abd"}, "sha256"),  # the file is not the one typed
        ({}, "sha256"),  # neither
        ({"sha256": ABC_SHA256, "media_id": " "}, "media_id"),
        ({"sha256": ABC_SHA256, "media_id": "M" * 81}, "media_id"),
    ],
)
def test_bad_media_is_refused(session: Session, estate: Estate, kwargs: dict, field: str) -> None:
    request = new_request(session, estate)
    arguments = {"media_id": "DVD-1", **kwargs}
    if "file" in arguments:  # a fresh stream for each backend's run
        arguments["file"] = io.BytesIO(arguments["file"])
    with pytest.raises(EvidenceError) as error:
        add_media(session, request.id, actor="operator", now=NOW, **arguments)
    assert field in problems(error)
    assert request_media(session, request.id) == []


def test_a_media_id_is_used_once_per_request(session: Session, estate: Estate) -> None:
    request = new_request(session, estate)
    add_media(session, request.id, media_id="DVD-1", sha256=ABC_SHA256, actor="operator", now=NOW)
    with pytest.raises(EvidenceError) as error:
        add_media(session, request.id, media_id="DVD-1", sha256="0" * 64, actor="operator", now=NOW)
    assert problems(error) == {"media_id"}


def test_media_for_an_unknown_request_is_not_found(session: Session) -> None:
    with pytest.raises(EvidenceNotFound):
        add_media(session, 404, media_id="DVD-1", sha256=ABC_SHA256, actor="operator", now=NOW)


# --- production, release and later use ----------------------------------------------------------------------------


def test_the_chain_of_custody_from_request_to_later_use(session: Session, estate: Estate) -> None:
    request = new_request(session, estate)
    add_media(session, request.id, media_id="DVD-1", file=io.BytesIO(b"abc"), actor="supervisor", now=NOW)
    produce(session, request.id, actor="supervisor", actor_role="supervisor", now=NOW + timedelta(hours=1))
    hand_over(session, request.id, to="PC 1234 Patel", actor="admin", actor_role="admin",
              now=NOW + timedelta(hours=2))
    note_later_use(session, request.id, LaterUse.CHARGED, actor="operator", now=NOW + timedelta(days=20))
    session.commit()
    session.expire_all()
    stored = session.get(EvidenceRequest, request.id)
    assert (stored.produced_by, stored.produced_at) == ("supervisor", NOW + timedelta(hours=1))
    assert (stored.handed_over_to, stored.handed_over_at) == ("PC 1234 Patel", NOW + timedelta(hours=2))
    assert stored.released_by == "admin"
    assert (stored.later_use, stored.later_use_noted_at) == (LaterUse.CHARGED, NOW + timedelta(days=20))
    # The audit trail holds the release: who recorded it and the fields before and after.
    updates = session.exec(select(AuditEntry).where(AuditEntry.table_name == "evidence_request",
                                                    AuditEntry.action == "update").order_by(col(AuditEntry.id))).all()
    released = [e.changed() for e in updates if "handed_over_to" in e.changed()]
    assert released == [{"handed_over_to": {"before": "", "after": "PC 1234 Patel"},
                         "handed_over_at": {"before": None, "after": "2026-03-10T16:00:00+00:00"},
                         "released_by": {"before": "", "after": "admin"}}]
    assert all(e.actor == "tester" for e in updates)


@pytest.mark.parametrize("role", ["operator", "planner", "dpo", "advisory", "service_manager", ""])
def test_only_a_supervisor_or_admin_may_produce_or_release(session: Session, estate: Estate, role: str) -> None:
    request = new_request(session, estate)
    add_media(session, request.id, media_id="DVD-1", sha256=ABC_SHA256, actor="operator", now=NOW)
    with pytest.raises(EvidenceError) as error:
        produce(session, request.id, actor=role, actor_role=role, now=NOW)
    assert problems(error) == {"actor_role"}
    produce(session, request.id, actor="supervisor", actor_role="supervisor", now=NOW)
    with pytest.raises(EvidenceError) as error:
        hand_over(session, request.id, to="PC 1 Smith", actor=role, actor_role=role, now=NOW)
    assert problems(error) == {"actor_role"}
    assert request.handed_over_at is None


def test_production_needs_a_file_and_happens_once(session: Session, estate: Estate) -> None:
    request = new_request(session, estate)
    with pytest.raises(EvidenceError) as error:
        produce(session, request.id, actor="supervisor", actor_role="supervisor", now=NOW)
    assert problems(error) == {"media_id"}
    add_media(session, request.id, media_id="DVD-1", sha256=ABC_SHA256, actor="operator", now=NOW)
    produce(session, request.id, actor="supervisor", actor_role="supervisor", now=NOW)
    with pytest.raises(EvidenceError):
        produce(session, request.id, actor="admin", actor_role="admin", now=NOW)
    assert request.produced_by == "supervisor"


def test_handover_needs_production_and_a_recipient_and_may_follow_another(session: Session, estate: Estate) -> None:
    request = new_request(session, estate)
    add_media(session, request.id, media_id="DVD-1", sha256=ABC_SHA256, actor="operator", now=NOW)
    with pytest.raises(EvidenceError):  # not produced yet
        hand_over(session, request.id, to="PC 1 Smith", actor="supervisor", actor_role="supervisor", now=NOW)
    produce(session, request.id, actor="supervisor", actor_role="supervisor", now=NOW)
    with pytest.raises(EvidenceError):  # to nobody
        hand_over(session, request.id, to="  ", actor="supervisor", actor_role="supervisor", now=NOW)
    with pytest.raises(EvidenceError):  # before it was produced
        hand_over(session, request.id, to="PC 1 Smith", actor="supervisor", actor_role="supervisor",
                  now=NOW - timedelta(minutes=1))
    hand_over(session, request.id, to="PC 1 Smith", actor="supervisor", actor_role="supervisor", now=NOW)
    # A second handover (to the CPS, say) is its own movement; the request keeps the first release.
    hand_over(session, request.id, to="PC 2 Jones", actor="admin", actor_role="admin", now=NOW)
    with pytest.raises(EvidenceError):  # the exported files are fixed once released
        add_media(session, request.id, media_id="DVD-2", sha256="0" * 64, actor="operator", now=NOW)
    assert request.handed_over_to == "PC 1 Smith"


def test_later_use_is_noted_only_after_handover(session: Session, estate: Estate) -> None:
    request = new_request(session, estate)
    with pytest.raises(EvidenceError) as error:
        note_later_use(session, request.id, LaterUse.PROSECUTION, actor="operator", now=NOW)
    assert problems(error) == {"later_use"}


# --- retention flag and lists -------------------------------------------------------------------------------------


def test_the_retention_flag_at_thirty_one_days_exactly() -> None:
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    request = EvidenceRequest(requesting_officer="PC 1", window_start=start, window_end=start + timedelta(hours=1))
    # March has 31 days: 1 April 12:00 is exactly 31 days after 1 March 12:00, and that footage is still kept.
    assert retention_risk(request, datetime(2026, 4, 1, 12, 0, tzinfo=UTC)) is False
    assert retention_risk(request, datetime(2026, 4, 1, 12, 0, 1, tzinfo=UTC)) is True
    assert retention_risk(request, datetime(2026, 3, 25, tzinfo=UTC), retention_days=14) is True


def test_the_retention_flag_uses_the_production_time_once_produced() -> None:
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    request = EvidenceRequest(requesting_officer="PC 1", window_start=start, window_end=start + timedelta(hours=1),
                              produced_at=start + timedelta(days=20))
    assert retention_risk(request, start + timedelta(days=90)) is False  # produced in time; it is late only now
    request.produced_at = start + timedelta(days=32)
    assert retention_risk(request, start + timedelta(days=33)) is True


def test_lists_show_newest_first_and_open_ones_alone(session: Session, estate: Estate) -> None:
    first = new_request(session, estate)
    second = record_request(session, request_data(requesting_officer="DC 55 Khan"), [estate.town_camera],
                            actor="operator", now=NOW + timedelta(hours=1))
    add_media(session, first.id, media_id="DVD-1", sha256=ABC_SHA256, actor="operator", now=NOW)
    produce(session, first.id, actor="supervisor", actor_role="supervisor", now=NOW)
    hand_over(session, first.id, to="PC 1234 Patel", actor="supervisor", actor_role="supervisor", now=NOW)
    session.commit()
    assert [r.id for r in list_requests(session)] == [second.id, first.id]
    assert [r.id for r in list_requests(session, open_only=True)] == [second.id]
