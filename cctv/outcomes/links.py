"""The period's incident-camera links, counted once per dashboard for three measures: the incident breakdowns by
the cameras' town and service area (`incidents`), the per-camera figures (`effectiveness`) and the idle cameras."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, literal, null, select, union_all
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func

from cctv.controlroom.models import Incident, IncidentCamera
from cctv.outcomes.clauses import incident_clauses
from cctv.outcomes.periods import Filters, Period
from inventory.models import Camera
from inventory.types import CameraKind

# Each breakdown row of `camera_links`: (value, incidents, arrests); the value None stands for "(no camera)".
Tallies = tuple[tuple[Any, int, int], ...]
_PER_CAMERA, _BY_TOWN, _BY_SERVICE_AREA = 0, 1, 2  # the three GROUP BYs of `camera_links`, as its SQL numbers them


@dataclass(frozen=True)
class CameraLinks:
    """The period's counted incidents tallied by their visible cameras, read once by `camera_links` and shared by the
    breakdowns by town and service area, the per-camera figures (`effectiveness`) and the idle cameras: each of
    them used to join the period's incidents to their cameras again (the dashboard's costliest repeated work).

    `per_camera` is for every camera, whatever the filters (the per-camera figures narrow the cameras themselves);
    `by_town` and `by_service_area` count each incident once per value among its cameras inside `filters`."""

    period: Period
    filters: Filters
    per_camera: Tallies
    by_town: Tallies
    by_service_area: Tallies

    def cameras_used(self) -> set[int]:
        """The ids of the visible cameras used on a counted incident of the period."""
        return {camera_id for camera_id, _, _ in self.per_camera if camera_id is not None}


def _link_tallies(links: Any, field: int, value: Any, where: list[ColumnElement[bool]]) -> Any:
    """One breakdown of the links: (field, value, incidents, arrests) per value, each (value, incident) pair once
    (an incident seen by two cameras of one town counts once in that town; per camera, the link table's primary key
    already makes the pairs unique). Integer and text values have a column each, so that the UNION ALL's columns
    keep one type on PostgreSQL."""
    pairs = select(value.label("value"), links.c.incident_id, links.c.arrests).where(*where)
    pairs = (pairs if field == _PER_CAMERA else pairs.distinct()).subquery()
    number, text = (pairs.c.value, null()) if field != _BY_TOWN else (null(), pairs.c.value)
    return (select(literal(field), number, text, func.count(), func.coalesce(func.sum(pairs.c.arrests), 0))
            .group_by(pairs.c.value))


def _id_bounds(period: Period) -> tuple[Any, Any]:
    """The lowest and highest id of the incidents that occurred in the period, as scalar subqueries.

    Implied by the join to the period's incidents, so they change no answer; said outright, they let PostgreSQL
    read only that range of the link table's primary key (ids follow the order incidents are logged in, close to
    when they occurred) where it otherwise scanned every link of every year. The `+ 0` keeps it from answering
    MIN(id) by walking the primary key from its start, row by row, to the first incident of the period."""
    occurred = (col(Incident.occurred_at) >= period.start_utc, col(Incident.occurred_at) < period.end_utc)
    bounds = [select(aggregate(col(Incident.id) + 0)).where(*occurred).scalar_subquery()
              for aggregate in (func.min, func.max)]
    return bounds[0], bounds[1]


def camera_links(session: Session, period: Period, filters: Filters | None = None) -> CameraLinks:
    """The period's counted incidents (`incident_clauses`, no filter) with their visible cameras, tallied by camera,
    by the cameras' town and by their service area (`CameraLinks`) in one statement.

    The database joins the period's incidents to their cameras once (a CTE) and counts the three GROUP BYs from it,
    so a hundred-odd rows come back rather than every link (ten thousand for a quarter of the demo, whose tallying
    here was a third of the dashboard's Python time). The links start from the period's incidents and look their
    cameras up by the link table's primary key, which both databases plan well. The covert cameras are left out in
    the link's own join condition (NOT IN a short list), so an incident with only covert cameras comes out once
    with no camera (NULL), like one with none; with filters such an incident has no town and counts in no row.
    """
    filters = filters or Filters()
    covert = select(Camera.id).where(Camera.kind == CameraKind.COVERT)
    lowest, highest = _id_bounds(period)
    links = (
        select(col(Incident.id).label("incident_id"), Incident.arrests, col(Camera.id).label("camera_id"), Camera.town,
               Camera.service_area_id).select_from(Incident)
        .join(IncidentCamera, and_(col(IncidentCamera.incident_id) == Incident.id,
                                   col(IncidentCamera.incident_id).between(lowest, highest),
                                   col(IncidentCamera.camera_id).not_in(covert)), isouter=True)
        .join(Camera, col(Camera.id) == IncidentCamera.camera_id, isouter=True)
        .where(*incident_clauses(period, Filters()))
    ).cte("links")
    inside: list[ColumnElement[bool]] = []
    if filters.active:  # only the cameras inside the filters give rows
        inside.append(links.c.camera_id.is_not(None))
        if filters.town:
            inside.append(links.c.town == filters.town)
        if filters.service_area_id is not None:
            inside.append(links.c.service_area_id == filters.service_area_id)
    stmt = union_all(
        _link_tallies(links, _PER_CAMERA, links.c.camera_id, []),
        _link_tallies(links, _BY_TOWN, links.c.town, inside),
        _link_tallies(links, _BY_SERVICE_AREA, links.c.service_area_id, inside),
    )
    found: dict[int, list[tuple[Any, int, int]]] = {_PER_CAMERA: [], _BY_TOWN: [], _BY_SERVICE_AREA: []}
    for field, number, text, incidents, arrests in session.execute(stmt):
        found[field].append((text if field == _BY_TOWN else number, int(incidents), int(arrests)))
    return CameraLinks(period, filters, *(tuple(found[field]) for field in (_PER_CAMERA, _BY_TOWN, _BY_SERVICE_AREA)))
