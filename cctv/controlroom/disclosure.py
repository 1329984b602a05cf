"""The disclosure log: police requests, subject access requests and FOI requests, with their clocks.

Due dates (see `deadlines`): subject access, one calendar month from receipt under the ICO's rule (extendable by
up to two further months when the request is complex); FOI, the 20th working day after receipt; police, a local
target of `police_days` calendar days. A request that is extended is due on `extended_to`; due and overdue views
use that date when there is one. Services take the session first and never commit.
"""

from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from cctv.controlroom.deadlines import SAR_MAX_EXTENSION_MONTHS, SAR_MONTHS, foi_due, police_due, sar_due
from cctv.controlroom.models import Disclosure, DisclosureBase, EvidenceRequest
from cctv.controlroom.types import DisclosureKind, DisclosureStatus, RedactionStatus

POLICE_DAYS = 7
DUE_SOON_DAYS = 7


class DisclosureError(ValueError):
    """A step the rules refuse; `problems` maps a field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))
        self.problems = problems


class DisclosureNotFound(LookupError):
    """No disclosure request with that id."""


def due_date(kind: DisclosureKind, received: date, *, police_days: int = POLICE_DAYS) -> date:
    """When a request of this kind received on this day must be answered."""
    kind = DisclosureKind(kind)
    if kind == DisclosureKind.SUBJECT_ACCESS:
        return sar_due(received, SAR_MONTHS)
    if kind == DisclosureKind.FOI:
        return foi_due(received)
    return police_due(received, police_days)


def effective_due(disclosure: Disclosure) -> date:
    """The date the request is due by now: the extended date when it was extended."""
    return disclosure.extended_to or disclosure.due_on


def get_disclosure(session: Session, disclosure_id: int) -> Disclosure:
    """The request, or DisclosureNotFound."""
    disclosure = session.get(Disclosure, disclosure_id)
    if disclosure is None:
        raise DisclosureNotFound(disclosure_id)
    return disclosure


def _open(session: Session, disclosure_id: int) -> Disclosure:
    disclosure = get_disclosure(session, disclosure_id)
    if disclosure.status != DisclosureStatus.OPEN:
        raise DisclosureError({"status": f"the request is already {disclosure.status.value}"})
    return disclosure


def _sar(disclosure: Disclosure, field: str) -> None:
    if disclosure.kind != DisclosureKind.SUBJECT_ACCESS:
        raise DisclosureError({field: "only a subject access request has this"})


def open_disclosure(
    session: Session, data: DisclosureBase, *, actor: str, police_days: int = POLICE_DAYS
) -> Disclosure:
    """Log a request received on `data.received_on`, with its due date; the actor handles it."""
    problems: dict[str, str] = {}
    if not data.requester.strip():
        problems["requester"] = "say who made the request"
    if data.evidence_id is not None and session.get(EvidenceRequest, data.evidence_id) is None:
        problems["evidence_id"] = f"no evidence request with id {data.evidence_id}"
    if police_days < 0:
        problems["police_days"] = "must not be negative"
    if problems:
        raise DisclosureError(problems)
    disclosure = Disclosure.model_validate(
        data,
        update={
            "requester": data.requester.strip(),
            "due_on": due_date(data.kind, data.received_on, police_days=police_days),
            "handled_by": actor,
        },
    )
    session.add(disclosure)
    session.flush()
    return disclosure


def extend(
    session: Session, disclosure_id: int, *, months: int = SAR_MAX_EXTENSION_MONTHS, reason: str
) -> Disclosure:
    """Extend an open subject access request by `months` further months (1 or 2 in all), counted from receipt.

    `months` is the whole extension, not an increment: extending by 1 and later by 2 gives 2 further months, and
    an extension is never shortened.
    """
    disclosure = _open(session, disclosure_id)
    _sar(disclosure, "extended_to")
    if not 1 <= months <= SAR_MAX_EXTENSION_MONTHS:
        raise DisclosureError({"months": f"a subject access request may be extended by 1 to "
                                         f"{SAR_MAX_EXTENSION_MONTHS} further months"})
    if not reason.strip():
        raise DisclosureError({"extension_reason": "give the reason (the requester must be told it)"})
    if len(reason.strip()) > 500:
        raise DisclosureError({"extension_reason": "at most 500 characters"})
    new_date = sar_due(disclosure.received_on, SAR_MONTHS + months)
    if disclosure.extended_to is not None and new_date < disclosure.extended_to:
        raise DisclosureError({"months": "the request is already extended further than that"})
    disclosure.extended_to, disclosure.extension_reason = new_date, reason.strip()
    session.add(disclosure)
    session.flush()
    return disclosure


def record_id_check(session: Session, disclosure_id: int, *, checked: bool = True) -> Disclosure:
    """Record that the subject's identity was (or was not) verified; a subject access disclosure needs it.

    The clock is not moved: the ICO lets it start when requested proof of identity arrives, but the log keeps only
    the receipt date, so the month runs from receipt (the stricter reading).
    """
    disclosure = _open(session, disclosure_id)
    _sar(disclosure, "id_checked")
    disclosure.id_checked = checked
    session.add(disclosure)
    session.flush()
    return disclosure


def set_redaction(session: Session, disclosure_id: int, redaction: RedactionStatus) -> Disclosure:
    """Record where redaction of third parties stands (subject access and police requests)."""
    disclosure = _open(session, disclosure_id)
    if disclosure.kind == DisclosureKind.FOI:
        raise DisclosureError({"redaction": "FOI requests do not disclose footage of people"})
    disclosure.redaction = RedactionStatus(redaction)
    session.add(disclosure)
    session.flush()
    return disclosure


def close(session: Session, disclosure_id: int, status: DisclosureStatus, today: date) -> Disclosure:
    """Close a request as disclosed, refused or withdrawn on `today`.

    Subject access footage is disclosed only after the identity check and with no redaction outstanding: the
    requester must be who they say, and others in the footage must not be shown.
    """
    disclosure = _open(session, disclosure_id)
    status = DisclosureStatus(status)
    if status == DisclosureStatus.OPEN:
        raise DisclosureError({"status": "choose disclosed, refused or withdrawn"})
    if today < disclosure.received_on:
        raise DisclosureError({"closed_on": "a request cannot close before it was received"})
    if status == DisclosureStatus.DISCLOSED and disclosure.kind == DisclosureKind.SUBJECT_ACCESS:
        if not disclosure.id_checked:
            raise DisclosureError({"id_checked": "check the requester's identity before disclosing"})
        if disclosure.redaction in (RedactionStatus.NEEDED, RedactionStatus.IN_PROGRESS):
            raise DisclosureError({"redaction": "finish the redaction before disclosing"})
    disclosure.status, disclosure.closed_on = status, today
    session.add(disclosure)
    session.flush()
    return disclosure


def list_disclosures(
    session: Session, *, kind: DisclosureKind | None = None, open_only: bool = False, limit: int = 500
) -> list[Disclosure]:
    """Requests, most recently received first."""
    stmt = select(Disclosure)
    if kind is not None:
        stmt = stmt.where(Disclosure.kind == DisclosureKind(kind))
    if open_only:
        stmt = stmt.where(Disclosure.status == DisclosureStatus.OPEN)
    stmt = stmt.order_by(col(Disclosure.received_on).desc(), col(Disclosure.id).desc()).limit(limit)
    return list(session.exec(stmt))


def due_and_overdue(
    session: Session, today: date, *, within_days: int = DUE_SOON_DAYS
) -> tuple[list[Disclosure], list[Disclosure]]:
    """Open requests due from today to `within_days` ahead, and those past their date; each soonest first.

    A request due today is due, not overdue: the deadline is the end of the due day.
    """
    due = func.coalesce(col(Disclosure.extended_to), col(Disclosure.due_on))
    base = select(Disclosure).where(Disclosure.status == DisclosureStatus.OPEN)
    due_soon = session.exec(
        base.where(due >= today, due <= today + timedelta(days=within_days)).order_by(due, col(Disclosure.id))
    )
    overdue = session.exec(base.where(due < today).order_by(due, col(Disclosure.id)))
    return list(due_soon), list(overdue)
