"""The log page's contents: which session or calendar day it shows, its rows and figures, and the rows the page
asks for as other operators log (short polling of GET /incidents/live).

A session is the control room's working day: Friday's monitored session runs 08:00 to Saturday 04:00, and the small
hours outside monitored hours count towards the day before up to the 04:00 rollover (cctv.controlroom.hours), so
02:30 on Saturday is in Friday's session. Each incident stores the date of its session (`monitored_session`), so a
session's log is one indexed equality. A calendar day (?day=) stays reachable, midnight to midnight, London time.
"""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from flask import current_app, url_for

from cctv.controlroom import incidents as incident_service
from cctv.controlroom.hours import monitored_session
from cctv.web.access import db, scope
from cctv.web.controlroom.common import control_room
from cctv.web.inputs import DB_INT_MAX, int_or_none, sane_day
from inventory.types import london_time, london_today, utcnow


def _chosen(args: Mapping[str, str]) -> tuple[date, bool]:
    """The day the page shows and whether it is a session (True) or a calendar day: ?day= for a calendar day,
    else ?session=, else the session in progress (or the last one, between sessions)."""
    day = sane_day(args.get("day"))
    if day is not None:
        return day, False
    return sane_day(args.get("session")) or monitored_session(utcnow(), control_room().monitored_hours())[0], True


def log_page(args: Mapping[str, str], *, follow_up_labels: Mapping) -> dict[str, Any]:
    """Everything log.html draws: the rows (void ones too, marked), their cameras within the user's scope, the
    figures (void incidents left out), the links to the neighbouring days and the other view of the same day."""
    day, by_session = _chosen(args)
    room = control_room()
    incidents = incident_service.day_log_rows(db(), room, day, by_session=by_session)
    cameras = incident_service.day_log_asset_ids(db(), room, day, scope(), by_session=by_session)
    counted = [i for i in incidents if i.voided_at is None]
    key = "session" if by_session else "day"
    hours = room.monitored_hours().get(day.weekday())
    return {
        "incidents": incidents, "cameras": cameras, "day": day, "room": room, "by_session": by_session,
        "hours": hours, "follow_up_labels": follow_up_labels,
        "today": london_today(), "current": monitored_session(utcnow(), room.monitored_hours())[0],
        "prev_url": url_for("incidents.day_log", **{key: (day - timedelta(days=1)).isoformat()}),
        "next_url": url_for("incidents.day_log", **{key: (day + timedelta(days=1)).isoformat()}),
        "other_url": url_for("incidents.day_log", **{"day" if by_session else "session": day.isoformat()}),
        "live_url": url_for("incidents.live", **{key: day.isoformat()}),
        "after": max((i.id for i in incidents), default=0),
        "poll_seconds": current_app.config["LOG_POLL_SECONDS"],
        "arrests": sum(i.arrests for i in counted), "inside": sum(1 for i in counted if i.in_monitored_hours),
        "counted": len(counted), "voided": len(incidents) - len(counted),
    }


def live_rows(args: Mapping[str, str], *, follow_up_labels: Mapping) -> list[dict[str, Any]]:
    """The rows logged after ?after=<id> in the page's session or day, oldest first, as the page's JavaScript adds
    them (as text): each with what its cells show. Cameras outside the user's scope are left out, as on the page."""
    day, by_session = _chosen(args)
    after = int_or_none(args.get("after"), 0, DB_INT_MAX) or 0
    room = control_room()
    rows = incident_service.day_log_rows(db(), room, day, by_session=by_session, after_id=after)
    cameras = incident_service.day_log_asset_ids(db(), room, day, scope(), by_session=by_session, after_id=after)
    items = []
    for i in reversed(rows):
        other = i.monitored_session
        session_hint = "" if other == day else f"({other.strftime('%a')} {other.day} {other.strftime('%b %Y')} session)"
        items.append({
            "id": i.id, "reference": i.reference, "url": url_for("incidents.show", incident_id=i.id),
            "occurred_at": i.occurred_at.isoformat(), "time": london_time(i.occurred_at).strftime("%H:%M"),
            "category": i.category_label or i.category, "location": i.location_text, "cameras": cameras.get(i.id, ""),
            "police_reference": i.police_reference, "arrests": i.arrests, "arrest_offences": i.arrest_offences,
            "monitored": i.in_monitored_hours, "session_hint": session_hint,
            "follow_up": follow_up_labels.get(i.follow_up, str(i.follow_up)), "void": i.voided_at is not None,
        })
    return items
