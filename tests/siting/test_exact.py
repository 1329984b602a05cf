"""The exact best K: the LP bound certifying greedy, the integer programme on the reduced problem, the time limit's
honest gap, and the reduction keeping the optimum (checked against brute force over every subset)."""

import functools
from itertools import combinations

import numpy as np
import pytest
from scipy import sparse

import siting.model.best
import siting.model.exact
from siting.model.best import best_sites
from siting.model.exact import exact_cover, proof_text
from siting.model.greedy import covered_value, greedy_cover
from siting.model.reduce import reduce_problem
from tests.siting.test_best import SITES, street_crimes

# The complete graph on 5 sites: each of the 10 points is covered by exactly its two sites. Any 2 sites cover
# 4 + 4 - 1 = 7 points, which greedy finds; the LP relaxation reaches 8 (every x = 0.4, every y = 0.8), so only the
# integer programme can prove 7 optimal.
K5 = sparse.csr_matrix(np.array([[1 if s in edge else 0 for edge in combinations(range(5), 2)] for s in range(5)]))


def _no_integer_programme(*args: object, **kwargs: object) -> None:
    raise AssertionError("the integer programme ran although the LP bound proves greedy optimal")


def test_greedy_meeting_the_lp_bound_is_certified_without_the_integer_programme(monkeypatch) -> None:
    # S0 covers a (3) and b (3), S1 covers b and c (1), S2 covers d (2). K = 2: greedy takes S0 (6) then S2 (2) = 8,
    # and no choice of two covers more than 8: the LP bound is 8 as well.
    incidence = sparse.csr_matrix(np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 0, 1]]))
    weights = np.array([3.0, 3, 1, 2])
    monkeypatch.setattr(siting.model.exact, "_integer_programme", _no_integer_programme)
    answer = exact_cover(incidence, weights, 2)
    assert answer.chosen == (0, 2) and answer.value == 8 and answer.bound == pytest.approx(8)
    assert answer.proof == "lp" and answer.optimal and answer.gap == 0
    assert proof_text(answer) == "optimal (LP bound met)"


def test_the_integer_programme_proves_what_the_lp_bound_cannot() -> None:
    assert greedy_cover(K5, np.ones(10), 2) == ([0, 1], [4.0, 3.0])
    answer = exact_cover(K5, np.ones(10), 2)
    assert answer.value == 7 and answer.optimal and answer.proof == "integer programme" and answer.gap == 0
    assert proof_text(answer) == "optimal (integer programme)"


def test_no_time_returns_greedy_with_the_gap_the_lp_bound_proves() -> None:
    answer = exact_cover(K5, np.ones(10), 2, time_limit_s=0)
    assert answer.chosen == (0, 1) and answer.value == 7 and answer.bound == pytest.approx(8)
    assert not answer.optimal and answer.gap == pytest.approx(1 / 8)
    assert proof_text(answer) == "within 12.50 % of optimal, time limit"


def test_greedy_is_not_optimal_on_the_street_and_the_exact_answer_is_with_gap_zero() -> None:
    best = best_sites(street_crimes(), SITES, k=2)  # greedy 10 (S0, S1), optimum 12 (S1, S2): see test_best
    assert best.exact is not None and best.exact.site_ids == ("S1", "S2") and best.exact.covered_harm == 12
    assert best.exact.optimal and best.exact.proven_gap == 0 and best.proof == "optimal (LP bound met)"
    incidence = sparse.csr_matrix(np.array([[0, 1, 1, 0, 1], [1, 1, 0, 0, 0], [0, 0, 1, 1, 0]]))
    assert exact_cover(incidence, np.array([3.0, 3, 3, 3, 1]), 2).proof == "integral lp"  # the LP's answer is S1 + S2
    # The integer programme itself, not only the LP, finds the same optimum.
    forced = exact_cover(incidence, np.array([3.0, 3, 3, 3, 1]), 2, lp_certificate=False)
    assert forced.chosen == (1, 2) and forced.value == 12 and forced.proof == "integer programme"


def test_a_planner_is_told_the_gap_when_time_runs_out(monkeypatch) -> None:
    # Without the LP shortcut and with no time, the street's answer is greedy's 10 against the LP bound 12.
    monkeypatch.setattr(siting.model.best, "exact_cover", functools.partial(exact_cover, lp_certificate=False))
    best = best_sites(street_crimes(), SITES, k=2, time_limit_s=0)
    assert best.exact is not None and not best.exact.optimal and best.exact.site_ids == ("S0", "S1")
    assert best.exact.bound == pytest.approx(12) and best.exact.proven_gap == pytest.approx(2 / 12)
    assert best.gap is None and best.proof == "within 16.67 % of optimal, time limit"
    assert best.explanation().endswith("The best choice found covers 10: within 16.67 % of optimal, time limit.")


def _random_instance(rng: np.random.Generator) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """A small instance full of what the reduction looks for: copied sites, copied points, subsets, zero weights."""
    sites, points = rng.integers(3, 9), rng.integers(2, 10)
    matrix = (rng.random((sites, points)) < 0.35).astype(int)
    for _ in range(rng.integers(0, 3)):  # a site copied, or cut down to a subset of another
        a, b = rng.integers(0, sites, 2)
        matrix[a] = matrix[b] * (rng.random(points) < (1.0 if rng.random() < 0.5 else 0.6))
    for _ in range(rng.integers(0, 3)):  # a point copied
        a, b = rng.integers(0, points, 2)
        matrix[:, a] = matrix[:, b]
    weights = rng.integers(0, 6, points).astype(float)
    costs = rng.integers(1, 5, sites).astype(float)
    return sparse.csr_matrix(matrix), weights, costs


def _brute_force(value, sites: int, k: int, costs: np.ndarray | None, budget: float | None) -> float:
    """The best value over every choice of at most k sites within the budget."""
    return max(value(list(c)) for size in range(k + 1) for c in combinations(range(sites), size)
               if budget is None or costs is None or costs[list(c)].sum() <= budget)


@pytest.mark.parametrize("seed", range(60))
def test_the_reduction_keeps_the_optimum_of_every_random_small_instance(seed: int) -> None:
    rng = np.random.default_rng(seed)
    incidence, weights, costs = _random_instance(rng)
    sites = incidence.shape[0]
    k = int(rng.integers(1, sites + 1))
    budget = float(rng.integers(2, 9)) if seed % 2 else None
    site_costs = costs if budget is not None else None
    optimum = _brute_force(lambda c: covered_value(incidence, weights, c), sites, k, site_costs, budget)
    reduced = reduce_problem(incidence, weights, site_costs, k)
    assert len(reduced.sites) <= sites and len(set(reduced.sites.tolist())) == len(reduced.sites)
    assert _brute_force(reduced.value, len(reduced.sites), min(k, len(reduced.sites)), reduced.costs,
                        budget) == pytest.approx(optimum)
    for size in range(1, min(k, len(reduced.sites)) + 1):  # a choice is worth the same in both forms
        for chosen in combinations(range(len(reduced.sites)), size):
            assert reduced.value(list(chosen)) == pytest.approx(
                covered_value(incidence, weights, reduced.sites[list(chosen)]))
    answer = exact_cover(incidence, weights, k, costs=costs, budget=budget)
    assert answer.optimal and answer.value == pytest.approx(optimum)
    assert covered_value(incidence, weights, answer.chosen) == pytest.approx(optimum)
    assert budget is not None or len(answer.chosen) == k
    assert budget is None or costs[list(answer.chosen)].sum() <= budget + 1e-9
    rushed = exact_cover(incidence, weights, k, costs=costs, budget=budget, time_limit_s=0, lp_certificate=False)
    assert rushed.value <= optimum + 1e-9 <= rushed.bound + 2e-9


def test_nothing_to_cover_still_chooses_k_sites_and_says_why_they_are_optimal() -> None:
    answer = exact_cover(K5, np.zeros(10), 3)  # every point already watched: every choice covers 0
    assert answer.chosen == (0, 1, 2) and answer.value == answer.bound == 0 and answer.optimal
    assert proof_text(answer) == "optimal (no site adds anything)"
