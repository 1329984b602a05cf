"""Compliance (principle 1 and the DPIA annual review): DPIAs in force, reviews overdue, gaps, the self-assessment.

Read from the DPIA register with its own functions (`dpia.register.systems_status`, `dpia.reviews`,
`dpia.annex.cameras_without_dpia`, `dpia.selfassessment`), so the Advisory Group sees what the DPO's dashboard shows
on the same day. A system's DPIA is *current* when a signed-off version is in force and nothing about it is overdue
(neither its yearly review date nor an open review, e.g. a camera moved, past its due date). Every system in the
register counts in "out of". Covert cameras are left out of camera counts and of the gap list, and covert systems
(those holding a covert camera) of the system list and its counts, unless `include_covert`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from dpia.annex import cameras_without_dpia
from dpia.register import systems_status
from dpia.reviews import due_state, open_reviews
from dpia.selfassessment import assessment_due, completed_on, latest_assessment, open_actions
from dpia.types import AssessmentStatus
from inventory.types import CameraKind, london_date

STATE_LABELS = {"current": "Current", "overdue": "Review overdue", "draft": "Draft only", "none": "No DPIA"}


@dataclass(frozen=True)
class SystemLine:
    """One system's DPIA as at the day measured."""

    system_id: int
    name: str
    service_area: str
    cameras: int  # not decommissioned
    version: int | None  # the signed-off version in force
    signed_off_on: date | None
    next_review_due: date | None
    open_reviews: int
    state: str  # current, overdue, draft or none (see STATE_LABELS)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class GapCamera:
    """A working camera outside any signed-off DPIA."""

    camera_id: int
    asset_id: str
    name: str
    town: str
    system: str  # '' when in no system


@dataclass(frozen=True)
class ActionLine:
    """An open action of the latest self-assessment's plan."""

    principle: int
    action: str
    owner: str
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class ComplianceMeasures:
    """The register and the self-assessment as at `today`."""

    today: date
    systems: tuple[SystemLine, ...]  # by name
    reviews_open: int
    reviews_overdue: int
    reviews_due_soon: int  # due today or within the reminder window, not yet overdue
    cameras_without_dpia: tuple[GapCamera, ...]  # by asset id
    assessment_title: str | None  # the latest self-assessment, None when there has never been one
    assessment_status: AssessmentStatus | None
    assessment_completed_on: date | None
    assessment_due: date | None  # when the next one is due (the draft's date, or the last one's anniversary)
    open_actions: tuple[ActionLine, ...]  # soonest due first

    @property
    def systems_total(self) -> int:
        return len(self.systems)

    @property
    def systems_current(self) -> int:
        """Systems with a signed-off DPIA in force and nothing about it overdue."""
        return sum(line.state == "current" for line in self.systems)

    @property
    def gaps(self) -> int:
        return len(self.cameras_without_dpia)

    @property
    def assessment_overdue(self) -> bool:
        """The next self-assessment's date has passed."""
        return self.assessment_due is not None and self.assessment_due < self.today

    @property
    def actions_overdue(self) -> int:
        return sum(action.overdue for action in self.open_actions)


def _state(latest: object, draft: object, overdue: bool) -> str:
    if latest is not None:
        return "overdue" if overdue else "current"
    return "draft" if draft is not None else "none"


def compliance(session: Session, today: date, *, include_covert: bool = False) -> ComplianceMeasures:
    """The DPIA register's and the self-assessment's state on `today` (a London date)."""
    systems = tuple(
        SystemLine(
            system_id=s.system.id or 0, name=s.system.name, service_area=s.service_area, cameras=s.cameras,
            version=s.latest.version if s.latest else None,
            signed_off_on=london_date(s.latest.signed_off_at) if s.latest and s.latest.signed_off_at else None,
            next_review_due=s.next_review_due, open_reviews=s.open_reviews,
            state=_state(s.latest, s.draft, s.overdue),
        )
        for s in systems_status(session, today, include_covert=include_covert)
    )
    shown = {line.system_id for line in systems}  # a covert system's reviews are not counted without covert access
    states = [due_state(review, today) for review in open_reviews(session) if review.system_id in shown]
    names = {line.system_id: line.name for line in systems}  # a covert system's name only with covert access
    gaps = tuple(
        GapCamera(c.id or 0, c.asset_id, c.name, c.town, names.get(c.system_id, "") if c.system_id else "")
        for c in cameras_without_dpia(session) if include_covert or c.kind != CameraKind.COVERT
    )
    latest = latest_assessment(session)
    actions = tuple(ActionLine(a.principle, a.action, a.owner, a.due_on, a.due_on < today)
                    for a in open_actions(session))
    return ComplianceMeasures(
        today=today, systems=systems, reviews_open=len(states), reviews_overdue=states.count("overdue"),
        reviews_due_soon=states.count("due"), cameras_without_dpia=gaps,
        assessment_title=latest.title if latest else None,
        assessment_status=AssessmentStatus(latest.status) if latest else None,
        assessment_completed_on=completed_on(latest) if latest else None,
        assessment_due=assessment_due(session, today), open_actions=actions,
    )


__all__ = ["STATE_LABELS", "ActionLine", "ComplianceMeasures", "GapCamera", "SystemLine", "compliance"]
