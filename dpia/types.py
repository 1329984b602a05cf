"""Enumerations of the DPIA register: statuses, risk scales, review reasons and self-assessment answers."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class DpiaStatus(StrEnum):
    """A DPIA version's state: drafts are edited; a signed-off version is never edited, a review supersedes it."""

    DRAFT = "draft"
    SIGNED_OFF = "signed_off"
    SUPERSEDED = "superseded"


class Likelihood(IntEnum):
    """The ICO template's likelihood of harm."""

    REMOTE = 1
    POSSIBLE = 2
    PROBABLE = 3


class Severity(IntEnum):
    """The ICO template's severity of harm."""

    MINIMAL = 1
    SIGNIFICANT = 2
    SEVERE = 3


class RiskRating(StrEnum):
    """Overall risk, from likelihood × severity (1–2 low, 3–4 medium, 6–9 high)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def rating(likelihood: int, severity: int) -> RiskRating:
    """The ICO matrix: the product of the two scales (1..9) read as low, medium or high."""
    score = int(likelihood) * int(severity)
    if score >= 6:
        return RiskRating.HIGH
    if score >= 3:
        return RiskRating.MEDIUM
    return RiskRating.LOW


class RiskEffect(StrEnum):
    """What the measures do to a risk (the template's 'effect on risk')."""

    ELIMINATED = "eliminated"
    REDUCED = "reduced"
    ACCEPTED = "accepted"


class ReviewReason(StrEnum):
    """Why a DPIA review is due: the yearly review, the first DPIA of a system, or an inventory change."""

    YEARLY = "yearly"
    FIRST = "first"  # a system with no signed-off DPIA yet
    CAMERA_ADDED = "camera_added"
    CAMERA_DECOMMISSIONED = "camera_decommissioned"
    CAMERA_MOVED = "camera_moved"
    CAMERA_UPGRADED = "camera_upgraded"
    SYSTEM_CREATED = "system_created"


class ReviewStatus(StrEnum):
    """An open review waits for a signed-off version; a done one names the version that closed it."""

    OPEN = "open"
    DONE = "done"


class PrincipleAnswer(StrEnum):
    """A self-assessment answer for one of the Surveillance Camera Code's 12 guiding principles."""

    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"


class AssessmentStatus(StrEnum):
    """A self-assessment in progress, or completed (then read only)."""

    DRAFT = "draft"
    COMPLETED = "completed"
