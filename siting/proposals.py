"""Keeping the model's proposals (the discs of the radius holding the most street harm, `siting.model.catchments`)
as candidate sites, from the CLI (`cctv siting hotspots --add-sites`) and the planner map alike.

A proposal kept twice is kept once: one already kept at the same point is skipped, so keeping the proposals again
after a new import adds only the new ones. A proposal is named by its street (`siting.model.hotspots`), and another
run may find a different proposal on the same street: one at a new point whose name is taken gets its coordinates
added to the name.
"""

from __future__ import annotations

import math
from dataclasses import replace

from sqlmodel import Session, select

from siting.model.catchments import best_catchments
from siting.model.hotspots import labelled_peaks
from siting.model.inputs import Site
from siting.model.run import ModelParams
from siting.planning import model_inputs
from siting.store.saved import CandidateSite, SiteSource, add_site

SAME_POINT_M = 1.0  # proposals sit on grid nodes: the same one found again lands on the same point


def add_peaks(session: Session, peaks: list[tuple[Site, str]], *, actor: str) -> tuple[int, int]:
    """Keep proposals (named sites with a note of how they were found) as candidate sites, skipping any already
    kept at the same point; (added, already). Does not commit."""
    kept = [site.to_model() for site in session.exec(select(CandidateSite)).all()]
    names = {site.name.lower() for site in kept}
    centres = [site.centre for site in kept]
    added = already = 0
    for site, note in peaks:
        easting, northing = site.centre
        if any(math.hypot(e - easting, n - northing) < SAME_POINT_M for e, n in centres):
            already += 1
            continue
        if site.name.lower() in names:
            site = replace(site, name=f"{site.name} at {easting:.0f}, {northing:.0f}")
        add_site(session, site, source=SiteSource.HOTSPOT, actor=actor, notes=note)
        names.add(site.name.lower())
        centres.append(site.centre)
        added += 1
    return added, already


def keep_proposals(session: Session, params: ModelParams, *, k: int, actor: str) -> tuple[int, int]:
    """The model's `k` best proposals in the council's area, kept as candidate sites; (added, already)."""
    inputs = model_inputs(session)
    found = best_catchments(inputs.crimes, params, k=k, area=inputs.area_bng)
    labelled = labelled_peaks(inputs.crimes, found, params)
    return add_peaks(session, [(site, peak.note(params)) for peak, (site, _) in zip(found, labelled, strict=True)],
                     actor=actor)
