"""What changed between two versions: sections, risks matched by description, cameras matched by inventory id."""

from datetime import date

from sqlmodel import Session

from dpia.diff import FieldChange, compare_versions
from dpia.register import add_risk, remove_risk, risks, sign_off, start_dpia, update_draft, update_risk
from inventory.cameras import get_camera, move_camera, update_camera
from inventory.models import Camera, CameraUpdate
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus
from tests.conftest import make_estate
from tests.dpia.test_register import complete, new_system, risk, signed_version

EVERYTHING = CameraScope.everything()


def test_a_review_shows_the_moved_camera_the_changed_section_and_the_risk_register(session: Session) -> None:
    estate = make_estate(session)
    oxford_road = Camera(asset_id="CS-002", name="Oxford Road", service_area_id=estate.community_safety,
                         kind=CameraKind.PUBLIC_SPACE_PTZ, location_text="Oxford Road", town="High Wycombe")
    session.add(oxford_road)
    session.flush()
    town = new_system(session, "Town CCTV", estate.community_safety, [estate.town_camera, oxford_road.id])
    first = start_dpia(session, town, actor="dpo")
    update_draft(session, first.id, complete(necessity="Patrols alone did not work."), actor="dpo")
    add_risk(session, first.id, risk("Collateral intrusion into homes"))
    retention = add_risk(session, first.id, risk("Footage kept too long"))
    sign_off(session, first.id, actor="dpo", today=date(2024, 6, 2))
    session.commit()

    # A year of inventory changes: CS-001 moves, CS-002 goes, CS-003 joins the system.
    move_camera(session, EVERYTHING, get_camera(session, EVERYTHING, estate.town_camera),
                to_location_text="Frogmoor south", to_town="High Wycombe", to_longitude=-0.7490, to_latitude=51.6290,
                reason="resited", actor="engineer")
    update_camera(session, EVERYTHING, get_camera(session, EVERYTHING, oxford_road.id),
                  CameraUpdate(status=CameraStatus.DECOMMISSIONED), actor="engineer")
    session.add(Camera(asset_id="CS-003", name="Eden bus station", service_area_id=estate.community_safety,
                       system_id=town, kind=CameraKind.PUBLIC_SPACE_FIXED, location_text="Eden"))
    session.commit()

    second = start_dpia(session, town, actor="dpo", reason="yearly review")
    update_draft(session, second.id, complete(necessity="Violence up 8% since the patrols ended.",
                                              summary_of_changes="CS-001 resited; retention risk closed"), actor="dpo")
    intrusion, copied_retention = risks(session, second.id)
    update_risk(session, intrusion.id, risk("Collateral  intrusion into HOMES", likelihood=2))
    remove_risk(session, copied_retention.id)
    viewing = add_risk(session, second.id, risk("Unauthorised viewing"))
    sign_off(session, second.id, actor="dpo", today=date(2025, 6, 2))
    session.commit()

    diff = compare_versions(session, first, second)
    assert diff.sections == [FieldChange("necessity", "Necessity and proportionality",
                                         "Patrols alone did not work.", "Violence up 8% since the patrols ended.")]
    assert diff.sign_off == [FieldChange("summary_of_changes", "Summary of changes", "",
                                         "CS-001 resited; retention risk closed")]
    assert [r.id for r in diff.risks_added] == [viewing.id]
    assert [r.id for r in diff.risks_removed] == [retention.id]
    [rescored] = diff.risks_changed
    assert (rescored.after.id, rescored.changes) == (intrusion.id, [FieldChange("likelihood", "Likelihood", 3, 2)])
    assert [c.asset_id for c in diff.cameras_added] == ["CS-003"]
    assert [c.asset_id for c in diff.cameras_removed] == ["CS-002"]
    [moved] = diff.cameras_moved
    assert (moved.before.asset_id, [(c.field, c.before, c.after) for c in moved.changes]) == ("CS-001", [
        ("location_text", "Frogmoor", "Frogmoor south"), ("longitude", -0.7493, -0.749),
        ("latitude", 51.6295, 51.629)])
    assert diff.cameras_changed == []
    assert not diff.is_empty


def test_against_a_draft_the_diff_shows_what_the_inventory_did_since_sign_off(session: Session) -> None:
    estate = make_estate(session)
    parks = new_system(session, "Car parks", estate.parking, [estate.car_park_camera, estate.covert_camera])
    signed = signed_version(session, parks)
    session.commit()
    unchanged = start_dpia(session, parks, actor="dpo")
    session.commit()
    diff = compare_versions(session, signed, unchanged)
    assert diff.is_empty  # same sections, same risks, same cameras …
    assert {c.field for c in diff.sign_off} == {  # … but the approvals are the new version's to give
        "measures_approved_by", "residual_risk_approved_by", "dpo_name", "dpo_advice", "dpo_advice_accepted"}

    covert = get_camera(session, EVERYTHING, estate.covert_camera)
    move_camera(session, EVERYTHING, covert, to_location_text="Bridleway, Halton", to_town="Wendover",
                to_longitude=-0.73, to_latitude=51.77, reason="fly-tipping moved", actor="officer")
    update_camera(session, EVERYTHING, get_camera(session, EVERYTHING, estate.car_park_camera),
                  CameraUpdate(manufacturer="Axis", model="Q6135"), actor="engineer")
    update_camera(session, EVERYTHING, get_camera(session, EVERYTHING, estate.car_park_camera),
                  CameraUpdate(status=CameraStatus.FAULTY), actor="engineer")
    session.commit()
    diff = compare_versions(session, signed, unchanged)
    assert [(m.after.asset_id, m.after.location_text) for m in diff.cameras_moved] == [
        ("PARK-COV-1", "Bridleway, Halton")]
    [changed] = diff.cameras_changed  # the upgrade itself is not in the annex, the fault is
    assert (changed.after.asset_id, changed.changes) == (
        "PARK-001", [FieldChange("status", "Status", CameraStatus.OPERATIONAL, CameraStatus.FAULTY)])
    hidden = compare_versions(session, signed, unchanged, include_covert=False)
    assert (hidden.cameras_moved, [c.after.asset_id for c in hidden.cameras_changed]) == ([], ["PARK-001"])
