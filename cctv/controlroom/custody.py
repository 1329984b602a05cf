"""The chain of custody of exported footage: every movement of each file (produced, copied, handed over, returned,
destroyed) is its own row with who, to (or from) whom, when, how, and the SHA-256 checked at that step.

At each step the hash is checked again: the app hashes the file presented (uploaded, streamed to a hash a chunk at
a time, so a multi-gigabyte export never sits in memory) or the person types the hash their tool shows; either way
it must equal the hash recorded when the file was added, or the movement is refused: a copy that differs is not the
evidence. Only a supervisor or an administrator moves footage (as for production). Handovers may follow one
another (police officer, then CPS, then court); nothing can follow a file's destruction.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from cctv.controlroom.evidence import (
    EvidenceError,
    _aware,
    _check_role,
    get_request,
    normalise_sha256,
)
from cctv.controlroom.models import EvidenceMedia, EvidenceMovement, EvidenceRequest
from cctv.controlroom.types import MOVEMENT_LABELS, MovementKind
from common.csv_cells import SafeWriter
from inventory.types import london_time

# Steps a person records on the page; "produced" is recorded by production itself.
RECORDED_STEPS = (MovementKind.COPIED, MovementKind.HANDED_OVER, MovementKind.RETURNED, MovementKind.DESTROYED)
TO_WHOM_MAX, HOW_MAX, NOTES_MAX = 120, 200, 500


class Sha256Sink:
    """A write-only file that keeps nothing but the SHA-256 and size of what is written to it.

    Given to the multipart parser as the destination of an uploaded file, it hashes the request body as it arrives,
    chunk by chunk: no memory or disk in proportion to the file. Reading gives nothing (there is nothing kept).
    """

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> int:
        """Hash the chunk and forget it."""
        self._digest.update(chunk)
        self.size += len(chunk)
        return len(chunk)

    def hexdigest(self) -> str:
        """The SHA-256 of everything written, in lower-case hexadecimal."""
        return self._digest.hexdigest()

    def read(self, _size: int = -1) -> bytes:
        return b""

    def readline(self, _size: int = -1) -> bytes:
        return b""

    def seek(self, _offset: int, _whence: int = 0) -> int:
        return 0

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True


@dataclass(frozen=True)
class Presented:
    """The hash presented at a step: computed by the app from the file (with its size) or typed."""

    sha256: str
    computed: bool
    size: int | None = None


def presented(*, typed: str | None, computed: tuple[str, int] | None) -> Presented:
    """What was presented at a step: the file's hash when a file came (a typed one must then agree), else the typed
    one; EvidenceError naming the field when neither came or they differ."""
    typed_hash = normalise_sha256(typed) if typed and typed.strip() else None
    if computed is not None:
        if typed_hash is not None and typed_hash != computed[0]:
            raise EvidenceError({"sha256": f"the typed SHA-256 differs from the file's ({computed[0]})"})
        return Presented(computed[0], True, computed[1])
    if typed_hash is None:
        raise EvidenceError({"sha256": "upload the file or type its SHA-256: the hash is checked at every step"})
    return Presented(typed_hash, False)


def movements(session: Session, evidence_id: int) -> list[EvidenceMovement]:
    """The request's chain of custody, oldest first."""
    stmt = (select(EvidenceMovement).where(EvidenceMovement.evidence_id == evidence_id)
            .order_by(col(EvidenceMovement.at), col(EvidenceMovement.id)))
    return list(session.exec(stmt))


def _last(session: Session, file_id: int, kinds: tuple[MovementKind, ...] | None = None) -> EvidenceMovement | None:
    stmt = select(EvidenceMovement).where(EvidenceMovement.file_id == file_id)
    if kinds:
        stmt = stmt.where(col(EvidenceMovement.kind).in_(kinds))
    return session.exec(stmt.order_by(col(EvidenceMovement.at).desc(), col(EvidenceMovement.id).desc())).first()


def record_production(session: Session, request: EvidenceRequest, files: list[EvidenceMedia], *, actor: str,
                      now: datetime) -> None:
    """The first link of each file's chain: produced, with the hash recorded when the file was added."""
    session.add_all(EvidenceMovement(evidence_id=request.id, file_id=f.id, kind=MovementKind.PRODUCED, at=now,
                                     moved_by=actor, sha256=f.sha256, hash_computed=f.hash_computed) for f in files)


def _state_problem(session: Session, request: EvidenceRequest, media: EvidenceMedia, kind: MovementKind) -> str:
    """Why this step cannot follow the file's chain so far ("" when it can)."""
    if request.produced_at is None:
        return "produce the footage before moving it"
    if _last(session, media.id, (MovementKind.DESTROYED,)) is not None:
        return f"{media.media_id} has been destroyed: nothing can follow"
    if kind == MovementKind.RETURNED:
        handed = _last(session, media.id, (MovementKind.HANDED_OVER, MovementKind.RETURNED))
        if handed is None or handed.kind != MovementKind.HANDED_OVER:
            return f"{media.media_id} is not out of the control room's custody: nothing to return"
    return ""


def record_movement(
    session: Session,
    evidence_id: int,
    *,
    file_id: int | None,
    kind: MovementKind,
    to_whom: str = "",
    how: str = "",
    notes: str = "",
    typed_sha256: str | None = None,
    computed: tuple[str, int] | None = None,
    actor: str,
    actor_role: str,
    now: datetime,
) -> EvidenceMovement:
    """Record one step of a file's chain of custody, refused (EvidenceError by field) when the hash presented is
    not the file's, the step cannot follow the chain so far, or a field is missing or too long."""
    _aware(now, "now")
    _check_role(actor_role, "move")
    request = get_request(session, evidence_id)
    media = session.get(EvidenceMedia, file_id) if file_id else None
    if media is None or media.evidence_id != request.id:
        raise EvidenceError({"file_id": "choose one of this request's files"})
    kind = MovementKind(kind)
    if kind not in RECORDED_STEPS:
        raise EvidenceError({"kind": "choose copied, handed over, returned or destroyed"})
    to_whom, how, notes = to_whom.strip(), how.strip(), notes.strip()
    problems: dict[str, str] = {}
    if state := _state_problem(session, request, media, kind):
        problems["kind"] = state
    if kind in (MovementKind.HANDED_OVER, MovementKind.RETURNED) and not to_whom:
        problems["to_whom"] = ("say to whom (name and collar number)" if kind == MovementKind.HANDED_OVER
                               else "say who returned it")
    elif len(to_whom) > TO_WHOM_MAX:
        problems["to_whom"] = f"at most {TO_WHOM_MAX} characters"
    if kind == MovementKind.DESTROYED and not how:
        problems["how"] = "say how it was destroyed"
    elif len(how) > HOW_MAX:
        problems["how"] = f"at most {HOW_MAX} characters"
    if len(notes) > NOTES_MAX:
        problems["notes"] = f"at most {NOTES_MAX} characters"
    if request.produced_at is not None and now < request.produced_at:
        problems["kind"] = "footage cannot move before it was produced"
    if problems:
        raise EvidenceError(problems)
    shown = presented(typed=typed_sha256, computed=computed)
    if shown.sha256 != media.sha256:
        source = "the file's SHA-256" if shown.computed else "the SHA-256 typed"
        raise EvidenceError({"sha256": f"{source} ({shown.sha256}) does not match {media.media_id}'s recorded "
                                       f"{media.sha256}: this is not the same file; the movement is not recorded"})
    movement = EvidenceMovement(evidence_id=request.id, file_id=media.id, kind=kind, at=now, moved_by=actor,
                                to_whom=to_whom, how=how, sha256=shown.sha256, hash_computed=shown.computed,
                                notes=notes)
    session.add(movement)
    if kind == MovementKind.HANDED_OVER and request.handed_over_at is None:
        # The request's own columns keep the first release: the open list and later use go by it.
        request.handed_over_to, request.handed_over_at, request.released_by = to_whom, now, actor
        session.add(request)
    session.flush()
    return movement


def custody_csv(session: Session, evidence_id: int) -> str:
    """The request's chain of custody as CSV, one movement a row, times in London (for a continuity statement);
    no cell runs as a formula in a spreadsheet (`common.csv_cells`)."""
    request = get_request(session, evidence_id)
    names = {m.id: m.media_id for m in session.exec(select(EvidenceMedia).where(
        EvidenceMedia.evidence_id == request.id))}
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["Request", "When (Europe/London)", "File", "Movement", "By", "To or from whom", "How",
                     "SHA-256 checked", "Hash", "Notes"])
    writer.writerows([request.id, london_time(m.at).strftime("%Y-%m-%d %H:%M"), names.get(m.file_id, ""),
                      MOVEMENT_LABELS[MovementKind(m.kind)], m.moved_by, m.to_whom, m.how, m.sha256,
                      "file hashed by the app" if m.hash_computed else "typed", m.notes]
                     for m in movements(session, request.id))
    return out.getvalue()
