"""The exact best K: prove the greedy choice optimal with the LP bound, or solve the integer programme, within a time.

    maximise Σ_i o_i x_i + Σ_g w_g y_g   subject to   Σ_i x_i ≤ K,   y_g ≤ Σ_{i covers g} x_i,   [Σ_i c_i x_i ≤ B],
    x_i ∈ {0, 1},   0 ≤ y_g ≤ 1

on the reduced problem (`siting.model.reduce`: o_i is what site i alone covers, g the shared point groups). Asking
for at most K rather than exactly K changes nothing (covering more never hurts); the answer is topped up to K.

1. Its LP relaxation (HiGHS through scipy) bounds every choice from above. When the greedy choice already reaches
   that bound, greedy is optimal and no integer programme runs ("optimal (LP bound met)"); an integral LP answer is
   optimal too.
2. Otherwise the integer programme runs, told that it must beat nothing worse than greedy (the greedy value as a
   cutoff), for at most `time_limit_s`. When time runs out, the better of greedy and the best found is returned
   with the best proven bound, so the gap reported is one the solver proved, never a guess.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from siting.model.greedy import covered_value, greedy_cover
from siting.model.reduce import Reduced, reduce_problem

if TYPE_CHECKING:
    from scipy import sparse
    from scipy.optimize import OptimizeResult

EXACT_TIME_LIMIT_S = 5.0  # the integer programme's default time: a web page or a command should not hang on it
_TOLERANCE = 1e-7  # relative: a bound within this of a value proves it optimal (HiGHS works to about 1e-7 itself)


@dataclass(frozen=True)
class ExactAnswer:
    """The best choice found (site indices, ascending), what it covers, the proven upper bound on any choice, and
    how the answer was proven: "lp" (greedy met the LP bound), "integral lp", "integer programme", "nothing to cover"
    or "time limit" (not proven: `bound` is the best the solver proved)."""

    chosen: tuple[int, ...]
    value: float
    bound: float
    proof: str
    status: str

    @property
    def optimal(self) -> bool:
        """Whether no choice can cover more (to the solver's tolerance)."""
        return self.proof != "time limit"

    @property
    def gap(self) -> float:
        """How far below the proven bound the answer may be, as a fraction of the bound (0 when optimal)."""
        if self.optimal or self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.value) / self.bound)


def proof_text(answer: ExactAnswer) -> str:
    """The proof in a planner's words: "optimal (LP bound met)" or "within 0.42 % of optimal, time limit"."""
    if answer.proof in ("lp", "integral lp"):  # greedy's choice, or the LP's own integral one, meets the bound
        return "optimal (LP bound met)"
    if answer.proof == "nothing to cover":
        return "optimal (no site adds anything)"
    if answer.optimal:
        return "optimal (integer programme)"
    return f"within {_percent(answer.gap)} of optimal, time limit"


def _percent(fraction: float) -> str:
    """A gap as a percentage with enough digits to be non-zero when it is."""
    value = fraction * 100
    digits = 2 if value >= 0.01 else max(2, 1 - math.floor(math.log10(value))) if value > 0 else 0
    return f"{value:.{digits}f} %"


def exact_cover(
    incidence: sparse.csr_matrix, weights: NDArray[np.float64], k: int, *, time_limit_s: float = EXACT_TIME_LIMIT_S,
    costs: NDArray[np.float64] | None = None, budget: float | None = None, start: Sequence[int] | None = None,
    lp_certificate: bool = True,
) -> ExactAnswer:
    """The best choice of `k` sites (rows of `incidence`, sites × points) by the weight covered, each point once;
    with `costs` and a `budget`, at most `k` whose costs fit the budget. `start` is a feasible choice already known
    (normally greedy's; computed when not given). `lp_certificate=False` runs the integer programme even when the LP
    bound proves `start` optimal (to measure it)."""
    sites = incidence.shape[0]
    if not 0 < k <= sites:
        raise ValueError(f"k must be between 1 and the number of candidate sites ({sites})")
    weights = np.asarray(weights, dtype=np.float64)
    site_costs = None if costs is None or budget is None else np.asarray(costs, dtype=np.float64)
    if start is None:
        start = greedy_cover(incidence, weights, k, costs=site_costs, budget=budget)[0]
    start_value = covered_value(incidence, weights, start)
    reduced = reduce_problem(incidence, weights, site_costs, k)
    if not len(reduced.sites):  # nothing any site could add: every choice is optimal
        return _answer(start, start_value, start_value, "nothing to cover", "no site covers any harm", k, sites,
                       budget)
    lp = _solve(reduced, k, budget, integral=False, time_limit_s=None, cutoff=None)
    bound = -lp.fun
    if lp_certificate and start_value >= bound - _TOLERANCE * max(1.0, abs(bound)):
        return _answer(start, start_value, max(bound, start_value), "lp", "greedy meets the LP bound", k, sites,
                       budget)
    x = lp.x[:len(reduced.sites)]
    if lp_certificate and np.all(np.minimum(x, 1 - x) < 1e-9):
        chosen = reduced.sites[x > 0.5]
        value = covered_value(incidence, weights, chosen)
        if value >= bound - _TOLERANCE * max(1.0, abs(bound)):
            return _answer(chosen, value, bound, "integral lp", "the LP answer is integral", k, sites, budget)
    return _integer_programme(incidence, weights, reduced, k, budget, start, start_value, bound, time_limit_s, sites)


def _integer_programme(incidence: sparse.csr_matrix, weights: NDArray[np.float64], reduced: Reduced, k: int,
                       budget: float | None, start: Sequence[int], start_value: float, lp_bound: float,
                       time_limit_s: float, sites: int) -> ExactAnswer:
    """Step 2 of the module: the integer programme with greedy's value as the cutoff, within the time limit."""
    if time_limit_s <= 0:
        return _answer(start, start_value, lp_bound, "time limit", "no time for the integer programme", k, sites,
                       budget)
    cutoff = start_value - _TOLERANCE * max(1.0, abs(start_value))  # greedy stays feasible despite rounding
    result = _solve(reduced, k, budget, integral=True, time_limit_s=time_limit_s, cutoff=cutoff)
    proven = result.status == 0  # 0: optimal; 1: time or node limit; 2: infeasible (cannot happen: greedy is feasible)
    dual = getattr(result, "mip_dual_bound", None)
    bound = lp_bound if dual is None or not np.isfinite(dual) else min(lp_bound, -float(dual))
    chosen, value = list(start), start_value
    if result.x is not None:
        found = reduced.sites[result.x[:len(reduced.sites)] > 0.5]
        found_value = covered_value(incidence, weights, found)
        if found_value > value:
            chosen, value = found.tolist(), found_value
    if proven or value >= bound - _TOLERANCE * max(1.0, abs(bound)):
        how = "integer programme" if proven or bound < lp_bound else "lp"  # what proved it: its bound, or the LP's
        return _answer(chosen, value, value if proven else max(value, bound), how, str(result.message), k, sites,
                       budget)
    return _answer(chosen, value, max(bound, value), "time limit", str(result.message), k, sites, budget)


def _solve(reduced: Reduced, k: int, budget: float | None, *, integral: bool, time_limit_s: float | None,
           cutoff: float | None) -> OptimizeResult:
    """HiGHS on the reduced problem (see the module); `cutoff` adds "cover at least this much"."""
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    n, m = reduced.cover.shape
    objective = np.concatenate([reduced.own, reduced.weights])
    pick = np.concatenate([np.ones(n), np.zeros(m)])[None, :]
    constraints = [LinearConstraint(pick, 0, k),
                   LinearConstraint(sparse.hstack([-reduced.cover.T, sparse.identity(m)]).tocsr(), -np.inf, 0)]
    if budget is not None and reduced.costs is not None:
        spend = np.concatenate([reduced.costs, np.zeros(m)])[None, :]
        constraints.append(LinearConstraint(spend, -np.inf, float(budget)))
    if cutoff is not None:
        constraints.append(LinearConstraint(objective[None, :], cutoff, np.inf))
    # The reduction is the presolve that matters here; HiGHS's own MIP presolve took 1.5 of the 1.6 s of the
    # integer programme on every 50 m cell of a county (bench/_siting_best.py) and did not help on harder grids.
    options: dict[str, float | bool] = {"mip_rel_gap": 0.0, "presolve": False} if integral else {}
    if time_limit_s is not None:
        options["time_limit"] = float(time_limit_s)
    return milp(-objective, constraints=constraints, bounds=Bounds(0, 1),
                integrality=np.concatenate([np.full(n, int(integral)), np.zeros(m)]), options=options)


def _answer(chosen: Sequence[int] | NDArray[np.intp], value: float, bound: float, proof: str, status: str, k: int,
            sites: int, budget: float | None) -> ExactAnswer:
    """The answer with exactly `k` sites when there is no budget (topped up with the first unchosen sites, which
    cannot lower what is covered), ascending."""
    picked = sorted(int(i) for i in chosen)
    if budget is None and len(picked) < k:
        taken = set(picked)
        picked = sorted(picked + [i for i in range(sites) if i not in taken][:k - len(picked)])
    return ExactAnswer(tuple(picked), value, bound, proof, status)
