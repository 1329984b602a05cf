"""The capital bid: the best K new sites within a budget, what they cost, and how well the model has predicted.

A planner sets how many sites the bid may name, what a fixed and a deployable camera cost installed, and the
money available. Each site's cost is the cameras the ranking recommends for it (`siting.model.rules`); sites for
which no camera is recommended (already watched, or a recorded-at place) are not offered. `siting.model.best` then
chooses, greedy and exact, the sites that bring the most new harm into view for the money; the validation
(`siting.model.validity`) says how far the model's picks can be trusted on the council's own data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from numpy.typing import ArrayLike

from siting.model.best import BestSites, best_sites
from siting.model.inputs import CrimeSet, Site
from siting.model.run import ModelRun, SiteResult
from siting.model.validity import RollingValidation, rolling_validation


@dataclass(frozen=True)
class BidCosts:
    """What the bid may spend: installed cost of a fixed and of a deployable camera, and the budget (None: none)."""

    fixed: float
    deployable: float
    budget: float | None = None

    def of(self, result: SiteResult) -> float:
        """One site's cost: the cameras recommended for it."""
        return result.fixed_cameras * self.fixed + result.deployable_cameras * self.deployable


@dataclass(frozen=True)
class ReplacementYear:
    """One financial year of the replacement programme of cameras already in service (`inventory.lifecycle`)."""

    label: str  # "2026/27"
    cameras: int
    cost: float
    estimated: int  # of those cameras, how many are costed by their kind's estimate rather than a recorded cost


@dataclass(frozen=True)
class CapitalBid:
    """The chosen sites (greedy and exact), their costs, and the model's validation when asked for."""

    run: ModelRun
    best: BestSites
    costs: BidCosts
    site_costs: dict[str, float]
    validation: RollingValidation | None = None
    replacement: tuple[ReplacementYear, ...] = ()  # the estate's own replacements, beside the new sites

    def chosen(self) -> list[SiteResult]:
        """The greedy choice's sites in the order picked, with their figures."""
        return [self.run.result(site_id) for site_id in self.best.greedy.site_ids]

    def cameras(self) -> tuple[int, int]:
        """(fixed, deployable) cameras the greedy choice asks for."""
        chosen = self.chosen()
        return sum(r.fixed_cameras for r in chosen), sum(r.deployable_cameras for r in chosen)


def capital_bid(run: ModelRun, crimes: CrimeSet, sites: Sequence[Site], cameras: ArrayLike | None, *, k: int,
                costs: BidCosts, area: shapely.Geometry | None = None, validate: bool = False,
                exact: bool = True, replacement: Sequence[ReplacementYear] = ()) -> CapitalBid:
    """Choose up to `k` of the run's sites within the budget (see the module); ValueError when none can be."""
    if k <= 0:
        raise ValueError("the bid must name at least one site")
    if costs.fixed < 0 or costs.deployable < 0 or (costs.budget is not None and costs.budget <= 0):
        raise ValueError("camera costs cannot be negative and the budget must be more than £0")
    offered = [s for s in sites if run.result(s.site_id).fixed_cameras > 0]
    if not offered:
        raise ValueError("no candidate site has a camera recommended: add sites where harm is not yet watched")
    site_costs = {s.site_id: costs.of(run.result(s.site_id)) for s in offered}
    cheapest = min(site_costs.values())
    if costs.budget is not None and cheapest > costs.budget:
        raise ValueError(f"no candidate site fits within £{costs.budget:,.0f}: the cheapest, with the cameras "
                         f"recommended for it, costs £{cheapest:,.0f}")
    best = best_sites(crimes, offered, cameras, min(k, len(offered)), run.params, exact=exact,
                      costs=site_costs, budget=costs.budget)
    validation = rolling_validation(crimes, area, params=run.params) if validate else None
    return CapitalBid(run, best, costs, site_costs, validation, tuple(replacement))
