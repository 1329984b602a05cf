"""Users, their roles and service areas, and API tokens."""

from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Field, SQLModel

from inventory.types import enum_type, utcnow


class Role(StrEnum):
    """The roles of DESIGN §1; a service manager is further limited to their service areas."""

    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    OPERATOR = "operator"
    PLANNER = "planner"
    DPO = "dpo"
    ADVISORY = "advisory"
    SERVICE_MANAGER = "service_manager"

    @property
    def label(self) -> str:
        return {"dpo": "Data protection officer"}.get(self.value, self.value.replace("_", " ").capitalize())


class UserServiceArea(SQLModel, table=True):
    """A service area a service manager looks after."""

    __tablename__ = "user_service_area"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    service_area_id: int = Field(foreign_key="service_area.id", primary_key=True)


class UserBase(SQLModel):
    """The fields an administrator sets for an account."""

    username: str = Field(max_length=60, unique=True, index=True)
    full_name: str = Field(default="", max_length=120)
    email: str = Field(default="", max_length=200)
    role: Role = Field(sa_type=enum_type(Role))
    covert_access: bool = False
    active: bool = True


class User(UserBase, table=True):
    """An account as stored; it speaks Flask-Login's protocol without importing Flask."""

    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=300)
    # Stored in every signed-in session and checked on each request; raising it (sign-out, a password change,
    # disabling the account) makes every session issued before refused, copied cookies included.
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    last_login_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def sees_covert(self) -> bool:
        """Admins and users granted covert access see covert cameras; nobody else learns they exist."""
        return self.role == Role.ADMIN or self.covert_access


class UserCreate(UserBase):
    """What creating an account takes."""

    password: str  # checked against cctv.auth.passwords' policy by create_user
    service_area_ids: list[int] = []


TOKEN_DAYS = 365  # a token's lifetime unless whoever issues it chooses another


def default_token_expiry() -> datetime:
    """A year from now."""
    return utcnow() + timedelta(days=TOKEN_DAYS)


class ApiToken(SQLModel, table=True):
    """A token an integration sends as 'Authorization: Bearer …'; only its SHA-256 is kept."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime = Field(default_factory=default_token_expiry)  # refused from then on, as if revoked
    last_used_at: datetime | None = None  # set on use, at most once a minute (cctv.auth.service.TOKEN_TOUCH)
    revoked_at: datetime | None = None


class LoginAttempt(SQLModel, table=True):
    """One sign-in attempt, kept only as long as the throttle needs it (cctv.auth.throttle).

    Keyed by the name typed, not a user id, so attempts against names that do not exist are throttled
    exactly like real ones and the throttle cannot tell anyone which names exist.
    """

    __tablename__ = "login_attempt"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    address: str = Field(max_length=64, index=True)
    username: str = Field(max_length=60, index=True)
    succeeded: bool
