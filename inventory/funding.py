"""The funding register: awards by source and the cameras they paid for."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from inventory.models import Camera, Funding, FundingCamera, FundingCreate
from inventory.scope import CameraScope
from inventory.types import FundingSource


class DuplicateFundingReference(ValueError):
    """Another award already has that reference."""


def record_funding(session: Session, scope: CameraScope, data: FundingCreate) -> Funding:
    """Add an award, linked to the cameras it paid for (only cameras the user may see)."""
    if session.exec(select(Funding.id).where(Funding.reference == data.reference)).first() is not None:
        raise DuplicateFundingReference(f"funding reference {data.reference} already exists")
    funding = Funding.model_validate(data.model_dump(exclude={"camera_ids"}))
    cameras = session.exec(select(Camera).where(col(Camera.id).in_(data.camera_ids), scope.where())).all()
    missing = set(data.camera_ids) - {c.id for c in cameras}
    if missing:
        raise LookupError(f"no such camera: {', '.join(str(i) for i in sorted(missing))}")
    session.add(funding)
    session.flush()
    # Link rows added as objects (not through the relationship's secondary table) so the audit trail sees them.
    session.add_all(FundingCamera(funding_id=funding.id, camera_id=camera.id) for camera in cameras)
    session.flush()
    session.refresh(funding, ["cameras"])
    return funding


class FundingNotFound(LookupError):
    """No award with that id."""


def get_funding(session: Session, funding_id: int) -> Funding:
    """The award, or FundingNotFound."""
    funding = session.get(Funding, funding_id)
    if funding is None:
        raise FundingNotFound(funding_id)
    return funding


def update_funding(session: Session, scope: CameraScope, funding: Funding, data: FundingCreate) -> Funding:
    """Change an award's fields and the cameras it paid for. Links to cameras the user cannot see are kept as they
    are: a user without covert access must neither see nor drop a covert camera's link."""
    if session.exec(select(Funding.id).where(Funding.reference == data.reference, Funding.id != funding.id)).first():
        raise DuplicateFundingReference(f"funding reference {data.reference} already exists")
    cameras = session.exec(select(Camera).where(col(Camera.id).in_(data.camera_ids), scope.where())).all()
    missing = set(data.camera_ids) - {c.id for c in cameras}
    if missing:
        raise LookupError(f"no such camera: {', '.join(str(i) for i in sorted(missing))}")
    for name, value in data.model_dump(exclude={"camera_ids"}).items():
        setattr(funding, name, value)
    session.add(funding)
    wanted = {c.id for c in cameras}
    links = session.exec(select(FundingCamera).where(FundingCamera.funding_id == funding.id)).all()
    visible = set(session.exec(select(Camera.id).where(
        col(Camera.id).in_([link.camera_id for link in links]), scope.where())).all())
    for link in links:
        if link.camera_id in visible and link.camera_id not in wanted:
            session.delete(link)  # audited as a delete of the link row
    linked = {link.camera_id for link in links}
    session.add_all(FundingCamera(funding_id=funding.id, camera_id=i) for i in sorted(wanted - linked))
    session.flush()
    session.refresh(funding, ["cameras"])
    return funding


def withdraw_funding(session: Session, funding: Funding, *, on: date, reason: str) -> Funding:
    """Withdraw an award: kept with the date and why, but no longer counted in totals or shown as paying."""
    if funding.withdrawn_on is not None:
        raise ValueError("that award is already withdrawn")
    if not reason.strip():
        raise ValueError("say why the award is withdrawn")
    funding.withdrawn_on, funding.withdrawn_reason = on, reason.strip()
    session.add(funding)
    session.flush()
    return funding


def awards_for_camera(session: Session, camera_id: int) -> list[Funding]:
    """The awards still standing that paid for a camera, newest first."""
    stmt = (select(Funding).join(FundingCamera, col(FundingCamera.funding_id) == col(Funding.id))
            .where(FundingCamera.camera_id == camera_id, col(Funding.withdrawn_on).is_(None))
            .order_by(col(Funding.awarded_on).desc()))
    return list(session.exec(stmt))


def list_funding(session: Session) -> list[Funding]:
    """Every award, newest first, with its cameras loaded."""
    stmt = select(Funding).options(selectinload(Funding.cameras)).order_by(col(Funding.awarded_on).desc())  # type: ignore[arg-type]
    return list(session.exec(stmt))


def totals_by_source(awards: list[Funding]) -> dict[FundingSource, Decimal]:
    """The sum awarded from each source (sources with nothing are absent); withdrawn awards do not count."""
    totals: dict[FundingSource, Decimal] = defaultdict(Decimal)
    for award in awards:
        if award.withdrawn_on is not None:
            continue
        totals[FundingSource(award.source)] += award.amount
    return dict(totals)
