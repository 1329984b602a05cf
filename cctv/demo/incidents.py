"""An illustrative history of the Wycombe control room, labelled as such: about 20,000 incidents and 200 arrests a
year (the strategy's 2022 figures) over three years, with times following the monitored hours and the night-time
economy, cameras near each incident, police references, evidence requests with hashes, disclosures and shifts.

Bulk inserted with SQLAlchemy Core (COPY on PostgreSQL), because 60,000 ORM adds would take minutes; so none of it
is in the audit trail. The values are those the services would give: references gap-free per year in logged order,
each year's `reference_counter` row left at its last number (the next incident logged gets the next one), and the
monitored-hours flag and session from `monitored_session` with the room's own hours. The tables behind the
history are in `cctv.demo.incident_data`; the evidence, disclosure and shift-fault records and the bulk insert in
`cctv.demo.records`.
"""

import bisect
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from cctv.controlroom import models as m
from cctv.controlroom.hours import monitored_session
from cctv.controlroom.references import format_reference
from cctv.controlroom.rooms import ensure_defaults
from cctv.controlroom.types import FollowUp, IncidentSource
from cctv.demo import incident_data as data
from cctv.demo.records import (
    add_disclosures,
    bulk_insert,
    link_shift_faults,
    plan_evidence,
    store_arrests,
    store_evidence,
)
from common.collector import collector_paused
from inventory.models import Camera
from inventory.types import LONDON, CameraKind, CameraStatus, london_date, london_time


@dataclass
class HistorySummary:
    """What the history generator made."""

    incidents: int
    arrests: int
    evidence_requests: int
    disclosures: int
    shifts: int


def _weights(weights: dict[Any, float]) -> tuple[list[Any], list[float]]:
    """Items and cumulative weights, for `_pick` (cheaper per call than `random.choices`, which adds them up
    every time)."""
    return list(weights), list(accumulate(weights.values()))


def _pick(rng: random.Random, table: tuple[list[Any], list[float]]) -> Any:
    """One item, chosen by weight."""
    items, cumulative = table
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """The UTC instant of a London wall-clock time on a calendar day."""
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def _local(day: date, hour: int, minute: int) -> datetime:
    """The UTC instant of a London wall-clock time in a session day (hours before 08:00 are on the next day)."""
    return _at(day + timedelta(days=hour < 8), hour, minute)


def _occurrences(rng: random.Random, start: date, end: date, per_year: int) -> list[tuple[datetime, str, str]]:
    """(occurred, stream, category) of every incident of the session days start..end-1, scaled to `per_year`."""
    days = [start + timedelta(days=n) for n in range((end - start).days)]

    def mean(name: str, day: date) -> float:
        base, weekdays, _, _ = data.STREAMS[name]
        factor = data.DAYTIME[day.weekday()] if name == "day" else 1.0
        return base * data.MONTH[day.month - 1] * factor if day.weekday() in weekdays else 0.0

    scale = per_year * len(days) / 365.2425 / sum(mean(name, d) for d in days for name in data.STREAMS)
    found = []
    for day in days:
        for name, (_, _, hours, categories) in data.STREAMS.items():
            expected = mean(name, day) * scale
            n = max(0, round(rng.gauss(expected, math.sqrt(expected)))) if expected else 0  # about Poisson
            for hour, category in zip(rng.choices(list(hours), list(hours.values()), k=n),
                                      rng.choices(list(categories), list(categories.values()), k=n), strict=True):
                found.append((_local(day, hour, rng.randrange(60)), name, category))
    return found


def _logged(rng: random.Random, occurred: datetime, stream: str) -> datetime:
    """When the operator logged it: minutes later, or the next morning when the police asked afterwards."""
    if stream.startswith("outside"):
        local = london_time(occurred)
        return _local(local.date() + timedelta(days=local.hour >= 8), 8, rng.randrange(5, 60)) + timedelta(
            hours=rng.randrange(3))
    return occurred + timedelta(minutes=rng.choice(data.DELAYS))


def _shifts(rng: random.Random, start: date, end: date) -> list[dict]:
    """Day (07:30–15:45) and late (15:45–23:30, to 04:30 on Friday and Saturday) shifts, each signed by the next
    shift's lead; the last is handed over but not signed yet, for the incoming operator to sign."""
    rows: list[dict] = []
    for n in range((end - start).days):
        day = start + timedelta(days=n)
        team = rng.sample(data.OPERATORS, 4)
        late_end = _at(day + timedelta(days=1), 4, 30) if day.weekday() in (4, 5) else _at(day, 23, 30)
        for ops, begins, ends in ((team[:2], _at(day, 7, 30), _at(day, 15, 45)),
                                  (team[2:], _at(day, 15, 45), late_end)):
            if rows:
                signer = ops[0] if ops[0] != rows[-1]["started_by"] else ops[1]  # never the outgoing lead
                rows[-1].update(signed_by=signer, signed_at=begins)
            rows.append({"operators": ",".join(ops), "started_at": begins, "started_by": ops[0], "ended_at": ends,
                         "handover_notes": rng.choice(data.NOTES), "signed_by": "", "signed_at": None})
    return rows


def _session_memo(hours: dict[int, tuple[str, str]]) -> Callable[[datetime], tuple[date, bool]]:
    """`monitored_session` asked once per weekday and wall-clock minute: its answer depends on the London wall
    clock alone (its module's rule), so the session's offset from the local date and the flag carry over to every
    instant of that weekday and minute; 60,000 full calls would cost more than the rest of an incident."""
    memo: dict[tuple[int, int, int], tuple[timedelta, bool]] = {}

    def session_of(occurred: datetime) -> tuple[date, bool]:
        wall = london_time(occurred)
        key = (wall.weekday(), wall.hour, wall.minute)
        if key not in memo:
            day, inside = monitored_session(occurred, hours)
            memo[key] = (day - wall.date(), inside)
        offset, inside = memo[key]
        return wall.date() + offset, inside

    return session_of


def _cameras(session: Session) -> tuple[list[tuple], dict[int, list[tuple]]]:
    """The public-space cameras in service as (id, asset id, town, location, longitude, latitude), and each one's
    two nearest in the same town (an operator follows a suspect from camera to camera)."""
    cameras = list(session.connection().execute(
        select(Camera.id, Camera.asset_id, Camera.town, Camera.location_text, Camera.longitude, Camera.latitude)
        .where(col(Camera.kind).in_((CameraKind.PUBLIC_SPACE_FIXED, CameraKind.PUBLIC_SPACE_PTZ,
                                     CameraKind.DEPLOYABLE)),
               col(Camera.status).in_((CameraStatus.OPERATIONAL, CameraStatus.FAULTY)),
               col(Camera.latitude).is_not(None)).order_by(col(Camera.asset_id))))
    if not cameras:
        raise RuntimeError("the demo history needs public-space cameras")
    near = {c[0]: sorted((o for o in cameras if o[2] == c[2] and o[0] != c[0]),
                         key=lambda o, c=c: (o[5] - c[5]) ** 2 + (o[4] - c[4]) ** 2)[:2] for c in cameras}
    return cameras, near


def create_demo_incidents(session: Session, *, today: date, seed: int = 2023, years: int = 3,
                          per_year: int = 20_000) -> HistorySummary:
    """Fill the Wycombe control room's empty log with `years` of illustrative history up to the night before
    `today` (about `per_year` incidents a year), with its evidence, disclosures and shifts; deterministic by seed."""
    with collector_paused():  # hundreds of thousands of new rows and no cycles for the collector to find
        return _create(session, today=today, seed=seed, years=years, per_year=per_year)


def _create(session: Session, *, today: date, seed: int, years: int, per_year: int) -> HistorySummary:
    """The work of `create_demo_incidents`: shifts, then incidents in logged order, then what hangs off them."""
    room = ensure_defaults(session)
    if session.scalar(select(func.count()).select_from(m.Incident).where(m.Incident.control_room_id == room.id)):
        raise RuntimeError("the control room already has incidents; the demo history only fills an empty log")
    rng = random.Random(f"{seed}-control-room")
    start, hours = today - timedelta(days=round(365.2425 * years)), room.monitored_hours()
    end = _at(today, 7)  # the history's "now": before the day shift
    cameras, near = _cameras(session)
    shifts = _shifts(rng, start, today)
    bulk_insert(session, m.Shift.__table__, [{**s, "control_room_id": room.id} for s in shifts])
    starts = [s["started_at"] for s in shifts]
    found = sorted(entry for entry in ((_logged(rng, occurred, stream), occurred, stream, category)
                                       for occurred, stream, category in _occurrences(rng, start, today, per_year))
                   if entry[0] < end)
    years_of = [london_date(logged).year for logged, *_ in found]  # a reference's year: the London year logged
    arrests: dict[int, int] = {}
    for year in sorted(set(years_of)):  # weighted sampling without replacement (Efraimidis–Spirakis keys)
        indexes = [i for i, y in enumerate(years_of) if y == year]
        keyed = sorted(indexes, key=lambda i: -rng.random() ** (1 / data.CATEGORY[found[i][3]][1]))
        for i in keyed[:round(len(indexes) * data.ARREST_SHARE)]:
            arrests[i] = _pick(rng, ([1, 2, 3], [90, 99, 100]))
    sources = {busy: _weights(weights) for busy, weights in data.SOURCES.items()}
    session_of = _session_memo(hours)
    counters: dict[int, int] = {}
    rows, links, evidence = [], [], []
    for index, (logged, occurred, stream, category) in enumerate(found):
        year = years_of[index]
        counters[year] = number = counters.get(year, 0) + 1
        told, _, seen, offence = data.CATEGORY[category]
        arrested = arrests.get(index, 0)
        source = (IncidentSource.POLICE_REQUEST if stream.startswith("outside")
                  else _pick(rng, sources[stream == "nte" or category in ("shoplifting", "theft")]))
        informed = bool(arrested) or source == IncidentSource.POLICE_REQUEST or rng.random() < told
        attended = bool(arrested) or (informed and rng.random() < 0.55)
        local = london_time(occurred)
        cad = f"CAD {local.hour * 60 + local.minute + rng.randrange(1, 90)} {local:%d/%m}" if informed else ""
        camera = rng.choice(cameras)
        used = [camera, *near[camera[0]][:_pick(rng, ([0, 1, 2], [50, 85, 100]))]]
        place = f"{camera[3]}, {camera[2]}"
        follow_up, closed_at = FollowUp.CLOSED, min(logged + timedelta(minutes=rng.randrange(5, 480)), end)
        if end - logged < timedelta(days=3) and rng.random() < 0.4:  # the last days' log is still being worked on
            follow_up, closed_at = rng.choice((FollowUp.OPEN, FollowUp.AWAITING_POLICE)), None
        if informed and rng.random() < (0.8 if arrested else 0.07 if category in data.EVIDENTIAL else 0.003):
            evidence.append((index, occurred, used, arrested))
        session_day, inside = session_of(occurred)
        operator = rng.choice(shifts[max(0, bisect.bisect_right(starts, logged) - 1)]["operators"].split(","))
        rows.append({
            "occurred_at": occurred, "category": category, "source": source, "location_text": place[:250],
            "longitude": camera[4], "latitude": camera[5], "police_informed": informed,
            "police_reference": cad, "police_attended": attended, "arrests": arrested,
            "arrest_offences": (offence if arrested == 1 else f"{offence} ({arrested} people)") if arrested else "",
            "outcome": "Arrest made; footage reviewed with the officers." if arrested
            else rng.choice(data.OUTCOMES[informed + attended]), "follow_up": follow_up,
            "narrative": f"{data.LABEL} {seen.format(place)}; followed on {', '.join(c[1] for c in used)}.",
            "reference": format_reference(room.code, year, number), "control_room_id": room.id,
            "ref_year": year, "ref_number": number, "logged_at": logged, "operator": operator,
            "in_monitored_hours": inside, "monitored_session": session_day, "updated_at": closed_at or logged,
            "closed_at": closed_at, "closed_by": operator if closed_at else "", "retention_flagged_at": None,
            "anonymised_at": None,
        })
        links.append(used)
    requests = plan_evidence(rng, evidence, rows, end)  # may leave incidents waiting for their footage
    bulk_insert(session, m.Incident.__table__, rows)
    ids = dict(session.connection().execute(
        select(m.Incident.reference, m.Incident.id).where(m.Incident.control_room_id == room.id)).all())
    bulk_insert(session, m.IncidentCamera.__table__, [{"incident_id": ids[row["reference"]], "camera_id": c[0]}
                                                  for row, used in zip(rows, links, strict=True) for c in used])
    bulk_insert(session, m.ReferenceCounter.__table__, [{"control_room_id": room.id, "year": y, "last": n}
                                                    for y, n in sorted(counters.items())])
    store_evidence(session, rng, requests, ids)
    store_arrests(session, random.Random(f"{seed}-arrests"), rows, ids, end)  # its own stream: the rest stays as it was
    disclosures = add_disclosures(session, rng, requests, start, today)
    link_shift_faults(session, shifts, room.id)
    return HistorySummary(len(rows), sum(arrests.values()), len(requests), disclosures, len(shifts))


