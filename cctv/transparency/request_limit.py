"""The public page's request limit: at most `limit` requests from one address in any `window`, counted in the
database (`public_request`) so every gunicorn worker shares one count, as the sign-in throttle does.

A refused request is not recorded, so an address hammering the page holds at most `limit` rows. Rows older than
the window are deleted as requests arrive, by every PRUNE_EVERY-th request recorded (a delete on every request
made the limiter twice the cost of the one insert it needs): the table holds the last window's requests and at most
PRUNE_EVERY older ones, which the count never reads.
Two workers counting the same address at the same instant may each let one more through; the limit is a guard
against one address flooding the page, not a quota, so that is allowed for rather than locked against.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from cctv.transparency.models import PublicRequest

ADDRESS_LENGTH = 64  # the width of public_request.address
WINDOW = timedelta(seconds=60)
PRUNE_EVERY = 20


def allow(session: Session, address: str, *, limit: int, now: datetime, window: timedelta = WINDOW) -> bool:
    """Count one request from `address` at `now`; False (and nothing recorded) when it is over the limit. The
    caller commits."""
    address = address[:ADDRESS_LENGTH]
    since = now - window
    seen = session.exec(select(func.count()).select_from(PublicRequest).where(
        PublicRequest.address == address, col(PublicRequest.at) > since)).one()
    if seen >= limit:
        return False
    row = PublicRequest(at=now, address=address)
    session.add(row)
    session.flush()
    if (row.id or 0) % PRUNE_EVERY == 0:
        session.exec(delete(PublicRequest).where(col(PublicRequest.at) <= since))  # type: ignore[call-overload]
    return True
