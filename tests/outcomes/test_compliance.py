"""Compliance on 30 June 2025: DPIAs in force, reviews overdue, cameras with no DPIA, the self-assessment.

The register, worked by hand:
- Alpha town centre: v1 signed off 10 Jan 2025, yearly review 10 Jan 2026; a camera-moved review due 10 Jul 2025
  (due, not overdue): current.
- Beta car parks: v1 signed off 1 Mar 2024, its yearly review (1 Mar 2025) open and overdue: overdue.
- Delta covert: no DPIA; its first review due today (due, not overdue): none. Its only camera is covert.
- Epsilon: v2 signed off at 23:30Z on 30 Apr 2025 (00:30 BST on 1 May), yearly review 1 May 2026, but a
  camera-added review due 20 Jun 2025 is open: overdue. Its v1 is superseded.
- Gamma new: a draft only: draft. An old review of Gamma, done, is not counted.
Systems 5, current 1. Reviews open 5: overdue 2 (Beta's yearly, Epsilon's change), due soon 2 (Alpha's change,
Delta's first), upcoming 1 (Alpha's yearly).
Cameras with no DPIA: GAM-1 (Gamma's, a draft covers nothing), LOOSE-1 (in no system); DEL-COV-1 only when covert is
included; the decommissioned OLD-1 never.
"""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from cctv.outcomes.compliance import compliance
from dpia.models import ActionBase, Dpia, DpiaReview
from dpia.principles import PRINCIPLE_NUMBERS
from dpia.register import start_dpia
from dpia.selfassessment import add_action, complete_assessment, save_answer, start_assessment
from dpia.types import AssessmentStatus, DpiaStatus, PrincipleAnswer, ReviewReason, ReviewStatus
from inventory.models import Camera, CameraSystem, ServiceArea
from inventory.types import CameraKind, CameraStatus

TODAY = date(2025, 6, 30)


@pytest.fixture
def register(session: Session) -> dict[str, int]:
    area = ServiceArea(code="CS", name="Community Safety")
    session.add(area)
    session.flush()
    systems = {name: CameraSystem(name=name, service_area_id=area.id)
               for name in ("Alpha town centre", "Beta car parks", "Gamma new", "Delta covert", "Epsilon")}
    session.add_all(systems.values())
    session.flush()
    ids = {name: s.id for name, s in systems.items()}

    def camera(asset_id: str, system: str | None, kind: CameraKind = CameraKind.PUBLIC_SPACE_FIXED,
               status: CameraStatus = CameraStatus.OPERATIONAL) -> None:
        session.add(Camera(asset_id=asset_id, name=asset_id, service_area_id=area.id, kind=kind, status=status,
                           town="High Wycombe", system_id=ids[system] if system else None))

    camera("ALP-1", "Alpha town centre")
    camera("ALP-2", "Alpha town centre")
    camera("BET-1", "Beta car parks", kind=CameraKind.CAR_PARK)
    camera("GAM-1", "Gamma new")
    camera("DEL-COV-1", "Delta covert", kind=CameraKind.COVERT)
    camera("EPS-1", "Epsilon")
    camera("LOOSE-1", None)
    camera("OLD-1", None, status=CameraStatus.DECOMMISSIONED)

    def signed(system: str, version: int, at: datetime, due: date, status: DpiaStatus = DpiaStatus.SIGNED_OFF) -> None:
        session.add(Dpia(system_id=ids[system], version=version, status=status, signed_off_at=at,
                         signed_off_by="dpo", next_review_due=due))

    signed("Alpha town centre", 1, datetime(2025, 1, 10, 15, tzinfo=UTC), date(2026, 1, 10))
    signed("Beta car parks", 1, datetime(2024, 3, 1, 15, tzinfo=UTC), date(2025, 3, 1))
    signed("Epsilon", 1, datetime(2024, 5, 1, 15, tzinfo=UTC), date(2025, 5, 1), DpiaStatus.SUPERSEDED)
    signed("Epsilon", 2, datetime(2025, 4, 30, 23, 30, tzinfo=UTC), date(2026, 5, 1))
    session.flush()
    start_dpia(session, ids["Gamma new"], actor="dpo")  # a draft, through the register's own service

    def review(key: str, system: str, reason: ReviewReason, due: date,
               status: ReviewStatus = ReviewStatus.OPEN) -> None:
        session.add(DpiaReview(key=key, system_id=ids[system], reason=reason, due_on=due, status=status))

    review("yearly:alpha", "Alpha town centre", ReviewReason.YEARLY, date(2026, 1, 10))
    review("change:1", "Alpha town centre", ReviewReason.CAMERA_MOVED, date(2025, 7, 10))
    review("yearly:beta", "Beta car parks", ReviewReason.YEARLY, date(2025, 3, 1))
    review("first:delta", "Delta covert", ReviewReason.FIRST, date(2025, 6, 30))
    review("change:2", "Epsilon", ReviewReason.CAMERA_ADDED, date(2025, 6, 20))
    review("change:3", "Gamma new", ReviewReason.CAMERA_ADDED, date(2025, 1, 1), ReviewStatus.DONE)
    session.commit()
    return ids


def assessed(session: Session) -> None:
    """Last year's self-assessment, completed on 20 June 2024: principle 11 partly met, 12 not met, with actions."""
    assessment = start_assessment(session, actor="dpo", today=date(2024, 6, 1))
    assert assessment.id is not None
    for number in PRINCIPLE_NUMBERS:
        answer = {11: PrincipleAnswer.PARTLY, 12: PrincipleAnswer.NOT_MET}.get(number, PrincipleAnswer.MET)
        save_answer(session, assessment.id, number, answer, "Seen")
    add_action(session, assessment.id, ActionBase(principle=11, action="Publish signage audit", owner="CCTV manager",
                                                  due_on=date(2025, 6, 1)))
    add_action(session, assessment.id, ActionBase(principle=12, action="Retention schedule", owner="DPO",
                                                  due_on=date(2025, 9, 1)))
    complete_assessment(session, assessment.id, actor="dpo", today=date(2024, 6, 20))
    session.commit()


def test_a_covert_system_is_left_out_without_covert_access(session: Session, register: dict[str, int]) -> None:
    """Delta holds only covert cameras: without covert access it is neither listed nor counted, nor its review."""
    c = compliance(session, TODAY)
    assert [s.name for s in c.systems] == ["Alpha town centre", "Beta car parks", "Epsilon", "Gamma new"]
    assert (c.systems_current, c.systems_total) == (1, 4)
    assert (c.reviews_open, c.reviews_overdue, c.reviews_due_soon) == (4, 2, 1)
    later = compliance(session, date(2025, 7, 1))
    assert (later.reviews_overdue, later.reviews_due_soon) == (2, 1)


def test_systems_with_a_current_dpia(session: Session, register: dict[str, int]) -> None:
    c = compliance(session, TODAY, include_covert=True)
    assert [(s.name, s.state, s.version, s.open_reviews) for s in c.systems] == [
        ("Alpha town centre", "current", 1, 2),
        ("Beta car parks", "overdue", 1, 1),
        ("Delta covert", "none", None, 1),
        ("Epsilon", "overdue", 2, 1),
        ("Gamma new", "draft", None, 0),
    ]
    assert (c.systems_current, c.systems_total) == (1, 5)
    alpha, _, delta, epsilon, _ = c.systems
    assert (alpha.signed_off_on, alpha.next_review_due, alpha.cameras) == (date(2025, 1, 10), date(2026, 1, 10), 2)
    assert epsilon.signed_off_on == date(2025, 5, 1)  # the London date of 23:30Z on 30 April
    assert delta.cameras == 1 and delta.state_label == "No DPIA"


def test_reviews_overdue_and_due(session: Session, register: dict[str, int]) -> None:
    c = compliance(session, TODAY, include_covert=True)
    assert (c.reviews_open, c.reviews_overdue, c.reviews_due_soon) == (5, 2, 2)
    # A day later Delta's first review is overdue too.
    later = compliance(session, date(2025, 7, 1), include_covert=True)
    assert (later.reviews_overdue, later.reviews_due_soon) == (3, 1)


def test_cameras_with_no_dpia(session: Session, register: dict[str, int]) -> None:
    c = compliance(session, TODAY)
    assert [(g.asset_id, g.system) for g in c.cameras_without_dpia] == [("GAM-1", "Gamma new"), ("LOOSE-1", "")]
    assert c.gaps == 2
    everything = compliance(session, TODAY, include_covert=True)
    assert [g.asset_id for g in everything.cameras_without_dpia] == ["DEL-COV-1", "GAM-1", "LOOSE-1"]
    assert everything.systems[2].cameras == 1  # Delta's covert camera counted when covert is included


def test_the_latest_self_assessment_and_its_open_actions(session: Session, register: dict[str, int]) -> None:
    assessed(session)
    c = compliance(session, TODAY)
    assert (c.assessment_title, c.assessment_status) == ("Self-assessment 2024", AssessmentStatus.COMPLETED)
    assert c.assessment_completed_on == date(2024, 6, 20)
    assert c.assessment_due == date(2025, 6, 20) and c.assessment_overdue  # the anniversary has passed
    assert [(a.principle, a.due_on, a.overdue) for a in c.open_actions] == [
        (11, date(2025, 6, 1), True), (12, date(2025, 9, 1), False),
    ]
    assert c.actions_overdue == 1
    on_time = compliance(session, date(2025, 6, 20))
    assert not on_time.assessment_overdue and on_time.actions_overdue == 1


def test_a_draft_assessment_carries_the_open_actions(session: Session, register: dict[str, int]) -> None:
    assessed(session)
    start_assessment(session, actor="dpo", today=date(2025, 6, 25))
    session.commit()
    c = compliance(session, TODAY)
    assert (c.assessment_title, c.assessment_status) == ("Self-assessment 2025", AssessmentStatus.DRAFT)
    assert c.assessment_completed_on is None and c.assessment_due == date(2025, 6, 20)
    assert [a.action for a in c.open_actions] == ["Publish signage audit", "Retention schedule"]


def test_no_register_at_all(session: Session) -> None:
    c = compliance(session, TODAY)
    assert c.systems == () and (c.systems_current, c.systems_total, c.reviews_open) == (0, 0, 0)
    assert c.assessment_title is None and c.assessment_status is None and c.assessment_due is None
    assert not c.assessment_overdue and c.open_actions == ()
