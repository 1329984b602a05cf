"""The rows of the day's log, written as HTML in Python rather than by a Jinja loop.

The day's log is the page operators keep open all shift, and a busy Saturday has more than a hundred incidents.
A Jinja loop cost about 30 µs a row on this machine (an escape, an attribute lookup through the environment and a
filter call per cell), several times the SQL the page rests on; these rows cost a fifth of that
(bench/controlroom.py). Everything repeated across rows (category and follow-up labels, the session hint of a
monitored session) is escaped once per page, and every value from the database is escaped here.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from html import escape

from markupsafe import Markup

from cctv.controlroom.hours import LONDON
from cctv.controlroom.incident_queries import DayLogRow
from cctv.controlroom.types import FollowUp


def _clock(value: datetime) -> str:
    """HH:MM on London's wall clock (SQLite hands back naive UTC values, PostgreSQL aware ones)."""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LONDON)
    return f"{local.hour:02d}:{local.minute:02d}"


def _session_hints(rows: list[DayLogRow], day: date) -> dict[date, str]:
    """For each monitored session other than the day shown, the hint naming it: ' (Fri 5 Jun 2026 session)'."""
    sessions = {row.monitored_session for row in rows} - {day}
    return {s: f' <span class="hint">({s:%a} {s.day} {s:%b %Y} session)</span>' for s in sessions}


def log_rows(
    rows: Iterable[DayLogRow],
    *,
    day: date,
    cameras: Mapping[int, str],
    category_labels: Mapping[str, str],
    follow_up_labels: Mapping[FollowUp, str],
    show_url: str,
) -> Markup:
    """The <tr> of each incident of the day's log , or the one row saying there are none.

    `cameras` maps an incident id to its cameras' asset ids as shown; `show_url` + id is an incident's page.
    """
    rows = list(rows)
    if not rows:
        return Markup('<tr><td colspan="9">No incidents logged for this day.</td></tr>')
    labels = {code: escape(label) for code, label in category_labels.items()}
    follow_ups = {key: escape(label) for key, label in follow_up_labels.items()}
    hints = _session_hints(rows, day)
    link = escape(show_url)
    out = []
    for row in rows:
        reference = escape(row.reference)
        arrests = (f'{row.arrests} <span class="hint">{escape(row.arrest_offences)}</span>' if row.arrests else "")
        inside = row.in_monitored_hours
        out.append(
            f'<tr data-reference="{reference}"><td><a href="{link}{row.id}">{reference}</a></td>\n'
            f"    <td>{_clock(row.occurred_at)}</td><td>{labels.get(row.category) or escape(row.category)}</td>\n"
            f"    <td>{escape(row.location_text)}</td><td>{escape(cameras.get(row.id, ''))}</td>\n"
            f"    <td>{escape(row.police_reference)}</td><td>{arrests}</td>\n"
            f'    <td class="monitored" data-monitored="{"yes" if inside else "no"}">'
            f'{"inside" if inside else "outside"}{hints.get(row.monitored_session, "")}</td>\n'
            f'    <td><span class="status">{follow_ups.get(row.follow_up) or escape(str(row.follow_up))}</span></td>'
            f"</tr>\n"
        )
    return Markup("".join(out))
