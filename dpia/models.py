"""Tables of the DPIA register: DPIA versions with their risk register, reviews, and the yearly self-assessment.

A `Dpia` row is one version of one system's DPIA. Drafts are edited; a signed-off version is frozen (its camera
annex is copied from the inventory at sign-off into `annex_json`) and a review makes the next version from it.
A `DpiaReview` is one reason a system's DPIA must be reviewed: the yearly anniversary, a system's first DPIA, or
one inventory change (`change_id`). `key` is unique, so raising the same review twice (two scheduler processes,
a job run again) adds nothing. Signing off a version closes every open review of its system.

Foreign keys to the inventory are plain columns (`camera_system.id`, `inventory_change.id`); relationships stay
inside this package.
"""

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from dpia.types import (
    AssessmentStatus,
    DpiaStatus,
    PrincipleAnswer,
    ReviewReason,
    ReviewStatus,
    RiskEffect,
    RiskRating,
    rating,
)
from inventory.types import enum_type, utcnow


class DpiaBase(SQLModel):
    """The template's sections and sign-off, as a DPO types them."""

    # Sections of the Surveillance Camera Commissioner / ICO template, in its order.
    need: str = Field(default="", sa_type=Text)  # step 1: why a DPIA is needed
    processing: str = Field(default="", sa_type=Text)  # step 2: nature, scope, context and purposes
    evidence: str = Field(default="", sa_type=Text)  # the pressing need: crime statistics and the like
    consultation: str = Field(default="", sa_type=Text)  # step 3
    necessity: str = Field(default="", sa_type=Text)  # step 4: necessity and proportionality
    # Sign-off (step 7).
    measures_approved_by: str = Field(default="", max_length=120)
    residual_risk_approved_by: str = Field(default="", max_length=120)
    dpo_name: str = Field(default="", max_length=120)
    dpo_advice: str = Field(default="", sa_type=Text)
    dpo_advice_accepted: bool | None = None  # None: not yet given
    dpo_advice_overruled_because: str = Field(default="", sa_type=Text)
    reviewer: str = Field(default="", max_length=120)  # who keeps compliance under review
    summary_of_changes: str = Field(default="", sa_type=Text)  # what this version changed, in the DPO's words


class Dpia(DpiaBase, table=True):
    """One version of one system's DPIA."""

    __tablename__ = "dpia"
    __table_args__ = (UniqueConstraint("system_id", "version", name="uq_dpia_system_version"),)
    id: int | None = Field(default=None, primary_key=True)
    system_id: int = Field(foreign_key="camera_system.id", index=True)
    version: int = 1
    status: DpiaStatus = Field(default=DpiaStatus.DRAFT, sa_type=enum_type(DpiaStatus), index=True)
    based_on_id: int | None = Field(default=None, foreign_key="dpia.id")
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=80)
    updated_at: datetime = Field(default_factory=utcnow)
    signed_off_at: datetime | None = None
    signed_off_by: str = Field(default="", max_length=80)
    next_review_due: date | None = None  # the yearly anniversary of sign-off
    annex_json: str = Field(default="[]", sa_type=Text)  # the cameras at sign-off, frozen (see module notes)

    def annex(self) -> list[dict[str, Any]]:
        """The cameras this version covered when it was signed off (empty for a draft: it reads the inventory)."""
        return json.loads(self.annex_json)


class DpiaRiskBase(SQLModel):
    """One risk to individuals, its measures and what is left (template steps 5 and 6)."""

    description: str = Field(sa_type=Text)
    likelihood: int = Field(default=1, ge=1, le=3)  # dpia.types.Likelihood
    severity: int = Field(default=1, ge=1, le=3)  # dpia.types.Severity
    measures: str = Field(default="", sa_type=Text)
    effect: RiskEffect = Field(default=RiskEffect.REDUCED, sa_type=enum_type(RiskEffect))
    residual_likelihood: int = Field(default=1, ge=1, le=3)
    residual_severity: int = Field(default=1, ge=1, le=3)
    measure_approved: bool = False


class DpiaRisk(DpiaRiskBase, table=True):
    """A risk as stored, in the order the DPO listed them."""

    __tablename__ = "dpia_risk"
    id: int | None = Field(default=None, primary_key=True)
    dpia_id: int = Field(foreign_key="dpia.id", index=True)
    position: int = 0

    @property
    def rating(self) -> RiskRating:
        """Likelihood × severity before the measures."""
        return rating(self.likelihood, self.severity)

    @property
    def residual_rating(self) -> RiskRating:
        """Likelihood × severity after the measures."""
        return rating(self.residual_likelihood, self.residual_severity)


class DpiaReview(SQLModel, table=True):
    """A reason a system's DPIA must be reviewed, due on a date, open until a signed-off version closes it."""

    __tablename__ = "dpia_review"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, unique=True)  # "change:41", "yearly:3:2027-05-01", "first:3"
    system_id: int = Field(foreign_key="camera_system.id", index=True)
    reason: ReviewReason = Field(sa_type=enum_type(ReviewReason))
    detail: str = Field(default="", max_length=500)  # e.g. the change: "CS-014 moved from … to …"
    change_id: int | None = Field(default=None, foreign_key="inventory_change.id")
    camera_id: int | None = Field(default=None, foreign_key="camera.id")
    raised_at: datetime = Field(default_factory=utcnow)
    due_on: date = Field(index=True)
    status: ReviewStatus = Field(default=ReviewStatus.OPEN, sa_type=enum_type(ReviewStatus), index=True)
    completed_at: datetime | None = None
    completed_by_dpia_id: int | None = Field(default=None, foreign_key="dpia.id")


class SelfAssessmentBase(SQLModel):
    """A yearly self-assessment against the Surveillance Camera Code's 12 guiding principles."""

    title: str = Field(max_length=160)  # e.g. "Self-assessment 2026"
    due_on: date  # the date it must be completed by
    notes: str = Field(default="", sa_type=Text)


class SelfAssessment(SelfAssessmentBase, table=True):
    """A self-assessment as stored; completed ones are read only and set the next one's due date."""

    __tablename__ = "self_assessment"
    id: int | None = Field(default=None, primary_key=True)
    status: AssessmentStatus = Field(default=AssessmentStatus.DRAFT, sa_type=enum_type(AssessmentStatus))
    based_on_id: int | None = Field(default=None, foreign_key="self_assessment.id")
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=80)
    completed_at: datetime | None = None
    completed_by: str = Field(default="", max_length=80)


class PrincipleAnswerRow(SQLModel, table=True):
    """The answer and evidence for one principle in one self-assessment."""

    __tablename__ = "self_assessment_answer"
    __table_args__ = (UniqueConstraint("assessment_id", "principle", name="uq_answer_principle"),)
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="self_assessment.id", index=True)
    principle: int = Field(ge=1, le=12)
    answer: PrincipleAnswer | None = Field(default=None, sa_type=enum_type(PrincipleAnswer))
    evidence: str = Field(default="", sa_type=Text)


class ActionBase(SQLModel):
    """One step of a self-assessment's action plan: what, for which principle, who, by when."""

    principle: int = Field(ge=1, le=12)
    action: str = Field(sa_type=Text)
    owner: str = Field(max_length=120)
    due_on: date


class AssessmentAction(ActionBase, table=True):
    """An action as stored; open until `done_on` is set. Carried into the next year's assessment while open."""

    __tablename__ = "self_assessment_action"
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="self_assessment.id", index=True)
    done_on: date | None = None


__all__ = ["AssessmentAction", "Dpia", "DpiaReview", "DpiaRisk", "PrincipleAnswerRow", "SelfAssessment"]
