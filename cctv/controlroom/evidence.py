"""Evidence (footage) requests: recording a police request, the exported files and their SHA-256, production, and
the use later made of the footage. Every movement after production is in `custody` (the chain of custody).

Services take the session first and never commit. Only a supervisor or an administrator may produce or release
footage (the issue: "only supervisor/admin release evidence"); the caller passes the actor's role and the service
refuses the others, so the rule holds for the web pages, the API and the CLI alike. Recorders keep footage about
31 days, so a request whose window starts more than that before production (or before now, while nothing is
produced) is at risk of asking for footage already overwritten: `retention_risk` flags it.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import BinaryIO

from sqlmodel import Session, col, select

from cctv.controlroom.models import (
    EvidenceCamera,
    EvidenceMedia,
    EvidenceRequest,
    EvidenceRequestBase,
    Incident,
)
from cctv.controlroom.types import LaterUse
from inventory.models import Camera

RELEASE_ROLES = frozenset({"supervisor", "admin"})  # may produce and hand over footage
FOOTAGE_RETENTION_DAYS = 31
HASH_CHUNK_BYTES = 1 << 20  # exported footage runs to gigabytes: hash it a megabyte at a time
CLOCK_TOLERANCE = timedelta(minutes=5)  # a window may end a little after "now" (PC and recorder clocks differ)
HEX = frozenset("0123456789abcdef")


class EvidenceError(ValueError):
    """A request, file or step the rules refuse; `problems` maps a field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))
        self.problems = problems


class EvidenceNotFound(LookupError):
    """No evidence request with that id."""


def _aware(value: datetime, field: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise EvidenceError({field: "a time must carry its time zone"})


def _check_role(actor_role: str, step: str) -> None:
    if str(actor_role) not in RELEASE_ROLES:
        raise EvidenceError({"actor_role": f"only a supervisor or an administrator may {step} footage"})


def get_request(session: Session, evidence_id: int) -> EvidenceRequest:
    """The request, or EvidenceNotFound."""
    request = session.get(EvidenceRequest, evidence_id)
    if request is None:
        raise EvidenceNotFound(evidence_id)
    return request


def record_request(
    session: Session, data: EvidenceRequestBase, camera_ids: Iterable[int], *, actor: str, now: datetime
) -> EvidenceRequest:
    """Record a police request for footage from one or more cameras over a time window."""
    _aware(now, "now")
    _aware(data.window_start, "window_start")
    _aware(data.window_end, "window_end")
    problems: dict[str, str] = {}
    if data.window_end <= data.window_start:
        problems["window_end"] = "the window must end after it starts"
    elif data.window_start >= now:
        problems["window_start"] = "the window starts in the future: there is no footage yet"
    elif data.window_end > now + CLOCK_TOLERANCE:
        problems["window_end"] = "the window ends in the future: there is no footage yet"
    if not data.requesting_officer.strip():
        problems["requesting_officer"] = "say which officer asked"
    ids = list(dict.fromkeys(int(i) for i in camera_ids))  # keep the order typed, drop repeats
    if not ids:
        problems["camera_ids"] = "name at least one camera"
    else:
        found = set(session.exec(select(Camera.id).where(col(Camera.id).in_(ids))))
        missing = [i for i in ids if i not in found]
        if missing:
            problems["camera_ids"] = f"no camera with id {', '.join(map(str, missing))}"
    if data.incident_id is not None and session.get(Incident, data.incident_id) is None:
        problems["incident_id"] = f"no incident with id {data.incident_id}"
    if problems:
        raise EvidenceError(problems)
    request = EvidenceRequest.model_validate(
        data, update={"requesting_officer": data.requesting_officer.strip(), "requested_at": now, "recorded_by": actor}
    )
    session.add(request)
    session.flush()  # the id, for the camera links
    session.add_all(EvidenceCamera(evidence_id=request.id, camera_id=i) for i in ids)
    session.flush()
    return request


def request_cameras(session: Session, evidence_id: int) -> list[Camera]:
    """The cameras a request asks for, by asset id."""
    stmt = (
        select(Camera).join(EvidenceCamera, col(EvidenceCamera.camera_id) == col(Camera.id))
        .where(EvidenceCamera.evidence_id == evidence_id).order_by(col(Camera.asset_id))
    )
    return list(session.exec(stmt))


def request_media(session: Session, evidence_id: int) -> list[EvidenceMedia]:
    """The exported files of a request, in the order they were added."""
    stmt = select(EvidenceMedia).where(EvidenceMedia.evidence_id == evidence_id).order_by(col(EvidenceMedia.id))
    return list(session.exec(stmt))


def hash_stream(stream: BinaryIO, chunk_bytes: int = HASH_CHUNK_BYTES) -> tuple[str, int]:
    """The SHA-256 (lower-case hex) and size in bytes of what is left to read in a binary stream."""
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(chunk_bytes), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def normalise_sha256(typed: str) -> str:
    """A typed SHA-256: 64 hexadecimal characters, spaces around ignored, returned in lower case."""
    value = typed.strip().lower()
    if len(value) != 64 or not set(value) <= HEX:
        raise EvidenceError({"sha256": "a SHA-256 is 64 hexadecimal characters (0-9, a-f)"})
    return value


def add_media(
    session: Session,
    evidence_id: int,
    *,
    media_id: str,
    sha256: str | None = None,
    file: BinaryIO | None = None,
    computed: tuple[str, int] | None = None,
    file_name: str = "",
    actor: str,
    now: datetime,
) -> EvidenceMedia:
    """Add an exported file: hashed by the app from the file when given, else the hash typed from the exporter.

    `computed` is (SHA-256, size) of a file already hashed as it arrived (the web upload streams into a hash: see
    `custody.Sha256Sink`); `file` is a stream hashed here. When a hash is both computed and typed they must agree:
    a typed hash that differs from the file means the wrong file or a typing
    slip, and the record must not carry either silently. Files cannot be added once the footage is handed over.
    """
    _aware(now, "now")
    request = get_request(session, evidence_id)
    if request.handed_over_at is not None:
        raise EvidenceError({"media_id": "the footage has been handed over: its files are fixed"})
    media_id = media_id.strip()
    problems: dict[str, str] = {}
    if not media_id:
        problems["media_id"] = "give the media id (the disc or file label)"
    elif len(media_id) > 80:
        problems["media_id"] = "at most 80 characters"
    elif session.exec(
        select(EvidenceMedia.id).where(EvidenceMedia.evidence_id == evidence_id, EvidenceMedia.media_id == media_id)
    ).first() is not None:
        problems["media_id"] = f"{media_id} is already on this request"
    if len(file_name) > 255:
        problems["file_name"] = "at most 255 characters"
    if file is not None and computed is None:
        computed = hash_stream(file)
    if computed is None and not (sha256 or "").strip():
        problems["sha256"] = "upload the file or type its SHA-256"
    if problems:
        raise EvidenceError(problems)
    typed = normalise_sha256(sha256) if sha256 and sha256.strip() else None
    size: int | None = None
    if computed is not None:
        digest, size = computed
        if typed is not None and typed != digest:
            raise EvidenceError({"sha256": f"the typed SHA-256 differs from the file's ({digest})"})
    else:
        assert typed is not None  # checked above: one of the two was given
        digest = typed
    media = EvidenceMedia(
        evidence_id=evidence_id, media_id=media_id, file_name=file_name.strip(), size_bytes=size, sha256=digest,
        hash_computed=computed is not None, added_at=now, added_by=actor,
    )
    session.add(media)
    session.flush()
    return media


def produce(session: Session, evidence_id: int, *, actor: str, actor_role: str, now: datetime) -> EvidenceRequest:
    """Mark the footage produced (exported), by a supervisor or administrator, once at least one file is recorded."""
    _aware(now, "now")
    _check_role(actor_role, "produce")
    request = get_request(session, evidence_id)
    if request.produced_at is not None:
        raise EvidenceError({"produced_at": f"already produced by {request.produced_by}"})
    files = request_media(session, evidence_id)
    if not files:
        raise EvidenceError({"media_id": "record at least one exported file before production"})
    request.produced_by, request.produced_at = actor, now
    session.add(request)
    from cctv.controlroom.custody import record_production  # custody builds on this module

    record_production(session, request, files, actor=actor, now=now)
    session.flush()
    return request


def note_later_use(
    session: Session, evidence_id: int, later_use: LaterUse, *, actor: str, now: datetime
) -> EvidenceRequest:
    """Record what became of released footage (charged, prosecution, caution, not used), as the police report it."""
    _aware(now, "now")
    request = get_request(session, evidence_id)
    if request.handed_over_at is None:
        raise EvidenceError({"later_use": "the footage has not been handed over yet"})
    request.later_use, request.later_use_noted_at = LaterUse(later_use), now
    session.add(request)  # who noted it is in the audit trail (the session's actor)
    session.flush()
    return request


def retention_risk(request: EvidenceRequest, now: datetime, retention_days: int = FOOTAGE_RETENTION_DAYS) -> bool:
    """Whether the window starts more than `retention_days` before production (or before now, while not produced).

    Exactly `retention_days` is not flagged: footage kept "31 days" is still there 31 days on.
    """
    reference = request.produced_at or now
    return reference - request.window_start > timedelta(days=retention_days)


def list_requests(session: Session, *, open_only: bool = False, limit: int = 500) -> list[EvidenceRequest]:
    """Requests, newest first; open ones are those not yet handed over."""
    stmt = select(EvidenceRequest)
    if open_only:
        stmt = stmt.where(col(EvidenceRequest.handed_over_at).is_(None))
    stmt = stmt.order_by(col(EvidenceRequest.requested_at).desc(), col(EvidenceRequest.id).desc()).limit(limit)
    return list(session.exec(stmt))
