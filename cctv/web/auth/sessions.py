"""Signed-in sessions that end: at sign-out (everywhere), after a password change, when an account is disabled,
after SESSION_IDLE_MINUTES without a request, and PERMANENT_SESSION_LIFETIME after signing in however busy.

Flask's session is a signed cookie, so the server cannot delete a copy of it. What the server can do is refuse it:
each session carries the account's `session_version` from when it was issued, and raising that number
(`cctv.auth.service.end_sessions`) makes every earlier cookie worthless. The times are in the cookie too, signed,
so the absolute lifetime is not renewed by activity the way the cookie's own expiry is.
"""

from datetime import timedelta

from flask import current_app, session
from flask_login import login_user

from cctv.auth.models import User
from inventory.types import utcnow

VERSION, ISSUED, SEEN = "_cctv_sv", "_cctv_issued", "_cctv_seen"
SEEN_EVERY = 60  # seconds: the last-seen time is rewritten at most this often (each rewrite resends the cookie)


def _now() -> int:
    return int(utcnow().timestamp())


def start(user: User) -> None:
    """Sign a user in with a fresh session (never one an attacker may have planted) stamped with the account's
    session version and the time."""
    session.clear()
    session.permanent = True  # clear() drops the flag; the cookie still expires with PERMANENT_SESSION_LIFETIME
    login_user(user)
    restamp(user)
    session[ISSUED] = session[SEEN] = _now()


def restamp(user: User) -> None:
    """Keep the session in use valid after its account's session version moved (the user changed password)."""
    session[VERSION] = user.session_version


def still_valid(user: User) -> bool:
    """Whether the request's session may go on as this user; notes the request as activity."""
    now, config = _now(), current_app.config
    lifetime: timedelta = config["PERMANENT_SESSION_LIFETIME"]
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    issued, seen = session.get(ISSUED), session.get(SEEN)
    if session.get(VERSION) != user.session_version or not isinstance(issued, int) or not isinstance(seen, int):
        return False
    if now - issued >= lifetime.total_seconds() or now - seen >= idle.total_seconds():
        return False
    if now - seen >= SEEN_EVERY:
        session[SEEN] = now
    return True
