"""Enumerations and defaults of the control-room log."""

from __future__ import annotations

from enum import StrEnum

# The default incident categories (DESIGN §6; the UK list): code → label. Stored in `incident_category`,
# where an administrator may add, rename, reorder or retire them; incidents keep the code they were logged with.
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("violence", "Violence"),
    ("sexual_offence", "Sexual offence"),
    ("robbery", "Robbery"),
    ("burglary", "Burglary"),
    ("theft", "Theft"),
    ("shoplifting", "Shoplifting"),
    ("criminal_damage", "Criminal damage"),
    ("drugs", "Drugs"),
    ("public_order", "Public order"),
    ("asb", "Anti-social behaviour"),
    ("weapons", "Weapons"),
    ("missing_vulnerable", "Missing or vulnerable person"),
    ("welfare", "Concern for welfare"),
    ("road_traffic", "Road traffic"),
    ("fire", "Fire"),
    ("suspicious", "Suspicious behaviour"),
    ("other", "Other"),
)


class IncidentSource(StrEnum):
    """How the control room came to the incident."""

    PROACTIVE = "proactive"  # spotted by an operator watching the screens
    POLICE_REQUEST = "police_request"
    POLICE_RADIO = "police_radio"
    PUBLIC = "public"
    BUSINESS_RADIO = "business_radio"  # retail / pub radio schemes
    OTHER = "other"


SOURCE_LABELS: dict[IncidentSource, str] = {
    IncidentSource.PROACTIVE: "Proactive monitoring",
    IncidentSource.POLICE_REQUEST: "Police request",
    IncidentSource.POLICE_RADIO: "Police radio",
    IncidentSource.PUBLIC: "Member of the public",
    IncidentSource.BUSINESS_RADIO: "Retail / pub radio",
    IncidentSource.OTHER: "Other",
}


class FollowUp(StrEnum):
    """An incident's follow-up: open while something is still to do, closed when the log entry is complete."""

    OPEN = "open"
    AWAITING_POLICE = "awaiting_police"
    EVIDENCE_PENDING = "evidence_pending"
    CLOSED = "closed"


class LaterUse(StrEnum):
    """What became of released footage, as the police report it back."""

    UNKNOWN = "unknown"
    CHARGED = "charged"
    PROSECUTION = "prosecution"
    CAUTION = "caution"
    NOT_USED = "not_used"


class DisclosureKind(StrEnum):
    """The three kinds of request in the disclosure log."""

    POLICE = "police"
    SUBJECT_ACCESS = "subject_access"
    FOI = "foi"


class DisclosureStatus(StrEnum):
    """Where a disclosure request stands."""

    OPEN = "open"
    DISCLOSED = "disclosed"  # released (in full or redacted)
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class RedactionStatus(StrEnum):
    """Redaction of third parties before a subject access disclosure."""

    NOT_NEEDED = "not_needed"
    NEEDED = "needed"
    IN_PROGRESS = "in_progress"
    DONE = "done"
