"""Choose the best K new sites given the existing cameras: greedy maximum coverage, and the exact integer programme.

Each candidate site covers the unique crime points within r of it, each point weighted by its harm over the model
window; points already within r of an existing working camera weigh 0, and so does harm recorded at a hospital,
police station or prison (`siting.model.recorded_at`) unless `params.include_recorded_at`; a point covered by two
chosen sites counts once. Greedy picks, K times, the site adding the most uncovered harm (guaranteed ≥ 63% of
optimal, usually within a percent or two; `siting.model.greedy`). The exact answer (`siting.model.exact`) is the
reference: greedy proven optimal by the LP bound when they meet, else the integer programme on the reduced problem
within a time limit, with the gap it proved.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import shapely
from numpy.typing import ArrayLike

from siting.model.exact import EXACT_TIME_LIMIT_S, ExactAnswer, exact_cover, proof_text
from siting.model.explain import number, percent
from siting.model.greedy import covered_value, greedy_cover
from siting.model.inputs import CrimeSet, Site, camera_points
from siting.model.place import SiteLabel, site_label
from siting.model.points import pairs_matrix
from siting.model.run import ModelParams
from siting.model.scoring import prepare

__all__ = ["BestSites", "Selection", "best_sites", "covered_value", "exact_cover", "greedy_cover"]


@dataclass(frozen=True)
class Selection:
    """One method's choice of K sites and the new harm they cover together."""

    method: str  # "greedy" or "exact"
    site_ids: tuple[str, ...]  # greedy: in the order picked; exact: in the order given
    covered_harm: float
    gains: tuple[float, ...]  # greedy: harm each pick added; exact: empty
    seconds: float
    optimal: bool  # proven: exact by the LP bound or the integer programme; greedy when the exact answer is its own
    status: str  # exact: the proof in a planner's words (`siting.model.exact.proof_text`); greedy: "done"
    cost: float | None = None  # what the chosen sites cost together, when costs were given
    bound: float | None = None  # exact: the most any choice could cover, as proven (= covered_harm when optimal)

    @property
    def proven_gap(self) -> float | None:
        """How far below the proven bound this choice may be, as a fraction of it (0 when optimal; None: no bound)."""
        if self.optimal:
            return 0.0
        if self.bound is None:
            return None
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.covered_harm) / self.bound)


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
                     f"{percent(self.gap)} of it. Proof: {self.proof}.")
        elif self.exact is not None:
            text += f" The best choice found covers {number(self.exact.covered_harm)}: {self.proof}."
        return text

    @property
    def proof(self) -> str | None:
        """How far the exact answer is proven: "optimal (LP bound met)", "optimal (integer programme)" or
        "within x % of optimal, time limit"; None when the exact answer was not asked for."""
        return None if self.exact is None else self.exact.status


def best_sites(
    crimes: CrimeSet,
    sites: Sequence[Site],
    cameras: ArrayLike | Sequence[shapely.Geometry] | None = None,
    k: int = 5,
    params: ModelParams | None = None,
    *,
    exact: bool = True,
    time_limit_s: float = EXACT_TIME_LIMIT_S,
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
    rows, points = wp.index.pairs([s.geometry for s in sites], params.radius_m)
    incidence = pairs_matrix(rows, points, (len(sites), len(wp.index)))
    reachable = float(weights[np.asarray(incidence.sum(axis=0)).ravel() > 0].sum())
    ids = [s.site_id for s in sites]
    labels = {s.site_id: site_label(s.site_id, s.name, street, code, name)
              for s, (street, code, name) in zip(sites, wp.places(rows, points, len(sites)), strict=True)}

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
        answer = exact_cover(incidence, weights, k, time_limit_s=time_limit_s, costs=site_costs, budget=budget,
                             start=picks)
        best = _exact_selection(answer, ids, time.perf_counter() - started, spent(answer.chosen))
        met = greedy.covered_harm >= best.covered_harm * (1 - 1e-9)  # same value, summed in another order
        greedy = replace(greedy, optimal=answer.optimal and met, bound=answer.bound)
    return BestSites(k, params, float(harm.sum()), float(harm[covered].sum()), reachable, greedy, best, set_aside,
                     labels, budget)


def _exact_selection(answer: ExactAnswer, ids: Sequence[str], seconds: float, cost: float | None) -> Selection:
    """The exact answer as a `Selection`, its status the proof in words."""
    return Selection("exact", tuple(ids[i] for i in answer.chosen), answer.value, (), seconds, answer.optimal,
                     proof_text(answer), cost, answer.bound)
