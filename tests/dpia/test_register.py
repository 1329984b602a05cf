"""The DPIA register: drafts and their risk register, sign-off that lists every missing part, frozen signed-off
versions, reviews that copy the version in force, and each system's status on the dashboard."""

from datetime import date

import pytest
from sqlmodel import Session, select

from dpia.models import Dpia, DpiaBase, DpiaReview, DpiaRiskBase
from dpia.register import (
    DpiaError,
    DpiaNotFound,
    IncompleteDpia,
    SignedOffIsFrozen,
    add_risk,
    current_draft,
    latest_signed_off,
    remove_risk,
    risks,
    sign_off,
    start_dpia,
    systems_status,
    update_draft,
    update_risk,
    versions,
)
from dpia.types import DpiaStatus, ReviewReason, ReviewStatus, RiskEffect, RiskRating, rating
from inventory.models import Camera, CameraSystem
from inventory.types import CameraKind, CameraStatus
from tests.conftest import Estate, make_estate

SIGNED_ON = date(2025, 6, 2)


def complete(**changes: object) -> DpiaBase:
    """Every section and sign-off field filled in, with some changed."""
    values: dict[str, object] = dict(
        need="Cameras record people in public streets.", processing="Town-centre CCTV monitored from the control room.",
        evidence="412 violent crimes within 100 m in three years.", consultation="Town council and residents.",
        necessity="Patrols alone did not reduce night-time violence.", measures_approved_by="Head of Community Safety",
        residual_risk_approved_by="Director of Place", dpo_name="A. Protection", dpo_advice="Mask the flats' windows.",
        dpo_advice_accepted=True, reviewer="CCTV manager",
    )
    values.update(changes)
    return DpiaBase(**values)


def risk(description: str = "Collateral intrusion into homes", **changes: object) -> DpiaRiskBase:
    """A risk with its measures: probable × significant (medium), reduced to remote × significant (low)."""
    values: dict[str, object] = dict(description=description, likelihood=3, severity=2, measures="Privacy masking",
                                     effect=RiskEffect.REDUCED, residual_likelihood=1, residual_severity=2)
    values.update(changes)
    return DpiaRiskBase(**values)


def new_system(session: Session, name: str, service_area_id: int, camera_ids: list[int]) -> int:
    """A camera system holding the given cameras."""
    system = CameraSystem(name=name, service_area_id=service_area_id)
    session.add(system)
    session.flush()
    for camera_id in camera_ids:
        camera = session.get(Camera, camera_id)
        camera.system_id = system.id
        session.add(camera)
    session.flush()
    assert system.id is not None
    return system.id


def signed_version(session: Session, system_id: int, today: date = SIGNED_ON, **changes: object) -> Dpia:
    """The system's next version, completed with one risk and signed off."""
    draft = start_dpia(session, system_id, actor="dpo")
    update_draft(session, draft.id, complete(**changes), actor="dpo")
    if not risks(session, draft.id):
        add_risk(session, draft.id, risk())
    return sign_off(session, draft.id, actor="dpo", today=today)


@pytest.mark.parametrize(("likelihood", "severity", "expected"), [
    (1, 1, RiskRating.LOW), (1, 2, RiskRating.LOW), (2, 1, RiskRating.LOW),
    (1, 3, RiskRating.MEDIUM), (2, 2, RiskRating.MEDIUM), (3, 1, RiskRating.MEDIUM),
    (2, 3, RiskRating.HIGH), (3, 2, RiskRating.HIGH), (3, 3, RiskRating.HIGH),
])
def test_rating_reads_the_product_of_likelihood_and_severity(likelihood: int, severity: int,
                                                              expected: RiskRating) -> None:
    assert rating(likelihood, severity) == expected


def test_a_first_draft_is_version_one_and_a_system_has_one_draft_at_a_time(session: Session) -> None:
    estate = make_estate(session)
    system_id = new_system(session, "Town CCTV", estate.community_safety, [estate.town_camera])
    draft = start_dpia(session, system_id, actor="dpo", reason="first DPIA")
    session.commit()
    assert (draft.version, draft.status, draft.based_on_id, draft.created_by, draft.summary_of_changes) == (
        1, DpiaStatus.DRAFT, None, "dpo", "first DPIA")
    assert current_draft(session, system_id) == draft
    assert latest_signed_off(session, system_id) is None
    with pytest.raises(DpiaError, match="already has a draft"):
        start_dpia(session, system_id, actor="dpo")
    with pytest.raises(DpiaNotFound):
        start_dpia(session, 999, actor="dpo")
    assert [d.id for d in versions(session, system_id)] == [draft.id]


def test_risks_keep_their_order_are_renumbered_and_carry_ratings(session: Session) -> None:
    estate = make_estate(session)
    draft = start_dpia(session, new_system(session, "Town CCTV", estate.community_safety, []), actor="dpo")
    first = add_risk(session, draft.id, risk("Collateral intrusion"))
    middle = add_risk(session, draft.id, risk("Footage kept too long"))
    last = add_risk(session, draft.id, risk("Unauthorised viewing"))
    assert [(r.position, r.description) for r in risks(session, draft.id)] == [
        (1, "Collateral intrusion"), (2, "Footage kept too long"), (3, "Unauthorised viewing")]
    remove_risk(session, middle.id)
    session.commit()
    assert [(r.id, r.position) for r in risks(session, draft.id)] == [(first.id, 1), (last.id, 2)]
    update_risk(session, last.id, risk("Unauthorised viewing", likelihood=2, severity=3, residual_likelihood=1,
                                       residual_severity=1))
    session.commit()
    session.expire_all()
    stored = risks(session, draft.id)[1]
    assert (stored.description, stored.rating, stored.residual_rating) == (
        "Unauthorised viewing", RiskRating.HIGH, RiskRating.LOW)
    assert first.rating == RiskRating.HIGH  # 3 × 2
    with pytest.raises(DpiaError, match="description"):
        add_risk(session, draft.id, risk("   "))


def test_sign_off_lists_every_missing_part_at_once(session: Session) -> None:
    estate = make_estate(session)
    draft = start_dpia(session, new_system(session, "Town CCTV", estate.community_safety, []), actor="dpo")
    update_draft(session, draft.id, DpiaBase(need="  ", dpo_advice="\n"), actor="dpo")
    with pytest.raises(IncompleteDpia) as refused:
        sign_off(session, draft.id, actor="dpo", today=SIGNED_ON)
    assert set(refused.value.problems) == {
        "need", "processing", "evidence", "consultation", "necessity", "risks", "measures_approved_by",
        "residual_risk_approved_by", "dpo_name", "dpo_advice", "dpo_advice_accepted", "reviewer"}
    assert refused.value.problems["risks"] == "At least one risk is required"

    update_draft(session, draft.id, complete(dpo_advice_accepted=False), actor="dpo")
    add_risk(session, draft.id, risk())
    with pytest.raises(IncompleteDpia) as refused:
        sign_off(session, draft.id, actor="dpo", today=SIGNED_ON)
    assert list(refused.value.problems) == ["dpo_advice_overruled_because"]
    assert session.get(Dpia, draft.id).status == DpiaStatus.DRAFT

    update_draft(session, draft.id, complete(dpo_advice_accepted=False, dpo_advice_overruled_because="Masking "
                                             "would hide the alley where the assaults happen."), actor="dpo")
    assert sign_off(session, draft.id, actor="dpo", today=SIGNED_ON).status == DpiaStatus.SIGNED_OFF


def test_a_signed_off_version_refuses_every_edit(session: Session) -> None:
    estate = make_estate(session)
    system_id = new_system(session, "Town CCTV", estate.community_safety, [estate.town_camera])
    signed = signed_version(session, system_id, today=date(2024, 2, 29), need="As signed.")
    session.commit()
    assert (signed.status, signed.signed_off_by, signed.next_review_due) == (
        DpiaStatus.SIGNED_OFF, "dpo", date(2025, 2, 28))
    assert signed.signed_off_at is not None
    [only_risk] = risks(session, signed.id)
    with pytest.raises(SignedOffIsFrozen):
        update_draft(session, signed.id, complete(need="Edited in place"), actor="dpo")
    with pytest.raises(SignedOffIsFrozen):
        add_risk(session, signed.id, risk("Another"))
    with pytest.raises(SignedOffIsFrozen):
        update_risk(session, only_risk.id, risk("Reworded"))
    with pytest.raises(SignedOffIsFrozen):
        remove_risk(session, only_risk.id)
    with pytest.raises(SignedOffIsFrozen):
        sign_off(session, signed.id, actor="dpo", today=SIGNED_ON)
    session.rollback()
    session.expire_all()
    assert session.get(Dpia, signed.id).need == "As signed."
    assert [r.description for r in risks(session, signed.id)] == ["Collateral intrusion into homes"]


def test_a_review_copies_the_version_in_force_and_its_sign_off_supersedes_it(session: Session) -> None:
    estate = make_estate(session)
    system_id = new_system(session, "Town CCTV", estate.community_safety, [estate.town_camera])
    first = signed_version(session, system_id, summary_of_changes="First DPIA")
    review = start_dpia(session, system_id, actor="dpo2", reason="CS-001 moved")
    session.commit()
    assert (review.version, review.based_on_id, review.status, review.created_by) == (
        2, first.id, DpiaStatus.DRAFT, "dpo2")
    sections = ("need", "processing", "evidence", "consultation", "necessity", "reviewer")
    assert [getattr(review, f) for f in sections] == [getattr(first, f) for f in sections]
    # the approvals and the advice belong to version 1: version 2 needs its own
    assert (review.measures_approved_by, review.residual_risk_approved_by, review.dpo_name, review.dpo_advice,
            review.dpo_advice_accepted, review.summary_of_changes) == ("", "", "", "", None, "CS-001 moved")
    [old_risk] = risks(session, first.id)
    [new_risk] = risks(session, review.id)
    assert new_risk.id != old_risk.id
    assert new_risk.model_dump(exclude={"id", "dpia_id"}) == old_risk.model_dump(exclude={"id", "dpia_id"})
    assert first.status == DpiaStatus.SIGNED_OFF  # still in force while the review is written

    update_risk(session, new_risk.id, risk("Collateral intrusion into homes", likelihood=1))
    update_draft(session, review.id, complete(necessity="Still needed: violence up 8%."), actor="dpo2")
    sign_off(session, review.id, actor="dpo2", today=date(2025, 9, 1))
    session.commit()
    session.expire_all()
    assert session.get(Dpia, first.id).status == DpiaStatus.SUPERSEDED
    assert risks(session, first.id)[0].likelihood == 3  # the old version's risk is untouched
    assert latest_signed_off(session, system_id).id == review.id
    assert current_draft(session, system_id) is None
    assert [(d.version, d.status) for d in versions(session, system_id)] == [
        (2, DpiaStatus.SIGNED_OFF), (1, DpiaStatus.SUPERSEDED)]
    third = start_dpia(session, system_id, actor="dpo")
    assert (third.version, third.based_on_id, third.necessity) == (3, review.id, "Still needed: violence up 8%.")


def test_sign_off_closes_the_systems_open_reviews(session: Session) -> None:
    estate = make_estate(session)
    system_id = new_system(session, "Town CCTV", estate.community_safety, [estate.town_camera])
    other_id = new_system(session, "Car parks", estate.parking, [estate.car_park_camera])
    for key, system in (("first:town", system_id), ("first:parks", other_id)):
        session.add(DpiaReview(key=key, system_id=system, reason=ReviewReason.FIRST, due_on=date(2025, 5, 1)))
    session.flush()
    signed = signed_version(session, system_id)
    session.commit()
    reviews = {r.key: r for r in session.exec(select(DpiaReview))}
    assert (reviews["first:town"].status, reviews["first:town"].completed_by_dpia_id) == (ReviewStatus.DONE,
                                                                                         signed.id)
    assert reviews["first:parks"].status == ReviewStatus.OPEN
    yearly = [r for r in reviews.values() if r.reason == ReviewReason.YEARLY]
    assert [(r.system_id, r.due_on, r.status) for r in yearly] == [(system_id, date(2026, 6, 2), ReviewStatus.OPEN)]


def test_systems_status_shows_each_systems_dpia_reviews_and_cameras(session: Session) -> None:
    estate: Estate = make_estate(session)
    town = new_system(session, "Town CCTV", estate.community_safety, [estate.town_camera])
    parks = new_system(session, "Car parks", estate.parking, [estate.car_park_camera, estate.covert_camera])
    session.add(Camera(asset_id="PARK-OLD", name="Old", service_area_id=estate.parking, system_id=parks,
                       kind=CameraKind.CAR_PARK, status=CameraStatus.DECOMMISSIONED))
    new_system(session, "Body-worn video", estate.parking, [])
    signed = signed_version(session, town, today=date(2024, 6, 2))
    draft = start_dpia(session, town, actor="dpo")
    parks_draft = start_dpia(session, parks, actor="dpo")
    session.add(DpiaReview(key="first:parks", system_id=parks, reason=ReviewReason.FIRST, due_on=date(2025, 7, 1)))
    session.commit()

    today = date(2025, 6, 10)  # the town system's yearly review (2 June 2025) has passed
    lines = {s.system.name: s for s in systems_status(session, today)}
    assert list(lines) == ["Body-worn video", "Car parks", "Town CCTV"]
    body, car_parks, town_line = lines["Body-worn video"], lines["Car parks"], lines["Town CCTV"]
    assert (town_line.service_area, town_line.cameras, town_line.latest.id, town_line.draft.id,
            town_line.next_review_due, town_line.open_reviews, town_line.overdue) == (
        "Community Safety", 1, signed.id, draft.id, date(2025, 6, 2), 1, True)
    assert (car_parks.cameras, car_parks.latest, car_parks.draft.id, car_parks.next_review_due,
            car_parks.open_reviews, car_parks.overdue) == (2, None, parks_draft.id, None, 1, False)
    assert (body.cameras, body.latest, body.draft, body.open_reviews, body.overdue) == (0, None, None, 0, False)
    assert {s.system.name: s.cameras for s in systems_status(session, today, include_covert=False)} == {
        "Body-worn video": 0, "Car parks": 1, "Town CCTV": 1}
    assert [s.overdue for s in systems_status(session, date(2025, 7, 2))] == [False, True, True]
    assert [s.overdue for s in systems_status(session, date(2025, 6, 2))] == [False, False, False]
