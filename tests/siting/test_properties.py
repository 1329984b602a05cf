"""Properties that must hold for any crimes and sites (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siting.model.harm import HIGH_HARM_CATEGORIES, POLICE_UK_CATEGORIES
from siting.model.inputs import CrimeSet, Site
from siting.model.run import ModelParams
from siting.model.scoring import score_sites
from tests.siting.helpers import SITE_E, SITE_N

PARAMS = ModelParams(end_month="2025-12", window_months=36)  # fixed: adding a crime must not move the window
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Offsets on a 10 m lattice within 400 m of the site, so crimes share points as police.uk's do.
offset = st.integers(-40, 40).map(lambda k: 10.0 * k)
month = st.sampled_from(["2022-12", "2023-01", "2023-07", "2024-02", "2024-12", "2025-06", "2025-12"])
crime = st.tuples(offset, offset, month, st.sampled_from(POLICE_UK_CATEGORIES))
crimes_list = st.lists(crime, min_size=0, max_size=40)
site_offsets = st.lists(st.tuples(offset, offset), min_size=1, max_size=6, unique=True)
cameras_list = st.lists(st.tuples(offset, offset), max_size=2)


def build(crimes: list[tuple]) -> CrimeSet:
    if not crimes:
        return CrimeSet.from_columns([], [], np.array([], dtype=int), np.array([], dtype=int), ())
    e, n, months, categories = zip(*crimes, strict=True)
    return CrimeSet.from_columns(np.add(e, SITE_E), np.add(n, SITE_N), list(months), list(categories))


def sites_at(offsets: list[tuple[float, float]]) -> list[Site]:
    return [Site.at(f"S{i}", SITE_E + x, SITE_N + y) for i, (x, y) in enumerate(offsets)]


def figures(crimes: list[tuple], sites: list[Site], cameras: list[tuple]) -> list[tuple]:
    run = score_sites(build(crimes), sites, [(SITE_E + x, SITE_N + y) for x, y in cameras], PARAMS)
    return [(r.harm, r.harm_by_year, r.marginal, r.covered_harm, r.crimes, dict(r.crime_counts), r.rank,
             r.persistent, r.trend, r.fixed_cameras, r.deployable_cameras) for r in run.results]


@SETTINGS
@given(crimes_list, site_offsets, cameras_list, st.tuples(offset, offset, month,
                                                          st.sampled_from(HIGH_HARM_CATEGORIES)))
def test_adding_a_high_harm_crime_never_lowers_a_sites_score(crimes, offsets, cameras, extra) -> None:
    sites = sites_at(offsets)
    before = figures(crimes, sites, cameras)
    after = figures([*crimes, extra], sites, cameras)
    for old, new in zip(before, after, strict=True):
        assert new[0] >= old[0] and new[2] >= old[2]  # harm and marginal
        assert all(b >= a for a, b in zip(old[1], new[1], strict=True))  # every year


@SETTINGS
@given(crimes_list.filter(bool), site_offsets, cameras_list, st.data())
def test_moving_a_crime_beyond_every_sites_radius_never_raises_a_score(crimes, offsets, cameras, data) -> None:
    sites = sites_at(offsets)
    i = data.draw(st.integers(0, len(crimes) - 1))
    x, y = data.draw(st.tuples(st.integers(-100, 100), st.integers(-100, 100)).map(lambda p: (10.0 * p[0],
                                                                                              10.0 * p[1])))
    far = all(np.hypot(x - sx, y - sy) > PARAMS.radius_m for sx, sy in offsets)
    if not far:
        x, y = 5000.0, 5000.0
    moved = [*crimes[:i], (x, y, *crimes[i][2:]), *crimes[i + 1:]]
    before = figures(crimes, sites, cameras)
    after = figures(moved, sites, cameras)
    for old, new in zip(before, after, strict=True):
        assert new[0] <= old[0] and new[2] <= old[2] and new[4] <= old[4]
        assert all(b <= a for a, b in zip(old[1], new[1], strict=True))


@SETTINGS
@given(crimes_list, site_offsets, cameras_list, st.randoms(use_true_random=False))
def test_scores_do_not_depend_on_the_order_of_the_crimes(crimes, offsets, cameras, random) -> None:
    shuffled = list(crimes)
    random.shuffle(shuffled)
    sites = sites_at(offsets)
    assert figures(shuffled, sites, cameras) == figures(crimes, sites, cameras)
