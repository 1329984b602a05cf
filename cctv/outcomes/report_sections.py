"""The sections of the Advisory Group's PDF after the summary, each a list of flowables built from the pack.

Every figure comes from the pack and is written by `formats`, the same as the dashboard's. Widths are millimetres
across the 174 mm between A4's margins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import KeepTogether, Paragraph

from cctv.outcomes import report_charts as charts
from cctv.outcomes.deployables import WindowFigures
from cctv.outcomes.effectiveness import CameraRow
from cctv.outcomes.formats import (
    DASH,
    change,
    count,
    day,
    hours,
    london,
    money,
    percent,
    plural,
    rate,
)
from cctv.outcomes.pack import AdvisoryPack
from cctv.outcomes.principles import schedule_text
from common.pdf_style import BODY, H1, H2, SMALL, key_values, para, table


def _kind(value: str) -> str:
    return value.replace("_", " ")


def incidents(pack: AdvisoryPack) -> list[Any]:
    """Totals against the previous period, the month and category charts, and the breakdown tables."""
    m, label, before = pack.incidents, pack.period.label, pack.previous.period.label
    trend = [[c.label, count(c.current), count(c.previous), change(c)] for c in pack.trend.values()]
    story: list[Any] = [
        Paragraph("Incidents", H1),
        table(["Measure", label, before, "Change"], trend, (82, 28, 28, 36), numeric_from=1),
    ]
    if not m.incidents:  # an empty chart says nothing a sentence cannot
        return [*story, para(nothing_recorded(f"no incidents were logged in {label}"))]
    story.append(charts.incidents_by_month(m.by_month))
    if m.by_category:
        story.append(charts.incidents_by_category(m.by_category))
    for title, first, rows in (("By category", "Category", m.by_category), ("By town", "Town", m.by_town),
                               ("By service area", "Service area", m.by_service_area),
                               ("By month", "Month", m.by_month)):
        body = [[r.label, count(r.incidents), count(r.arrests)] for r in rows]
        block = [Paragraph(title, H2),
                 table([first, "Incidents", "Arrests"], body, (70, 25, 25), numeric_from=1) if body
                 else para("None in the period.")]
        story.append(KeepTogether(block) if len(body) < 25 else block[0])
        if len(body) >= 25:
            story.append(block[1])
    if pack.incidents.by_town and pack.incidents.by_town[-1].key is None:
        story.append(para("(no camera): incidents logged without a camera, so without a town or service area.",
                          SMALL))
    return story


def arrests(pack: AdvisoryPack) -> list[Any]:
    """Arrests by Home Office offence group and by outcome (the CSV "arrests" crosses the two)."""
    a = pack.arrests
    story: list[Any] = [Paragraph("Arrests by offence and outcome", H1)]
    if not a.total:
        return [*story, para("No arrests in the period.")]
    story.append(para(f"{plural(a.total, 'arrest')} at incidents in the period. Outcomes are as the police have "
                      "reported them so far; \u201cnot known yet\u201d is updated as cases move on."))
    groups = [[r.label, count(r.total)] for r in a.rows]
    outcomes = [[label, count(n)] for label, n in zip(a.outcome_labels, a.outcome_totals, strict=True) if n]
    story.append(KeepTogether([Paragraph("By offence group", H2),
                               table(["Offence group", "Arrests"], groups, (90, 25), numeric_from=1)]))
    story.append(KeepTogether([Paragraph("By outcome", H2),
                               table(["Outcome", "Arrests"], outcomes, (90, 25), numeric_from=1)]))
    return story


def _camera_table(rows: Sequence[CameraRow]) -> Any:
    body = [[r.asset_id, r.name, r.town, count(r.incidents), count(r.arrests), count(r.evidence_produced),
             count(r.evidence_used), rate(r.incidents_per_monitored_hour)] for r in rows]
    return table(["Asset", "Name", "Town", "Incidents", "Arrests", "Evidence produced", "Later used",
                  "Incidents per monitored hour"], body, (22, 46, 24, 16, 14, 18, 14, 20), numeric_from=3)


def nothing_recorded(what: str) -> str:
    """The sentence that stands where a chart of nothing would have been drawn."""
    return f"Nothing recorded: {what}."


def cameras(pack: AdvisoryPack, *, annex: bool = True) -> list[Any]:
    """Best and least used cameras, and the idle cameras for review (listed here only with the annex: without it
    the pack says how many, and the dashboard lists them)."""
    story: list[Any] = [
        Paragraph("Camera effectiveness", H1),
        para(f"{plural(len(pack.cameras), 'public-space, deployable or car-park camera')} in {pack.period.label}. "
             f"The control room monitored {hours(pack.monitored_hours)} hours; figures per monitored hour divide "
             "by those hours. An incident counts once for every camera used on it. "
             + ("Every camera's figures are in the annex." if annex
                else "Every camera's figures are on the dashboard and in the pack with its annex.")),
        Paragraph("Most used cameras", H2),
        _camera_table(pack.best_cameras) if pack.best_cameras else para("No camera was used in the period."),
        Paragraph("Least used cameras", H2),
        _camera_table(pack.worst_cameras) if pack.worst_cameras else para("No other cameras."),
        Paragraph(f"Cameras with no incident in {pack.idle_months} months ({count(len(pack.idle_cameras))})", H2),
    ]
    if pack.idle_cameras and not annex:
        story.append(para(f"{plural(len(pack.idle_cameras), 'operational camera')} had no incident in the "
                          f"{pack.idle_months} months to {day(pack.today)}: listed on the dashboard and in the "
                          "annex, for review."))
    elif pack.idle_cameras:
        story.append(para(f"Operational cameras installed before the window with no incident in the "
                          f"{pack.idle_months} months to {day(pack.today)}, listed for review.", SMALL))
        body = [[c.asset_id, c.name, _kind(c.kind.value), c.town, c.service_area, day(c.install_date),
                 london(c.last_incident)] for c in pack.idle_cameras]
        story.append(table(["Asset", "Name", "Kind", "Town", "Service area", "Installed", "Last incident"], body,
                           (22, 42, 22, 22, 24, 20, 22)))
    else:
        story.append(para("None: every operational camera was used in the window."))
    return story


def hours_review(pack: AdvisoryPack) -> list[Any]:
    """The heat map of incidents by hour of the week against the monitored hours."""
    grid = pack.hours
    story: list[Any] = [
        Paragraph("Control-room hours review", H1),
        para(f"Monitored hours: {schedule_text(grid.monitored_hours)}; {hours(pack.monitored_hours)} hours in "
             f"{pack.period.label}. Inside monitored hours: {count(grid.inside)}; outside: {count(grid.outside)} "
             "(as recorded when each incident was logged)."),
        charts.hours_of_week(grid) if grid.inside + grid.outside
        else para(nothing_recorded(f"no incidents in {pack.period.label}, so no hours to compare")),
    ]
    if grid.busiest_unmonitored:
        body = [[c.label, count(c.incidents), count(c.arrests)] for c in grid.busiest_unmonitored]
        story += [Paragraph("Busiest hours the room does not monitor", H2),
                  table(["Hour of the week", "Incidents", "Arrests"], body, (70, 25, 25), numeric_from=1)]
    return story


def _window(figures: WindowFigures | None) -> str:
    return DASH if figures is None else f"{count(figures.incidents)} ({count(figures.arrests)})"


def deployments(pack: AdvisoryPack) -> list[Any]:
    """Every deployment of a deployable camera in the period, with before, during and after figures."""
    s = pack.deployment_summary
    story: list[Any] = [Paragraph("Deployable cameras", H1)]
    if not pack.deployments:
        return [*story, para(f"No deployable camera was deployed in {pack.period.label}.")]
    story.append(para(
        f"{plural(s.deployments, 'deployment')} of {plural(s.cameras, 'camera')} at "
        f"{plural(s.locations, 'distinct location')}. Used on {plural(s.camera_incidents, 'incident')} with "
        f"{plural(s.camera_arrests, 'arrest')}; footage produced {plural(s.evidence_produced, 'time')}, "
        f"{count(s.evidence_used)} later used to charge, prosecute or caution. Before, during and after: incidents "
        f"(arrests) within {pack.radius_m:g} m of the point in equal periods; after is clipped to {day(pack.today)}."
    ))
    body = [[r.asset_id, f"{r.location_text}, {r.town}" if r.town else r.location_text, london(r.start),
             london(r.end) if r.end else "still there", _window(r.before), _window(r.during), _window(r.after),
             count(r.camera_incidents), count(r.camera_arrests), f"{count(r.evidence_produced)} / "
             f"{count(r.evidence_used)}"] for r in pack.deployments]
    story.append(table(["Camera", "Location", "From", "To", "Before", "During", "After", "Used on", "Arrests",
                        "Evidence / used"], body, (18, 32, 20, 20, 15, 15, 15, 12, 12, 15), numeric_from=4))
    return story


def investment(pack: AdvisoryPack) -> list[Any]:
    """New investment by source, council against external, and the awards."""
    inv = pack.investment
    body = [[line.group, line.label, count(line.awards), money(line.amount)] for line in inv.sources + inv.totals]
    story: list[Any] = [
        Paragraph("Investment", H1),
    ]
    if not inv.total and not inv.awards:
        return [*story, para(nothing_recorded(f"no new investment was awarded in {pack.period.label}"))]
    story += [
        para(f"New investment awarded in {pack.period.label}, by source (the whole estate)."),
        charts.investment_by_source(inv),
        table(["Group", "Source", "Awards", "Amount"], body, (26, 60, 20, 34), numeric_from=2, bold_last=True),
    ]
    if inv.awards:
        rows = [[a.reference, a.source_label, day(a.awarded_on), money(a.amount), count(a.cameras), a.description]
                for a in inv.awards]
        story += [Paragraph("Awards", H2), table(["Reference", "Source", "Awarded", "Amount", "Cameras",
                                                  "Description"], rows, (24, 30, 22, 26, 14, 58))]
    return story


def maintenance(pack: AdvisoryPack) -> list[Any]:
    """The maintenance contract: faults, SLA by priority and the cameras least available."""
    mt = pack.maintenance
    mean = DASH if mt.mean_hours_to_fix is None else f"{hours(mt.mean_hours_to_fix)} hours"
    figures = [
        ("Measured", f"{london(mt.start)} to {london(mt.end)}"),
        ("Faults opened", count(mt.faults_opened)),
        ("Faults fixed", count(mt.faults_fixed)),
        ("Open at the end", count(mt.open_at_end)),
        ("Fixed within SLA", f"{count(mt.sla.fixed_within_sla)} of {count(mt.sla.due)} due "
                             f"({percent(mt.share_within_sla)})"),
        ("Mean time to fix", mean),
        ("Availability", f"{percent(mt.availability)} across {plural(len(mt.cameras), 'camera')}"),
    ]
    body = [[p.label, count(p.sla.faults), count(p.sla.open), count(p.sla.due), count(p.sla.fixed_within_sla),
             percent(p.sla.share_within_sla)] for p in mt.by_priority]
    body.append(["All", count(mt.sla.faults), count(mt.sla.open), count(mt.sla.due),
                 count(mt.sla.fixed_within_sla), percent(mt.share_within_sla)])
    story: list[Any] = [
        Paragraph("Maintenance contract", H1), key_values(figures),
        table(["Priority", "Faults opened", "Still open", "Due", "Fixed within SLA", "Within SLA"], body,
              (30, 22, 20, 20, 24, 22), numeric_from=1, bold_last=True),
        Paragraph("Lowest availability", H2),
    ]
    if mt.worst:
        rows = [[c.asset_id, c.name, c.town, c.service_area, count(c.faults), hours(c.downtime_hours),
                 percent(c.availability)] for c in mt.worst]
        story.append(table(["Asset", "Name", "Town", "Service area", "Faults", "Down (hours)", "Availability"],
                           rows, (22, 46, 24, 28, 14, 20, 20), numeric_from=4))
    else:
        story.append(para("Every camera was available throughout."))
    return story


def compliance(pack: AdvisoryPack) -> list[Any]:
    """The DPIA register and the self-assessment as at the pack's day."""
    c = pack.compliance
    if c.assessment_title is None:
        assessment = "None recorded"
    else:
        done = f"completed {day(c.assessment_completed_on)}" if c.assessment_completed_on else "in draft"
        assessment = f"{c.assessment_title}, {done}"
    figures = [
        ("Systems with a current DPIA", f"{count(c.systems_current)} of {count(c.systems_total)}"),
        ("DPIA reviews", f"{count(c.reviews_open)} open: {count(c.reviews_overdue)} overdue, "
                         f"{count(c.reviews_due_soon)} due soon"),
        ("Working cameras with no signed-off DPIA", count(c.gaps)),
        ("Self-assessment", assessment),
        ("Next self-assessment due", day(c.assessment_due) + (" (overdue)" if c.assessment_overdue else "")),
        ("Open actions", f"{count(len(c.open_actions))} ({count(c.actions_overdue)} overdue)"),
    ]
    systems = [[s.name, s.service_area, count(s.cameras), str(s.version) if s.version else DASH,
                day(s.signed_off_on), day(s.next_review_due), count(s.open_reviews), s.state_label]
               for s in c.systems]
    story: list[Any] = [
        Paragraph("Compliance", H1), para(f"As at {day(c.today)}."), key_values(figures),
        table(["System", "Service area", "Cameras", "Version", "Signed off", "Next review", "Open reviews",
               "State"], systems, (40, 28, 14, 14, 20, 20, 16, 22)),
    ]
    if c.open_actions:
        rows = [[str(a.principle), a.action, a.owner, day(a.due_on), "yes" if a.overdue else "no"]
                for a in c.open_actions]
        story += [Paragraph("Open self-assessment actions", H2),
                  table(["Principle", "Action", "Owner", "Due", "Overdue"], rows, (16, 92, 28, 22, 16))]
    if c.cameras_without_dpia:
        rows = [[g.asset_id, g.name, g.town, g.system or DASH] for g in c.cameras_without_dpia]
        story += [Paragraph("Working cameras with no signed-off DPIA", H2),
                  table(["Asset", "Name", "Town", "System"], rows, (24, 64, 32, 54))]
    return story


def camera_annex(pack: AdvisoryPack) -> list[Any]:
    """Every camera's figures for the period, most used first."""
    body = [[r.asset_id, r.name, _kind(r.kind.value), r.town, count(r.incidents), count(r.arrests),
             count(r.evidence_produced), count(r.evidence_used), rate(r.incidents_per_monitored_hour)]
            for r in pack.cameras]
    story: list[Any] = [Paragraph("Annex: every camera's figures", H1),
                        para(f"{pack.period.label}; per monitored hour of the control room's "
                             f"{hours(pack.monitored_hours)} hours.", BODY)]
    if not body:
        return [*story, para("No cameras.")]
    story.append(table(["Asset", "Name", "Kind", "Town", "Incidents", "Arrests", "Evidence produced",
                        "Later used", "Per monitored hour"], body, (22, 42, 22, 22, 14, 12, 14, 12, 14),
                       numeric_from=4))
    return story


__all__ = ["camera_annex", "cameras", "compliance", "deployments", "hours_review", "incidents", "investment",
           "maintenance", "nothing_recorded"]
