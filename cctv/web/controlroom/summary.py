"""Incident counts by category and month: what advisory (and planners, the DPO, supervisors) may see of the log.

Only aggregates leave the database here: no reference, place, time of day or narrative. A month is counted by the
control room's day (the monitored session's date, 04:00 to 04:00 London time), so 02:30 on 1 December counts for
November, as it does in the shift's own figures.
"""

from datetime import date

from flask import Blueprint, render_template, request
from sqlalchemy import case
from sqlmodel import col, func, select

from cctv.controlroom.models import Incident
from cctv.web.access import VIEW_AGGREGATES, allow, db
from cctv.web.controlroom.common import category_labels, control_room
from cctv.web.inputs import db_int
from inventory.types import london_today

bp = Blueprint("incident_summary", __name__, template_folder="templates", url_prefix="/incidents")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def monthly_counts(year: int) -> dict[str, object]:
    """Counts of one year's incidents: by category and month, arrests and inside monitored hours by month."""
    room = control_room()
    inside = func.sum(case((col(Incident.in_monitored_hours).is_(True), 1), else_=0))
    rows = db().exec(
        select(Incident.category, Incident.monitored_session, func.count(), func.sum(Incident.arrests), inside)
        .where(Incident.control_room_id == room.id, col(Incident.voided_at).is_(None),
               col(Incident.monitored_session) >= date(year, 1, 1),
               col(Incident.monitored_session) <= date(year, 12, 31))
        .group_by(Incident.category, Incident.monitored_session)
    ).all()
    by_category: dict[str, list[int]] = {}
    totals, arrests, inside_hours = [0] * 12, [0] * 12, [0] * 12
    for category, session_day, count, arrested, inside_count in rows:
        month = session_day.month - 1
        by_category.setdefault(category, [0] * 12)[month] += count
        totals[month] += count
        arrests[month] += int(arrested or 0)
        inside_hours[month] += int(inside_count or 0)
    labels = category_labels()
    ordered = [code for code in labels if code in by_category] + sorted(set(by_category) - set(labels))
    return {"categories": [(labels.get(code, code), by_category[code]) for code in ordered],
            "totals": totals, "arrests": arrests, "inside": inside_hours}


@bp.route("/summary")
@allow(VIEW_AGGREGATES)
def summary():
    """A year's incidents by category and month (?year=YYYY, default this year), with arrests."""
    this_year = london_today().year
    year = request.args.get("year", this_year, type=db_int)
    if not 2000 <= year <= this_year + 1:
        year = this_year
    return render_template("controlroom/summary/index.html", year=year, this_year=this_year, months=MONTHS,
                           **monthly_counts(year))
