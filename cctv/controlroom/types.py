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


class MovementKind(StrEnum):
    """A step in the chain of custody of one exported file (each is its own row, with the hash checked at it)."""

    PRODUCED = "produced"  # exported from the recorder and checked against the hash recorded with the file
    COPIED = "copied"  # a further copy made (a working copy, a copy for the CPS)
    HANDED_OVER = "handed_over"  # released to a named person; may happen more than once
    RETURNED = "returned"  # back into the control room's custody
    DESTROYED = "destroyed"  # the end of the chain: nothing can follow


MOVEMENT_LABELS: dict[MovementKind, str] = {
    MovementKind.PRODUCED: "Produced", MovementKind.COPIED: "Copied", MovementKind.HANDED_OVER: "Handed over",
    MovementKind.RETURNED: "Returned", MovementKind.DESTROYED: "Destroyed",
}


class OffenceGroup(StrEnum):
    """The Home Office offence groups of police recorded crime, plus "not recorded yet" for an arrest logged by
    count alone (the offence follows on the incident page) and "other" for non-notifiable offences."""

    NOT_RECORDED = "not_recorded"
    VIOLENCE = "violence_against_the_person"
    SEXUAL = "sexual_offences"
    ROBBERY = "robbery"
    THEFT = "theft_offences"  # burglary, vehicle offences, shoplifting and other theft are in this group
    CRIMINAL_DAMAGE = "criminal_damage_and_arson"
    DRUGS = "drug_offences"
    WEAPONS = "possession_of_weapons_offences"
    PUBLIC_ORDER = "public_order_offences"
    MISCELLANEOUS = "miscellaneous_against_society"
    OTHER = "other"  # non-notifiable: drunk and disorderly, wanted on warrant, breach of bail


OFFENCE_GROUP_LABELS: dict[OffenceGroup, str] = {
    OffenceGroup.NOT_RECORDED: "Not recorded yet",
    OffenceGroup.VIOLENCE: "Violence against the person",
    OffenceGroup.SEXUAL: "Sexual offences",
    OffenceGroup.ROBBERY: "Robbery",
    OffenceGroup.THEFT: "Theft offences",
    OffenceGroup.CRIMINAL_DAMAGE: "Criminal damage and arson",
    OffenceGroup.DRUGS: "Drug offences",
    OffenceGroup.WEAPONS: "Possession of weapons offences",
    OffenceGroup.PUBLIC_ORDER: "Public order offences",
    OffenceGroup.MISCELLANEOUS: "Miscellaneous crimes against society",
    OffenceGroup.OTHER: "Other (non-notifiable)",
}

# The default incident categories' likely offence group: an arrest logged by count on an incident starts in its
# category's group (the operator corrects it on the incident page); migration 0012 used the same map.
CATEGORY_OFFENCE_GROUP: dict[str, OffenceGroup] = {
    "violence": OffenceGroup.VIOLENCE, "sexual_offence": OffenceGroup.SEXUAL, "robbery": OffenceGroup.ROBBERY,
    "burglary": OffenceGroup.THEFT, "theft": OffenceGroup.THEFT, "shoplifting": OffenceGroup.THEFT,
    "criminal_damage": OffenceGroup.CRIMINAL_DAMAGE, "drugs": OffenceGroup.DRUGS,
    "public_order": OffenceGroup.PUBLIC_ORDER, "asb": OffenceGroup.PUBLIC_ORDER, "weapons": OffenceGroup.WEAPONS,
}


class ArrestOutcome(StrEnum):
    """What became of an arrest, as the police report it (editable as the case moves on)."""

    NOT_KNOWN = "not_known"
    CHARGED = "charged"
    CAUTIONED = "cautioned"
    COMMUNITY_RESOLUTION = "community_resolution"
    BAILED = "bailed"
    RELEASED_UNDER_INVESTIGATION = "released_under_investigation"
    NO_FURTHER_ACTION = "no_further_action"


ARREST_OUTCOME_LABELS: dict[ArrestOutcome, str] = {
    ArrestOutcome.NOT_KNOWN: "Not known yet",
    ArrestOutcome.CHARGED: "Charged",
    ArrestOutcome.CAUTIONED: "Cautioned",
    ArrestOutcome.COMMUNITY_RESOLUTION: "Community resolution",
    ArrestOutcome.BAILED: "Bailed",
    ArrestOutcome.RELEASED_UNDER_INVESTIGATION: "Released under investigation",
    ArrestOutcome.NO_FURTHER_ACTION: "No further action",
}
