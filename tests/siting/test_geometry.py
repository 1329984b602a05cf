"""WGS84 ↔ National Grid for arrays."""

import numpy as np
from pyproj import Geod
from shapely.geometry import Point, Polygon

from siting.geometry import geometry_to_bng, geometry_to_wgs84, to_bng, to_wgs84
from tests.siting.helpers import SITE_E, SITE_N


def test_a_high_wycombe_point_round_trips_to_the_millimetre() -> None:
    lon, lat = to_wgs84([SITE_E], [SITE_N])
    assert abs(lon[0] + 0.7517) < 0.001 and abs(lat[0] - 51.628) < 0.001
    e, n = to_bng(lon, lat)
    assert abs(e[0] - SITE_E) < 0.01 and abs(n[0] - SITE_N) < 0.01


def test_metres_are_metres_on_the_ground() -> None:
    # 100 m east in the grid is ~100 m on the ellipsoid (scale factor near Wycombe is ~0.9997).
    lon, lat = to_wgs84([SITE_E, SITE_E + 100], [SITE_N, SITE_N])
    _, _, distance = Geod(ellps="WGS84").inv(lon[0], lat[0], lon[1], lat[1])
    assert abs(distance - 100) < 0.2


def test_missing_coordinates_stay_nan_and_scalars_work() -> None:
    e, n = to_bng(np.array([np.nan, -0.75]), np.array([np.nan, 51.63]))
    assert np.isnan(e[0]) and np.isnan(n[0]) and np.isfinite(e[1])
    e, n = to_bng(-0.75, 51.63)
    assert e.shape == () and 480_000 < float(e) < 490_000


def test_geometries_convert_both_ways() -> None:
    square = Polygon([(SITE_E, SITE_N), (SITE_E + 50, SITE_N), (SITE_E + 50, SITE_N + 50), (SITE_E, SITE_N + 50)])
    back = geometry_to_bng(geometry_to_wgs84(square))
    assert abs(back.area - 2500) < 0.1
    assert geometry_to_bng(Point(-0.75, 51.63)).distance(Point(*[float(v) for v in to_bng(-0.75, 51.63)])) < 1e-6
