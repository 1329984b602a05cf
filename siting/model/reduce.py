"""Shrink a maximum-coverage problem without changing its optimum, before any solver sees it.

Three reductions, repeated until nothing changes, then a fourth:
- Points that weigh nothing or that no site covers are dropped (no choice can gain from them).
- Points covered by exactly the same sites are merged into one, their weights summed (a choice covers all or none).
- A site whose covered points are a subset of another's, at a cost no lower, is dropped: any choice holding it does
  at least as well with the other site instead, or, when the other is already chosen, with the budget and a pick
  left over. Of identical sites at the same cost the first is kept. Dominance is strict once ties go to the lower
  index, so every dropped site has a kept site dominating it.
- Finally a point that only one kept site covers becomes part of that site's own value: it needs no variable.

On 50 m cells this is what makes the exact programme fast: neighbouring cells mostly reach the same few police.uk
snap points, so most cells duplicate or are dominated by a neighbour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy import sparse


@dataclass(frozen=True)
class Reduced:
    """The reduced problem: the kept sites (indices into the original), what each kept site covers alone (`own`),
    and the shared point groups (`cover`: kept sites × groups, 0/1) with their summed weights."""

    sites: NDArray[np.intp]
    own: NDArray[np.float64]
    cover: sparse.csr_matrix
    weights: NDArray[np.float64]
    costs: NDArray[np.float64] | None

    def value(self, chosen: NDArray[np.intp] | list[int]) -> float:
        """The weight a choice of kept sites (positions in `sites`) covers, each group once."""
        picked = np.asarray(chosen, dtype=np.intp)
        if not len(picked):
            return 0.0
        hit = np.asarray(self.cover[picked].sum(axis=0)).ravel() > 0
        return float(self.own[picked].sum() + self.weights[hit].sum())


def reduce_problem(incidence: sparse.csr_matrix, weights: NDArray[np.float64],
                   costs: NDArray[np.float64] | None = None, k: int | None = None) -> Reduced:
    """The reduced form of "choose at most `k` sites (rows of `incidence`, sites × points) to cover the most weight"
    (`k` None: any number; the K-dominance step is then skipped)."""
    from scipy import sparse

    matrix = sparse.csr_matrix(incidence, dtype=np.float64)
    matrix.data[:] = 1.0
    w = np.asarray(weights, dtype=np.float64)
    sites = np.arange(matrix.shape[0], dtype=np.intp)
    site_costs = None if costs is None else np.asarray(costs, dtype=np.float64)
    while True:
        before = matrix.shape
        matrix, w = _merge_points(matrix, w)
        keep = _undominated(matrix, None if site_costs is None else site_costs[sites])
        matrix, sites = matrix[keep], sites[keep]
        if matrix.shape == before:
            break
    own = np.zeros(len(sites))
    while True:
        before = matrix.shape
        alone, matrix, w = _split_own(matrix, w)
        own += alone
        matrix, w = _merge_points(matrix, w)
        if k is not None:
            keep = _fewer_than_k_dominators(matrix, own, None if site_costs is None else site_costs[sites], k)
            matrix, sites, own = matrix[keep], sites[keep], own[keep]
        if matrix.shape == before:
            break
    return Reduced(sites, own, matrix.tocsr(), w, None if site_costs is None else site_costs[sites])


def _merge_points(matrix: sparse.csr_matrix, weights: NDArray[np.float64]
                  ) -> tuple[sparse.csr_matrix, NDArray[np.float64]]:
    """Drop weightless and uncovered points; merge points covered by the same set of sites."""
    from scipy import sparse

    points = matrix.T.tocsr()
    points.sort_indices()
    groups: dict[bytes, int] = {}
    group_of = np.full(points.shape[0], -1, dtype=np.intp)
    for j in np.flatnonzero((weights > 0) & (np.diff(points.indptr) > 0)):
        key = points.indices[points.indptr[j]:points.indptr[j + 1]].tobytes()
        group_of[j] = groups.setdefault(key, len(groups))
    kept = group_of >= 0
    merged = np.bincount(group_of[kept], weights=weights[kept], minlength=len(groups))
    _, first = np.unique(group_of[kept], return_index=True)  # groups are numbered 0, 1, … in order of first point
    representative = np.flatnonzero(kept)[first]
    return sparse.csr_matrix(points[representative].T), merged


def _undominated(matrix: sparse.csr_matrix, costs: NDArray[np.float64] | None) -> NDArray[np.bool_]:
    """Which sites to keep: those covering something that no other site dominates (see the module)."""
    size = np.diff(matrix.indptr)
    keep = size > 0
    overlap = (matrix @ matrix.T).tocoo()  # shared points of every pair of sites that share any
    i, j, shared = overlap.row, overlap.col, overlap.data
    subset = (i != j) & (shared == size[i])  # i's points all lie in j's
    cost = np.zeros(matrix.shape[0]) if costs is None else costs
    cheaper_or_same = cost[j] <= cost[i]
    strictly = (size[j] > size[i]) | (cost[j] < cost[i]) | (j < i)
    keep[i[subset & cheaper_or_same & strictly]] = False
    return keep


def _fewer_than_k_dominators(matrix: sparse.csr_matrix, own: NDArray[np.float64],
                              costs: NDArray[np.float64] | None, k: int) -> NDArray[np.bool_]:
    """Which sites to keep, once each site's lone points are its own value: a site is dropped when k others each
    cover all its shared groups, alone cover at least as much and cost no more. Any choice of at most k sites that
    holds it leaves one of those k out, and is no worse with that one instead. Ties go to the lower index, which
    makes "dominates" a strict order, so every dropped site keeps k dominators that are kept."""
    n = matrix.shape[0]
    size = np.diff(matrix.indptr)
    cost = np.zeros(n) if costs is None else costs
    overlap = (matrix @ matrix.T).tocoo()
    i, j, shared = overlap.row, overlap.col, overlap.data
    wins = (i != j) & (shared == size[i]) & (own[j] >= own[i]) & (cost[j] <= cost[i]) & (
        (size[j] > size[i]) | (own[j] > own[i]) | (cost[j] < cost[i]) | (j < i))
    dominators = np.bincount(i[wins], minlength=n)
    empty = np.flatnonzero(size == 0)  # no shared group: every site covers its (empty) share
    if costs is None:
        # Every site before it by (own value, descending; index) dominates it (some others may too: not counted).
        order = np.lexsort((np.arange(n), -own))
        rank = np.empty(n, dtype=np.intp)
        rank[order] = np.arange(n)
        dominators[empty] += rank[empty]
    else:
        for chunk in np.array_split(empty, max(1, len(empty) // 512)):
            a = chunk[:, None]
            better = (own[None, :] >= own[a]) & (cost[None, :] <= cost[a]) & (np.arange(n)[None, :] != a) & (
                (size[None, :] > 0) | (own[None, :] > own[a]) | (cost[None, :] < cost[a]) | (np.arange(n)[None, :] < a))
            dominators[chunk] += better.sum(axis=1)
    return dominators < k


def _split_own(matrix: sparse.csr_matrix, weights: NDArray[np.float64]
               ) -> tuple[NDArray[np.float64], sparse.csr_matrix, NDArray[np.float64]]:
    """What each site covers alone (the groups no other site covers), and the groups two or more sites cover."""
    covering = np.diff(matrix.tocsc().indptr)
    single = covering == 1
    alone = np.asarray(matrix[:, single] @ weights[single]).ravel()
    shared = covering >= 2
    return alone, matrix[:, shared].tocsr(), weights[shared]
