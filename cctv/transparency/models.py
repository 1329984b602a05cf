"""Tables of the public page and the signage register (XBase / X(table=True), as everywhere).

What the public sees is chosen, never assumed: a camera appears on the public page only when its system has been
published (`PublishedSystem`), and the notice (`PublicNotice`, one row) holds the contact point, the operator and the
snapshot of the annual figures the council chose to publish. Each change is an ORM change, so the audit trail keeps
who published what and when.
"""

from datetime import date, datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from inventory.types import utcnow

NOTICE_ID = 1  # the public notice is a single row


class PublicNoticeBase(SQLModel):
    """What the council says about its CCTV on the public page, as the DPO writes it."""

    operator: str = Field(default="", max_length=160)  # who runs the cameras, e.g. "Buckinghamshire Council CCTV"
    data_controller: str = Field(default="", max_length=160)  # the default; a camera's own controller wins
    contact_point: str = Field(default="", sa_type=Text)  # where to ask, complain or make a subject access request
    introduction: str = Field(default="", sa_type=Text)


class PublicNotice(PublicNoticeBase, table=True):
    """The notice as stored, with the published self-assessment and annual figures (a frozen snapshot: the public
    see what was published, not figures that move under them)."""

    __tablename__ = "public_notice"
    id: int | None = Field(default=None, primary_key=True)
    self_assessment_id: int | None = Field(default=None, foreign_key="self_assessment.id")
    figures_year: int | None = None
    figures_json: str = Field(default="", sa_type=Text)  # "" until figures are published
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str = Field(default="", max_length=80)


class PublishedSystemBase(SQLModel):
    """A camera system the council publishes: its purpose and DPIA summary in plain words."""

    purpose: str = Field(default="", max_length=500)
    dpia_summary: str = Field(default="", sa_type=Text)


class PublishedSystem(PublishedSystemBase, table=True):
    """A published system as stored; deleting the row withdraws the system's cameras from the public page."""

    __tablename__ = "published_system"
    id: int | None = Field(default=None, primary_key=True)
    system_id: int = Field(foreign_key="camera_system.id", unique=True)
    published_at: datetime = Field(default_factory=utcnow)
    published_by: str = Field(default="", max_length=80)


class SignBase(SQLModel):
    """A CCTV sign: where it is, what it says, and when it was last checked."""

    place: str = Field(max_length=250)
    town: str = Field(default="", max_length=80, index=True)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    wording: str = Field(default="", sa_type=Text)
    last_inspected: date | None = None
    notes: str = Field(default="", max_length=1000)


class Sign(SignBase, table=True):
    """A sign as stored."""

    __tablename__ = "sign"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)


class SignCamera(SQLModel, table=True):
    """Which cameras a sign tells people about."""

    __tablename__ = "sign_camera"
    sign_id: int = Field(foreign_key="sign.id", primary_key=True)
    camera_id: int = Field(foreign_key="camera.id", primary_key=True, index=True)


class PublicRequest(SQLModel, table=True):
    """One request to the public page from one address, kept only for the rate limit's window
    (`cctv.transparency.request_limit`): shared by every web worker through the database, pruned as it goes."""

    __tablename__ = "public_request"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    address: str = Field(max_length=64, index=True)
