"""The CSV behind every table of the Advisory Group dashboard and report, read from the pack.

`TABLES` names each table (the name is the one in the download's address) with its title; `table_rows(name, pack)`
gives the header and rows as text, `table_csv(name, pack)` the CSV. Figures are the pack's, rounded as the
dashboard and PDF print them (`formats`: percentages to one decimal place, rates to four, money to the penny) but
without separators or symbols, so a spreadsheet reads them as numbers. Times are Europe/London.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from cctv.controlroom.hours import WEEKDAYS
from cctv.outcomes.formats import (
    plain_hours,
    plain_london,
    plain_money,
    plain_percent,
    plain_percent_change,
    plain_rate,
)
from cctv.outcomes.incidents import BreakdownRow
from cctv.outcomes.pack import AdvisoryPack
from common.csv_cells import SafeWriter

Rows = tuple[list[str], list[list[str]]]

TABLES: dict[str, str] = {
    "totals": "Totals against the previous period",
    "categories": "Incidents by category",
    "towns": "Incidents by town",
    "service_areas": "Incidents by service area",
    "months": "Incidents by month",
    "arrests": "Arrests by offence group and outcome",
    "cameras": "Camera effectiveness",
    "idle_cameras": "Cameras with no incident in 12 months",
    "hours": "Incidents by hour of the week",
    "deployments": "Deployable camera deployments",
    "investment": "New investment by source",
    "awards": "Funding awards",
    "maintenance_priorities": "Faults and SLA by priority",
    "maintenance_cameras": "Camera availability",
    "compliance_systems": "DPIAs by camera system",
    "dpia_gaps": "Working cameras with no signed-off DPIA",
    "open_actions": "Open self-assessment actions",
}


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _breakdown(rows: tuple[BreakdownRow, ...], first: str) -> Rows:
    return [first, "Incidents", "Arrests"], [[r.label, str(r.incidents), str(r.arrests)] for r in rows]


def _totals(pack: AdvisoryPack) -> Rows:
    header = ["Measure", pack.period.label, pack.previous.period.label, "Change", "Change %"]
    return header, [[c.label, str(c.current), str(c.previous), str(c.change), plain_percent_change(c)]
                    for c in pack.trend.values()]


def _arrests(pack: AdvisoryPack) -> Rows:
    a = pack.arrests
    header = ["Offence group", *a.outcome_labels, "Total"]
    rows = [[r.label, *map(str, r.by_outcome), str(r.total)] for r in a.rows]
    return header, [*rows, ["All offences", *map(str, a.outcome_totals), str(a.total)]]


def _cameras(pack: AdvisoryPack) -> Rows:
    header = ["Asset", "Name", "Kind", "Status", "Town", "Service area", "Incidents", "Arrests",
              "Evidence produced", "Evidence later used", "Monitored hours", "Incidents per monitored hour",
              "Arrests per monitored hour", "Evidence per monitored hour"]
    return header, [[r.asset_id, r.name, r.kind.value, r.status.value, r.town, r.service_area, str(r.incidents),
                     str(r.arrests), str(r.evidence_produced), str(r.evidence_used), plain_hours(r.monitored_hours),
                     plain_rate(r.incidents_per_monitored_hour), plain_rate(r.arrests_per_monitored_hour),
                     plain_rate(r.evidence_per_monitored_hour)] for r in pack.cameras]


def _idle(pack: AdvisoryPack) -> Rows:
    header = ["Asset", "Name", "Kind", "Town", "Service area", "Installed", "Last incident"]
    return header, [[c.asset_id, c.name, c.kind.value, c.town, c.service_area,
                     c.install_date.isoformat() if c.install_date else "", plain_london(c.last_incident)]
                    for c in pack.idle_cameras]


def _hours(pack: AdvisoryPack) -> Rows:
    header = ["Weekday", "Hour", "Monitored", "Incidents", "Arrests"]
    return header, [[WEEKDAYS[c.weekday], f"{c.hour:02d}:00", _yes(c.monitored), str(c.incidents), str(c.arrests)]
                    for c in pack.hours.cells]


def _deployments(pack: AdvisoryPack) -> Rows:
    header = ["Asset", "Camera", "Location", "Town", "From", "To", "Reason", "Incidents before", "Arrests before",
              "Incidents during", "Arrests during", "Incidents after", "Arrests after", "After until",
              "Camera's incidents", "Camera's arrests", "Evidence produced", "Evidence later used"]
    rows = []
    for r in pack.deployments:
        windows: list[str] = []
        for window in (r.before, r.during, r.after):
            windows += ["", ""] if window is None else [str(window.incidents), str(window.arrests)]
        rows.append([r.asset_id, r.camera_name, r.location_text, r.town, plain_london(r.start),
                     plain_london(r.end) if r.end else "current", r.reason, *windows,
                     plain_london(r.after.end) if r.after else "", str(r.camera_incidents), str(r.camera_arrests),
                     str(r.evidence_produced), str(r.evidence_used)])
    return header, rows


def _investment(pack: AdvisoryPack) -> Rows:
    inv = pack.investment
    rows = [[line.group, line.label, str(line.awards), plain_money(line.amount)] for line in inv.sources + inv.totals]
    return ["Group", "Source", "Awards", "Amount (GBP)"], rows


def _awards(pack: AdvisoryPack) -> Rows:
    header = ["Reference", "Source", "Group", "Awarded on", "Amount (GBP)", "Cameras", "Description"]
    return header, [[a.reference, a.source_label, "External" if a.external else "Council", a.awarded_on.isoformat(),
                     plain_money(a.amount), str(a.cameras), a.description] for a in pack.investment.awards]


def _priorities(pack: AdvisoryPack) -> Rows:
    header = ["Priority", "Faults opened", "Still open", "Due", "Fixed within SLA", "Within SLA %"]
    lines = [(p.label, p.sla) for p in pack.maintenance.by_priority] + [("All", pack.maintenance.sla)]
    return header, [[label, str(s.faults), str(s.open), str(s.due), str(s.fixed_within_sla),
                     plain_percent(s.share_within_sla)] for label, s in lines]


def _availability(pack: AdvisoryPack) -> Rows:
    header = ["Asset", "Name", "Town", "Service area", "Faults", "Downtime hours", "Availability %"]
    return header, [[c.asset_id, c.name, c.town, c.service_area, str(c.faults), plain_hours(c.downtime_hours),
                     plain_percent(c.availability)] for c in pack.maintenance.cameras]


def _systems(pack: AdvisoryPack) -> Rows:
    header = ["System", "Service area", "Cameras", "DPIA version", "Signed off", "Next review due", "Open reviews",
              "State"]
    return header, [[s.name, s.service_area, str(s.cameras), str(s.version) if s.version else "",
                     s.signed_off_on.isoformat() if s.signed_off_on else "",
                     s.next_review_due.isoformat() if s.next_review_due else "", str(s.open_reviews),
                     s.state_label] for s in pack.compliance.systems]


def _gaps(pack: AdvisoryPack) -> Rows:
    return ["Asset", "Name", "Town", "System"], [[g.asset_id, g.name, g.town, g.system]
                                                 for g in pack.compliance.cameras_without_dpia]


def _actions(pack: AdvisoryPack) -> Rows:
    return ["Principle", "Action", "Owner", "Due", "Overdue"], [
        [str(a.principle), a.action, a.owner, a.due_on.isoformat(), _yes(a.overdue)]
        for a in pack.compliance.open_actions]


_BUILDERS: dict[str, Callable[[AdvisoryPack], Rows]] = {
    "totals": _totals,
    "categories": lambda p: _breakdown(p.incidents.by_category, "Category"),
    "towns": lambda p: _breakdown(p.incidents.by_town, "Town"),
    "service_areas": lambda p: _breakdown(p.incidents.by_service_area, "Service area"),
    "months": lambda p: _breakdown(p.incidents.by_month, "Month"),
    "arrests": _arrests,
    "cameras": _cameras,
    "idle_cameras": _idle,
    "hours": _hours,
    "deployments": _deployments,
    "investment": _investment,
    "awards": _awards,
    "maintenance_priorities": _priorities,
    "maintenance_cameras": _availability,
    "compliance_systems": _systems,
    "dpia_gaps": _gaps,
    "open_actions": _actions,
}
assert _BUILDERS.keys() == TABLES.keys()


def table_rows(name: str, pack: AdvisoryPack) -> Rows:
    """The header and rows of one table, as text. KeyError for a name not in `TABLES`."""
    if name not in _BUILDERS:
        raise KeyError(f"no table called {name!r}; the tables are {', '.join(TABLES)}")
    return _BUILDERS[name](pack)


def table_csv(name: str, pack: AdvisoryPack) -> str:
    """One table as CSV text: a header row, then a row per line (CRLF line ends, as RFC 4180 has them); a town or
    camera name typed as a formula goes out as text (`common.csv_cells`)."""
    header, rows = table_rows(name, pack)
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def csv_filename(name: str, pack: AdvisoryPack) -> str:
    """"advisory-2025Q3-towns.csv" (the period's code, made safe for a file name)."""
    code = pack.period.code.replace("..", "_to_")
    return f"advisory-{code}-{name.replace('_', '-')}.csv"


__all__ = ["TABLES", "csv_filename", "table_csv", "table_rows"]
