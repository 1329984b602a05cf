"""Every table of the application, imported in one place so metadata and migrations see them all."""

from sqlmodel import SQLModel

from cctv.audit import AuditEntry
from cctv.auth.models import ApiToken, User, UserServiceArea
from cctv.controlroom.models import (
    ControlRoom,
    Disclosure,
    EvidenceCamera,
    EvidenceMedia,
    EvidenceRequest,
    Incident,
    IncidentCamera,
    IncidentCategory,
    ReferenceCounter,
    Shift,
    ShiftFault,
)
from cctv.notifications.models import InboxMessage, ReminderDispatch
from cctv.transparency.models import PublicNotice, PublishedSystem, Sign, SignCamera
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
from siting.store.saved import CandidateSite, SitingRun
from siting.store.tables import Crime, CrimeImport

metadata = SQLModel.metadata

__all__ = [
    "ApiToken",
    "AssessmentAction",
    "AuditEntry",
    "Camera",
    "CameraMove",
    "CameraSystem",
    "CandidateSite",
    "ControlRoom",
    "Crime",
    "CrimeImport",
    "Disclosure",
    "Dpia",
    "DpiaReview",
    "DpiaRisk",
    "EvidenceCamera",
    "EvidenceMedia",
    "EvidenceRequest",
    "Fault",
    "Funding",
    "FundingCamera",
    "InboxMessage",
    "Incident",
    "IncidentCamera",
    "IncidentCategory",
    "InventoryChange",
    "PrincipleAnswerRow",
    "PublicNotice",
    "PublishedSystem",
    "ReferenceCounter",
    "ReminderDispatch",
    "SelfAssessment",
    "ServiceArea",
    "Shift",
    "ShiftFault",
    "Sign",
    "SignCamera",
    "SitingRun",
    "User",
    "UserServiceArea",
    "metadata",
]
