"""Asset ids: one normalisation every way in goes through, and uniqueness that ignores case and invisible marks."""

import pytest
from sqlmodel import Session

from inventory.asset_ids import asset_id_key, normalise_asset_id
from inventory.cameras import DuplicateAssetId, create_camera
from inventory.import_rows import plan_import
from inventory.importing import ImportDefaults, SourceTable
from inventory.models import CameraCreate
from inventory.scope import CameraScope
from inventory.types import CameraKind


@pytest.mark.parametrize(("typed", "stored"), [
    ("  CS-FIX-001 ", "CS-FIX-001"), ("CS-\u200bFIX-001", "CS-FIX-001"), ("\ufeffCS-FIX-001\u2060", "CS-FIX-001"),
    ("ＣＳ－ＦＩＸ－００１", "CS-FIX-001"), ("cs-fix-001", "cs-fix-001"), ("CS\u00adFIX", "CSFIX"),
])
def test_an_asset_id_is_normalised(typed: str, stored: str) -> None:
    assert normalise_asset_id(typed) == stored
    assert CameraCreate(asset_id=typed, name="n", service_area_id=1, kind=CameraKind.CAR_PARK).asset_id == stored


@pytest.mark.parametrize("typed", ["", "   ", "\u200b", "CS\x01"])
def test_an_empty_or_control_asset_id_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="asset id"):
        normalise_asset_id(typed)


def test_case_and_invisible_marks_do_not_make_a_new_camera(session: Session, estate) -> None:
    scope = CameraScope.everything()
    for copy in ("cs-001", "CS-\u200b001", " Cs-001 ", "ＣＳ-001"):
        data = CameraCreate(asset_id=copy, name="Copy", service_area_id=estate.community_safety,
                            kind=CameraKind.PUBLIC_SPACE_FIXED)
        with pytest.raises(DuplicateAssetId):
            create_camera(session, scope, data, actor="tester")
    assert asset_id_key("CS-\u200b001") == asset_id_key("cs-001")


def test_an_import_refuses_case_copies(session: Session, estate) -> None:
    scope = CameraScope.everything()
    table = SourceTable("c.csv", ["id", "area"], [("line 2", {"id": "new-1", "area": "CS"}),
                                                   ("line 3", {"id": "NEW-1", "area": "CS"}),
                                                   ("line 4", {"id": "cs-001", "area": "CS"})], [])
    plan = plan_import(session, table, {"asset_id": "id", "service_area": "area"},
                       ImportDefaults(kind=CameraKind.PUBLIC_SPACE_FIXED), scope)
    problems = [str(p) for p in plan.errors]
    assert any("repeats line 2" in p for p in problems)
    assert any("asset id cs-001 is not available" in p for p in problems)
