"""The search box on every page: cameras, incidents, evidence requests and disclosures matching what was typed, each
kind only for users whose role may open it, cameras only within the user's scope (service areas; covert only with
covert access).

Incidents (hundreds of thousands) go through the full-text index (cctv/controlroom/search.py); cameras, evidence
requests and disclosures are a few thousand rows at most, so a case-insensitive LIKE over their short fields is
quick enough and finds parts of ids ("COV-7", "018547") that word matching would not.
"""

from dataclasses import dataclass, field

from sqlmodel import Session, col, or_, select

from cctv.controlroom.models import Disclosure, EvidenceRequest, Incident
from cctv.controlroom.search import IncidentQuery, search
from inventory.models import Camera
from inventory.scope import CameraScope

PER_KIND = 10  # the first few of each kind; each kind's own page lists the rest


@dataclass
class SiteResults:
    """What the search box found, by kind; a kind the user may not search stays empty (and `searched` says so)."""

    cameras: list[Camera] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    evidence: list[EvidenceRequest] = field(default_factory=list)
    disclosures: list[Disclosure] = field(default_factory=list)
    searched: frozenset[str] = frozenset()

    def total(self) -> int:
        """How many records were found in all."""
        return len(self.cameras) + len(self.incidents) + len(self.evidence) + len(self.disclosures)


def _like(typed: str) -> str:
    escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _any_holds(columns: tuple, typed: str):
    return or_(*(col(c).ilike(_like(typed), escape="\\") for c in columns))


def site_search(session: Session, typed: str, scope: CameraScope, kinds: frozenset[str],
                per_kind: int = PER_KIND) -> SiteResults:
    """Records of each kind in `kinds` ("cameras", "incidents", "evidence", "disclosures") matching the text."""
    typed = " ".join((typed or "").split())
    results = SiteResults(searched=kinds)
    if not typed:
        return results
    if "cameras" in kinds:
        stmt = (select(Camera).where(scope.where(), _any_holds(
            (Camera.asset_id, Camera.name, Camera.location_text, Camera.town), typed))
            .order_by(col(Camera.asset_id)).limit(per_kind))
        results.cameras = list(session.exec(stmt))
    if "incidents" in kinds:
        # A typed reference finds its incident; otherwise every word, in any indexed field (police reference too).
        by_reference = search(session, IncidentQuery(reference=typed), limit=per_kind)
        results.incidents = by_reference or search(session, IncidentQuery(words=typed), limit=per_kind)
    if "evidence" in kinds:
        stmt = (select(EvidenceRequest).where(_any_holds(
            (EvidenceRequest.police_reference, EvidenceRequest.requesting_officer, EvidenceRequest.force,
             EvidenceRequest.notes), typed))
            .order_by(col(EvidenceRequest.requested_at).desc()).limit(per_kind))
        results.evidence = list(session.exec(stmt))
    if "disclosures" in kinds:
        stmt = (select(Disclosure).where(_any_holds(
            (Disclosure.reference, Disclosure.requester, Disclosure.summary), typed))
            .order_by(col(Disclosure.received_on).desc(), col(Disclosure.id).desc()).limit(per_kind))
        results.disclosures = list(session.exec(stmt))
    return results
