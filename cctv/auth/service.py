"""Creating accounts, checking passwords with throttling, ending sessions, and issuing API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlmodel import Session, col, select
from werkzeug.security import check_password_hash, generate_password_hash

from cctv.auth import throttle
from cctv.auth.models import TOKEN_DAYS, ApiToken, Role, User, UserCreate, UserServiceArea
from cctv.auth.passwords import check_password_policy, password_problems
from cctv.auth.throttle import ThrottlePolicy
from inventory.scope import CameraScope
from inventory.types import utcnow


class UsernameTaken(ValueError):
    """Another account already has that username."""


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt; `message` is safe to show (it never says which part was wrong, nor whether
    the name exists). `checked` says whether a password hash was compared (False only when throttled)."""

    user: User | None
    message: str = ""
    checked: bool = True
    account_id: int | None = None  # the account the name belongs to, for the audit trail only (never shown)


REFUSED = "Unknown username or wrong password."
THROTTLED = "Too many failed attempts from here: wait a few minutes before trying again."
WRONG_CURRENT = "The current password is wrong."


@cache
def _dummy_hash() -> str:
    # Compared against when the name is unknown, so an unknown name costs as much time as a known one.
    return generate_password_hash(secrets.token_urlsafe(16))


def create_user(session: Session, data: UserCreate) -> User:
    """Create an account with a hashed password (WeakPassword unless it meets the policy) and, for service
    managers, their service areas."""
    if session.exec(select(User.id).where(User.username == data.username)).first() is not None:
        raise UsernameTaken(f"username {data.username} is taken")
    check_password_policy(data.password, data.username)
    user = User.model_validate(
        data.model_dump(exclude={"password", "service_area_ids"}),
        update={"password_hash": generate_password_hash(data.password)},
    )
    session.add(user)
    session.flush()
    for area_id in data.service_area_ids:
        session.add(UserServiceArea(user_id=user.id, service_area_id=area_id))
    return user


def end_sessions(session: Session, user: User) -> None:
    """Refuse every session the user has now (on sign-out, password change, when an account is disabled)."""
    user.session_version += 1
    session.add(user)


def change_password(session: Session, user: User, current: str, new: str) -> list[str]:
    """Change a user's own password; gives the problems (empty when changed). Ends every session of theirs: the
    caller re-issues the one in use."""
    if not check_password_hash(user.password_hash, current):
        return [WRONG_CURRENT]
    problems = password_problems(new, user.username)
    if new == current:
        problems.append("The new password must differ from the current one.")
    if problems:
        return problems
    user.password_hash = generate_password_hash(new)
    end_sessions(session, user)
    return []


def authenticate(session: Session, username: str, password: str, *, address: str, now: datetime,
                 policy: ThrottlePolicy) -> LoginResult:
    """Check a password unless the throttle refuses this address; record the attempt for the throttle.

    Unknown names, disabled accounts and wrong passwords all cost one hash comparison and give the same message.
    """
    if throttle.refuses(session, address, username, now=now, policy=policy):
        throttle.record(session, address, username, succeeded=False, now=now, policy=policy)
        return LoginResult(None, THROTTLED, checked=False)
    user = session.exec(select(User).where(User.username == username)).first()
    matches = check_password_hash(user.password_hash if user is not None else _dummy_hash(), password)
    succeeded = matches and user is not None and user.active
    throttle.record(session, address, username, succeeded=succeeded, now=now, policy=policy)
    if not succeeded or user is None:
        return LoginResult(None, REFUSED, account_id=user.id if user is not None else None)
    user.last_login_at = now
    session.add(user)
    return LoginResult(user, account_id=user.id)


def service_area_ids(session: Session, user: User) -> frozenset[int]:
    """The service areas a user is limited to."""
    stmt = select(UserServiceArea.service_area_id).where(UserServiceArea.user_id == user.id)
    return frozenset(session.exec(stmt))


def camera_scope(session: Session, user: User) -> CameraScope:
    """What the user may see: service managers only their areas; covert only with access."""
    areas = service_area_ids(session, user) if user.role == Role.SERVICE_MANAGER else None
    return CameraScope(include_covert=user.sees_covert, service_area_ids=areas)


TOKEN_TOUCH = timedelta(minutes=1)  # last_used_at is written at most this often per token, to spare writes


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, name: str, *, now: datetime | None = None,
                days: int = TOKEN_DAYS) -> tuple[ApiToken, str]:
    """A new API token for the user, valid for `days` from `now` (default: the current time); the plain token is
    returned once and never stored."""
    now = now or utcnow()
    plain = "cctv_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(plain), prefix=plain[:12], created_at=now,
                     expires_at=now + timedelta(days=days))
    session.add(token)
    return token, plain


def user_for_token(session: Session, plain: str, *, now: datetime) -> User | None:
    """The active user behind a live token (unrevoked, unexpired), or None; notes when the token was used."""
    token = session.exec(
        select(ApiToken).where(ApiToken.token_hash == _digest(plain), col(ApiToken.revoked_at).is_(None),
                               ApiToken.expires_at > now)
    ).first()
    if token is None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH:
        token.last_used_at = now
        session.add(token)
    return user
