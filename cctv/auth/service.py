"""Creating accounts, checking passwords with throttling, and issuing API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select
from werkzeug.security import check_password_hash, generate_password_hash

from cctv.auth.models import ApiToken, Role, User, UserCreate, UserServiceArea
from inventory.scope import CameraScope


class UsernameTaken(ValueError):
    """Another account already has that username."""


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt; `message` is safe to show (it never says which part was wrong)."""

    user: User | None
    message: str = ""


def create_user(session: Session, data: UserCreate) -> User:
    """Create an account with a hashed password and, for service managers, their service areas."""
    if session.exec(select(User.id).where(User.username == data.username)).first() is not None:
        raise UsernameTaken(f"username {data.username} is taken")
    user = User.model_validate(
        data.model_dump(exclude={"password", "service_area_ids"}),
        update={"password_hash": generate_password_hash(data.password)},
    )
    session.add(user)
    session.flush()
    for area_id in data.service_area_ids:
        session.add(UserServiceArea(user_id=user.id, service_area_id=area_id))
    return user


def authenticate(
    session: Session, username: str, password: str, *, now: datetime, max_failures: int, lock_minutes: int
) -> LoginResult:
    """Check a password; lock the account for a while after too many failures in a row."""
    user = session.exec(select(User).where(User.username == username)).first()
    refused = LoginResult(None, "Unknown username or wrong password.")
    if user is None or not user.active:
        return refused
    if user.locked_until and user.locked_until > now:
        return LoginResult(None, "Too many failed attempts: this account is locked for a few minutes.")
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
        session.add(user)
        return refused
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    session.add(user)
    return LoginResult(user)


def service_area_ids(session: Session, user: User) -> frozenset[int]:
    """The service areas a user is limited to."""
    stmt = select(UserServiceArea.service_area_id).where(UserServiceArea.user_id == user.id)
    return frozenset(session.exec(stmt))


def camera_scope(session: Session, user: User) -> CameraScope:
    """What the user may see: service managers only their areas; covert only with access."""
    areas = service_area_ids(session, user) if user.role == Role.SERVICE_MANAGER else None
    return CameraScope(include_covert=user.sees_covert, service_area_ids=areas)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for the user; the plain token is returned once and never stored."""
    plain = "cctv_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(plain), prefix=plain[:12])
    session.add(token)
    return token, plain


def user_for_token(session: Session, plain: str) -> User | None:
    """The active user behind a live (unrevoked) token, or None."""
    token = session.exec(
        select(ApiToken).where(ApiToken.token_hash == _digest(plain), col(ApiToken.revoked_at).is_(None))
    ).first()
    if token is None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    return user
