"""Choose the best K new sites given the existing cameras: greedy maximum coverage, and the exact integer programme.

Each candidate site covers the unique crime points within r of it, each point weighted by its harm over the model
window; points already within r of an existing working camera weigh 0, and so does harm recorded at a hospital,
police station or prison (`siting.model.recorded_at`) unless `params.include_recorded_at`; a point covered by two
chosen sites counts once. Greedy picks, K times, the site adding the most uncovered harm (guaranteed ≥ 63% of
optimal, usually within a percent or two). The exact programme (HiGHS through scipy.optimize.milp) is the reference:

    maximise Σ_j w_j y_j   subject to   Σ_i x_i = K,   y_j ≤ Σ_{i covers j} x_i,   x_i ∈ {0, 1},   0 ≤ y_j ≤ 1

(y need not be integer: at the optimum each y_j is min(1, Σ x_i) already).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from siting.model.explain import number, percent
from siting.model.inputs import CrimeSet, Site, camera_points
from siting.model.place import SiteLabel, site_label
from siting.model.run import ModelParams
from siting.model.scoring import prepare

if TYPE_CHECKING:
    from scipy import sparse


@dataclass(frozen=True)
class Selection:
    """One method's choice of K sites and the new harm they cover together."""

    method: str  # "greedy" or "exact"
    site_ids: tuple[str, ...]  # greedy: in the order picked; exact: in the order given
    covered_harm: float
    gains: tuple[float, ...]  # greedy: harm each pick added; exact: empty
    seconds: float
    optimal: bool  # exact: HiGHS proved optimality; greedy: always False
    status: str
    cost: float | None = None  # what the chosen sites cost together, when costs were given


@dataclass(frozen=True)
class BestSites:
    """Greedy and exact choices of K sites, with the harm context needed to read them."""

    k: int
    params: ModelParams
    total_harm: float  # all harm in the window
    already_covered: float  # ... already within r of an existing working camera
    reachable: float  # uncovered harm within r of at least one candidate: the most any choice could add
    greedy: Selection
    exact: Selection | None
    recorded_at_harm: float = 0.0  # uncovered harm at recorded-at places (siting.model.recorded_at), weighed 0
    labels: Mapping[str, SiteLabel] = field(default_factory=dict)  # each candidate's name and place, by site id
    budget: float | None = None  # the most the chosen sites could cost together (None: no limit)

    def label(self, site_id: str) -> SiteLabel:
        """A site's display name and place line (its id when unknown)."""
        return self.labels.get(site_id) or SiteLabel(site_id, "")

    @property
    def gap(self) -> float | None:
        """Greedy coverage ÷ optimal coverage (1.0 = greedy is optimal); None without a proven optimum."""
        if self.exact is None or not self.exact.optimal:
            return None
        return 1.0 if self.exact.covered_harm <= 0 else self.greedy.covered_harm / self.exact.covered_harm

    def explanation(self) -> str:
        """A short paragraph for a planner."""
        label = self.params.profile.label
        names = ", ".join(self.label(i).name for i in self.greedy.site_ids)
        count = len(self.greedy.site_ids)
        what = f"The best {self.k} new sites" if self.budget is None else \
            f"The best {count} new site{'s' if count != 1 else ''} (of at most {self.k}) within £{self.budget:,.0f}"
        cost = "" if self.greedy.cost is None else f", costing £{self.greedy.cost:,.0f},"
        text = (f"{what} (greedy choice: {names}){cost} would bring "
                f"{number(self.greedy.covered_harm)} {label} into view")
        if self.reachable > 0:
            text += f", {percent(self.greedy.covered_harm / self.reachable)} of the uncovered harm near any candidate"
        text += "."
        if self.recorded_at_harm > 0:
            text += (f" {number(self.recorded_at_harm)} {label} recorded at hospitals, police stations and prisons "
                     "weigh nothing here: crimes are recorded there, not committed where a camera could see them.")
        if self.gap is not None and self.exact is not None:
            text += (f" The exact optimum covers {number(self.exact.covered_harm)}; greedy reaches "
                     f"{percent(self.gap)} of it.")
        return text


def covered_value(incidence: sparse.csr_matrix, weights: NDArray[np.float64], chosen: Sequence[int]) -> float:
    """The weight of the points covered by at least one chosen site (each point counted once)."""
    if not len(chosen):
        return 0.0
    hit = np.asarray(incidence[list(chosen)].sum(axis=0)).ravel() > 0
    return float(weights[hit].sum())


def greedy_cover(incidence: sparse.csr_matrix, weights: NDArray[np.float64], k: int, *,
                 costs: NDArray[np.float64] | None = None, budget: float | None = None
                 ) -> tuple[list[int], list[float]]:
    """Greedy maximum coverage: `incidence` is sites × points (1 = covers), `weights` per point. Picks k sites
    (ties go to the lower index) and returns them in pick order with the weight each added. With `costs` (per
    site) and a `budget`, only sites the money left can pay for are picked, so it may stop short of k."""
    sites = incidence.shape[0]
    if not 0 < k <= sites:
        raise ValueError(f"k must be between 1 and the number of candidate sites ({sites})")
    remaining = np.asarray(weights, dtype=np.float64).copy()
    gains = incidence @ remaining
    money = np.inf if budget is None else float(budget)
    cost = np.zeros(sites) if costs is None else np.asarray(costs, dtype=np.float64)
    chosen: list[int] = []
    added: list[float] = []
    for _ in range(k):
        affordable = np.where(cost <= money + 1e-9, gains, -np.inf)
        best = int(np.argmax(affordable))
        if not np.isfinite(affordable[best]) or (budget is not None and affordable[best] <= 0):
            break  # nothing left that the budget pays for (or that adds anything)
        money -= cost[best]
        chosen.append(best)
        added.append(float(max(gains[best], 0.0)))
        newly = np.zeros_like(remaining)
        row = incidence.indices[incidence.indptr[best]:incidence.indptr[best + 1]]
        newly[row] = remaining[row]
        remaining[row] = 0.0
        gains = gains - incidence @ newly  # every site sharing those points loses them
        gains[chosen] = -np.inf
    return chosen, added


def exact_cover(
    incidence: sparse.csr_matrix, weights: NDArray[np.float64], k: int, *, time_limit_s: float = 60.0,
    costs: NDArray[np.float64] | None = None, budget: float | None = None,
) -> tuple[list[int], bool, str]:
    """The maximum-coverage integer programme solved by HiGHS: the chosen site indices (ascending), whether
    optimality was proven within the time limit, and HiGHS's message. With `costs` and a `budget`, at most k
    sites whose costs add up to no more than the budget (Σ c_i x_i ≤ B, Σ x_i ≤ K)."""
    from scipy import sparse  # scipy loads in 0.2 s: only when a model runs, not when the app or the CLI starts
    from scipy.optimize import Bounds, LinearConstraint, milp

    sites = incidence.shape[0]
    if not 0 < k <= sites:
        raise ValueError(f"k must be between 1 and the number of candidate sites ({sites})")
    weights = np.asarray(weights, dtype=np.float64)
    # Only points with weight that some site covers matter; the rest would just slow the solver.
    useful = np.flatnonzero((weights > 0) & (np.asarray(incidence.sum(axis=0)).ravel() > 0))
    cover = incidence[:, useful].T.tocsr()  # points × sites
    m = len(useful)
    cost = np.concatenate([np.zeros(sites), -weights[useful]])
    pick_k = LinearConstraint(sparse.hstack([sparse.csr_matrix(np.ones((1, sites))), sparse.csr_matrix((1, m))]),
                              k if budget is None else 0, k)
    link = LinearConstraint(sparse.hstack([-cover, sparse.identity(m, format="csr")]).tocsr(), -np.inf, 0)
    constraints = [pick_k, link]
    if budget is not None and costs is not None:
        spend = np.concatenate([np.asarray(costs, dtype=np.float64), np.zeros(m)])
        constraints.append(LinearConstraint(spend[None, :], -np.inf, float(budget)))
    result = milp(cost, constraints=constraints, integrality=np.concatenate([np.ones(sites), np.zeros(m)]),
                  bounds=Bounds(0, 1), options={"time_limit": time_limit_s})
    if result.x is None:
        raise RuntimeError(f"the integer programme found no solution: {result.message}")
    picked = int(np.rint(result.x[:sites]).sum())
    chosen = sorted(np.argsort(-result.x[:sites], kind="stable")[:picked].tolist())
    return chosen, result.status == 0, str(result.message)


def best_sites(
    crimes: CrimeSet,
    sites: Sequence[Site],
    cameras: ArrayLike | Sequence[shapely.Geometry] | None = None,
    k: int = 5,
    params: ModelParams | None = None,
    *,
    exact: bool = True,
    time_limit_s: float = 60.0,
    costs: Mapping[str, float] | None = None,
    budget: float | None = None,
) -> BestSites:
    """The best `k` of `sites` by new harm covered over the model window, greedy and (if `exact`) optimal; with
    `costs` (by site id) and a `budget`, the best at most `k` that the budget pays for."""
    params = params or ModelParams()
    wp = prepare(crimes, params)
    harm = wp.harm
    covered = wp.index.covered(camera_points(cameras), params.radius_m)
    weights = np.where(covered, 0.0, harm)
    set_aside = 0.0
    if not params.include_recorded_at and wp.recorded_harm is not None:
        # As in the ranking: harm recorded at a hospital, police station or prison is no reason to put a camera there.
        recorded = np.where(covered, 0.0, np.minimum(wp.recorded_harm, weights))
        set_aside = float(recorded.sum())
        weights = weights - recorded
    incidence = wp.index.incidence([s.geometry for s in sites], params.radius_m)
    reachable = float(weights[np.asarray(incidence.sum(axis=0)).ravel() > 0].sum())
    ids = [s.site_id for s in sites]
    labels = {s.site_id: site_label(s.site_id, s.name, street, code, name)
              for s, (street, code, name) in zip(sites, wp.places(incidence), strict=True)}

    site_costs = None if costs is None else np.array([float(costs.get(i, 0.0)) for i in ids])

    def spent(picked: Sequence[int]) -> float | None:
        return None if site_costs is None else float(site_costs[list(picked)].sum())

    started = time.perf_counter()
    picks, gains = greedy_cover(incidence, weights, k, costs=site_costs, budget=budget)
    greedy = Selection("greedy", tuple(ids[i] for i in picks), covered_value(incidence, weights, picks),
                       tuple(gains), time.perf_counter() - started, False, "done", spent(picks))
    best = None
    if exact:
        started = time.perf_counter()
        chosen, optimal, status = exact_cover(incidence, weights, k, time_limit_s=time_limit_s, costs=site_costs,
                                              budget=budget)
        best = Selection("exact", tuple(ids[i] for i in chosen), covered_value(incidence, weights, chosen), (),
                         time.perf_counter() - started, optimal, status, spent(chosen))
    return BestSites(k, params, float(harm.sum()), float(harm[covered].sum()), reachable, greedy, best, set_aside,
                     labels, budget)
