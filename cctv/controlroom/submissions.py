"""Each submission taken once: the entry form's one-time token and the API's Idempotency-Key.

A rendered form carries a fresh random token; an API client sends its own key. The view claims the key in the
same transaction as the work it guards (`claim`, before the work, so a second claim waits for the first at the
unique index rather than racing it), then records what the work made (`record`). A second submission with the same
key meets the unique (actor, key) index: at once when the first has committed, or, when both run together, as
soon as the first commits (PostgreSQL's unique-index wait; SQLite's single writer). The caller then rolls back and
answers with what the first made (`taken`). A first submission that failed (a problem in the form) rolled its
claim back too, so the same token can be sent again once corrected.

Services take the session first and never commit or roll back.
"""

import hashlib
import json
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from cctv.controlroom.models import Submission

KEY_MAX = 255  # characters of an Idempotency-Key; Stripe and the IETF draft use up to 255


class SubmissionTaken(Exception):
    """The key was already claimed by this actor: roll back, then read `taken` for what the first one made."""


def new_token() -> str:
    """A fresh one-time token for a rendered form (unguessable, URL-safe, 43 characters)."""
    return secrets.token_urlsafe(32)


def fingerprint(body: Any) -> str:
    """SHA-256 of a JSON body in a canonical form, so a reused key with a different body can be told apart."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def taken(session: Session, actor: str, key: str) -> Submission | None:
    """The submission this actor already made with this key, if any."""
    return session.exec(select(Submission).where(Submission.actor == actor, Submission.key == key)).first()


def claim(session: Session, *, actor: str, key: str, kind: str, now: datetime, body_hash: str = "") -> Submission:
    """Claim the key for this actor (flushed now, so a concurrent claim waits here); SubmissionTaken when it is
    already claimed. After SubmissionTaken the session's transaction is spoiled: the caller rolls back."""
    submission = Submission(actor=actor, key=key, kind=kind, fingerprint=body_hash, created_at=now)
    session.add(submission)
    try:
        session.flush()
    except IntegrityError as exc:
        raise SubmissionTaken(key) from exc
    return submission


def record(session: Session, submission: Submission, result_id: int | None) -> None:
    """Note what the claimed submission made, for the answer to a repeat."""
    submission.result_id = result_id
    session.add(submission)
    session.flush()


__all__ = ["KEY_MAX", "SubmissionTaken", "claim", "fingerprint", "new_token", "record", "taken"]
