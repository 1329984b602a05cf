"""Counting on unique snap points (`siting.model.within`) and `score_sites`' figures against a plain brute force.

Crimes sit on a whole-metre lattice around a few snap points, as police.uk's do, so distances squared are exact
integers: the brute force tests dx² + dy² ≤ r² in integer arithmetic, independent of the code's sqrt and grid.
"""

import numpy as np
import pytest
import shapely
from shapely.geometry import Point

import siting.model.scoring as scoring
from siting.model.harm import HIGH_HARM
from siting.model.inputs import CrimeSet, Site, month_index
from siting.model.points import count_within, unique_points
from siting.model.recorded_at import is_recorded_at, recorded_at_codes
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from siting.model.within import site_pairs, sums_near
from tests.siting.helpers import SITE_E, SITE_N, VIOLENCE

CATEGORIES = [VIOLENCE, "Robbery", "Shoplifting", "Burglary", "Anti-social behaviour"]
MONTHS = ["2023-03", "2024-07", "2025-01", "2025-12"]
RADIUS = 100


def snapped_crimes(seed: int = 3, points: int = 60, crimes: int = 900) -> tuple[np.ndarray, np.ndarray, list, list]:
    """Integer (easting, northing) offsets from SITE_E/N of `crimes` crimes on `points` snap points, with a month
    and a category each. Several snap points are exactly 100 m (3-4-5 and axis offsets) from lattice sites."""
    rng = np.random.default_rng(seed)
    snap = rng.integers(-400, 401, (points, 2))
    snap[:6] = [(100, 0), (0, -100), (60, 80), (-80, 60), (101, 0), (0, 0)]  # at r, beyond r, at the centre
    which = rng.integers(0, points, crimes)
    months = [MONTHS[i] for i in rng.integers(0, len(MONTHS), crimes)]
    categories = [CATEGORIES[i] for i in rng.integers(0, len(CATEGORIES), crimes)]
    return snap[which, 0], snap[which, 1], months, categories


def lattice_sites(seed: int = 5, count: int = 40) -> np.ndarray:
    """Integer site offsets, the first at the origin (so the hand-placed points above are at exactly r)."""
    sites = np.random.default_rng(seed).integers(-450, 451, (count, 2))
    sites[0] = (0, 0)
    return sites


def brute_within(sites: np.ndarray, de: np.ndarray, dn: np.ndarray) -> np.ndarray:
    """[site, crime]: within RADIUS, in integers."""
    dx = de[None, :] - sites[:, 0, None]
    dy = dn[None, :] - sites[:, 1, None]
    return dx * dx + dy * dy <= RADIUS * RADIUS


def test_every_measure_in_one_join_equals_brute_force_per_year_and_category() -> None:
    de, dn, months, categories = snapped_crimes()
    sites = lattice_sites()
    within = brute_within(sites, de, dn)
    year = np.array([m[:4] for m in months])
    columns = [np.ones(len(de))]
    columns += [(year == y).astype(float) for y in ("2023", "2024", "2025")]
    columns += [(np.array(categories) == c).astype(float) for c in CATEGORIES]
    weights = np.column_stack(columns)
    got = sums_near(np.column_stack([SITE_E + sites[:, 0], SITE_N + sites[:, 1]]), SITE_E + de, SITE_N + dn,
                    weights, RADIUS)
    expected = within.astype(float) @ weights
    assert got.shape == (len(sites), weights.shape[1])
    assert np.array_equal(got, expected)
    assert got[0, 0] > 0 and got[:, 0].sum() > 100  # the data put crimes within reach of the sites


def test_chunks_of_any_size_give_the_answer_of_one_chunk() -> None:
    de, dn, _, categories = snapped_crimes(seed=8)
    sites = lattice_sites(seed=9, count=70) + np.array([SITE_E, SITE_N])
    weights = np.column_stack([np.ones(len(de)), (np.array(categories) == VIOLENCE).astype(float)])
    one = sums_near(sites, SITE_E + de, SITE_N + dn, weights, RADIUS, max_pairs=1 << 30)
    assert one[:, 0].sum() > 100
    for max_pairs in (1, 7, 100, 5000):
        assert np.array_equal(sums_near(sites, SITE_E + de, SITE_N + dn, weights, RADIUS, max_pairs=max_pairs), one)


def test_chunks_hold_no_more_candidate_pairs_than_asked_unless_one_site_needs_more() -> None:
    de, dn, _, _ = snapped_crimes(seed=4)
    ue, un, _ = unique_points(SITE_E + de, SITE_N + dn)
    sites = lattice_sites(count=50) + np.array([SITE_E, SITE_N])
    chunks = list(site_pairs(sites, ue, un, RADIUS, max_pairs=30))
    assert len(chunks) > 5 and sum(len(c.point) for c in chunks) > 100
    assert all(len(c.point) <= 30 or len(c.sites) == 1 for c in chunks)
    assert sorted(np.concatenate([c.sites for c in chunks]).tolist()) == list(range(len(sites)))


def test_points_and_shapes_mixed_keep_their_order_and_match_geos() -> None:
    de, dn, _, _ = snapped_crimes(seed=12)
    e, n = SITE_E + de, SITE_N + dn
    shapes = [Point(SITE_E, SITE_N).buffer(50), shapely.LineString([(SITE_E - 300, SITE_N), (SITE_E + 300, SITE_N)])]
    points = [Point(SITE_E + x, SITE_N + y) for x, y in lattice_sites(count=6)]
    geometries = [points[0], shapes[0], *points[1:4], shapes[1], *points[4:]]
    tree = shapely.STRtree(shapely.points(e, n))
    rows, _ = tree.query(np.asarray(geometries, dtype=object), predicate="dwithin", distance=RADIUS)
    expected = np.bincount(rows, minlength=len(geometries)).tolist()
    assert count_within(geometries, e, n, RADIUS).tolist() == expected


def test_unique_points_when_snap_points_share_an_easting() -> None:
    e = np.array([5.0, 3.0, 5.0, 3.0, 5.0, 7.0, 5.0])
    n = np.array([2.0, 1.0, 9.0, 1.0, 2.0, 0.0, -1.0])
    ue, un, which = unique_points(e, n)
    assert list(zip(ue.tolist(), un.tolist(), strict=True)) == [(3, 1), (5, -1), (5, 2), (5, 9), (7, 0)]
    assert np.array_equal(ue[which], e) and np.array_equal(un[which], n)
    assert [len(a) for a in unique_points([], [])] == [0, 0, 0]


def test_recorded_at_labels_found_among_many_as_one_by_one() -> None:
    labels = ["On or near Hospital", "on or  near HOSPITAL", "On or near Hospital Road", "Hospital",
              "On or near Police Station Lane", "On or near Police\nStation", "On or near Prison", "",
              "On or near Crown Court", "İ On or near Hospital", "On or near Stationers Way"] * 3
    assert recorded_at_codes(labels).tolist() == [is_recorded_at(label) for label in labels]
    assert recorded_at_codes(labels)[:7].tolist() == [True, True, False, False, False, True, True]
    assert recorded_at_codes([]).tolist() == []


def scored_fixture(count: int = 30) -> tuple[CrimeSet, list[Site], np.ndarray, np.ndarray, list, list]:
    de, dn, months, categories = snapped_crimes(seed=21, crimes=1500)
    crimes = CrimeSet.from_columns(SITE_E + de, SITE_N + dn, months, categories)
    offsets = lattice_sites(seed=22, count=count)
    sites = [Site.at(f"S{i}", SITE_E + x, SITE_N + y) for i, (x, y) in enumerate(offsets)]
    return crimes, sites, offsets, np.column_stack([de, dn]), months, categories


def test_score_sites_figures_per_year_and_category_equal_brute_force() -> None:
    crimes, sites, offsets, d, months, categories = scored_fixture()
    run = score_sites(crimes, sites)
    within = brute_within(offsets, d[:, 0], d[:, 1])
    year = np.array([(month_index(m) - month_index("2023-01")) // 12 for m in months])
    weight = np.array([HIGH_HARM.weights[c] for c in categories])
    for i, site in enumerate(sites):
        result = run.result(site.site_id)
        mine = within[i]
        assert result.crimes == int(mine.sum())
        assert result.harm == float(weight[mine].sum())
        assert result.harm_by_year == tuple(float(weight[mine & (year == y)].sum()) for y in range(3))
        assert result.crime_counts == {c: int((mine & (np.array(categories) == c)).sum()) for c in CATEGORIES
                                       if (mine & (np.array(categories) == c)).any()}
        assert result.harm_counts == {c: v for c, v in result.crime_counts.items() if HIGH_HARM.weights[c] > 0}
    by_harm = sorted(range(len(sites)), key=lambda i: (-float(weight[within[i]].sum()), i))
    assert [r.site_id for r in run.top(10)] == [f"S{i}" for i in by_harm[:10]]


def test_score_sites_in_small_chunks_gives_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    crimes, sites, *_ = scored_fixture()
    cameras = np.array([[SITE_E + 30, SITE_N - 20]])
    params = ModelParams(profile="cchi")
    whole = score_sites(crimes, sites, cameras, params).results
    real = scoring.site_pairs
    monkeypatch.setattr(scoring, "site_pairs", lambda *a, **k: real(*a, **{**k, "max_pairs": 5}))
    assert score_sites(crimes, sites, cameras, params).results == whole


def test_shown_sites_are_built_once_and_equal_the_full_results() -> None:
    crimes, sites, *_ = scored_fixture(count=90)  # all 90 built by the grid, the top 5 one by one
    run = score_sites(crimes, sites, np.array([[SITE_E, SITE_N]]))
    shown = run.top(5)
    assert [r.rank for r in shown] == [1, 2, 3, 4, 5]
    assert run.result(shown[2].site_id) is shown[2]  # built once, kept
    assert all(r.explanation for r in shown)
    full = score_sites(crimes, sites, np.array([[SITE_E, SITE_N]]))
    assert full.ranked()[:5] == shown and full.results == run.results
    assert [r.site_id for r in run.results] == [s.site_id for s in sites]
    assert run.top(0) == [] and len(run.top(1000)) == len(sites)


def test_sites_at_nan_or_infinity_see_nothing_and_absurd_ones_go_through_shapely() -> None:
    e, n = np.array([0.0, 1.0, 1e300]), np.array([0.0, 5.0, 0.0])
    sites = [Point(np.nan, np.nan), Point(0, 0), Point(np.inf, 0), Point(1e300, 3)]
    assert count_within(sites, e, n, 10).tolist() == [0, 2, 0, 1]
    assert sums_near(np.array([[0.0, 0.0], [np.nan, 1.0]]), e, n, None, 10).tolist() == [[2.0], [0.0]]
