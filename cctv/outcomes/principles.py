"""The six principles of the CCTV strategy (DESIGN §2), each with the measured lines that evidence it.

`principles_summary(pack)` writes plain sentences with the pack's own numbers (formatted by `formats`, as the
dashboard and the PDF print them), so the summary page says exactly what the tables and charts below it show.
"""

from __future__ import annotations

from dataclasses import dataclass

from cctv.controlroom.hours import WEEKDAYS
from cctv.outcomes.formats import change, count, day, hours, money, percent, plural
from cctv.outcomes.pack import AdvisoryPack

PRINCIPLES: tuple[tuple[int, str, str], ...] = (
    (1, "Public-space CCTV is used solely to prevent and detect crime and disorder",
     "Self-assessment annual review; audit of incident logs; DPIA annual review"),
    (2, "Investment goes where crime and disorder are highest",
     "New investment secured from council sources (NCIL, capital, budgets)"),
    (3, "Deployable cameras respond to changing crime patterns",
     "Locations that had temporary cameras; their effectiveness by arrests and by use of images to investigate "
     "and prosecute"),
    (4, "A plan for continued investment, including private investment",
     "New investment from external sources"),
    (5, "CCTV across directorates is coordinated",
     "Review of control-room hours and arrangements; efficiency"),
    (6, "Regular performance reviews",
     "Effectiveness of individual cameras and the whole system; maintenance-contract performance"),
)
SHOWN = 3  # towns, cameras and hours named in a sentence
CATEGORIES_SHOWN = 5


@dataclass(frozen=True)
class PrincipleLine:
    """One principle, how the strategy measures it, and the sentences that measure it for the period."""

    number: int
    title: str
    measured_by: str
    lines: tuple[str, ...]


def _listing(pairs: list[tuple[str, int]]) -> str:
    return ", ".join(f"{label} {count(n)}" for label, n in pairs)


def _principle_1(pack: AdvisoryPack) -> list[str]:
    m, c = pack.incidents, pack.compliance
    lines = []
    if m.incidents:
        named = [(r.label, r.incidents) for r in m.by_category[:CATEGORIES_SHOWN]]
        rest = m.by_category[CATEGORIES_SHOWN:]
        others = (f", {plural(len(rest), 'other category', 'other categories')} "
                  f"{count(sum(r.incidents for r in rest))}") if rest else ""
        lines.append(f"{plural(m.incidents, 'incident')} logged in {pack.period.label}, by category: "
                     f"{_listing(named)}{others}.")
    else:
        lines.append(f"No incidents were logged in {pack.period.label}.")
    lines.append(f"{count(c.systems_current)} of {plural(c.systems_total, 'camera system')} have a current DPIA; "
                 f"{count(c.reviews_overdue)} of {plural(c.reviews_open, 'open review')} overdue; "
                 f"{plural(c.gaps, 'working camera')} not covered by a signed-off DPIA.")
    if c.assessment_title is None:
        lines.append("No self-assessment against the Surveillance Camera Code has been recorded.")
    else:
        state = (f"completed {day(c.assessment_completed_on)}" if c.assessment_completed_on
                 else "in draft")
        overdue = " (overdue)" if c.assessment_overdue else ""
        lines.append(f"Self-assessment \u201c{c.assessment_title}\u201d {state}; the next is due "
                     f"{day(c.assessment_due)}{overdue}; {plural(len(c.open_actions), 'open action')}, "
                     f"{count(c.actions_overdue)} overdue.")
    return lines


def _sources(pack: AdvisoryPack, external: bool) -> str:
    parts = []
    for line in pack.investment.sources:
        if line.external == external:
            awards = f" from {plural(line.awards, 'award')}" if line.awards else ""
            parts.append(f"{line.label} {money(line.amount)}{awards}")
    return "; ".join(parts)


def _principle_2(pack: AdvisoryPack) -> list[str]:
    inv, m = pack.investment, pack.incidents
    lines = [f"New investment from council sources in {pack.period.label}: {money(inv.council_total)} "
             f"({_sources(pack, external=False)})."]
    towns = [(r.label, r.incidents) for r in m.by_town if r.key is not None][:SHOWN]
    if towns:
        lines.append(f"Most incidents by town: {_listing(towns)}.")
    return lines


def _principle_3(pack: AdvisoryPack) -> list[str]:
    s, label = pack.deployment_summary, pack.period.label
    if not s.deployments:
        return [f"No deployable camera was deployed in {label}."]
    lines = [f"{plural(s.locations, 'location')} had deployable cameras in {label} "
             f"({plural(s.deployments, 'deployment')} of {plural(s.cameras, 'camera')}).",
             f"Deployable cameras were used on {plural(s.camera_incidents, 'incident')} with "
             f"{plural(s.camera_arrests, 'arrest')}; footage from them was produced "
             f"{plural(s.evidence_produced, 'time')}, {count(s.evidence_used)} later used to charge, prosecute or "
             "caution."]
    placed = [r for r in pack.deployments if r.during is not None and r.before is not None]
    if placed:
        before = sum(r.before.incidents for r in placed if r.before)
        during = sum(r.during.incidents for r in placed if r.during)
        ended = [r for r in placed if r.after is not None]
        after = sum(r.after.incidents for r in ended if r.after)
        text = (f"Within {pack.radius_m:g} m of {plural(len(placed), 'deployment')} with a recorded point: "
                f"{plural(before, 'incident')} in the equal period before, {count(during)} during")
        text += (f"; {count(after)} in the equal period after, for the {count(len(ended))} that have ended."
                 if ended else ".")
        lines.append(text)
    return lines


def _principle_4(pack: AdvisoryPack) -> list[str]:
    inv = pack.investment
    lines = [f"New investment from external sources in {pack.period.label}: {money(inv.external_total)} "
             f"({_sources(pack, external=True)})."]
    if inv.total:
        share = float(inv.external_total / inv.total)
        lines.append(f"Total new investment {money(inv.total)}, of which {percent(share)} from external sources.")
    else:
        lines.append(f"No new investment was recorded in {pack.period.label}.")
    return lines


def schedule_text(spans: tuple[tuple[int, str, str], ...]) -> str:
    """The room's weekly hours, consecutive days with the same hours together: "Monday–Thursday 08:00–23:00; …"."""
    groups: list[tuple[list[int], str]] = []
    for weekday, start, end in spans:
        text = f"{start}–{end}"
        if groups and groups[-1][1] == text and groups[-1][0][-1] == weekday - 1:
            groups[-1][0].append(weekday)
        else:
            groups.append(([weekday], text))
    parts = []
    for days, text in groups:
        name = WEEKDAYS[days[0]] if len(days) == 1 else f"{WEEKDAYS[days[0]]}–{WEEKDAYS[days[-1]]}"
        parts.append(f"{name} {text}")
    return "; ".join(parts) if parts else "no monitored hours"


def _principle_5(pack: AdvisoryPack) -> list[str]:
    grid = pack.hours
    lines = [f"The control room monitored {hours(pack.monitored_hours)} hours in {pack.period.label} "
             f"({schedule_text(grid.monitored_hours)})."]
    if grid.total:
        lines.append(f"{count(grid.inside)} of {plural(grid.total, 'incident')} ({percent(grid.inside / grid.total)}) "
                     f"were inside monitored hours and {count(grid.outside)} "
                     f"({percent(grid.outside / grid.total)}) outside.")
    busiest = grid.busiest_unmonitored[:SHOWN]
    if busiest:
        lines.append("Busiest unmonitored hours: "
                     + ", ".join(f"{c.label} ({plural(c.incidents, 'incident')})" for c in busiest) + ".")
    elif grid.total:
        lines.append("No incident fell in an hour the room does not monitor.")
    return lines


def _principle_6(pack: AdvisoryPack) -> list[str]:
    t, before = pack.trend, pack.previous.period.label
    lines = [f"Whole system: {plural(t['incidents'].current, 'incident')} ({change(t['incidents'])} on {before}), "
             f"{plural(t['arrests'].current, 'arrest')} ({change(t['arrests'])}), evidence produced "
             f"{count(t['evidence_produced'].current)} ({change(t['evidence_produced'])}), later used "
             f"{count(t['evidence_later_used'].current)} ({change(t['evidence_later_used'])})."]
    if pack.best_cameras:
        lines.append("Most used cameras: " + "; ".join(
            f"{r.asset_id} {r.name}: {plural(r.incidents, 'incident')}, {plural(r.arrests, 'arrest')}"
            for r in pack.best_cameras[:SHOWN]) + ".")
    unused = sum(1 for r in pack.cameras if r.incidents == 0)
    lines.append(f"{count(unused)} of {plural(len(pack.cameras), 'camera')} had no incident in the period; "
                 f"listed for review: {plural(len(pack.idle_cameras), 'operational camera')} with no incident in "
                 f"the last {pack.idle_months} months.")
    mt = pack.maintenance
    lines.append(f"Maintenance: {plural(mt.faults_opened, 'fault')} opened and {count(mt.faults_fixed)} fixed; "
                 f"{count(mt.sla.fixed_within_sla)} of {count(mt.sla.due)} due fixed within SLA "
                 f"({percent(mt.share_within_sla)}); availability {percent(mt.availability)} across "
                 f"{plural(len(mt.cameras), 'camera')}.")
    return lines


_WRITERS = (_principle_1, _principle_2, _principle_3, _principle_4, _principle_5, _principle_6)


def principles_summary(pack: AdvisoryPack) -> list[PrincipleLine]:
    """The six principles in order, each with its measured lines for the pack's period."""
    return [PrincipleLine(number, title, measured_by, tuple(writer(pack)))
            for (number, title, measured_by), writer in zip(PRINCIPLES, _WRITERS, strict=True)]


__all__ = ["PRINCIPLES", "PrincipleLine", "principles_summary", "schedule_text"]
