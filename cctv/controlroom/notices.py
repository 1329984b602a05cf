"""Operator notices: what in the control room is waiting for someone, gathered from the log for the inbox.

Four things were spread over four pages (issue 16): evidence waiting to be produced, disclosures due within
`DISCLOSURE_DUE_DAYS` days or overdue, handovers not yet signed, and faults past their SLA target. Each becomes a
`Notice` with a stable key (kind and record id, plus the stage for a disclosure, so "due soon" and "overdue" are
two notices), the roles it is for, the cameras it involves (a user who may not see every one of them is not told:
covert cameras and other service areas stay hidden) and the usernames it is not for (the outgoing operators cannot
sign their own handover). The scheduler job (`cctv.jobs.notices`) turns each into one inbox message per user, once.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from cctv.auth.models import Role
from cctv.controlroom.models import Disclosure, EvidenceCamera, EvidenceRequest, Shift
from cctv.controlroom.shifts import operators_of
from cctv.controlroom.types import DisclosureStatus
from inventory.models import Camera, Fault
from inventory.types import london_date, london_time

DISCLOSURE_DUE_DAYS = 3
# The roles each notice is for: those who can act on it (cctv/web/access.py gives them the pages to do it).
EVIDENCE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
DISCLOSURE_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.DPO})
HANDOVER_ROLES = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN})
FAULT_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.SERVICE_MANAGER})
KIND_LABELS = {"subject_access": "Subject access request", "foi": "FOI request", "police": "Police request"}


@dataclass(frozen=True)
class Notice:
    """One thing waiting, as the inbox will show it, and who may be told."""

    key: str  # unique per thing and stage, e.g. "notice:fault-sla:12"; the inbox holds it once per user
    subject: str
    body: str
    link: str  # an app path
    roles: frozenset[Role]
    cameras: tuple[Camera, ...] = ()  # the user must see all of them
    not_for: frozenset[str] = field(default_factory=frozenset)  # usernames


def _evidence_cameras(session: Session, evidence_ids: list[int]) -> dict[int, list[Camera]]:
    cameras: dict[int, list[Camera]] = {i: [] for i in evidence_ids}
    if evidence_ids:
        rows = session.exec(select(EvidenceCamera.evidence_id, Camera)
                            .join(Camera, col(Camera.id) == col(EvidenceCamera.camera_id))
                            .where(col(EvidenceCamera.evidence_id).in_(evidence_ids)))
        for evidence_id, camera in rows:
            cameras[evidence_id].append(camera)
    return cameras


def evidence_notices(session: Session) -> list[Notice]:
    """Footage requests not yet produced (footage is overwritten after about 31 days: it cannot wait long)."""
    waiting = list(session.exec(select(EvidenceRequest).where(col(EvidenceRequest.produced_at).is_(None))
                                .order_by(col(EvidenceRequest.id))))
    cameras = _evidence_cameras(session, [r.id for r in waiting if r.id is not None])
    return [Notice(key=f"notice:evidence:{r.id}", subject=f"Evidence #{r.id} is waiting to be produced",
                   body=f"Requested {london_time(r.requested_at):%d %b %Y %H:%M} by {r.requesting_officer}"
                        f"{' (' + r.police_reference + ')' if r.police_reference else ''}.",
                   link=f"/evidence/{r.id}", roles=EVIDENCE_ROLES, cameras=tuple(cameras.get(r.id or 0, ())))
            for r in waiting]


def disclosure_notices(session: Session, now: datetime) -> list[Notice]:
    """Open disclosures due within DISCLOSURE_DUE_DAYS days (London dates) and, as a second notice, overdue ones."""
    today = london_date(now)
    horizon = today + timedelta(days=DISCLOSURE_DUE_DAYS)
    stmt = select(Disclosure).where(Disclosure.status == DisclosureStatus.OPEN).order_by(col(Disclosure.id))
    candidates = [d for d in session.exec(stmt) if (d.extended_to or d.due_on) <= horizon]
    cameras = _evidence_cameras(session, sorted({d.evidence_id for d in candidates if d.evidence_id}))
    notices = []
    for d in candidates:
        due = d.extended_to or d.due_on
        label = KIND_LABELS.get(str(d.kind), "Disclosure request")
        overdue = due < today
        # The requester's name stays out of the inbox: the message is only a pointer to the disclosure's page.
        notices.append(Notice(
            key=f"notice:disclosure-{'overdue' if overdue else 'due'}:{d.id}",
            subject=f"{label} #{d.id} {'is overdue' if overdue else 'is due'}: {due:%d %b %Y}",
            body=f"Received {d.received_on:%d %b %Y}; due {due:%d %b %Y}.", link=f"/disclosures/{d.id}",
            roles=DISCLOSURE_ROLES, cameras=tuple(cameras.get(d.evidence_id, ())) if d.evidence_id else ()))
    return notices


def handover_notices(session: Session) -> list[Notice]:
    """Shifts handed over and not yet signed, for the operators who could sign them (not those on the shift)."""
    stmt = (select(Shift).where(col(Shift.ended_at).is_not(None), Shift.signed_by == "")
            .order_by(col(Shift.ended_at), col(Shift.id)))
    return [Notice(key=f"notice:handover:{s.id}", subject=f"Handover of {london_time(s.ended_at):%d %b %H:%M} "
                   "is waiting for a signature",
                   body=f"Handed over by {', '.join(operators_of(s))}; an incoming operator signs it.",
                   link="/shifts", roles=HANDOVER_ROLES, not_for=frozenset(operators_of(s)))
            for s in session.exec(stmt) if s.ended_at is not None]


def fault_notices(session: Session, now: datetime) -> list[Notice]:
    """Open faults past their SLA target, for those who manage faults on that camera."""
    stmt = (select(Fault).where(col(Fault.fixed_at).is_(None), col(Fault.target_fix_by) < now)
            .options(selectinload(Fault.camera))  # type: ignore[arg-type]
            .order_by(col(Fault.target_fix_by), col(Fault.id)))
    notices = []
    for fault in session.exec(stmt):
        if fault.camera is None:
            continue
        notices.append(Notice(
            key=f"notice:fault-sla:{fault.id}",
            subject=f"Fault #{fault.id} on {fault.camera.asset_id} is past its SLA",
            body=f"Due fixed by {london_time(fault.target_fix_by):%d %b %Y %H:%M}: {fault.description[:300]}",
            link=f"/cameras/{fault.camera_id}", roles=FAULT_ROLES, cameras=(fault.camera,)))
    return notices


def due_notices(session: Session, now: datetime) -> list[Notice]:
    """Every notice the log calls for as of `now`, evidence first."""
    return [*evidence_notices(session), *disclosure_notices(session, now), *handover_notices(session),
            *fault_notices(session, now)]
