"""Building the Advisory Group's pack: every measure for one period and set of filters.

`advisory_pack` calls each measure once and keeps the answers in a frozen `AdvisoryPack` (`cctv.outcomes.pack`);
the dashboard, the CSVs (`csvs`) and the PDF (`report`) all read that one object, so they cannot disagree. The
summary by the six principles of the strategy (DESIGN §2) is `cctv.outcomes.principles.principles_summary(pack)`.

What the filters (town, service area) narrow: incidents, camera effectiveness, idle cameras, the hours review,
deployments and maintenance. Investment and compliance are the whole estate's whatever the filters (an award and a
DPIA belong to no one town). Covert cameras never appear: no measure lists them (effectiveness, idle cameras and
deployments count public-space, deployable and car-park cameras only; maintenance and compliance leave covert out).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from cctv.outcomes.arrests import arrest_measures
from cctv.outcomes.compliance import compliance
from cctv.outcomes.deployables import DEFAULT_RADIUS_M, deployment_summary, deployments
from cctv.outcomes.effectiveness import CameraRow, camera_effectiveness, idle_cameras, months_before, trend
from cctv.outcomes.hours_review import hours_review, monitored_hours_in, room_hours
from cctv.outcomes.incidents import incident_measures, incident_totals, service_area_names
from cctv.outcomes.investment import investment
from cctv.outcomes.links import CameraLinks, camera_links
from cctv.outcomes.maintenance import maintenance
from cctv.outcomes.pack import AdvisoryPack, IdleCamera
from cctv.outcomes.periods import Filters, Period
from inventory.types import CameraKind, london_date, london_midnight, utcnow

BEST_COUNT = 5  # cameras listed as best and as worst
IDLE_MONTHS = 12


def _filter_labels(filters: Filters, areas: dict[int, str]) -> tuple[str, ...]:
    labels = []
    if filters.town:
        labels.append(f"Town: {filters.town}")
    if filters.service_area_id is not None:
        labels.append(f"Service area: {areas.get(filters.service_area_id, filters.service_area_id)}")
    return tuple(labels)


def _idle(session: Session, filters: Filters, today: date, months: int, links: CameraLinks,
          areas: dict[int, str]) -> tuple[IdleCamera, ...]:
    """The idle cameras inside the filters. The cameras used in the period are passed on as known to be in use
    when the period lies inside the idle window (the usual case: the last complete quarter)."""
    since, until = london_midnight(months_before(today, months)), london_midnight(today + timedelta(days=1))
    inside = since <= links.period.start_utc and links.period.end_utc <= until
    found = [(c, last) for c, last in idle_cameras(session, today, months,
                                                   used=links.cameras_used() if inside else None)
             if filters.admits(c.town, c.service_area_id)]
    return tuple(
        IdleCamera(c.id or 0, c.asset_id, c.name, CameraKind(c.kind), c.town, areas.get(c.service_area_id, ""),
                   c.install_date, last)
        for c, last in found
    )


def best_and_worst(rows: tuple[CameraRow, ...], n: int = BEST_COUNT
                   ) -> tuple[tuple[CameraRow, ...], tuple[CameraRow, ...]]:
    """The n most used cameras (with at least one incident) and the n least used (not among the best).

    Most used: most incidents, then arrests, then evidence (the effectiveness order). Least used: fewest incidents,
    then fewest arrests, then least evidence, then by asset id.
    """
    best = tuple(r for r in rows if r.incidents > 0)[:n]
    chosen = {r.camera_id for r in best}
    rest = sorted((r for r in rows if r.camera_id not in chosen),
                  key=lambda r: (r.incidents, r.arrests, r.evidence_produced, r.asset_id))
    return best, tuple(rest[:n])


def advisory_pack(session: Session, period: Period, filters: Filters | None = None, *, today: date | None = None,
                  now: datetime | None = None, radius_m: float = DEFAULT_RADIUS_M,
                  idle_months: int = IDLE_MONTHS) -> AdvisoryPack:
    """Every measure for the period under the filters (see the module's notes). Reads only; never commits.

    `now` defaults to the end of `today` (London) when only `today` is given, else to the clock; `today` defaults
    to `now`'s London date.
    """
    filters = filters or Filters()
    if now is None:
        now = utcnow() if today is None else min(utcnow(), london_midnight(today + timedelta(days=1)))
    today = today or london_date(now)
    links = camera_links(session, period, filters)  # the period's links counted once, for three measures
    areas = service_area_names(session)  # read once for the breakdowns and the idle cameras
    current = incident_measures(session, period, filters, links=links, areas=areas)
    previous = incident_totals(session, period.previous(), filters)  # only its totals are shown
    weekly_hours = room_hours(session)  # read once for the three measures that use them
    cameras = tuple(camera_effectiveness(session, period, filters, weekly_hours=weekly_hours, links=links))
    best, worst = best_and_worst(cameras)
    rows = tuple(deployments(session, period, radius_m=radius_m, filters=filters, today=today))
    return AdvisoryPack(
        period=period, filters=filters, filter_labels=_filter_labels(filters, areas), today=today, now=now,
        incidents=current, previous=previous, trend=trend(current, previous),
        monitored_hours=round(monitored_hours_in(period, weekly_hours), 2),
        cameras=cameras, best_cameras=best, worst_cameras=worst,
        idle_cameras=_idle(session, filters, today, idle_months, links, areas), idle_months=idle_months,
        hours=hours_review(session, period, filters, weekly_hours=weekly_hours),
        deployments=rows, deployment_summary=deployment_summary(list(rows)), radius_m=radius_m,
        investment=investment(session, period),
        maintenance=maintenance(session, period, filters, now=now),
        compliance=compliance(session, today),
        arrests=arrest_measures(session, period, filters),
    )


__all__ = ["BEST_COUNT", "IDLE_MONTHS", "advisory_pack", "best_and_worst"]
