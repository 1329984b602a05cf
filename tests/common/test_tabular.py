"""The one reader of uploaded tables: the same CSV and GeoJSON rules for camera lists and candidate sites, and one
reading of a number from a cell."""

import pytest
from sqlmodel import Session

from common.tabular import NOT_TEXT, NumberError, TableError, parse_number, read_table, require_number
from inventory.import_rows import plan_import
from inventory.importing import ImportDefaults, ImportFileError, guess_mapping
from inventory.importing import read_table as read_cameras
from inventory.scope import CameraScope
from inventory.types import CameraKind
from siting.sources.sites import read_sites
from tests.conftest import Estate


def test_semicolons_and_tabs_are_read_as_the_first_line_uses_them() -> None:
    for delimiter in ";\t,":
        text = delimiter.join(["Camera ID", "Easting", "Northing"]) + "\n" + delimiter.join(["A-1", "486500",
                                                                                              "192950"]) + "\n"
        table = read_table("list.csv", text.encode())
        assert table.headers == ["Camera ID", "Easting", "Northing"]
        assert [(r.where, r.values["Easting"]) for r in table.rows] == [("line 2", "486500")]
    # The camera importer and the site reader both read a semicolon file.
    assert read_cameras("list.csv", b"Camera ID;Location\nX-1;Market\n").records == [
        ("line 2", {"Camera ID": "X-1", "Location": "Market"})]
    assert [s.site_id for s in read_sites("sites.csv", b"Site;Easting;Northing\nA;486500;192950\n")[0]] == ["A"]


def test_a_row_with_more_filled_cells_than_the_header_is_a_problem_but_trailing_blanks_are_not() -> None:
    table = read_table("s.csv", b"Site,Easting,Northing\nA,486500,192950,\nB,486600,192950,oops\n")
    assert [r.where for r in table.rows] == ["line 2"]
    assert [str(p) for p in table.problems] == ["s.csv, line 3: 4 cells but the header names 3 columns"]
    sites, problems = read_sites("s.csv", b"Site,Easting,Northing\nA,486500,192950,\nB,486600,192950,oops\n")
    assert sites == [] and [str(p) for p in problems] == ["s.csv, line 3: 4 cells but the header names 3 columns"]


def test_of_two_columns_with_one_name_the_first_is_read() -> None:
    assert read_table("d.csv", b"Name,Name\nfirst,second\n").rows[0].values == {"Name": "first"}


def test_a_file_that_is_not_text_is_refused_in_the_same_words_by_both_importers() -> None:
    spreadsheet = b"PK\x03\x04\x14\x00\x81\x8d\x8f\x90\x9d"
    with pytest.raises(TableError, match=f"list.csv: {NOT_TEXT}"):
        read_table("list.csv", spreadsheet)
    with pytest.raises(ImportFileError, match=f"list.csv: {NOT_TEXT}"):
        read_cameras("list.csv", spreadsheet)
    assert [str(p) for p in read_sites("list.csv", spreadsheet)[1]] == [f"list.csv: {NOT_TEXT}"]


def test_geojson_features_become_rows_with_their_geometry_and_id() -> None:
    content = (b'{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:27700"}},'
               b' "features": [{"type": "Feature", "id": 7, "geometry": {"type": "Point", "coordinates": [1, 2]},'
               b' "properties": {"Name": "A", "height": 4.5, "note": null, "nested": {"a": 1}}}, 3]}')
    table = read_table("a.json", content)
    assert table.headers == ["Name", "height", "note", "nested"]
    (row,) = table.rows
    assert (row.where, row.values, row.geometry["type"], row.feature_id) == (
        "feature 1", {"Name": "A", "height": "4.5", "note": "", "nested": ""}, "Point", 7)
    assert table.crs["properties"]["name"] == "EPSG:27700"
    assert [str(p) for p in table.problems] == ["a.json, feature 2: not a GeoJSON Feature"]
    with pytest.raises(TableError, match=r"a\.json: expected a GeoJSON FeatureCollection of features"):
        read_table("a.json", b'{"type": "Feature", "properties": {}}')
    assert len(read_table("a.json", b'{"type": "Feature", "properties": {}}', one_feature=True).rows) == 1


@pytest.mark.parametrize(("value", "number"), [("12", 12.0), (" -0.75 ", -0.75), ("1e3", 1000.0), ("", None),
                                               ("  ", None), (None, None)])
def test_parse_number(value: str | None, number: float | None) -> None:
    assert parse_number(value, "easting") == number


@pytest.mark.parametrize("value", ["4867OO", "nan", "inf", "-Infinity", "1,000"])
def test_what_is_not_a_number_is_named(value: str) -> None:
    with pytest.raises(NumberError, match=f"^easting '{value}' is not a number$"):
        parse_number(value, "easting")
    with pytest.raises(NumberError, match=r"^northing '' is not a number$"):
        require_number(" ", "northing")


def test_a_camera_list_with_a_nan_coordinate_is_refused_at_its_line(session: Session, estate: Estate) -> None:
    table = read_cameras("nan.csv", b"Camera ID,Easting,Northing\nN-1,nan,192900\n")
    plan = plan_import(session, table, guess_mapping(table.headers),
                       ImportDefaults(service_area_id=estate.parking, kind=CameraKind.CAR_PARK),
                       CameraScope.everything())
    assert [str(e) for e in plan.errors] == ["nan.csv, line 2: easting 'nan' is not a number"]
