"""Tables of the control-room log: control rooms, categories, incidents, evidence, disclosures and shifts.

Names follow the house pattern (XBase, X(table=True), XCreate). Foreign keys into the inventory are plain columns
(`camera.id`, `fault.id`); relationships stay inside this package. Times are stored in UTC; monitored hours and
the 04:00 rollover are Europe/London wall-clock rules applied by the services.

Reference numbers ("WY-2026-004217") come from `reference_counter`, one row per control room and year, advanced in
the same transaction as the incident it numbers: a rolled-back incident gives its number back, so the numbers of a
year have no gaps, and the row lock (PostgreSQL) or the database write lock (SQLite) makes concurrent operators
queue for the next number rather than share one.
"""

import json
from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from cctv.controlroom import fts
from cctv.controlroom.types import (
    ArrestOutcome,
    DisclosureKind,
    DisclosureStatus,
    FollowUp,
    IncidentSource,
    LaterUse,
    MovementKind,
    OffenceGroup,
    RedactionStatus,
)
from inventory.types import enum_type, utcnow

# Monday = 0. A session runs from its start on that day to its end, on the next day when end <= start.
DEFAULT_MONITORED_HOURS: dict[int, tuple[str, str]] = {
    0: ("08:00", "23:00"), 1: ("08:00", "23:00"), 2: ("08:00", "23:00"), 3: ("08:00", "23:00"),
    4: ("08:00", "04:00"), 5: ("08:00", "04:00"), 6: ("08:00", "23:00"),
}


class ControlRoomBase(SQLModel):
    """A CCTV control room: its reference prefix and its monitored hours."""

    code: str = Field(max_length=8, unique=True)  # the reference prefix, e.g. "WY"
    name: str = Field(max_length=120, unique=True)
    monitored_hours_json: str = Field(default=json.dumps({str(k): v for k, v in DEFAULT_MONITORED_HOURS.items()}))


class ControlRoom(ControlRoomBase, table=True):
    """A control room as stored."""

    __tablename__ = "control_room"
    id: int | None = Field(default=None, primary_key=True)

    def monitored_hours(self) -> dict[int, tuple[str, str]]:
        """Weekday (Monday 0) → (start, end) in local time; a day missing from the map is not monitored."""
        return {int(day): (span[0], span[1]) for day, span in json.loads(self.monitored_hours_json).items()}


class IncidentCategory(SQLModel, table=True):
    """One entry of the configurable category list; retired entries stay for the incidents that used them."""

    __tablename__ = "incident_category"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    label: str = Field(max_length=80)
    position: int = 0
    active: bool = True


class ReferenceCounter(SQLModel, table=True):
    """The last incident number given in a control room's year (see the module's notes)."""

    __tablename__ = "reference_counter"
    control_room_id: int = Field(foreign_key="control_room.id", primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0


NARRATIVE_MAX = 20_000  # characters: some pages of a long incident, far below any abuse


class IncidentBase(SQLModel):
    """What an operator logs about an incident."""

    occurred_at: datetime = Field(index=True)  # every log, search and outcome measure is by time range
    category: str = Field(foreign_key="incident_category.code", max_length=40, index=True)
    source: IncidentSource = Field(default=IncidentSource.PROACTIVE, sa_type=enum_type(IncidentSource))
    location_text: str = Field(default="", max_length=250)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    police_informed: bool = False
    police_reference: str = Field(default="", max_length=60)  # CAD or URN
    police_attended: bool = False
    arrests: int = Field(default=0, ge=0, le=500)
    arrest_offences: str = Field(default="", max_length=500)
    outcome: str = Field(default="", max_length=500)
    # Text in the database, but bounded: a narrative is a few paragraphs, and a 10 MB one was once accepted (issue 17).
    narrative: str = Field(default="", sa_type=Text, max_length=NARRATIVE_MAX)
    follow_up: FollowUp = Field(default=FollowUp.OPEN, sa_type=enum_type(FollowUp))


class Incident(IncidentBase, table=True):
    """An incident as stored, with its reference, who logged it and whether it fell inside monitored hours."""

    __tablename__ = "incident"
    # The day's log reads one room's incidents by time: without (room, time) SQLite's planner preferred the unique
    # (room, year, number) index and scanned every incident of the room (61 ms at 200k, 3 ms with this one).
    __table_args__ = (UniqueConstraint("control_room_id", "ref_year", "ref_number", name="uq_incident_number"),
                      Index("ix_incident_room_occurred", "control_room_id", "occurred_at"),
                      # Incidents near a deployable camera's place over its deployment (outcomes.deployables): a
                      # band of latitude, read from the index alone (everything the measure reads is in it).
                      Index("ix_incident_place", "latitude", "longitude", "occurred_at", "arrests", "voided_at"),
                      # The counted incidents of a time range (cctv.outcomes: every measure of the dashboard), read
                      # from the index alone: the rows themselves are wide (narrative, search words).
                      Index("ix_incident_period", "occurred_at", "voided_at", "arrests", "id", "category",
                            "in_monitored_hours"))
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=32, unique=True)
    control_room_id: int = Field(foreign_key="control_room.id")
    ref_year: int
    ref_number: int
    logged_at: datetime = Field(default_factory=utcnow, index=True)
    operator: str = Field(max_length=80)
    in_monitored_hours: bool = False
    monitored_session: date = Field(index=True)  # the local date of the session it belongs to (02:30 Sat → Fri)
    updated_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    closed_by: str = Field(default="", max_length=80)
    retention_flagged_at: datetime | None = None
    anonymised_at: datetime | None = None
    # Void (a duplicate, a mistake): the row and its reference stay, since references are gap-free, but every
    # outcomes measure leaves it out. Only a supervisor or admin voids, always with a reason.
    voided_at: datetime | None = None
    voided_by: str = Field(default="", max_length=80)
    void_reason: str = Field(default="", max_length=500)
    camera_links: list["IncidentCamera"] = Relationship()


fts.attach(Incident.__table__)  # type: ignore[attr-defined]  # the full-text index, created beside the table


class IncidentCreate(IncidentBase):
    """What logging an incident takes: the fields plus the cameras used (by id)."""

    camera_ids: list[int] = []


class IncidentCamera(SQLModel, table=True):
    """A camera used on an incident."""

    __tablename__ = "incident_camera"
    incident_id: int = Field(foreign_key="incident.id", primary_key=True)
    camera_id: int = Field(foreign_key="camera.id", primary_key=True, index=True)


class EvidenceRequestBase(SQLModel):
    """A police request for footage: who asked, for what, from which cameras and when."""

    requesting_officer: str = Field(max_length=120)
    force: str = Field(default="Thames Valley Police", max_length=120)
    police_reference: str = Field(default="", max_length=60)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    window_start: datetime
    window_end: datetime
    notes: str = Field(default="", sa_type=Text)


class EvidenceRequest(EvidenceRequestBase, table=True):
    """A footage request as stored, through production, handover and the use made of it."""

    __tablename__ = "evidence_request"
    id: int | None = Field(default=None, primary_key=True)
    requested_at: datetime = Field(default_factory=utcnow, index=True)
    recorded_by: str = Field(default="", max_length=80)
    produced_by: str = Field(default="", max_length=80)
    produced_at: datetime | None = Field(default=None, index=True)  # evidence produced in a period
    handed_over_to: str = Field(default="", max_length=120)
    handed_over_at: datetime | None = None
    released_by: str = Field(default="", max_length=80)  # a supervisor or admin
    later_use: LaterUse = Field(default=LaterUse.UNKNOWN, sa_type=enum_type(LaterUse))
    later_use_noted_at: datetime | None = None
    retention_flagged_at: datetime | None = None  # the retention rule's review (cctv.controlroom.record_retention)
    anonymised_at: datetime | None = None


class EvidenceCamera(SQLModel, table=True):
    """A camera whose footage a request asks for."""

    __tablename__ = "evidence_camera"
    evidence_id: int = Field(foreign_key="evidence_request.id", primary_key=True)
    camera_id: int = Field(foreign_key="camera.id", primary_key=True)


class EvidenceMedia(SQLModel, table=True):
    """One exported file: its media id and SHA-256, computed by the app from the file or typed from the exporter."""

    __tablename__ = "evidence_media"
    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence_request.id", index=True)
    media_id: str = Field(max_length=80)
    file_name: str = Field(default="", max_length=255)
    size_bytes: int | None = None
    sha256: str = Field(max_length=64)
    hash_computed: bool = False  # True: the app hashed the file itself
    added_at: datetime = Field(default_factory=utcnow)
    added_by: str = Field(default="", max_length=80)


class EvidenceMovement(SQLModel, table=True):
    """One step in the chain of custody of one exported file: what, who, to (or from) whom, when, how, and the
    SHA-256 checked at that step (the service refuses a step whose hash differs from the file's recorded one)."""

    __tablename__ = "evidence_movement"
    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence_request.id", index=True)
    file_id: int = Field(foreign_key="evidence_media.id", index=True)
    kind: MovementKind = Field(sa_type=enum_type(MovementKind))
    at: datetime = Field(default_factory=utcnow)
    moved_by: str = Field(max_length=80)  # the supervisor or administrator who made the movement
    to_whom: str = Field(default="", max_length=120)  # handed over to / copied for / returned by
    how: str = Field(default="", max_length=200)  # in person, secure courier, upload to the force's system, shredded
    sha256: str = Field(max_length=64)  # the hash checked at this step (equal to the file's: others are refused)
    hash_computed: bool = False  # True: the app hashed the file presented at this step
    notes: str = Field(default="", max_length=500)


class ArrestBase(SQLModel):
    """An arrest made at an incident: the offence (Home Office offence group, with detail) and what came of it."""

    offence_group: OffenceGroup = Field(default=OffenceGroup.NOT_RECORDED, sa_type=enum_type(OffenceGroup))
    offence: str = Field(default="", max_length=200)  # what it was for, in the police's words
    outcome: ArrestOutcome = Field(default=ArrestOutcome.NOT_KNOWN, sa_type=enum_type(ArrestOutcome))


class Arrest(ArrestBase, table=True):
    """An arrest as stored; the incident's `arrests` count is kept equal to its number of these rows."""

    __tablename__ = "arrest"
    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    recorded_at: datetime = Field(default_factory=utcnow)
    outcome_noted_at: datetime | None = None


class DisclosureBase(SQLModel):
    """A request in the disclosure log: police, subject access or freedom of information."""

    kind: DisclosureKind = Field(sa_type=enum_type(DisclosureKind), index=True)
    requester: str = Field(max_length=160)
    reference: str = Field(default="", max_length=60)
    received_on: date
    summary: str = Field(default="", sa_type=Text)
    evidence_id: int | None = Field(default=None, foreign_key="evidence_request.id")


class Disclosure(DisclosureBase, table=True):
    """A disclosure request as stored: its clock, extension, identity check, redaction and outcome."""

    __tablename__ = "disclosure"
    id: int | None = Field(default=None, primary_key=True)
    due_on: date = Field(index=True)
    extended_to: date | None = None
    extension_reason: str = Field(default="", max_length=500)
    id_checked: bool = False  # subject access: the requester's identity was verified
    redaction: RedactionStatus = Field(default=RedactionStatus.NOT_NEEDED, sa_type=enum_type(RedactionStatus))
    status: DisclosureStatus = Field(default=DisclosureStatus.OPEN, sa_type=enum_type(DisclosureStatus),
                                     index=True)
    closed_on: date | None = None
    handled_by: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    retention_flagged_at: datetime | None = None  # the retention rule's review (cctv.controlroom.record_retention)
    anonymised_at: datetime | None = None


class ShiftBase(SQLModel):
    """A control-room shift: who is on, from when to when."""

    control_room_id: int = Field(foreign_key="control_room.id")
    operators: str = Field(max_length=500)  # the usernames on shift, comma-separated, lead first
    started_at: datetime


class Shift(ShiftBase, table=True):
    """A shift as stored; handed over with notes, signed by the incoming operator."""

    __tablename__ = "shift"
    id: int | None = Field(default=None, primary_key=True)
    started_by: str = Field(max_length=80)
    ended_at: datetime | None = None
    handover_notes: str = Field(default="", sa_type=Text)
    signed_by: str = Field(default="", max_length=80)  # the incoming operator who accepted the handover
    signed_at: datetime | None = None
    retention_flagged_at: datetime | None = None  # the retention rule's review (cctv.controlroom.record_retention)
    anonymised_at: datetime | None = None


class ShiftFault(SQLModel, table=True):
    """A fault raised from a shift into the inventory's fault list."""

    __tablename__ = "shift_fault"
    shift_id: int = Field(foreign_key="shift.id", primary_key=True)
    fault_id: int = Field(foreign_key="fault.id", primary_key=True)


class RetentionExemption(SQLModel, table=True):
    """Why a record is exempt from the retention rule: a legal hold (until cleared) or a supervisor's decision at
    review to keep it (until `until`). Cleared, never deleted, so the trail of holds stays readable."""

    __tablename__ = "retention_exemption"
    __table_args__ = (Index("ix_retention_exemption_record", "record_kind", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    record_kind: str = Field(max_length=20)  # incident, evidence, disclosure, shift
    record_id: int
    exemption: str = Field(max_length=10)  # "hold" or "keep"
    reason: str = Field(max_length=500)
    set_by: str = Field(max_length=80)
    set_at: datetime = Field(default_factory=utcnow)
    until: datetime | None = None  # a keep runs to here; a hold has none
    cleared_at: datetime | None = None
    cleared_by: str = Field(default="", max_length=80)
    cleared_reason: str = Field(default="", max_length=500)
class Submission(SQLModel, table=True):
    """One form submission or API call taken: the key (the form's one-time token, or the API's Idempotency-Key)
    claimed by a user, and what it made, so a repeat answers with the first result instead of doing it again.

    The unique (actor, key) is the guard: a second, concurrent claim of the same key waits for the first
    transaction and then fails, in the same transaction as the work it guards, on SQLite and PostgreSQL alike.
    """

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("actor", "key", name="uq_submission_key"),)
    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=80)
    key: str = Field(max_length=255)
    kind: str = Field(max_length=40)  # what was submitted, e.g. "incident"
    fingerprint: str = Field(default="", max_length=64)  # SHA-256 of an API body: a reused key with another body
    result_id: int | None = None  # the id of what it made (the incident)
    created_at: datetime = Field(default_factory=utcnow, index=True)


__all__ = [
    "Arrest", "ControlRoom", "Disclosure", "EvidenceCamera", "EvidenceMedia", "EvidenceMovement", "EvidenceRequest",
    "Incident", "IncidentCamera", "IncidentCategory", "ReferenceCounter", "RetentionExemption", "Shift",
    "ShiftFault", "Submission",
]
