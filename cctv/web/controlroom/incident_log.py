"""The rows of the day's log, written as HTML in Python rather than by a Jinja loop.

The day's log is the page operators keep open all shift, and a busy Saturday has more than a hundred incidents.
A Jinja loop cost about 30 µs a row on this machine (an escape, an attribute lookup through the environment and a
filter call per cell), several times the SQL the page rests on; these rows cost a fifth of that
(bench/controlroom.py). Everything repeated across rows (category and follow-up labels, the session hint of a
monitored session) is escaped once per page, and every value from the database is escaped here.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from html import escape

from markupsafe import Markup

from cctv.controlroom.hours import LONDON, london_midnight
from cctv.controlroom.incident_queries import DayLogRow
from cctv.controlroom.types import FollowUp


class _Clock:
    """HH:MM on London's wall clock for UTC instants of one London day: naive as SQLite gives them, or aware.

    On the 363 days a year without a clock change London's offset is the same all day, and adding it to the instant
    as it came (naive or in UTC) is a fifth of the cost of a time-zone conversion per row; on the two change days,
    and for any instant outside the day or in another zone, each instant is converted.
    """

    def __init__(self, day: date) -> None:
        self.start, self.end = london_midnight(day), london_midnight(day + timedelta(days=1))
        self.naive_start, self.naive_end = self.start.replace(tzinfo=None), self.end.replace(tzinfo=None)
        first, last = self.start.astimezone(LONDON), (self.end - timedelta(microseconds=1)).astimezone(LONDON)
        self.offset = first.utcoffset() if first.utcoffset() == last.utcoffset() else None

    def __call__(self, instant: datetime) -> str:
        if self.offset is not None and (
            self.naive_start <= instant < self.naive_end if instant.tzinfo is None
            else instant.tzinfo is UTC and self.start <= instant < self.end
        ):
            local = instant + self.offset
        else:
            local = (instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant).astimezone(LONDON)
        return "%02d:%02d" % (local.hour, local.minute)  # noqa: UP031 — the fastest of the formats measured


def _session_hints(rows: list[DayLogRow], day: date) -> dict[date, str]:
    """For each monitored session other than the day shown, the hint naming it: ' (Fri 5 Jun 2026 session)'."""
    sessions = {row.monitored_session for row in rows} - {day}
    return {s: f' <span class="hint">({s:%a} {s.day} {s:%b %Y} session)</span>' for s in sessions}


def log_rows(
    rows: Iterable[DayLogRow],
    *,
    day: date,
    cameras: Mapping[int, str],
    follow_up_labels: Mapping[FollowUp, str],
    show_url: str,
) -> Markup:
    """The <tr> of each incident of the day's log, or the one row saying there are none.

    `cameras` maps an incident id to its cameras' asset ids as shown; `show_url` + id is an incident's page.
    """
    rows = list(rows)
    if not rows:
        return Markup('<tr><td colspan="9">No incidents logged for this day.</td></tr>')
    labels = {row.category: escape(row.category_label or row.category) for row in rows}
    follow_ups = {key: escape(label) for key, label in follow_up_labels.items()}
    hints = _session_hints(rows, day)
    clock = _Clock(day)
    link = escape(show_url)
    out = []
    for row in rows:
        reference = escape(row.reference)
        arrests = (f'{row.arrests} <span class="hint">{escape(row.arrest_offences)}</span>' if row.arrests else "")
        inside = row.in_monitored_hours
        out.append(
            f'<tr data-reference="{reference}"><td><a href="{link}{row.id}">{reference}</a></td>'
            f"<td>{clock(row.occurred_at)}</td><td>{labels[row.category]}</td>"
            f"<td>{escape(row.location_text)}</td><td>{escape(cameras.get(row.id, ''))}</td>"
            f"<td>{escape(row.police_reference)}</td><td>{arrests}</td>"
            f'<td class="monitored" data-monitored="{"yes" if inside else "no"}">'
            f'{"inside" if inside else "outside"}{hints.get(row.monitored_session, "")}</td>'
            f'<td><span class="status">{follow_ups.get(row.follow_up) or escape(str(row.follow_up))}</span></td>'
            f"</tr>\n"
        )
    return Markup("".join(out))
