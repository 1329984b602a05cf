"""Sign-in throttling that an attacker cannot turn against the person whose account they are guessing.

The old rule (five failures lock an account for everyone) let anyone lock the control room out. Here every
attempt is a row in `login_attempt` (shared by all web workers through the database) and a guess is refused
*without checking the password* only when it comes from an address that has been guessing:

- an address with `address_max` failures in the window may not try any name;
- an address with `pair_max` failures at one name in the window (since its last success there) may not try that
  name again;
- while a name is under attack (`attack_failures` failures at it in the window, from anywhere), an address with
  even one failure at it in the window waits, unless the account signed in from that address recently
  (`known_days`): a botnet gets one guess per address, the control room keeps its usual allowance.

A correct password from an address that has not been guessing therefore always signs in. Refusals last until the
failures that caused them age out of the window. The name typed is the key, not the account, so names that do not
exist are throttled exactly as real ones: the throttle says nothing about which names exist.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_
from sqlmodel import Session, col, select

from cctv.auth.models import LoginAttempt

ADDRESS_LENGTH, NAME_LENGTH = 64, 60  # the widths of login_attempt's columns


@dataclass(frozen=True)
class ThrottlePolicy:
    """The limits, from configuration (LOGIN_* keys); the defaults are the configuration's."""

    window: timedelta = timedelta(minutes=15)
    pair_max: int = 5
    address_max: int = 20
    attack_failures: int = 20
    known_days: int = 30


def _failures(session: Session, since: datetime, *conditions) -> int:
    stmt = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.at >= since, col(LoginAttempt.succeeded).is_(False), *conditions)
    return session.exec(stmt).one()


def refuses(session: Session, address: str, username: str, *, now: datetime, policy: ThrottlePolicy) -> bool:
    """Whether an attempt from `address` at `username` is refused before its password is looked at."""
    address, username = address[:ADDRESS_LENGTH], username[:NAME_LENGTH]
    since = now - policy.window
    if _failures(session, since, LoginAttempt.address == address) >= policy.address_max:
        return True
    # A success from this address at this name wipes its slate: the person at the keyboard proved who they are.
    last_success = session.exec(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.address == address, LoginAttempt.username == username,
        col(LoginAttempt.succeeded).is_(True))).one()
    pair_since = max(since, last_success) if last_success is not None else since
    pair = _failures(session, pair_since, LoginAttempt.address == address, LoginAttempt.username == username)
    if pair == 0:
        return False  # an address that has not been guessing at this name always gets its password checked
    if pair >= policy.pair_max:
        return True
    if _failures(session, since, LoginAttempt.username == username) < policy.attack_failures:
        return False
    known = session.exec(select(LoginAttempt.id).where(
        LoginAttempt.address == address, LoginAttempt.username == username, col(LoginAttempt.succeeded).is_(True),
        LoginAttempt.at >= now - timedelta(days=policy.known_days))).first()
    return known is None


def record(session: Session, address: str, username: str, *, succeeded: bool, now: datetime,
           policy: ThrottlePolicy) -> None:
    """Note an attempt and prune what no rule needs any more (failures past the window, old successes)."""
    session.add(LoginAttempt(at=now, address=address[:ADDRESS_LENGTH], username=username[:NAME_LENGTH],
                             succeeded=succeeded))
    session.exec(delete(LoginAttempt).where(or_(  # type: ignore[call-overload]
        and_(col(LoginAttempt.succeeded).is_(False), LoginAttempt.at < now - policy.window),
        LoginAttempt.at < now - timedelta(days=policy.known_days),
    )))
