"""WGS84 and British National Grid, checked against the Ordnance Survey's own published formulae and worked example
(A guide to coordinate systems in Great Britain), computed here without pyproj."""

import math

import pytest

from inventory.geo import CoordinateError, check_lonlat, from_bng, to_bng

# Airy 1830 and GRS80/WGS84 ellipsoids, the National Grid projection and the OS's ETRS89 -> OSGB36 Helmert.
AIRY = (6_377_563.396, 6_356_256.909)
GRS80 = (6_378_137.000, 6_356_752.3141)
F0, LAT0, LON0, E0, N0 = 0.9996012717, math.radians(49), math.radians(-2), 400_000.0, -100_000.0
HELMERT = {"tx": -446.448, "ty": 125.157, "tz": -542.060, "s_ppm": 20.4894,
           "rx": -0.1502, "ry": -0.2470, "rz": -0.8421}  # rotations in seconds of arc


def dms(degrees: int, minutes: int, seconds: float) -> float:
    """Degrees, minutes and seconds as decimal degrees."""
    return degrees + minutes / 60 + seconds / 3600


def project_airy(lat_deg: float, lon_deg: float) -> tuple[float, float]:
    """OSGB36 latitude/longitude to National Grid easting/northing (OS guide, annex C)."""
    a, b = AIRY
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    e2 = 1 - b * b / (a * a)
    n = (a - b) / (a + b)
    sin, cos, tan = math.sin(lat), math.cos(lat), math.tan(lat)
    nu = a * F0 / math.sqrt(1 - e2 * sin**2)
    rho = a * F0 * (1 - e2) / (1 - e2 * sin**2) ** 1.5
    eta2 = nu / rho - 1
    dlat, slat = lat - LAT0, lat + LAT0
    m = b * F0 * (
        (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * dlat
        - (3 * n + 3 * n**2 + 21 / 8 * n**3) * math.sin(dlat) * math.cos(slat)
        + (15 / 8 * n**2 + 15 / 8 * n**3) * math.sin(2 * dlat) * math.cos(2 * slat)
        - 35 / 24 * n**3 * math.sin(3 * dlat) * math.cos(3 * slat)
    )
    i = m + N0
    ii = nu / 2 * sin * cos
    iii = nu / 24 * sin * cos**3 * (5 - tan**2 + 9 * eta2)
    iiia = nu / 720 * sin * cos**5 * (61 - 58 * tan**2 + tan**4)
    iv = nu * cos
    v = nu / 6 * cos**3 * (nu / rho - tan**2)
    vi = nu / 120 * cos**5 * (5 - 18 * tan**2 + tan**4 + 14 * eta2 - 58 * tan**2 * eta2)
    dl = lon - LON0
    northing = i + ii * dl**2 + iii * dl**4 + iiia * dl**6
    easting = E0 + iv * dl + v * dl**3 + vi * dl**5
    return easting, northing


def wgs84_to_osgb36(lat_deg: float, lon_deg: float) -> tuple[float, float]:
    """WGS84 (taken as ETRS89) to OSGB36 latitude/longitude by the OS's 7-parameter Helmert (a few metres)."""
    a, b = GRS80
    e2 = 1 - b * b / (a * a)
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    nu = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    x, y, z = nu * math.cos(lat) * math.cos(lon), nu * math.cos(lat) * math.sin(lon), (1 - e2) * nu * math.sin(lat)
    s = HELMERT["s_ppm"] * 1e-6
    rx, ry, rz = (math.radians(HELMERT[k] / 3600) for k in ("rx", "ry", "rz"))
    x2 = HELMERT["tx"] + (1 + s) * x - rz * y + ry * z
    y2 = HELMERT["ty"] + rz * x + (1 + s) * y - rx * z
    z2 = HELMERT["tz"] - ry * x + rx * y + (1 + s) * z
    a, b = AIRY
    e2 = 1 - b * b / (a * a)
    p = math.hypot(x2, y2)
    lat2 = math.atan2(z2, p * (1 - e2))
    for _ in range(10):
        nu = a / math.sqrt(1 - e2 * math.sin(lat2) ** 2)
        lat2 = math.atan2(z2 + e2 * nu * math.sin(lat2), p)
    return math.degrees(lat2), math.degrees(math.atan2(y2, x2))


def independent_bng(longitude: float, latitude: float) -> tuple[float, float]:
    """Easting/northing for a WGS84 point, without pyproj."""
    return project_airy(*wgs84_to_osgb36(latitude, longitude))


def test_the_independent_projection_reproduces_the_os_worked_example() -> None:
    # OS guide, annex C: Caister water tower, OSGB36 52°39'27.2531"N 1°43'4.5177"E -> E 651409.903 N 313177.270
    easting, northing = project_airy(dms(52, 39, 27.2531), dms(1, 43, 4.5177))
    assert easting == pytest.approx(651_409.903, abs=0.01)
    assert northing == pytest.approx(313_177.270, abs=0.01)


@pytest.mark.parametrize(
    ("place", "longitude", "latitude"),
    [
        ("High Wycombe, Frogmoor", -0.7482, 51.6287),
        ("Aylesbury, Market Square", -0.8124, 51.8168),
        ("Olney", -0.7016, 52.1530),
        ("Caister-on-Sea", 1.7179, 52.6576),
        ("Land's End", -5.7150, 50.0686),
        ("Lerwick", -1.1450, 60.1550),
    ],
)
def test_to_bng_agrees_with_the_os_formulae(place: str, longitude: float, latitude: float) -> None:
    easting, northing = to_bng(longitude, latitude)
    expected_e, expected_n = independent_bng(longitude, latitude)
    # The OS Helmert is good to a few metres; pyproj may use it or the finer OSTN15 grid.
    assert easting == pytest.approx(expected_e, abs=10), place
    assert northing == pytest.approx(expected_n, abs=10), place


def test_high_wycombe_is_where_the_map_says() -> None:
    # Frogmoor, High Wycombe is in grid square SU 86 92: about E 486 700, N 192 900.
    easting, northing = to_bng(-0.7482, 51.6287)
    assert 486_500 < easting < 487_000
    assert 192_700 < northing < 193_100


def test_from_bng_inverts_to_bng() -> None:
    for easting, northing in [(486_700.0, 192_900.0), (651_409.9, 313_177.3), (100_000.0, 20_000.0),
                              (450_000.0, 1_150_000.0)]:
        longitude, latitude = from_bng(easting, northing)
        back_e, back_n = to_bng(longitude, latitude)
        assert (back_e, back_n) == (pytest.approx(easting, abs=0.2), pytest.approx(northing, abs=0.2))
        expected = independent_bng(longitude, latitude)
        assert (easting, northing) == (pytest.approx(expected[0], abs=10), pytest.approx(expected[1], abs=10))


def test_from_bng_of_high_wycombe() -> None:
    longitude, latitude = from_bng(486_700, 192_900)
    assert longitude == pytest.approx(-0.7488, abs=0.001)
    assert latitude == pytest.approx(51.6283, abs=0.001)


def test_one_kilometre_north_is_a_thousand_metres_of_northing() -> None:
    _, south = to_bng(-0.7482, 51.6287)
    _, north = to_bng(-0.7482, 51.6287 + 1000 / 111_257)  # about 111.26 km per degree of latitude at 51.6°N
    assert north - south == pytest.approx(1000, abs=5)


@pytest.mark.parametrize(
    ("easting", "northing", "complaint"),
    [
        (-1, 192_900, "easting"),
        (700_001, 192_900, "easting"),
        (486_700, -0.5, "northing"),
        (486_700, 1_300_001, "northing"),
        (192_900_000, 486_700, "easting"),  # a typo: three zeros too many
    ],
)
def test_a_point_off_the_grid_is_refused(easting: float, northing: float, complaint: str) -> None:
    with pytest.raises(CoordinateError, match=complaint):
        from_bng(easting, northing)


def test_the_grid_edges_are_accepted() -> None:
    for easting, northing in [(0, 0), (700_000, 1_300_000)]:
        longitude, latitude = from_bng(easting, northing)
        check_lonlat(longitude, latitude)


@pytest.mark.parametrize(("longitude", "latitude"), [(180.5, 51.6), (-181, 51.6), (-0.74, 90.01), (-0.74, -91)])
def test_a_longitude_or_latitude_out_of_range_is_refused(longitude: float, latitude: float) -> None:
    with pytest.raises(CoordinateError):
        check_lonlat(longitude, latitude)


def test_plausible_points_pass() -> None:
    for longitude, latitude in [(-0.7482, 51.6287), (180, 90), (-180, -90), (0, 0)]:
        check_lonlat(longitude, latitude)
