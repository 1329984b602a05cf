"""Candidate sites typed or uploaded (CSV, GeoJSON, a typed line): all-or-nothing, every problem named."""

import json
from pathlib import Path

import pytest
from pyproj import Transformer
from shapely.geometry import Point

from common.tabular import Problem
from siting.model.scoring import score_sites
from siting.sources.sites import (
    SiteFileError,
    parse_typed_sites,
    read_sites,
    read_sites_csv,
    read_sites_geojson,
    require_sites,
)
from tests.siting.helpers import crimes_at

SITES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
MARKET_LON, MARKET_LAT = -0.8124, 51.8168  # Market Square, Aylesbury


def fixture(name: str) -> tuple[list, list[Problem]]:
    return read_sites(name, (SITES / name).read_bytes())


def bng(lon: float, lat: float) -> tuple[float, float]:
    return TO_BNG.transform(lon, lat)


def messages(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems]


# --- CSV ----------------------------------------------------------------------------------------------------------

def test_a_csv_with_eastings_and_northings_headers_with_units_and_crlf_line_endings() -> None:
    sites, problems = fixture("sites.csv")
    assert problems == []
    assert [(s.site_id, s.name, s.geometry.x, s.geometry.y) for s in sites] == [
        ("S1", "Frogmoor", 486500, 192950), ("S2", "Eden Walk", 486900, 192800),
        ("S3", "Oxford Road, junction", 486300.5, 192950.25)]


def test_a_csv_with_longitude_and_latitude_is_projected_to_the_national_grid() -> None:
    sites, problems = read_sites_csv(f"Name,Lon,Lat\nMarket Square,{MARKET_LON},{MARKET_LAT}\n")
    assert problems == []
    (site,) = sites
    assert (site.site_id, site.name) == ("Market Square", "Market Square")  # no id column: the name is the id
    assert site.geometry.distance(Point(bng(MARKET_LON, MARKET_LAT))) < 0.01


@pytest.mark.parametrize("header", ["Site,X,Y", "site_name,x_coord,y_coord", "SITE;X;Y", "Location\tX\tY"])
def test_column_names_and_separators_are_matched_flexibly_and_x_y_decided_by_range(header: str) -> None:
    sep = ";" if ";" in header else "\t" if "\t" in header else ","
    rows = [header, sep.join(["Frogmoor", "486500", "192950"]), sep.join(["Market", str(MARKET_LON), str(MARKET_LAT)])]
    sites, problems = read_sites("sites.csv", "\n".join(rows).encode())
    assert problems == []
    assert (sites[0].geometry.x, sites[0].geometry.y) == (486500, 192950)
    assert sites[1].geometry.distance(Point(bng(MARKET_LON, MARKET_LAT))) < 0.01


def test_site_beside_a_name_column_is_the_id() -> None:
    sites, _ = read_sites_csv("Site,Name,Easting,Northing\nHW7,Frogmoor,486500,192950\n")
    assert (sites[0].site_id, sites[0].name) == ("HW7", "Frogmoor")


def test_a_wkt_column_takes_points_and_polygons_in_either_coordinate_system() -> None:
    text = ('ID,Name,WKT\n'
            f'W1,Market Square,POINT ({MARKET_LON} {MARKET_LAT})\n'
            'W2,High Street,"POLYGON ((486600 192900, 486800 192900, 486800 192920, 486600 192920, 486600 192900))"\n'
            'W3,Car parks,"MULTIPOLYGON (((-0.76 51.628, -0.7595 51.628, -0.7595 51.6283, -0.76 51.628)))"\n')
    sites, problems = read_sites_csv(text)
    assert problems == []
    assert [s.geometry.geom_type for s in sites] == ["Point", "Polygon", "MultiPolygon"]
    assert sites[0].geometry.distance(Point(bng(MARKET_LON, MARKET_LAT))) < 0.01
    assert sites[1].geometry.area == 200 * 20  # BNG kept as metres
    assert 400_000 < sites[2].geometry.centroid.x < 500_000  # lon/lat projected


def test_a_bad_csv_names_every_problem_with_file_and_line_and_yields_no_sites() -> None:
    sites, problems = fixture("sites_bad.csv")
    assert sites == []  # all or nothing: the good first row is not returned on its own
    assert messages(problems) == [
        "sites_bad.csv, line 3: unreadable WKT 'POINT (486500 abc)': expected number but encountered word: 'abc'",
        "sites_bad.csv, line 4: longitude 2.3522, latitude 48.8566 is outside Great Britain's National Grid",
        "sites_bad.csv, line 5: duplicate site id 'A1' (first at line 2)",
        "sites_bad.csv, line 6: geometry type 'LineString' is not a site: use Point, Polygon, MultiPolygon",
        "sites_bad.csv, line 7: invalid polygon: self-intersection at (486550 192950)",
        "sites_bad.csv, line 8: easting 900,000, northing 192,900 is outside Great Britain's National Grid",
    ]


@pytest.mark.parametrize(("row", "message"), [
    ("A,486500,", "line 2: northing '' is not a number"),
    ("A,4865OO,192950", "line 2: easting '4865OO' is not a number"),
    ("A,nan,192950", "line 2: easting 'nan' is not a number"),
    ("A,-0.81,51.8", "line 2: easting -0.81 / northing 51.8 look like longitude/latitude, not National Grid metres"),
    (",486500,192950", "line 2: the site has no id or name"),
])
def test_bad_numbers_and_missing_values_in_easting_northing_columns(row: str, message: str) -> None:
    sites, problems = read_sites_csv(f"Site,Easting,Northing\n{row}\n", "typed.csv")
    assert (sites, messages(problems)) == ([], [f"typed.csv, {message}"])


def test_explicit_longitude_columns_holding_metres_say_so_and_swapped_degrees_are_hinted() -> None:
    _, problems = read_sites_csv("Name,Longitude,Latitude\nA,486500,192950\nB,51.8168,-0.8124\n", "s.csv")
    assert messages(problems) == [
        "s.csv, line 2: longitude 486500 / latitude 192950 is out of range: these look like National Grid metres, "
        "so name the columns Easting and Northing",
        "s.csv, line 3: longitude 51.8168, latitude -0.8124 is outside Great Britain's National Grid "
        "(longitude and latitude swapped?)",
    ]


def test_a_quoted_cell_spanning_lines_keeps_later_line_numbers_right() -> None:
    text = 'Site,Notes,Easting,Northing\nA,"two\nlines",486500,192950\nB,,486500,x\n'
    assert messages(read_sites_csv(text, "s.csv")[1]) == ["s.csv, line 4: northing 'x' is not a number"]


def test_a_file_without_the_needed_columns_is_refused_at_its_header() -> None:
    assert messages(read_sites_csv("Colour,Size\nred,2\n", "s.csv")[1]) == [
        "s.csv, line 1: no site id or name column (e.g. Site, Name, ID)",
        "s.csv, line 1: no coordinate columns: give Longitude and Latitude, Easting and Northing, X and Y, or WKT"]
    assert messages(read_sites_csv("", "s.csv")[1]) == [
        "s.csv, line 1: the first line must name the columns, e.g. Site,Easting,Northing"]
    assert messages(read_sites_csv("Site,Easting,Northing\n\n", "s.csv")[1]) == ["s.csv: no sites found"]


def test_a_windows_1252_file_with_a_byte_order_mark_free_header_is_decoded() -> None:
    content = "Site,Easting,Northing\nCafé Square,486500,192950\n".encode("cp1252")
    assert read_sites("sites.csv", content)[0][0].name == "Café Square"
    assert read_sites("sites.csv", "\ufeffSite,Easting,Northing\nA,486500,192950\n".encode())[0][0].site_id == "A"


def test_duplicate_ids_are_caught_ignoring_case() -> None:
    _, problems = read_sites_csv("Site,Easting,Northing\nFrogmoor,486500,192950\nFROGMOOR,486600,192950\n", "s.csv")
    assert messages(problems) == ["s.csv, line 3: duplicate site id 'FROGMOOR' (first at line 2)"]


# --- GeoJSON ------------------------------------------------------------------------------------------------------

def test_a_geojson_of_points_polygons_and_multipolygons_in_longitude_latitude() -> None:
    sites, problems = fixture("sites.geojson")
    assert problems == []
    assert [(s.site_id, s.name, s.geometry.geom_type) for s in sites] == [
        ("G1", "Market Square", "Point"), ("G2", "Frogmoor", "Polygon"),
        ("Two car parks", "Two car parks", "MultiPolygon")]
    assert sites[0].geometry.distance(Point(bng(-0.7508, 51.6290))) < 0.01
    assert 4_000 < sites[1].geometry.area < 5_000  # ~69 m × 67 m: metres, not square degrees


def test_a_geojson_declaring_the_national_grid_or_plainly_in_metres_is_kept_in_metres() -> None:
    declared, problems = fixture("sites_bng.geojson")
    assert problems == []
    assert [(s.site_id, s.geometry.bounds) for s in declared] == [
        ("B1", (486500, 192950, 486500, 192950)), ("B2", (486600, 192900, 486800, 192920))]
    undeclared = json.loads((SITES / "sites_bng.geojson").read_text())
    del undeclared["crs"]
    sites, problems = read_sites_geojson(undeclared)
    assert problems == [] and [s.geometry.bounds for s in sites] == [s.geometry.bounds for s in declared]


def test_a_bad_geojson_names_every_feature_and_why() -> None:
    sites, problems = fixture("sites_bad.geojson")
    assert sites == []
    assert messages(problems) == [
        "sites_bad.geojson, feature 2: geometry type 'LineString' is not a site: use Point, Polygon, MultiPolygon",
        "sites_bad.geojson, feature 3: the feature has no geometry",
        'sites_bad.geojson, feature 4: a Point with unreadable coordinates ["west", 51.6]',
        "sites_bad.geojson, feature 5: duplicate site id 'Fine' (first at feature 1)",
        "sites_bad.geojson, feature 6: invalid polygon: self-intersection at (-0.745 51.635)",
        "sites_bad.geojson, feature 7: the site has no id or name",
        "sites_bad.geojson, feature 8: longitude -74, latitude 40.7 is outside Great Britain's National Grid",
    ]


def test_geojson_whose_declared_system_contradicts_its_coordinates_or_is_unsupported() -> None:
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:4326"}},
           "features": [{"type": "Feature", "properties": {"name": "A"},
                         "geometry": {"type": "Point", "coordinates": [486500, 192950]}}]}
    assert messages(read_sites_geojson(doc, "a.geojson")[1]) == [
        "a.geojson, feature 1: coordinates are out of longitude/latitude range, but the file declares "
        "longitude/latitude"]
    doc["crs"]["properties"]["name"] = "EPSG:3857"
    assert "is not supported" in messages(read_sites_geojson(doc, "a.geojson")[1])[0]
    assert messages(read_sites("a.geojson", b"{not json")[1]) == ["a.geojson, line 1: not valid JSON "
                                                                 "(Expecting property name enclosed in double quotes)"]
    assert messages(read_sites("a.json", b'{"type": "Point", "coordinates": [0, 0]}')[1]) == [
        "a.json: expected a GeoJSON FeatureCollection of site features"]


# --- typed --------------------------------------------------------------------------------------------------------

def test_a_typed_line_in_metres_or_degrees() -> None:
    (frogmoor,), problems = parse_typed_sites("Frogmoor, 486500, 192950")
    assert problems == [] and (frogmoor.site_id, frogmoor.geometry.x, frogmoor.geometry.y) == ("Frogmoor", 486500,
                                                                                               192950)
    (market,), _ = parse_typed_sites(f"Market Square, {MARKET_LON}, {MARKET_LAT}")
    assert market.geometry.distance(Point(bng(MARKET_LON, MARKET_LAT))) < 0.01
    (copied,), _ = parse_typed_sites(f"Market Square, {MARKET_LAT}, {MARKET_LON}")  # latitude first, as web maps copy
    assert copied.geometry.equals(market.geometry)


def test_typed_lines_report_each_bad_line() -> None:
    text = "# sites for the bid\nFrogmoor, 486500, 192950\nEden Walk 486900 192800\nOxford Road, 486300, y\n" \
           "Frogmoor, 486600, 192950\nOffshore, 486500, 2000000\n"
    sites, problems = parse_typed_sites(text)
    assert sites == []
    assert messages(problems) == [
        "typed sites, line 3: 'Eden Walk 486900 192800': type a name and two coordinates, e.g. "
        "'Frogmoor, 486500, 192950'",
        "typed sites, line 4: second coordinate 'y' is not a number",
        "typed sites, line 5: duplicate site id 'Frogmoor' (first at line 2)",
        "typed sites, line 6: easting 486,500, northing 2,000,000 is outside Great Britain's National Grid",
    ]
    assert messages(parse_typed_sites("Frogmoor")[1]) == [
        "typed sites: 'Frogmoor': type a name and two coordinates, e.g. 'Frogmoor, 486500, 192950'"]


def test_require_sites_refuses_with_every_problem() -> None:
    with pytest.raises(SiteFileError) as caught:
        require_sites(fixture("sites_bad.csv"))
    assert len(caught.value.problems) == 6 and "line 5: duplicate site id 'A1'" in str(caught.value)
    assert [s.site_id for s in require_sites(fixture("sites.csv"))] == ["S1", "S2", "S3"]


def test_a_typed_longitude_latitude_site_is_scored_in_metres() -> None:
    # The 99 m / 101 m rule through a typed lon/lat site: parsing must not lose precision.
    (site,), _ = parse_typed_sites(f"Market Square, {MARKET_LON}, {MARKET_LAT}")
    x, y = site.geometry.x, site.geometry.y
    result = score_sites(crimes_at([(x + 99, y), (x, y - 99), (x + 101, y)]), [site]).result("Market Square")
    assert result.harm == 2
