"""The pack's first page in plain words: what happened in the period, for a councillor or resident who reads nothing
else. Each sentence is built from the pack's own figures (written by `formats`, like every other output), and a
measure with nothing recorded says so instead of quoting zeros.
"""

from __future__ import annotations

from cctv.outcomes.effectiveness import Change
from cctv.outcomes.formats import count, money, percent, plural
from cctv.outcomes.pack import AdvisoryPack


def _versus(c: Change, before: str) -> str:
    """ "up 4 on Q2 2025 (2)" / "down 2 on …" / "the same as …" / "there were none in …"."""
    if c.previous == 0:
        return f"there were none in {before}" if c.current else f"none in {before} either"
    if c.change == 0:
        return f"the same as in {before}"
    word = "up" if c.change > 0 else "down"
    return f"{word} {count(abs(c.change))} on {before} ({count(c.previous)})"


def plain_summary(pack: AdvisoryPack) -> list[str]:
    """The summary's sentences, in the order they are read."""
    label, before = pack.period.label, pack.previous.period.label
    t = pack.trend
    incidents, arrests = t["incidents"], t["arrests"]
    lines: list[str] = []
    if incidents.current:
        lines.append(f"In {label} the control room logged {plural(incidents.current, 'incident')}, "
                     f"{_versus(incidents, before)}. They led to {plural(arrests.current, 'arrest')}.")
        inside = pack.incidents.inside_monitored
        lines.append(f"{count(inside)} of the {plural(incidents.current, 'incident')} happened while the control "
                     f"room was watching ({percent(inside / incidents.current)}).")
    else:
        lines.append(f"Nothing recorded: the control room logged no incidents in {label}.")
    produced, used = t["evidence_produced"].current, t["evidence_later_used"].current
    if produced:
        lines.append(f"Footage was handed to the police {plural(produced, 'time')}; {count(used)} of these were "
                     "later used to charge, prosecute or caution someone.")
    else:
        lines.append("Nothing recorded: no footage was handed to the police in the period.")
    mt = pack.maintenance
    if mt.sla.due:
        lines.append(f"{count(mt.sla.fixed_within_sla)} of {plural(mt.sla.due, 'camera fault')} due were fixed "
                     f"within the contract's time ({percent(mt.share_within_sla)}); cameras were working "
                     f"{percent(mt.availability)} of the time.")
    elif mt.cameras:
        lines.append(f"No camera fault fell due; cameras were working {percent(mt.availability)} of the time.")
    inv = pack.investment
    if inv.total:
        lines.append(f"New money for cameras: {money(inv.total)} ({money(inv.council_total)} from the council, "
                     f"{money(inv.external_total)} from elsewhere).")
    else:
        lines.append(f"Nothing recorded: no new money for cameras was awarded in {label}.")
    c = pack.compliance
    lines.append(f"{count(c.systems_current)} of {plural(c.systems_total, 'camera system')} have a current data "
                 "protection impact assessment (the check that the cameras are needed and respect privacy)"
                 + (f"; {plural(c.gaps, 'working camera')} still need one." if c.gaps else "."))
    if pack.deployment_summary.deployments:
        s = pack.deployment_summary
        lines.append(f"Mobile cameras were put up {plural(s.deployments, 'time')} at "
                     f"{plural(s.locations, 'place')}.")
    return lines
