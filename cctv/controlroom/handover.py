"""The outgoing operator's handover summary, drafted from what the shift recorded.

The operator hands over in the last minutes of a tiring shift; the draft lists what the incoming shift must know
without retyping it: the incidents logged on the shift (reference, category, place, police reference, arrests,
follow-up), the faults raised on it, and the evidence requests that moved during it (received, produced or handed
over). The operator edits the draft before handing over; only the notes they submit are stored.

Faults on cameras outside the operator's scope are left out, and faults on covert cameras always: the notes, once
handed over, are read by every operator on the shift log, with covert access or not. Narratives stay out too, for
the same readers: the narrative is on the incident's own page.
"""

from datetime import datetime

from sqlmodel import Session, col, or_, select

from cctv.controlroom.models import EvidenceRequest, Incident, IncidentCategory, Shift
from cctv.controlroom.shifts import shift_faults
from cctv.controlroom.types import FollowUp
from inventory.scope import CameraScope
from inventory.types import CameraKind, london_time

DRAFT_MAX_ITEMS = 50  # per section: a busy Friday night, not a three-year log


def _hm(at: datetime) -> str:
    return london_time(at).strftime("%H:%M")


def _incident_lines(session: Session, shift: Shift, now: datetime) -> list[str]:
    labels = dict(session.exec(select(IncidentCategory.code, IncidentCategory.label)).all())
    stmt = (
        select(Incident)
        .where(Incident.control_room_id == shift.control_room_id, col(Incident.logged_at) >= shift.started_at,
               col(Incident.logged_at) <= now)
        .order_by(col(Incident.occurred_at), col(Incident.id))
        .limit(DRAFT_MAX_ITEMS)
    )
    lines = []
    for incident in session.exec(stmt):
        parts = [f"{incident.reference} {_hm(incident.occurred_at)} {labels.get(incident.category, incident.category)}"]
        if incident.location_text:
            parts.append(incident.location_text)
        if incident.police_reference:
            parts.append(f"police ref {incident.police_reference}")
        if incident.arrests:
            parts.append(f"{incident.arrests} arrest{'' if incident.arrests == 1 else 's'}")
        if incident.follow_up != FollowUp.CLOSED:
            parts.append(f"follow-up {FollowUp(incident.follow_up).value.replace('_', ' ')}")
        lines.append("- " + ", ".join(parts))
    return lines


def _fault_lines(session: Session, shift: Shift, scope: CameraScope) -> list[str]:
    lines = []
    for fault in shift_faults(session, shift.id)[:DRAFT_MAX_ITEMS]:
        # Covert cameras never: the notes, once handed over, are read by every operator, with covert access or not.
        if fault.camera is None or fault.camera.kind == CameraKind.COVERT or not scope.sees(fault.camera):
            continue
        state = "fixed" if fault.fixed_at else f"open, fix due {london_time(fault.target_fix_by):%d %b %H:%M}"
        lines.append(f"- {fault.camera.asset_id}: {fault.description} ({state})")
    return lines


def _evidence_lines(session: Session, shift: Shift, now: datetime) -> list[str]:
    start = shift.started_at
    moved = or_(
        (col(EvidenceRequest.requested_at) >= start) & (col(EvidenceRequest.requested_at) <= now),
        (col(EvidenceRequest.produced_at) >= start) & (col(EvidenceRequest.produced_at) <= now),
        (col(EvidenceRequest.handed_over_at) >= start) & (col(EvidenceRequest.handed_over_at) <= now),
    )
    stmt = select(EvidenceRequest).where(moved).order_by(col(EvidenceRequest.id)).limit(DRAFT_MAX_ITEMS)
    lines = []
    for request in session.exec(stmt):
        if request.handed_over_at is not None:
            state = f"handed over to {request.handed_over_to}"
        elif request.produced_at is not None:
            state = "produced, waiting to be handed over"
        else:
            state = "waiting to be produced"
        police = f", police ref {request.police_reference}" if request.police_reference else ""
        lines.append(f"- Evidence #{request.id} for {request.requesting_officer}{police}: {state}")
    return lines


def draft_summary(session: Session, shift: Shift, scope: CameraScope, *, now: datetime) -> str:
    """The handover notes drafted from the shift's incidents, faults and evidence, as of `now`."""
    sections = [
        ("Incidents logged", _incident_lines(session, shift, now)),
        ("Faults raised", _fault_lines(session, shift, scope)),
        ("Evidence", _evidence_lines(session, shift, now)),
    ]
    text = []
    for title, lines in sections:
        text.append(f"{title}: {len(lines) if lines else 'none'}")
        text.extend(lines)
    return "\n".join(text) + "\n\nFor the incoming shift: "
