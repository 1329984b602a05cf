"""The DPIA register: drafts, their risk register, sign-off, and the versions a review makes.

A signed-off version is never edited in place (DESIGN §5): every edit here refuses a non-draft with
`SignedOffIsFrozen`, and a review starts a new draft copied from the latest signed-off version. Signing off checks the
whole template at once (so the DPO sees every missing part together), freezes the camera annex from the inventory,
supersedes the previous version and closes the system's open reviews.

Services take the session first and never commit: the view, CLI command or job owns the transaction.
"""

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlmodel import Session, col, func, select

from dpia.annex import freeze_annex
from dpia.models import Dpia, DpiaBase, DpiaReview, DpiaRisk, DpiaRiskBase
from dpia.types import DpiaStatus, ReviewStatus
from inventory.models import Camera, CameraSystem, ServiceArea
from inventory.scope import covert_system_ids
from inventory.types import CameraKind, CameraStatus, utcnow

# The template's fields in its order, with the names the DPO sees (used by sign-off messages and version diffs).
SECTION_LABELS: dict[str, str] = {
    "need": "Need for a DPIA",
    "processing": "Description of the processing",
    "evidence": "Evidence of the pressing need",
    "consultation": "Consultation",
    "necessity": "Necessity and proportionality",
}
SIGN_OFF_LABELS: dict[str, str] = {
    "measures_approved_by": "Measures approved by",
    "residual_risk_approved_by": "Residual risk approved by",
    "dpo_name": "DPO name",
    "dpo_advice": "DPO advice",
    "dpo_advice_accepted": "DPO advice accepted",
    "dpo_advice_overruled_because": "Reason the DPO advice was overruled",
    "reviewer": "Kept under review by",
    "summary_of_changes": "Summary of changes",
}
FIELD_LABELS: dict[str, str] = {**SECTION_LABELS, **SIGN_OFF_LABELS}

# What a new version starts without: the approvals and the advice belong to the version they were given for.
# The reviewer (who keeps compliance under review) is a standing role and is carried over with the sections.
CLEARED_ON_NEW_VERSION = (
    "measures_approved_by", "residual_risk_approved_by", "dpo_name", "dpo_advice", "dpo_advice_accepted",
    "dpo_advice_overruled_because", "summary_of_changes",
)


Row = TypeVar("Row", Dpia, DpiaRisk, CameraSystem)


class DpiaError(ValueError):
    """A DPIA operation the register refuses."""


class SignedOffIsFrozen(DpiaError):
    """A signed-off or superseded version is never edited: a review makes a new version."""


class IncompleteDpia(DpiaError):
    """Sign-off refused: `problems` maps each missing field (or 'risks') to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("the DPIA is not complete: " + "; ".join(problems.values()))
        self.problems = problems


class DpiaNotFound(LookupError):
    """No DPIA, risk or system with that id."""


def _get(session: Session, model: type[Row], ident: int) -> Row:
    """The row with that id, or DpiaNotFound."""
    row = session.get(model, ident)
    if row is None:
        raise DpiaNotFound(f"no {model.__name__} with id {ident}")
    return row


def _draft(session: Session, dpia_id: int) -> Dpia:
    """The version, which must still be a draft."""
    dpia = _get(session, Dpia, dpia_id)
    if dpia.status != DpiaStatus.DRAFT:
        raise SignedOffIsFrozen(f"version {dpia.version} is {dpia.status.value}: start a review to change it")
    return dpia


def _touch(session: Session, dpia: Dpia) -> None:
    dpia.updated_at = utcnow()
    session.add(dpia)


# --- Reading ---------------------------------------------------------------------------------------------------


def versions(session: Session, system_id: int) -> list[Dpia]:
    """Every version of the system's DPIA, newest first."""
    stmt = select(Dpia).where(Dpia.system_id == system_id).order_by(col(Dpia.version).desc())
    return list(session.exec(stmt))


def latest_signed_off(session: Session, system_id: int) -> Dpia | None:
    """The version in force (signed off and not superseded), or None."""
    stmt = select(Dpia).where(Dpia.system_id == system_id, Dpia.status == DpiaStatus.SIGNED_OFF)
    return session.exec(stmt.order_by(col(Dpia.version).desc())).first()


def current_draft(session: Session, system_id: int) -> Dpia | None:
    """The draft being written for the system, or None (there is at most one)."""
    stmt = select(Dpia).where(Dpia.system_id == system_id, Dpia.status == DpiaStatus.DRAFT)
    return session.exec(stmt.order_by(col(Dpia.version).desc())).first()


def risks(session: Session, dpia_id: int) -> list[DpiaRisk]:
    """A version's risk register in the order the DPO listed it."""
    stmt = select(DpiaRisk).where(DpiaRisk.dpia_id == dpia_id).order_by(col(DpiaRisk.position), col(DpiaRisk.id))
    return list(session.exec(stmt))


# --- Drafts ----------------------------------------------------------------------------------------------------


def start_dpia(session: Session, system_id: int, *, actor: str, reason: str = "") -> Dpia:
    """Start the system's next draft: version 1 from blank, or a review copied from the latest signed-off version.

    The copy keeps the sections and the risk register and clears the approvals and the DPO's advice, which must be
    given again for the new version. `reason` starts the summary of changes. Refused if a draft already exists.
    """
    _get(session, CameraSystem, system_id)
    if current_draft(session, system_id) is not None:
        raise DpiaError("this system already has a draft DPIA: finish or edit that one")
    last_version = session.exec(select(func.max(Dpia.version)).where(Dpia.system_id == system_id)).one() or 0
    base = latest_signed_off(session, system_id)
    draft = Dpia(system_id=system_id, version=last_version + 1, created_by=actor)
    if base is not None:
        for name in DpiaBase.model_fields:
            setattr(draft, name, getattr(base, name))
        for name in CLEARED_ON_NEW_VERSION:
            setattr(draft, name, None if name == "dpo_advice_accepted" else "")
        draft.based_on_id = base.id
    draft.summary_of_changes = reason.strip()
    session.add(draft)
    session.flush()
    if base is not None:
        assert base.id is not None and draft.id is not None
        for risk in risks(session, base.id):
            copy = DpiaRisk.model_validate(risk.model_dump(exclude={"id", "dpia_id"}), update={"dpia_id": draft.id})
            session.add(copy)
        session.flush()
    return draft


def update_draft(session: Session, dpia_id: int, data: DpiaBase, *, actor: str) -> Dpia:
    """Replace a draft's sections and sign-off fields with what the DPO typed (refused once signed off)."""
    dpia = _draft(session, dpia_id)
    for name in DpiaBase.model_fields:
        setattr(dpia, name, getattr(data, name))
    _touch(session, dpia)  # who made the edit is recorded by the session's audit (its actor)
    return dpia


def add_risk(session: Session, dpia_id: int, data: DpiaRiskBase) -> DpiaRisk:
    """Add a risk at the end of a draft's register."""
    dpia = _draft(session, dpia_id)
    if not data.description.strip():
        raise DpiaError("a risk needs a description")
    last = session.exec(select(func.max(DpiaRisk.position)).where(DpiaRisk.dpia_id == dpia_id)).one() or 0
    risk = DpiaRisk.model_validate(data.model_dump(), update={"dpia_id": dpia_id, "position": last + 1})
    session.add(risk)
    _touch(session, dpia)
    session.flush()
    return risk


def update_risk(session: Session, risk_id: int, data: DpiaRiskBase) -> DpiaRisk:
    """Replace a risk's description, scores, measures and residual risk (its draft must still be a draft)."""
    risk = _get(session, DpiaRisk, risk_id)
    dpia = _draft(session, risk.dpia_id)
    if not data.description.strip():
        raise DpiaError("a risk needs a description")
    for name in DpiaRiskBase.model_fields:
        setattr(risk, name, getattr(data, name))
    session.add(risk)
    _touch(session, dpia)
    return risk


def remove_risk(session: Session, risk_id: int) -> None:
    """Delete a risk from a draft and close the gap in the numbering (risks are numbered 1, 2, 3 … as listed)."""
    risk = _get(session, DpiaRisk, risk_id)
    dpia = _draft(session, risk.dpia_id)
    session.delete(risk)
    session.flush()
    for position, other in enumerate(risks(session, risk.dpia_id), start=1):
        if other.position != position:
            other.position = position
            session.add(other)
    _touch(session, dpia)


# --- Sign-off --------------------------------------------------------------------------------------------------


def sign_off_problems(session: Session, dpia: Dpia) -> dict[str, str]:
    """What stops the version being signed off, every problem at once (empty when it is complete)."""
    found: dict[str, str] = {}
    for name, label in SECTION_LABELS.items():
        if not getattr(dpia, name).strip():
            found[name] = f"{label} is required"
    assert dpia.id is not None
    if not risks(session, dpia.id):
        found["risks"] = "At least one risk is required"
    for name in ("measures_approved_by", "residual_risk_approved_by", "dpo_name", "dpo_advice"):
        if not getattr(dpia, name).strip():
            found[name] = f"{SIGN_OFF_LABELS[name]} is required"
    if dpia.dpo_advice_accepted is None:
        found["dpo_advice_accepted"] = "Say whether the DPO advice was accepted"
    elif not dpia.dpo_advice_accepted and not dpia.dpo_advice_overruled_because.strip():
        found["dpo_advice_overruled_because"] = "Give the reason the DPO advice was overruled"
    if not dpia.reviewer.strip():
        found["reviewer"] = f"{SIGN_OFF_LABELS['reviewer']} is required"
    return found


def sign_off(session: Session, dpia_id: int, *, actor: str, today: date) -> Dpia:
    """Sign off a complete draft: freeze its annex, supersede the version before, and close the system's reviews.

    The next yearly review is due on the anniversary of `today` (the London date of the sign-off).
    """
    # Imported here, not at the top, so that dpia.reviews may use the register without an import cycle.
    from dpia.reviews import anniversary, close_reviews_on_sign_off

    dpia = _draft(session, dpia_id)
    found = sign_off_problems(session, dpia)
    if found:
        raise IncompleteDpia(found)
    for previous in session.exec(
        select(Dpia).where(Dpia.system_id == dpia.system_id, Dpia.status == DpiaStatus.SIGNED_OFF, Dpia.id != dpia.id)
    ):
        previous.status = DpiaStatus.SUPERSEDED
        session.add(previous)
    dpia.annex_json = freeze_annex(session, dpia)
    dpia.status = DpiaStatus.SIGNED_OFF
    dpia.signed_off_at = dpia.updated_at = utcnow()
    dpia.signed_off_by = actor
    dpia.next_review_due = anniversary(today)
    session.add(dpia)
    session.flush()
    close_reviews_on_sign_off(session, dpia, today=today)
    return dpia


# --- The register at a glance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemStatus:
    """One system's line on the DPO dashboard."""

    system: CameraSystem
    service_area: str
    cameras: int  # not decommissioned
    latest: Dpia | None  # the signed-off version in force
    draft: Dpia | None
    next_review_due: date | None
    open_reviews: int
    overdue: bool  # an open review past its due date, or the yearly review date passed

    @property
    def covered(self) -> bool:
        return self.latest is not None


def systems_status(session: Session, today: date, *, include_covert: bool = True) -> list[SystemStatus]:
    """Every system by name: its cameras, the version in force, the draft, and the reviews waiting on it. Without
    `include_covert`, covert systems (those holding a covert camera) and covert cameras are left out."""
    counted = select(Camera.system_id, func.count()).where(
        col(Camera.system_id).is_not(None), col(Camera.status) != CameraStatus.DECOMMISSIONED
    )
    if not include_covert:
        counted = counted.where(col(Camera.kind) != CameraKind.COVERT)
    cameras = dict(session.exec(counted.group_by(col(Camera.system_id))).all())
    signed: dict[int, Dpia] = {}
    drafts: dict[int, Dpia] = {}
    live = select(Dpia).where(col(Dpia.status).in_([DpiaStatus.SIGNED_OFF, DpiaStatus.DRAFT]))
    for dpia in session.exec(live.order_by(col(Dpia.version))):  # the highest version wins
        (signed if dpia.status == DpiaStatus.SIGNED_OFF else drafts)[dpia.system_id] = dpia
    waiting = session.exec(
        select(DpiaReview.system_id, func.count(), func.min(DpiaReview.due_on))
        .where(DpiaReview.status == ReviewStatus.OPEN).group_by(col(DpiaReview.system_id))
    ).all()
    reviews = {system_id: (count, first_due) for system_id, count, first_due in waiting}
    result = []
    stmt = select(CameraSystem, ServiceArea.name).join(ServiceArea).order_by(col(CameraSystem.name))
    if not include_covert:  # a covert system is left out whole: its name alone says what is watched
        stmt = stmt.where(col(CameraSystem.id).not_in(covert_system_ids()))
    for system, area in session.exec(stmt):
        latest = signed.get(system.id)
        count, first_due = reviews.get(system.id, (0, None))
        due = latest.next_review_due if latest else None
        overdue = (first_due is not None and first_due < today) or (due is not None and due < today)
        result.append(SystemStatus(system, area, cameras.get(system.id, 0), latest, drafts.get(system.id), due,
                                   count, overdue))
    return result
