"""Users, their roles and service areas, and API tokens."""

from datetime import datetime
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
    failed_logins: int = 0
    locked_until: datetime | None = None
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

    password: str = Field(min_length=10)
    service_area_ids: list[int] = []


class ApiToken(SQLModel, table=True):
    """A token an integration sends as 'Authorization: Bearer …'; only its SHA-256 is kept."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
