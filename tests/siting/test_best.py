"""Best K new sites: greedy maximum coverage against the exact integer programme."""

import numpy as np
import pytest
from scipy import sparse

from siting.model.best import best_sites
from siting.model.exact import exact_cover
from siting.model.greedy import covered_value, greedy_cover
from siting.model.inputs import Site
from siting.model.run import ModelParams
from tests.siting.helpers import SITE_E, SITE_N, crimes_at

# Along one street: points a, b, c, d hold 3 crimes each and e holds 1. S0 (in the middle) covers b, c and e (7);
# S1 covers a and b (6); S2 covers c and d (6). For K = 2 greedy takes S0 then S1 (10); the optimum is S1 + S2 (12).
POINTS = {"a": (0, 3), "b": (150, 3), "c": (250, 3), "d": (400, 3), "e": (200, 1)}
SITES = [Site.at("S0", SITE_E + 200, SITE_N), Site.at("S1", SITE_E + 75, SITE_N), Site.at("S2", SITE_E + 325, SITE_N)]


def street_crimes():
    return crimes_at([(SITE_E + x, SITE_N) for x, count in POINTS.values() for _ in range(count)])


def test_greedy_is_suboptimal_on_a_known_instance_and_the_programme_is_not() -> None:
    best = best_sites(street_crimes(), SITES, k=2)
    assert best.greedy.site_ids == ("S0", "S1") and best.greedy.gains == (7, 3) and best.greedy.covered_harm == 10
    assert best.exact is not None and best.exact.optimal and best.exact.proven_gap == 0
    assert best.exact.site_ids == ("S1", "S2") and best.exact.covered_harm == 12 == best.exact.bound
    assert best.gap == pytest.approx(10 / 12)
    assert not best.greedy.optimal and best.greedy.proven_gap == pytest.approx(2 / 12)
    assert (best.total_harm, best.already_covered, best.reachable) == (13, 0, 13)
    assert best.greedy.seconds >= 0 and best.exact.seconds >= 0
    assert "greedy reaches 83% of it. Proof: optimal (" in best.explanation()


def test_existing_cameras_change_the_choice() -> None:
    # A camera already watching a and b leaves S2's c and d as the prize.
    best = best_sites(street_crimes(), SITES, [(SITE_E + 75, SITE_N)], k=1)
    assert best.already_covered == 6
    assert best.greedy.site_ids == best.exact.site_ids == ("S2",) and best.greedy.covered_harm == 6
    assert best.gap == 1.0 and best.greedy.optimal and best.proof == "optimal (LP bound met)"


def test_k_equal_to_one_and_to_all_sites_and_out_of_range() -> None:
    one = best_sites(street_crimes(), SITES, k=1)
    assert one.greedy.site_ids == one.exact.site_ids == ("S0",)
    every = best_sites(street_crimes(), SITES, k=3, exact=False)
    assert every.exact is None and every.gap is None and every.greedy.covered_harm == 13
    with pytest.raises(ValueError, match="between 1 and"):
        best_sites(street_crimes(), SITES, k=4)


def test_the_solvers_on_a_bare_incidence_matrix() -> None:
    incidence = sparse.csr_matrix(np.array([[0, 1, 1, 0, 1], [1, 1, 0, 0, 0], [0, 0, 1, 1, 0], [0, 0, 0, 0, 0]]))
    weights = np.array([3.0, 3, 3, 3, 1])
    assert greedy_cover(incidence, weights, 2) == ([0, 1], [7.0, 3.0])
    answer = exact_cover(incidence, weights, 2)
    assert answer.chosen == (1, 2) and answer.optimal and covered_value(incidence, weights, answer.chosen) == 12
    assert answer.value == answer.bound == 12 and answer.gap == 0
    # Asked for more sites than add anything, both still choose exactly k.
    assert len(greedy_cover(incidence, weights, 4)[0]) == 4 and len(exact_cover(incidence, weights, 4).chosen) == 4


def test_the_harm_profile_weighs_the_coverage() -> None:
    crimes = crimes_at([(SITE_E + 75, SITE_N), (SITE_E + 325, SITE_N), (SITE_E + 325, SITE_N)],
                       category=["Robbery", "Burglary", "Shoplifting"])
    high = best_sites(crimes, SITES[1:], k=1)
    assert high.greedy.site_ids == ("S1",)  # 1 against 1: the tie goes to the first site
    cchi = best_sites(crimes, SITES[1:], k=1, params=ModelParams(profile="cchi"))
    assert cchi.greedy.site_ids == cchi.exact.site_ids == ("S1",) and cchi.greedy.covered_harm == 365
