"""Importing council camera lists: column mapping, grid references, every bad row reported with file and line,
and nothing written unless every row is good."""

import re
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from inventory.import_rows import commit_import, plan_import
from inventory.importing import ImportDefaults, ImportFileError, guess_mapping, kind_from_text, read_table
from inventory.models import Camera, InventoryChange
from inventory.scope import CameraScope
from inventory.types import CameraKind, CameraStatus, ChangeKind
from tests.conftest import Estate

FIXTURES = Path(__file__).parent.parent / "fixtures"
EVERYTHING = CameraScope.everything()
COUNCIL_HEADERS = ["Camera ID", "Location", "Ward", "Easting", "Northing", "Notes"]


def fixture(name: str) -> tuple[str, bytes]:
    """A fixture file's name and bytes, as an upload gives them."""
    return name, (FIXTURES / name).read_bytes()


def camera_count(session: Session) -> int:
    """Cameras in the register."""
    return session.exec(select(func.count()).select_from(Camera)).one()


def plan_file(session: Session, name: str, defaults: ImportDefaults, scope: CameraScope = EVERYTHING,
              mapping: dict[str, str] | None = None):
    """Read a fixture and plan its import with the guessed (or a given) mapping."""
    table = read_table(*fixture(name))
    return plan_import(session, table, mapping or guess_mapping(table.headers), defaults, scope)


# --- reading and mapping --------------------------------------------------------------------------------------


def test_council_headers_are_mapped_to_our_fields() -> None:
    assert guess_mapping(COUNCIL_HEADERS) == {
        "asset_id": "Camera ID", "location_text": "Location", "ward": "Ward", "easting": "Easting",
        "northing": "Northing", "notes": "Notes",
    }


def test_mapping_ignores_case_and_spaces_and_uses_each_column_once() -> None:
    mapping = guess_mapping([" camera no ", "SITE", "Lat", "Lng", "Install Date", "Make", "Model", "Status"])
    assert mapping == {"asset_id": " camera no ", "location_text": "SITE", "latitude": "Lat", "longitude": "Lng",
                       "install_date": "Install Date", "manufacturer": "Make", "model": "Model", "status": "Status"}
    assert guess_mapping(["Something", "Else"]) == {}


def test_the_good_file_reads_with_its_headers_and_lines() -> None:
    table = read_table(*fixture("council_cameras.csv"))
    assert table.headers == COUNCIL_HEADERS
    assert [where for where, _ in table.records] == ["line 2", "line 3", "line 4"]
    assert table.records[0][1]["Camera ID"] == "HW-001"
    assert table.malformed == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Traffic camera", CameraKind.TRAFFIC), ("public_space_ptz", CameraKind.PUBLIC_SPACE_PTZ),
     ("ANPR entrance", CameraKind.ANPR), ("Redeployable unit", CameraKind.DEPLOYABLE),
     ("Multi-storey car park", CameraKind.CAR_PARK), ("COVERT", CameraKind.COVERT), ("", None), ("Nice view", None)],
)
def test_kind_from_words(text: str, kind: CameraKind | None) -> None:
    assert kind_from_text(text) == kind


def test_a_file_without_a_header_is_refused() -> None:
    with pytest.raises(ImportFileError, match=r"empty\.csv"):
        read_table("empty.csv", b"")
    with pytest.raises(ImportFileError):
        read_table("blank.csv", b",,\n1,2,3\n")


@pytest.mark.parametrize(
    ("name", "content"),
    [("list.geojson", b"{\"type\": \"FeatureCollection\", \"features\": [}"),
     ("list.geojson", b"{\"type\": \"Feature\"}"),
     ("list.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x81\x8d\x8f\x90\x9d")],  # an .xlsx renamed
    ids=["bad-json", "not-a-collection", "spreadsheet"],
)
def test_a_file_that_is_not_a_camera_list_is_refused_as_a_whole(name: str, content: bytes) -> None:
    with pytest.raises(ImportFileError, match=re.escape(name)):
        read_table(name, content)


def test_invalid_json_names_the_line() -> None:
    with pytest.raises(ImportFileError, match=r"list.geojson, line 3"):
        read_table("list.geojson", b'{"type": "FeatureCollection",\n "features": [\n  {,}\n]}')


# --- a good file ----------------------------------------------------------------------------------------------


def test_a_council_list_with_grid_references_imports(session: Session, estate: Estate) -> None:
    defaults = ImportDefaults(service_area_id=estate.community_safety, kind=CameraKind.PUBLIC_SPACE_PTZ,
                              data_controller="Buckinghamshire Council")  # the configured DATA_CONTROLLER
    plan = plan_file(session, "council_cameras.csv", defaults)
    assert plan.errors == []
    assert plan.ok
    by_id = {camera.asset_id: (where, camera) for where, camera in plan.rows}
    assert list(by_id) == ["HW-001", "HW-002", "HW-003"]
    where, first = by_id["HW-001"]
    assert where == "line 2"
    assert (first.location_text, first.ward, first.notes) == ("Frogmoor north", "Abbey", "Town centre camera")
    assert first.name == "Frogmoor north"  # no name column: the location names it
    # E 486700 N 192900 is Frogmoor, High Wycombe: about 0.749°W 51.628°N
    assert first.longitude == pytest.approx(-0.749, abs=0.002)
    assert first.latitude == pytest.approx(51.628, abs=0.002)
    # 400 m further west (HW-002) is about 0.0058° of longitude at this latitude
    assert by_id["HW-001"][1].longitude - by_id["HW-002"][1].longitude == pytest.approx(400 / 69_250, abs=0.0003)
    assert by_id["HW-001"][1].kind == CameraKind.PUBLIC_SPACE_FIXED  # "Town centre camera" in the notes
    assert by_id["HW-002"][1].kind == CameraKind.TRAFFIC  # "Traffic camera" in the notes
    assert by_id["HW-003"][1].kind == CameraKind.PUBLIC_SPACE_PTZ  # no notes: the default
    assert {c.status for _, c in plan.rows} == {CameraStatus.OPERATIONAL}
    assert {c.service_area_id for _, c in plan.rows} == {estate.community_safety}

    before = camera_count(session)
    commit_import(session, plan, EVERYTHING, actor="importer")
    session.commit()
    assert camera_count(session) == before + 3
    added = session.exec(select(InventoryChange).where(InventoryChange.kind == ChangeKind.CAMERA_ADDED)).all()
    assert len(added) == 3 and {c.actor for c in added} == {"importer"}
    stored = session.exec(select(Camera).where(Camera.asset_id == "HW-001")).one()
    assert stored.data_controller == "Buckinghamshire Council"


def test_a_row_without_a_service_area_or_kind_needs_a_default(session: Session, estate: Estate) -> None:
    plan = plan_file(session, "council_cameras.csv", ImportDefaults())
    assert not plan.ok
    assert [(e.where, e.message) for e in plan.errors] == [
        ("line 2", "no service area: map a column or choose a default"),
        ("line 3", "no service area: map a column or choose a default"),
        ("line 4", "no service area: map a column or choose a default"),
    ]
    plan = plan_file(session, "council_cameras.csv", ImportDefaults(service_area_id=estate.community_safety))
    # line 2's notes say "Town centre camera", line 3's "Traffic camera"; line 4 names no kind
    assert [(e.where, e.message) for e in plan.errors] == [("line 4", "no kind: map a column or choose a default")]
    assert [(c.asset_id, c.kind) for _, c in plan.rows] == [("HW-001", CameraKind.PUBLIC_SPACE_FIXED),
                                                           ("HW-002", CameraKind.TRAFFIC)]


def test_a_mapping_naming_a_missing_column_is_one_header_error(session: Session, estate: Estate) -> None:
    plan = plan_file(session, "council_cameras.csv", ImportDefaults(service_area_id=estate.community_safety),
                     mapping={"asset_id": "Asset Number", "location_text": "Location"})
    assert [(e.file, e.where) for e in plan.errors] == [("council_cameras.csv", "header")]
    assert "Asset Number" in plan.errors[0].message
    assert plan.rows == [] and not plan.ok
    plan = plan_file(session, "council_cameras.csv", ImportDefaults(service_area_id=estate.community_safety),
                     mapping={"location_text": "Location"})
    assert [e.where for e in plan.errors] == ["header"] and "asset id" in plan.errors[0].message


# --- a malformed file -----------------------------------------------------------------------------------------

# Each bad row of tests/fixtures/council_cameras_bad.csv, by the line it starts on (CRLF line endings; the record
# starting on line 4 has a quoted cell running onto line 5; line 10 is blank), and a word the reason must contain.
BAD_ROWS = [
    ("line 3", "no asset id"),
    ("line 6", "easting '4867OO' is not a number"),
    ("line 7", "easting and northing must both be given"),
    ("line 8", "northing 1992900 is outside the National Grid (0 to 1300000 m)"),
    ("line 9", "7 cells but the header names 6 columns"),
    ("line 11", "asset id WY-101 repeats line 2"),
    ("line 12", "asset id CS-001 is not available: choose another"),
]


def test_the_malformed_fixture_really_has_crlf_endings_and_a_multiline_cell() -> None:
    _, content = fixture("council_cameras_bad.csv")
    assert content.count(b"\r\n") == 13 and b"\n" not in content.replace(b"\r\n", b"")
    assert b'"Eden Walk\r\nupper level"' in content


def test_every_bad_row_is_reported_with_file_and_line(session: Session, estate: Estate) -> None:
    defaults = ImportDefaults(service_area_id=estate.community_safety, kind=CameraKind.PUBLIC_SPACE_FIXED)
    plan = plan_file(session, "council_cameras_bad.csv", defaults)
    assert [(e.file, e.where, e.message) for e in plan.errors] == [
        ("council_cameras_bad.csv", where, message) for where, message in BAD_ROWS]
    assert str(plan.errors[0]) == "council_cameras_bad.csv, line 3: no asset id"
    # the good rows are still checked and planned, and they keep their own lines
    assert [(where, c.asset_id) for where, c in plan.rows] == [("line 2", "WY-101"), ("line 4", "WY-103"),
                                                              ("line 13", "WY-113")]
    rows = {c.asset_id: c for _, c in plan.rows}
    assert rows["WY-103"].location_text == "Eden Walk\r\nupper level"
    assert rows["WY-113"].location_text == 'Bridge Street, "the bridge"'
    assert rows["WY-113"].kind == CameraKind.TRAFFIC
    assert not plan.ok


def test_a_plan_with_errors_is_not_committed_and_nothing_is_written(session: Session, estate: Estate) -> None:
    defaults = ImportDefaults(service_area_id=estate.community_safety, kind=CameraKind.PUBLIC_SPACE_FIXED)
    plan = plan_file(session, "council_cameras_bad.csv", defaults)
    before = camera_count(session)
    with pytest.raises(ValueError, match="not committed"):
        commit_import(session, plan, EVERYTHING, actor="importer")
    session.commit()
    assert camera_count(session) == before == 3
    assert session.exec(select(func.count()).select_from(InventoryChange)).one() == 0
    assert session.exec(select(Camera).where(Camera.asset_id == "WY-101")).first() is None


def test_an_empty_plan_is_not_committed(session: Session, estate: Estate) -> None:
    table = read_table("empty.csv", b"Camera ID,Location\r\n\r\n")
    plan = plan_import(session, table, guess_mapping(table.headers), ImportDefaults(), EVERYTHING)
    assert plan.rows == [] and plan.errors == [] and not plan.ok
    with pytest.raises(ValueError):
        commit_import(session, plan, EVERYTHING, actor="importer")


def test_rows_out_of_the_users_scope_are_errors(session: Session, estate: Estate) -> None:
    manager = CameraScope(service_area_ids=frozenset({estate.parking}))
    plan = plan_file(session, "council_cameras.csv",
                     ImportDefaults(service_area_id=estate.community_safety, kind=CameraKind.CAR_PARK), scope=manager)
    assert [e.where for e in plan.errors] == ["line 2", "line 3", "line 4"]
    assert all("not one of yours" in e.message for e in plan.errors)
    content = b"Camera ID,Notes\nPK-1,covert hide\nPK-2,\n"
    table = read_table("covert.csv", content)
    plan = plan_import(session, table, guess_mapping(table.headers),
                       ImportDefaults(service_area_id=estate.parking, kind=CameraKind.CAR_PARK), manager)
    assert [(e.where, e.message) for e in plan.errors] == [("line 2", "You do not have covert access.")]


def test_rows_with_their_own_area_kind_status_and_dates(session: Session, estate: Estate) -> None:
    content = (
        b"Asset ID,Name,Service Area,Type,Status,Longitude,Latitude,Installed\n"
        b"A-1,Kingsbury,Community Safety,PTZ dome,In storage,-0.8130,51.8170,30/06/2012\n"
        b"A-2,Exchange St,park,Car park,planned,,,2019\n"
        b"A-3,Nowhere,Waste,fixed,operational,,,\n"
        b"A-4,Market Sq,CS,fixed,broken,,,\n"
        b"A-5,Friars Sq,CS,hovercraft,,,,\n"
        b"A-6,Temple Sq,CS,fixed,,-0.81,,\n"
        b"A-7,Bourbon St,CS,fixed,,-0.81,95,\n"
        b"A-8,Walton St,CS,fixed,,,,31/02/2015\n"
    )
    table = read_table("areas.csv", content)
    plan = plan_import(session, table, guess_mapping(table.headers), ImportDefaults(), EVERYTHING)
    assert [(e.where, e.message) for e in plan.errors] == [
        ("line 4", "service area 'Waste' is not one of the council's service areas"),
        ("line 5", "status 'broken' is not one of planned, operational, faulty, in_storage, decommissioned "
                   "(map the list's word to ours: status:broken=faulty)"),
        ("line 6", "kind 'hovercraft' is not a kind of camera we know"),
        ("line 7", "longitude and latitude must both be given"),
        ("line 8", "latitude 95 is not between -90 and 90"),
        ("line 9", "install date '31/02/2015' is not a date (use 2015-06-30 or 30/06/2015)"),
    ]
    first, second = (c for _, c in plan.rows)
    assert (first.service_area_id, first.kind, first.status) == (
        estate.community_safety, CameraKind.PUBLIC_SPACE_PTZ, CameraStatus.IN_STORAGE)
    assert (first.longitude, first.latitude, first.install_date.isoformat()) == (-0.8130, 51.8170, "2012-06-30")
    assert (second.service_area_id, second.kind, second.status) == (
        estate.parking, CameraKind.CAR_PARK, CameraStatus.PLANNED)
    assert second.install_date.isoformat() == "2019-01-01"


# --- duplicates -----------------------------------------------------------------------------------------------


def test_duplicate_asset_ids_in_the_file_and_in_the_register(session: Session, estate: Estate) -> None:
    content = b"Camera ID,Location\nN-1,A\nN-2,B\nN-1,C\nPARK-001,D\nN-1,E\n"
    table = read_table("dupes.csv", content)
    plan = plan_import(session, table, guess_mapping(table.headers),
                       ImportDefaults(service_area_id=estate.parking, kind=CameraKind.CAR_PARK), EVERYTHING)
    assert [(e.where, e.message) for e in plan.errors] == [
        ("line 4", "asset id N-1 repeats line 2"),
        ("line 5", "asset id PARK-001 is not available: choose another"),
        ("line 6", "asset id N-1 repeats line 2"),
    ]
    assert [c.asset_id for _, c in plan.rows] == ["N-1", "N-2"]


def test_an_asset_id_in_the_register_but_covert_is_still_a_duplicate(session: Session, estate: Estate) -> None:
    table = read_table("dupes.csv", b"Camera ID\nPARK-COV-1\n")
    plan = plan_import(session, table, guess_mapping(table.headers),
                       ImportDefaults(service_area_id=estate.parking, kind=CameraKind.CAR_PARK), CameraScope())
    # The same answer as for a camera the user can see: it says nothing of the covert camera holding the id.
    assert [(e.where, e.message) for e in plan.errors] == [
        ("line 2", "asset id PARK-COV-1 is not available: choose another")]


# --- GeoJSON and Windows files --------------------------------------------------------------------------------


def test_a_geojson_list_imports_with_its_points(session: Session, estate: Estate) -> None:
    table = read_table(*fixture("council_cameras.geojson"))
    assert [where for where, _ in table.records] == ["feature 1", "feature 2", "feature 3"]
    assert {"Camera ID", "Location", "Ward", "Notes", "longitude", "latitude"} <= set(table.headers)
    mapping = guess_mapping(table.headers)
    assert (mapping["asset_id"], mapping["longitude"], mapping["latitude"]) == ("Camera ID", "longitude", "latitude")
    plan = plan_import(session, table, mapping,
                       ImportDefaults(service_area_id=estate.community_safety, kind=CameraKind.PUBLIC_SPACE_FIXED),
                       EVERYTHING)
    assert plan.errors == []
    rows = {c.asset_id: (where, c) for where, c in plan.rows}
    assert (rows["MW-001"][1].longitude, rows["MW-001"][1].latitude) == (-0.7742, 51.5707)
    assert rows["MW-001"][1].notes == ""  # null property
    assert rows["MW-002"][1].kind == CameraKind.ANPR
    assert (rows["MW-003"][1].longitude, rows["MW-003"][1].latitude) == (None, None)  # no geometry: no point
    commit_import(session, plan, EVERYTHING, actor="importer")
    session.commit()
    assert camera_count(session) == 6


def test_a_geojson_feature_with_a_bad_point_is_reported_by_feature(session: Session, estate: Estate) -> None:
    content = (b'{"type": "FeatureCollection", "features": ['
               b'{"type": "Feature", "geometry": {"type": "Point", "coordinates": [486700, 192900]},'
               b' "properties": {"id": "G-1"}},'
               b'{"type": "Feature", "geometry": {"type": "Point", "coordinates": [-0.75, 51.6]},'
               b' "properties": {"id": "G-2"}}]}')
    table = read_table("grid.geojson", content)
    plan = plan_import(session, table, guess_mapping(table.headers),
                       ImportDefaults(service_area_id=estate.community_safety, kind=CameraKind.PUBLIC_SPACE_FIXED),
                       EVERYTHING)
    assert [(e.file, e.where) for e in plan.errors] == [("grid.geojson", "feature 1")]
    assert "longitude 486700" in plan.errors[0].message


def test_a_windows_1252_file_reads_its_accents_and_pound_signs(session: Session, estate: Estate) -> None:
    name, content = fixture("council_cameras_cp1252.csv")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the fixture really is not UTF-8
    table = read_table(name, content)
    assert table.headers == ["Camera ID", "Location", "Town", "Latitude", "Longitude", "Notes"]
    plan = plan_import(session, table, guess_mapping(table.headers),
                       ImportDefaults(service_area_id=estate.community_safety, kind=CameraKind.PUBLIC_SPACE_FIXED),
                       EVERYTHING)
    assert plan.errors == []
    first, second = (c for _, c in plan.rows)
    assert (first.location_text, first.town, first.notes) == (
        "St Mary\u2019s Square", "Aylesbury", "Caf\u00e9 corner \u2013 public space")
    assert (first.longitude, first.latitude) == (-0.8130, 51.8160)  # latitude column first in the file
    assert second.notes == "\u00a340k NCIL upgrade"


def test_a_utf8_file_with_a_byte_order_mark_keeps_its_first_header() -> None:
    table = read_table("excel.csv", "\ufeffCamera ID,Location\r\nX-1,Caf\u00e9\r\n".encode())
    assert table.headers == ["Camera ID", "Location"]
    assert table.records == [("line 2", {"Camera ID": "X-1", "Location": "Caf\u00e9"})]


def test_short_rows_are_padded_and_blank_lines_skipped() -> None:
    table = read_table("short.csv", b"Camera ID,Location,Notes\n\nX-1\n\n\nX-2,B,C\n")
    assert table.records == [("line 3", {"Camera ID": "X-1", "Location": "", "Notes": ""}),
                             ("line 6", {"Camera ID": "X-2", "Location": "B", "Notes": "C"})]


# --- matching a real list's columns --------------------------------------------------------------------------------
