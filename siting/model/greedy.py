"""Greedy maximum coverage: K times, the site adding the most weight not yet covered (≥ 63% of optimal, guaranteed).

`incidence` is a sites × points 0/1 sparse matrix, `weights` one number per point; a point covered by two chosen
sites counts once. `siting.model.exact` proves (or improves on) the greedy choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy import sparse


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
