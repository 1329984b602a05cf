"""The SQL conditions that say which incidents and footage requests the outcome measures count, shared by every
measure so that they all count the same ones (`incidents`, `links`, `arrests`, `hours_review`, `effectiveness`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from cctv.controlroom.models import EvidenceCamera, EvidenceRequest, Incident, IncidentCamera
from cctv.outcomes.periods import Filters, Period
from inventory.models import Camera
from inventory.types import CameraKind


def _incidents_on_cameras(filters: Filters) -> Any:
    """SELECT of the ids of incidents with a camera inside the filters."""
    return (select(IncidentCamera.incident_id)
            .join(Camera, _visible_camera()).where(*filters.camera_clauses()))


def _visible_camera() -> ColumnElement[bool]:
    """The join to an incident's cameras, covert ones left out: the measures are for councillors and police, and a
    town or service area row made of covert use alone would say where covert cameras are."""
    return and_(col(Camera.id) == IncidentCamera.camera_id, col(Camera.kind) != CameraKind.COVERT)


def incident_clauses(period: Period, filters: Filters) -> list[ColumnElement[bool]]:
    """SQL conditions on `Incident` for the incidents the measures count (occurred in the period, in the filters)."""
    clauses: list[ColumnElement[bool]] = [
        col(Incident.occurred_at) >= period.start_utc,
        col(Incident.occurred_at) < period.end_utc,
        col(Incident.voided_at).is_(None),  # a void incident (a duplicate, a mistake) counts in no measure
    ]
    if filters.active:  # IN (…) rather than a correlated EXISTS: the camera side is small and hashed once
        clauses.append(col(Incident.id).in_(_incidents_on_cameras(filters)))
    return clauses


def evidence_clauses(period: Period, filters: Filters) -> list[ColumnElement[bool]]:
    """SQL conditions on `EvidenceRequest` for the requests produced in the period, linked to cameras in the filters."""
    clauses: list[ColumnElement[bool]] = [
        col(EvidenceRequest.produced_at) >= period.start_utc,
        col(EvidenceRequest.produced_at) < period.end_utc,
    ]
    if filters.active:
        asked = (select(EvidenceCamera.evidence_id)
                 .join(Camera, col(Camera.id) == EvidenceCamera.camera_id).where(*filters.camera_clauses()))
        clauses.append(or_(col(EvidenceRequest.id).in_(asked),
                           col(EvidenceRequest.incident_id).in_(_incidents_on_cameras(filters))))
    return clauses
