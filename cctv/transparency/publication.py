"""What the council publishes, and the public page assembled from it.

Only what was chosen appears: a camera is public when its system has been published (`PublishedSystem`), its kind is
a public-space kind (fixed, PTZ, deployable, car park: never covert, and never the internal kinds such as building,
body-worn, ANPR or traffic), and it is working or awaiting repair (not planned, in storage or decommissioned). A covert
system can never be published. `public_page` reads everything the page, its JSON and its CSV show, so the three
cannot disagree; it reads no personal data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from cctv.outcomes.periods import Filters, year
from cctv.outcomes.summary import advisory_pack
from cctv.transparency.models import (
    NOTICE_ID,
    PublicNotice,
    PublicNoticeBase,
    PublishedSystem,
    PublishedSystemBase,
    Sign,
    SignCamera,
)
from dpia import selfassessment
from dpia.models import Dpia, SelfAssessment
from dpia.principles import principle
from dpia.types import AssessmentStatus, DpiaStatus
from inventory.models import Camera, CameraSystem
from inventory.scope import covert_system_ids
from inventory.types import PUBLIC_SPACE_KINDS, CameraStatus, london_midnight, utcnow

PUBLIC_STATUSES = (CameraStatus.OPERATIONAL, CameraStatus.FAULTY)
FIRST_FIGURES_YEAR = 2015  # the earliest year whose figures may be published
FIGURES = ("incidents", "arrests", "evidence_produced", "evidence_later_used")  # the annual figures published


class NotPublishable(ValueError):
    """The record cannot be published (a covert or unknown system, a self-assessment not completed)."""


def notice(session: Session) -> PublicNotice:
    """The public notice (an unsaved empty one until the DPO first writes it)."""
    return session.get(PublicNotice, NOTICE_ID) or PublicNotice(id=NOTICE_ID)


def _touch(session: Session, row: PublicNotice, actor: str) -> PublicNotice:
    row.updated_at, row.updated_by = utcnow(), actor
    session.add(row)
    session.flush()
    return row


def save_notice(session: Session, data: PublicNoticeBase, *, actor: str) -> PublicNotice:
    """Write the notice's text (operator, data controller, contact point, introduction)."""
    row = notice(session)
    for name, value in data.model_dump().items():
        setattr(row, name, value.strip())
    return _touch(session, row, actor)


def publish_self_assessment(session: Session, assessment_id: int | None, *, actor: str) -> PublicNotice:
    """Publish a completed self-assessment (None withdraws the one published)."""
    if assessment_id is not None:
        found = session.get(SelfAssessment, assessment_id)
        if found is None or found.status != AssessmentStatus.COMPLETED:
            raise NotPublishable("only a completed self-assessment can be published")
    row = notice(session)
    row.self_assessment_id = assessment_id
    return _touch(session, row, actor)


def annual_figures(session: Session, figures_year: int) -> dict[str, dict[str, object]]:
    """The year's totals for the whole estate (covert cameras are never counted by the measures)."""
    pack = advisory_pack(session, year(figures_year), Filters(), today=date(figures_year, 12, 31),
                         now=london_midnight(date(figures_year + 1, 1, 1)))
    return {name: {"label": pack.trend[name].label, "value": pack.trend[name].current} for name in FIGURES}


def figures_years(today: date) -> list[int]:
    """The years whose figures may be published, newest first: complete years only."""
    return list(range(today.year - 1, FIRST_FIGURES_YEAR - 1, -1))


def publish_figures(session: Session, figures_year: int | None, *, actor: str, today: date) -> PublicNotice:
    """Publish a snapshot of a complete year's figures (None withdraws them). The snapshot does not move when
    records are later corrected: the public see what the council published, on the day it published it."""
    if figures_year is not None and figures_year not in figures_years(today):
        raise NotPublishable(f"only a complete year's figures can be published ({FIRST_FIGURES_YEAR} to "
                             f"{today.year - 1})")
    row = notice(session)
    row.figures_year = figures_year
    row.figures_json = json.dumps(annual_figures(session, figures_year)) if figures_year is not None else ""
    return _touch(session, row, actor)


def publishable_systems(session: Session) -> list[CameraSystem]:
    """The systems that may be published: every system but the covert ones."""
    return list(session.exec(select(CameraSystem).where(col(CameraSystem.id).not_in(covert_system_ids()))
                             .order_by(col(CameraSystem.name))))


def published_systems(session: Session) -> dict[int, PublishedSystem]:
    """The published systems by system id."""
    return {p.system_id: p for p in session.exec(select(PublishedSystem))}


def publish_system(session: Session, system_id: int, data: PublishedSystemBase, *, actor: str) -> PublishedSystem:
    """Publish a system (or change what is said of it): its public-space cameras appear on the public page."""
    if system_id not in {s.id for s in publishable_systems(session)}:
        raise NotPublishable("that system cannot be published")
    row = session.exec(select(PublishedSystem).where(PublishedSystem.system_id == system_id)).first()
    row = row or PublishedSystem(system_id=system_id)
    row.purpose, row.dpia_summary = data.purpose.strip(), data.dpia_summary.strip()
    row.published_at, row.published_by = utcnow(), actor
    session.add(row)
    session.flush()
    return row


def system_by_name(session: Session, name: str) -> CameraSystem | None:
    """A publishable system by its name, any case (None for an unknown or covert one)."""
    wanted = " ".join(name.split()).casefold()
    return next((s for s in publishable_systems(session) if s.name.casefold() == wanted), None)


def withdraw_system(session: Session, system_id: int) -> bool:
    """Take a system off the public page; False if it was not published."""
    row = session.exec(select(PublishedSystem).where(PublishedSystem.system_id == system_id)).first()
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


@dataclass(frozen=True)
class PublicCamera:
    """A camera as the public sees it: no notes, no equipment, nothing but where, why and who."""

    ref: str
    name: str
    location: str
    town: str
    ward: str
    latitude: float | None
    longitude: float | None
    purpose: str
    system: str
    data_controller: str

    def as_json(self) -> dict[str, object]:
        """The GeoJSON properties."""
        return {"ref": self.ref, "name": self.name, "location": self.location, "town": self.town,
                "ward": self.ward, "purpose": self.purpose, "system": self.system,
                "data_controller": self.data_controller}


def public_cameras(session: Session, default_controller: str = "") -> list[PublicCamera]:
    """Every camera the public page shows (see the module's notes), by town then reference."""
    stmt = (select(Camera, CameraSystem.name, PublishedSystem.purpose)
            .join(CameraSystem, col(Camera.system_id) == CameraSystem.id)
            .join(PublishedSystem, col(PublishedSystem.system_id) == CameraSystem.id)
            .where(col(Camera.kind).in_(sorted(PUBLIC_SPACE_KINDS)), col(Camera.status).in_(PUBLIC_STATUSES),
                   col(CameraSystem.id).not_in(covert_system_ids()))
            .order_by(col(Camera.town), col(Camera.asset_id)))
    return [PublicCamera(ref=c.asset_id, name=c.name, location=c.location_text, town=c.town or "Other places",
                         ward=c.ward, latitude=c.latitude, longitude=c.longitude, purpose=purpose, system=system,
                         data_controller=c.data_controller or default_controller)
            for c, system, purpose in session.exec(stmt)]


@dataclass(frozen=True)
class PublicSystem:
    """A published system: its purpose, the DPIA summary and the version in force."""

    name: str
    purpose: str
    dpia_summary: str
    dpia_version: int | None
    dpia_signed_off: datetime | None
    next_review: date | None


@dataclass(frozen=True)
class PublicSign:
    """A sign on the public page, with the public cameras it covers."""

    place: str
    town: str
    wording: str
    last_inspected: date | None
    cameras: tuple[str, ...]


@dataclass(frozen=True)
class PublicAnswer:
    """One principle's answer in the published self-assessment."""

    number: int
    title: str
    answer: str


@dataclass(frozen=True)
class PublicPage:
    """Everything the public page shows."""

    notice: PublicNotice
    cameras: list[PublicCamera]
    systems: list[PublicSystem]
    signs: list[PublicSign]
    assessment_title: str | None
    assessment_completed: date | None
    answers: list[PublicAnswer]
    figures_year: int | None
    figures: list[tuple[str, object]]

    def towns(self) -> list[tuple[str, list[PublicCamera]]]:
        """The cameras grouped by town, in order."""
        grouped: dict[str, list[PublicCamera]] = {}
        for camera in self.cameras:
            grouped.setdefault(camera.town, []).append(camera)
        return list(grouped.items())


def _systems(session: Session) -> list[PublicSystem]:
    """The published systems with the DPIA version in force of each (two statements, however many systems)."""
    rows = list(session.exec(select(PublishedSystem, CameraSystem.name)
                             .join(CameraSystem, col(PublishedSystem.system_id) == CameraSystem.id)
                             .where(col(CameraSystem.id).not_in(covert_system_ids()))
                             .order_by(col(CameraSystem.name))))
    in_force: dict[int, Dpia] = {}
    signed = select(Dpia).where(col(Dpia.system_id).in_([p.system_id for p, _ in rows]),
                                Dpia.status == DpiaStatus.SIGNED_OFF).order_by(col(Dpia.version))
    for dpia in session.exec(signed):
        in_force[dpia.system_id] = dpia  # the highest version last, as register.latest_signed_off picks
    systems = []
    for published, name in rows:
        dpia = in_force.get(published.system_id)
        systems.append(PublicSystem(name, published.purpose, published.dpia_summary, dpia.version if dpia else None,
                                    dpia.signed_off_at if dpia else None, dpia.next_review_due if dpia else None))
    return systems


def _signs(session: Session, cameras: list[PublicCamera]) -> list[PublicSign]:
    """Signs covering at least one public camera, each naming only public cameras."""
    public_refs = {c.ref for c in cameras}
    covered: dict[int, list[str]] = {}
    for sign_id, ref in session.exec(select(SignCamera.sign_id, Camera.asset_id)
                                     .join(Camera, col(SignCamera.camera_id) == Camera.id)):
        if ref in public_refs:
            covered.setdefault(sign_id, []).append(ref)
    if not covered:
        return []
    signs = session.exec(select(Sign).where(col(Sign.id).in_(sorted(covered))).order_by(col(Sign.town),
                                                                                        col(Sign.place)))
    return [PublicSign(s.place, s.town, s.wording, s.last_inspected, tuple(sorted(covered[s.id or 0])))
            for s in signs]


def public_page(session: Session, default_controller: str = "") -> PublicPage:
    """The public page's content (see the module's notes); cameras naming no data controller get the notice's, else
    `default_controller` (the council)."""
    row = notice(session)
    cameras = public_cameras(session, row.data_controller or default_controller)
    title = completed = None
    answers: list[PublicAnswer] = []
    assessment = session.get(SelfAssessment, row.self_assessment_id) if row.self_assessment_id \
        else None
    if assessment is not None and assessment.status == AssessmentStatus.COMPLETED:
        title, completed = assessment.title, selfassessment.completed_on(assessment)
        answers = [PublicAnswer(a.principle, principle(a.principle).title,
                                a.answer.value.replace("_", " ") if a.answer else "not answered")
                   for a in sorted(selfassessment.answers(session, assessment.id or 0), key=lambda a: a.principle)]
    figures = json.loads(row.figures_json) if row.figures_json else {}
    return PublicPage(
        notice=row, cameras=cameras, systems=_systems(session), signs=_signs(session, cameras),
        assessment_title=title, assessment_completed=completed, answers=answers, figures_year=row.figures_year,
        figures=[(f["label"], f["value"]) for f in figures.values()],
    )
