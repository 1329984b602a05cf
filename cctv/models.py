"""Every table of the application, imported in one place so metadata and migrations see them all."""

from sqlmodel import SQLModel

from cctv.audit import AuditEntry
from cctv.auth.models import ApiToken, User, UserServiceArea
from cctv.controlroom.models import (
    Arrest,
    ControlRoom,
    Disclosure,
    EvidenceCamera,
    EvidenceMedia,
    EvidenceMovement,
    EvidenceRequest,
    Incident,
    IncidentCamera,
    IncidentCategory,
    ReferenceCounter,
    RetentionExemption,
    Shift,
    ShiftFault,
    Submission,
)
from cctv.notifications.models import InboxMessage, ReminderDispatch
from cctv.transparency.models import PublicNotice, PublicRequest, PublishedSystem, Sign, SignCamera
from dpia.models import AssessmentAction, Dpia, DpiaReview, DpiaRisk, PrincipleAnswerRow, SelfAssessment
from inventory.models import (
    Camera,
    CameraMove,
    CameraSystem,
    Fault,
    Funding,
    FundingCamera,
    InventoryChange,
    ServiceArea,
)
from inventory.upkeep_models import BodyWornIssue, CameraLifecycle, MaintenanceContract, PpmSchedule
from siting.store import postgis  # noqa: F401 - its listener adds the crimes' PostGIS point beside the table
from siting.store.council_area import CouncilArea
from siting.store.jobs import ImportJob
from siting.store.saved import CandidateSite, SitingRun
from siting.store.tables import Crime, CrimeImport, CrimeMonthColumns
from siting.store.wards import WardBoundary

metadata = SQLModel.metadata

__all__ = [
    "ApiToken",
    "Arrest",
    "AssessmentAction",
    "AuditEntry",
    "BodyWornIssue",
    "Camera",
    "CameraLifecycle",
    "CameraMove",
    "CameraSystem",
    "CandidateSite",
    "ControlRoom",
    "CouncilArea",
    "Crime",
    "CrimeImport",
    "CrimeMonthColumns",
    "Disclosure",
    "Dpia",
    "DpiaReview",
    "DpiaRisk",
    "EvidenceCamera",
    "EvidenceMedia",
    "EvidenceMovement",
    "EvidenceRequest",
    "Fault",
    "Funding",
    "FundingCamera",
    "ImportJob",
    "InboxMessage",
    "Incident",
    "IncidentCamera",
    "IncidentCategory",
    "InventoryChange",
    "MaintenanceContract",
    "PpmSchedule",
    "PrincipleAnswerRow",
    "PublicNotice",
    "PublicRequest",
    "PublishedSystem",
    "ReferenceCounter",
    "ReminderDispatch",
    "RetentionExemption",
    "SelfAssessment",
    "ServiceArea",
    "Shift",
    "ShiftFault",
    "Sign",
    "SignCamera",
    "SitingRun",
    "Submission",
    "User",
    "UserServiceArea",
    "WardBoundary",
    "metadata",
]
