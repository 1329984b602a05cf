"""Deployable cameras (principle 3): every place each one has been, and what happened around it before, during and
after it was there.

A deployable's history comes from its moves (`CameraMove`): each move starts a deployment at its destination, which
lasts until the next move; the last one lasts until now (it is current). The place the camera stood before its first
move is a deployment too, from its install date (or, without one, from when it was registered) — when that start is
known and comes before the first move. A deployable that never moved has one deployment, at its current place.

For each deployment with a point, incidents and arrests are counted within `radius_m` of the point (National Grid
metres, the incident's own logged point; incidents logged without a point cannot be placed and are not counted) in
three windows of the deployment's length: the same length immediately before it, the deployment itself, and the
same length after it ended, clipped to the end of today (so a recent move has a shorter "after"; each window carries
its own start and end). The camera's own use during the deployment is counted apart: incidents it was used on, their
arrests, and footage from it produced as evidence and later used (charge, prosecution or caution).

A deployment is listed for a period when it overlaps the period. Covert cameras are never deployables here (their
kind is covert), so nothing here needs hiding from the Advisory Group.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, case, literal, union_all
from sqlmodel import Session, col, func, select

from cctv.controlroom.models import EvidenceCamera, EvidenceRequest, Incident, IncidentCamera
from cctv.controlroom.types import LaterUse
from cctv.outcomes.periods import Filters, Period
from inventory.models import Camera, CameraMove
from inventory.types import CameraKind, CameraStatus, london_date, london_midnight, utcnow
from siting.geometry import to_bng

DEFAULT_RADIUS_M = 100.0
# What the police report back that counts as footage used to investigate and prosecute.
USED_LATER = frozenset({LaterUse.CHARGED, LaterUse.PROSECUTION, LaterUse.CAUTION})
# Metres in a degree of latitude, with room to spare: the bounding box only narrows the query; distance decides.
_METRES_PER_DEGREE = 111_000.0
_BOX_MARGIN = 1.5


@dataclass(frozen=True)
class WindowFigures:
    """Incidents and arrests within the radius of a deployment's point in one window [start, end)."""

    start: datetime
    end: datetime
    incidents: int
    arrests: int

    @property
    def days(self) -> float:
        """The window's length in days (shorter than the deployment's for an "after" clipped to today)."""
        return (self.end - self.start) / timedelta(days=1)


@dataclass(frozen=True)
class DeploymentRow:
    """One deployable camera at one place, from `start` until `end` (None while it is still there)."""

    camera_id: int
    asset_id: str
    camera_name: str
    location_text: str
    town: str
    longitude: float | None
    latitude: float | None
    start: datetime
    end: datetime | None
    reason: str
    before: WindowFigures | None  # None: the place has no point, so nothing can be counted around it
    during: WindowFigures | None
    after: WindowFigures | None  # also None while the camera is still there
    camera_incidents: int  # incidents the camera itself was used on during the deployment
    camera_arrests: int
    evidence_produced: int  # footage requests for the deployment's time, from this camera, produced
    evidence_used: int  # … and later used to charge, prosecute or caution

    @property
    def current(self) -> bool:
        """Whether the camera is still at this place."""
        return self.end is None

    @property
    def location_key(self) -> str:
        """What makes two deployments the same place: the point to about 10 m, or else the place's name."""
        if self.longitude is not None and self.latitude is not None:
            return f"{self.longitude:.4f},{self.latitude:.4f}"
        return f"{self.location_text.strip().lower()}|{self.town.strip().lower()}"


@dataclass(frozen=True)
class DeploymentSummary:
    """The deployments of a period at a glance."""

    deployments: int
    cameras: int
    locations: int  # distinct places (principle 3: "number of locations that had temporary cameras")
    camera_incidents: int
    camera_arrests: int
    evidence_produced: int
    evidence_used: int


@dataclass(frozen=True)
class _Span:
    camera: Camera
    location_text: str
    town: str
    longitude: float | None
    latitude: float | None
    start: datetime
    end: datetime | None
    reason: str


def _registered(camera: Camera) -> datetime:
    """When the camera started at its first place: its install date (London midnight), else when it was added."""
    return london_midnight(camera.install_date) if camera.install_date else camera.created_at


def _spans(camera: Camera, moves: list[CameraMove]) -> list[_Span]:
    """The camera's places in time order (see the module's notes)."""
    if not moves:
        if not (camera.location_text or camera.longitude is not None):
            return []
        return [_Span(camera, camera.location_text, camera.town, camera.longitude, camera.latitude,
                      _registered(camera), None, "")]
    spans = []
    first = moves[0]
    start = _registered(camera)
    # A move keeps the camera's town when it names none, so the town it started in survives only then.
    town = "" if any(m.to_town for m in moves) else camera.town
    if (first.from_location_text or first.from_longitude is not None) and start < first.moved_at:
        spans.append(_Span(camera, first.from_location_text, town, first.from_longitude, first.from_latitude,
                           start, first.moved_at, "First place"))
    for move, following in zip(moves, [*moves[1:], None], strict=True):
        town = move.to_town or town
        spans.append(_Span(camera, move.to_location_text, town, move.to_longitude, move.to_latitude,
                           move.moved_at, following.moved_at if following else None, move.reason))
    return spans


def _overlaps(span: _Span, start: datetime, end: datetime) -> bool:
    return span.start < end and (span.end is None or span.end > start)


def _in_filters(span: _Span, filters: Filters | None) -> bool:
    return filters is None or filters.admits(span.town, span.camera.service_area_id)  # the town of the place


_SPANS_PER_STATEMENT = 100  # deployments read by one UNION ALL (SQLite allows 500 terms in a compound SELECT)


def _each_deployment(session: Session, selects: list[Any]) -> list[Any]:
    """The rows of one SELECT per deployment, read by a UNION ALL of them (in batches): one statement for all the
    deployments of a period rather than one each. Each SELECT leads with its deployment's index."""
    rows: list[Any] = []
    for first in range(0, len(selects), _SPANS_PER_STATEMENT):
        batch = selects[first:first + _SPANS_PER_STATEMENT]
        rows.extend(session.execute(batch[0] if len(batch) == 1 else union_all(*batch)).all())
    return rows


_BEFORE, _DURING, _AFTER = 0, 1, 2  # the windows around a deployment, as the SQL below numbers them


def _nearby(session: Session, places: list[tuple[int, float, float, datetime, datetime, datetime, datetime]],
            radius_m: float) -> dict[int, dict[int, tuple[int, int]]]:
    """For each (index, lon, lat, lo, start, end, hi): (incidents, arrests) in each window (before [lo, start),
    during [start, end), after [end, hi)) of the incidents whose own point is within radius_m of (lon, lat).

    The database counts the incidents of each window by point inside a bounding box (GROUP BY window, point): the
    logged points repeat (incidents are placed at cameras and known spots), so a quarter's deployments read a few
    dozen points rather than the ten thousand incidents around them; the exact distance of each point is then
    measured here, in metres on the National Grid.
    """
    selects = []
    for index, lon, lat, lo, start, end, hi in places:
        d_lat = radius_m / _METRES_PER_DEGREE * _BOX_MARGIN
        d_lon = d_lat / max(math.cos(math.radians(lat)), 0.01)
        window = case((col(Incident.occurred_at) < start, _BEFORE), (col(Incident.occurred_at) < end, _DURING),
                      else_=_AFTER).label("window")
        selects.append(
            select(literal(index).label("deployment"), window, Incident.longitude, Incident.latitude,
                   func.count(), func.coalesce(func.sum(Incident.arrests), 0)).where(
                col(Incident.occurred_at) >= lo, col(Incident.occurred_at) < hi,
                col(Incident.longitude).between(lon - d_lon, lon + d_lon),
                col(Incident.latitude).between(lat - d_lat, lat + d_lat),
                col(Incident.voided_at).is_(None),  # void incidents count in no measure
            ).group_by(window, Incident.longitude, Incident.latitude)
        )
    rows = _each_deployment(session, selects)
    found: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    if not rows:
        return found
    centres = {place[0]: to_bng(place[1], place[2]) for place in places}
    east, north = to_bng([r[2] for r in rows], [r[3] for r in rows])
    centre_e = np.array([centres[r[0]][0] for r in rows], dtype=float)
    centre_n = np.array([centres[r[0]][1] for r in rows], dtype=float)
    near = np.hypot(east - centre_e, north - centre_n) <= radius_m
    for (index, window, _, _, n, arrests), keep in zip(rows, near, strict=True):
        if keep:
            incidents, total = found[index].get(window, (0, 0))
            found[index][window] = (incidents + int(n), total + int(arrests))
    return found


def _window(found: dict[int, tuple[int, int]], window: int, start: datetime, end: datetime) -> WindowFigures:
    return WindowFigures(start, end, *found.get(window, (0, 0)))


def _deployment_of(camera_column: Any, time_column: Any, uses: list[tuple[int, int, datetime, datetime]]) -> Any:
    """The index of the deployment (camera, [start, end)) a row's camera and time fall in, else NULL. A camera's
    deployments never overlap (each ends where the next begins), so the first match is the only one."""
    return case(*[(and_(camera_column == camera_id, time_column >= start, time_column < end), index)
                  for index, camera_id, start, end in uses], else_=None)


def _camera_use(session: Session, uses: list[tuple[int, int, datetime, datetime]]
                ) -> dict[int, tuple[int, int, int, int]]:
    """For each (index, camera id, start, end): incidents the camera was used on in [start, end), their arrests, and
    its footage produced and later used, by index.

    Two statements whatever the number of deployments: the incidents and the produced footage of the deployments'
    cameras from the earliest start to the latest end, through the camera-id indexes of the link tables, counted
    by deployment (a CASE names each row's deployment) so that a dozen rows come back rather than every incident.
    (A UNION ALL of one joined SELECT per deployment made PostgreSQL walk every incident of each window against the
    link table's primary key: 0.6 s of the dashboard's time for a quarter of the demo.)
    """
    if not uses:
        return {}
    cameras = sorted({camera_id for _, camera_id, _, _ in uses})
    first, last = min(u[2] for u in uses), max(u[3] for u in uses)
    figures = {index: [0, 0, 0, 0] for index, _, _, _ in uses}
    deployment = _deployment_of(IncidentCamera.camera_id, Incident.occurred_at, uses).label("deployment")
    for index, incidents, arrests in session.execute(
        select(deployment, func.count(), func.coalesce(func.sum(Incident.arrests), 0))
        .join(Incident, col(Incident.id) == IncidentCamera.incident_id)
        .where(col(IncidentCamera.camera_id).in_(cameras), col(Incident.occurred_at) >= first,
               col(Incident.occurred_at) < last, col(Incident.voided_at).is_(None))
        .group_by(deployment)
    ):
        if index is not None:
            figures[index][0:2] = [int(incidents), int(arrests)]
    deployment = _deployment_of(EvidenceCamera.camera_id, EvidenceRequest.window_start, uses).label("deployment")
    used_later = func.sum(case((col(EvidenceRequest.later_use).in_(USED_LATER), 1), else_=0))
    for index, produced, used in session.execute(
        select(deployment, func.count(), used_later)
        .join(EvidenceRequest, col(EvidenceRequest.id) == EvidenceCamera.evidence_id)
        .where(col(EvidenceCamera.camera_id).in_(cameras), col(EvidenceRequest.produced_at).is_not(None),
               col(EvidenceRequest.window_start) >= first, col(EvidenceRequest.window_start) < last)
        .group_by(deployment)
    ):
        if index is not None:
            figures[index][2:4] = [int(produced), int(used)]
    return {index: (incidents, arrests, produced, used) for index, (incidents, arrests, produced, used)
            in figures.items()}


def _end(span: _Span, clip: datetime) -> datetime:
    return span.end if span.end is not None else clip


def _around(span: _Span, clip: datetime) -> tuple[datetime, datetime] | None:
    """[before's start, after's end) of the incidents counted around the deployment's point; None without a point
    or a length."""
    end = _end(span, clip)
    length = end - span.start
    if span.longitude is None or span.latitude is None or length <= timedelta(0):
        return None
    return span.start - length, (min(end + length, clip) if span.end is not None else end)


def _row(span: _Span, clip: datetime, found: dict[int, tuple[int, int]], used: tuple[int, int, int, int]
         ) -> DeploymentRow:
    end = _end(span, clip)
    before = during = after = None
    around = _around(span, clip)
    if around is not None:
        before = _window(found, _BEFORE, around[0], span.start)
        during = _window(found, _DURING, span.start, end)
        if span.end is not None:
            after = _window(found, _AFTER, end, max(end, around[1]))  # empty when it left at the end of today
    camera = span.camera
    assert camera.id is not None
    return DeploymentRow(camera.id, camera.asset_id, camera.name, span.location_text, span.town, span.longitude,
                         span.latitude, span.start, span.end, span.reason, before, during, after, *used)


def deployments(session: Session, period: Period, *, radius_m: float = DEFAULT_RADIUS_M,
                filters: Filters | None = None, today: date | None = None) -> list[DeploymentRow]:
    """Every deployment of a deployable camera overlapping the period, by camera then start, with its figures.

    `filters` keeps deployments in the town (of the place) and the camera's service area; `today` (London date,
    default today) is where "after" windows and current deployments stop: the end of that day.

    A fixed number of statements whatever the number of deployments (up to `_SPANS_PER_STATEMENT`): the cameras,
    their moves, one UNION ALL for the incidents around the places (counted by window and point), and one
    statement each for the cameras' own incidents and their footage.
    """
    clip = london_midnight((today or london_date(utcnow())) + timedelta(days=1))
    cameras = session.exec(
        select(Camera).where(Camera.kind == CameraKind.DEPLOYABLE, col(Camera.status) != CameraStatus.PLANNED)
        .order_by(col(Camera.asset_id))
    ).all()
    moves: dict[int, list[CameraMove]] = defaultdict(list)
    ids = [c.id for c in cameras]
    for move in session.exec(select(CameraMove).where(col(CameraMove.camera_id).in_(ids))
                             .order_by(col(CameraMove.moved_at), col(CameraMove.id))):
        moves[move.camera_id].append(move)
    spans = [span for camera in cameras for span in _spans(camera, moves[camera.id or 0])
             if _overlaps(span, period.start_utc, period.end_utc) and _in_filters(span, filters)]
    if not spans:
        return []
    places = []
    for index, span in enumerate(spans):
        around = _around(span, clip)
        if around is not None:
            assert span.longitude is not None and span.latitude is not None
            places.append((index, span.longitude, span.latitude, around[0], span.start, _end(span, clip), around[1]))
    found = _nearby(session, places, radius_m) if places else {}
    used = _camera_use(session, [(index, span.camera.id or 0, span.start, _end(span, clip))
                                 for index, span in enumerate(spans)])
    return [_row(span, clip, found.get(index, {}), used[index]) for index, span in enumerate(spans)]


def deployment_summary(rows: list[DeploymentRow]) -> DeploymentSummary:
    """Totals of the listed deployments: how many, of how many cameras, at how many distinct places."""
    return DeploymentSummary(
        deployments=len(rows),
        cameras=len({r.camera_id for r in rows}),
        locations=len({r.location_key for r in rows}),
        camera_incidents=sum(r.camera_incidents for r in rows),
        camera_arrests=sum(r.camera_arrests for r in rows),
        evidence_produced=sum(r.evidence_produced for r in rows),
        evidence_used=sum(r.evidence_used for r in rows),
    )


__all__ = ["DeploymentRow", "DeploymentSummary", "WindowFigures", "deployment_summary", "deployments"]
