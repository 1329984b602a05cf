"""The funding register: awards by source and the cameras they paid for."""

from collections import defaultdict
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


def list_funding(session: Session) -> list[Funding]:
    """Every award, newest first, with its cameras loaded."""
    stmt = select(Funding).options(selectinload(Funding.cameras)).order_by(col(Funding.awarded_on).desc())  # type: ignore[arg-type]
    return list(session.exec(stmt))


def totals_by_source(awards: list[Funding]) -> dict[FundingSource, Decimal]:
    """The sum awarded from each source (sources with nothing are absent)."""
    totals: dict[FundingSource, Decimal] = defaultdict(Decimal)
    for award in awards:
        totals[FundingSource(award.source)] += award.amount
    return dict(totals)
