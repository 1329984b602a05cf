"""Camera import of a real council's list as it is: columns matched by name and content, a map changing only the
fields it names, value mappings, GeoJSON points winning, and repeated ids given generated asset ids."""


import pytest
from sqlmodel import Session

from inventory.import_rows import plan_import
from inventory.importing import ImportDefaults, guess_mapping, read_table
from inventory.types import CameraKind
from tests.conftest import Estate
from tests.inventory.test_import import EVERYTHING


def _table(text: str, name: str = "list.csv"):
    return read_table(name, text.encode())


def test_columns_are_matched_by_their_words_and_their_values() -> None:
    table = _table("cam_number,Street name,X,Y,Condition\n"
                   "A-1,High St,486700,192900,Live\nA-2,Low St,486800,192950,Dead\n")
    mapping = guess_mapping(table.headers, table)
    assert mapping == {"asset_id": "cam_number", "easting": "X", "northing": "Y", "status": "Condition"}
    table = _table("CCTV Ref,Where,Lat_WGS84,Lon_WGS84\nB-1,Market Sq,51.6295,-0.7493\nB-2,Bridge St,51.63,-0.75\n")
    assert guess_mapping(table.headers, table) == {"asset_id": "CCTV Ref", "longitude": "Lon_WGS84",
                                                   "latitude": "Lat_WGS84"}


def test_a_map_replaces_only_the_fields_it_names() -> None:
    table = _table("camera_id,location,area_name,lon,lat,other_id\n1,A,W,-0.75,51.6,X-1\n")
    mapping = guess_mapping(table.headers, table, given={"asset_id": "other_id", "ward": ""})
    assert mapping == {"asset_id": "other_id", "location_text": "location", "longitude": "lon", "latitude": "lat"}


def test_value_mappings_are_read_and_refused_when_malformed() -> None:
    from inventory.importing import parse_value_mappings

    assert parse_value_mappings(["status:Live=operational", " status : DEAD = faulty ", ""]) == {
        "status": {"live": "operational", "dead": "faulty"}}
    for bad in ("Live=operational", "colour:Red=blue", "status:=faulty", "status:Live"):
        with pytest.raises(ValueError, match="FIELD:VALUE=OURS"):
            parse_value_mappings([bad])


def test_a_geojson_point_wins_over_coordinates_in_its_properties(session: Session, estate: Estate) -> None:
    content = (b'{"type": "FeatureCollection", "features": [{"type": "Feature", '
               b'"geometry": {"type": "Point", "coordinates": [-2.2848, 53.4645]}, '
               b'"properties": {"camera_id": 7.0, "lon": 0, "lat": 0}}]}')
    table = read_table("t.geojson", content)
    mapping = guess_mapping(table.headers, table, given={"longitude": "lon", "latitude": "lat"})
    plan = plan_import(session, table, mapping,
                       ImportDefaults(service_area_id=estate.community_safety, kind=CameraKind.PUBLIC_SPACE_FIXED),
                       EVERYTHING)
    assert plan.errors == []
    [(_, camera)] = plan.rows
    assert (camera.asset_id, camera.longitude, camera.latitude) == ("7", -2.2848, 53.4645)


def test_repeated_ids_get_generated_asset_ids_that_clash_with_nothing(session: Session, estate: Estate) -> None:
    table = _table("Camera ID,Location\nN-1,A\nN-1-1,B\nN-1,C\nN-1,D\n")
    plan = plan_import(session, table, guess_mapping(table.headers),
                       ImportDefaults(service_area_id=estate.parking, kind=CameraKind.CAR_PARK,
                                      repeated_ids="generate"), EVERYTHING)
    assert plan.errors == []
    # N-1-1 is the list's own id on line 3, so the repeats of N-1 skip it.
    assert [(c.asset_id, c.source_ref) for _, c in plan.rows] == [
        ("N-1-2", "N-1"), ("N-1-1", ""), ("N-1-3", "N-1"), ("N-1-4", "N-1")]
