"""Best K within a budget: each site costs its cameras, and the choice must fit the money (worked by hand)."""

import pytest

from siting.model.best import best_sites
from siting.model.inputs import CrimeSet, Site
from siting.model.run import ModelParams

VIOLENCE = "Violence and sexual offences"
# Three separate places 1 km apart, holding 10, 6 and 5 violent crimes: sites A, B and C, one on each.
PLACES = {"A": (1000.0, 10), "B": (2000.0, 6), "C": (3000.0, 5)}
COSTS = {"A": 20_000.0, "B": 8_000.0, "C": 8_000.0}


def _crimes() -> CrimeSet:
    east = [x for x, n in PLACES.values() for _ in range(n)]
    return CrimeSet.from_columns(east, [5000.0] * len(east), ["2025-06"] * len(east), [VIOLENCE] * len(east))


SITES = [Site.at(name, x, 5000.0, name) for name, (x, _) in PLACES.items()]


@pytest.mark.parametrize(("budget", "greedy", "exact"), [
    (16_000, (("B", "C"), 11, 16_000), (("B", "C"), 11, 16_000)),   # A is beyond the budget on its own
    (28_000, (("A", "B"), 16, 28_000), (("A", "B"), 16, 28_000)),
    (20_000, (("A",), 10, 20_000), (("B", "C"), 11, 16_000)),        # greedy spends it all on A; B and C see more
])
def test_the_choice_fits_the_budget(budget: float, greedy: tuple, exact: tuple) -> None:
    best = best_sites(_crimes(), SITES, None, 3, ModelParams(), costs=COSTS, budget=budget)
    assert (best.greedy.site_ids, best.greedy.covered_harm, best.greedy.cost) == greedy
    assert best.exact is not None and best.exact.optimal
    assert (tuple(sorted(best.exact.site_ids)), best.exact.covered_harm, best.exact.cost) == exact


def test_without_a_budget_k_sites_are_chosen_and_the_sentence_gives_the_cost() -> None:
    best = best_sites(_crimes(), SITES, None, 2, ModelParams(), costs=COSTS)
    assert best.greedy.site_ids == ("A", "B") and best.greedy.cost == 28_000
    assert "The best 2 new sites (greedy choice: A, B), costing £28,000," in best.explanation()
    within = best_sites(_crimes(), SITES, None, 3, ModelParams(), costs=COSTS, budget=16_000)
    assert within.explanation().startswith("The best 2 new sites (of at most 3) within £16,000 (greedy choice: B, C)")
