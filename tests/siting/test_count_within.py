"""`count_within`'s grid join for point sites gives exactly shapely's `dwithin` (GEOS), ties at the radius included."""

import numpy as np
import shapely
from shapely.geometry import Point, box

from siting.model.inputs import Site
from siting.model.points import count_within
from tests.siting.helpers import SITE_E, SITE_N


def dwithin_counts(geometries: list, e: np.ndarray, n: np.ndarray, radius: float) -> list[int]:
    """The reference: an STRtree query with GEOS's dwithin, as geopandas' sjoin does it."""
    ok = np.isfinite(e) & np.isfinite(n)
    tree = shapely.STRtree(shapely.points(e[ok], n[ok]))
    sites, _ = tree.query(np.asarray(geometries, dtype=object), predicate="dwithin", distance=radius)
    return np.bincount(sites, minlength=len(geometries)).tolist()


def test_a_crime_exactly_at_the_radius_counts_and_a_hair_beyond_does_not() -> None:
    offsets = [(100, 0), (-100, 0), (0, 100), (0, -100), (60, 80), (-80, -60),  # exactly 100 m (3-4-5)
               (100.000001, 0), (60, 80.000001), (0, -100.00001), (70.72, 70.72)]  # just beyond
    e = SITE_E + np.array([dx for dx, _ in offsets])
    n = SITE_N + np.array([dy for _, dy in offsets])
    site = Point(SITE_E, SITE_N)
    assert count_within([site], e, n, 100).tolist() == [6] == dwithin_counts([site], e, n, 100)


def test_random_points_and_sites_on_a_lattice_match_geos_exactly() -> None:
    rng = np.random.default_rng(11)
    # A 10 m lattice makes many crimes exactly 100 m (and 50, 150 m) from sites on the same lattice.
    e = SITE_E + np.round(rng.uniform(-2000, 2000, 20_000) / 10) * 10
    n = SITE_N + np.round(rng.uniform(-2000, 2000, 20_000) / 10) * 10
    e[:100] = np.nan  # unlocated crimes are ignored
    lattice = [Point(SITE_E + x, SITE_N + y) for x, y in np.round(rng.uniform(-2100, 2100, (150, 2)) / 10) * 10]
    scattered = list(shapely.points(rng.uniform(SITE_E - 2500, SITE_E + 2500, (150, 2))))
    sites = lattice + scattered
    for radius in (50.0, 100.0, 150.0, 0.5):
        assert count_within(sites, e, n, radius).tolist() == dwithin_counts(sites, e, n, radius)


def test_point_and_polygon_sites_mixed_keep_their_order() -> None:
    rng = np.random.default_rng(5)
    e = SITE_E + rng.uniform(-500, 500, 5000)
    n = SITE_N + rng.uniform(-500, 500, 5000)
    sites = [Site.at("P1", SITE_E, SITE_N), Site("B1", box(SITE_E - 50, SITE_N - 20, SITE_E + 50, SITE_N + 20)),
             Site.at("P2", SITE_E + 300, SITE_N - 200), box(SITE_E + 100, SITE_N, SITE_E + 120, SITE_N + 300)]
    geometries = [s.geometry if isinstance(s, Site) else s for s in sites]
    assert count_within(sites, e, n, 100).tolist() == dwithin_counts(geometries, e, n, 100)


def test_far_apart_sites_and_stray_crimes() -> None:
    # Sites hundreds of kilometres apart (the sparse path) and crimes far outside every site's reach.
    e = np.array([SITE_E, SITE_E + 99, 100_000.0, 100_050.0, 650_000.0, -1e6, 5e6])
    n = np.array([SITE_N, SITE_N, 900_000.0, 900_000.0, 100_000.0, 0.0, 5e6])
    sites = [Point(SITE_E, SITE_N), Point(100_000, 900_000), Point(650_000, 100_100)]
    assert count_within(sites, e, n, 100).tolist() == [2, 2, 1] == dwithin_counts(sites, e, n, 100)


def test_no_sites_or_no_crimes() -> None:
    assert count_within([], [1.0], [1.0], 100).tolist() == []
    assert count_within([Point(0, 0)], [], [], 100).tolist() == [0]
    assert count_within([Point(0, 0)], [np.nan], [np.nan], 100).tolist() == [0]
