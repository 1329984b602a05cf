"""The public page's request limit: at most `limit` requests from one address in any `window`, counted in the
database (`public_request`) so every gunicorn worker shares one count, as the sign-in throttle does.

A refused request is not recorded, so an address hammering the page holds at most `limit` rows, and rows older
than the window are deleted as requests arrive: the table never holds more than the last window's requests.
Two workers counting the same address at the same instant may each let one more through; the limit is a guard
against one address flooding the page, not a quota, so that is allowed for rather than locked against.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from cctv.transparency.models import PublicRequest

ADDRESS_LENGTH = 64  # the width of public_request.address
WINDOW = timedelta(seconds=60)


def allow(session: Session, address: str, *, limit: int, now: datetime, window: timedelta = WINDOW) -> bool:
    """Count one request from `address` at `now`; False (and nothing recorded) when it is over the limit. The
    caller commits."""
    address = address[:ADDRESS_LENGTH]
    since = now - window
    session.exec(delete(PublicRequest).where(col(PublicRequest.at) <= since))  # type: ignore[call-overload]
    seen = session.exec(select(func.count()).select_from(PublicRequest).where(
        PublicRequest.address == address, col(PublicRequest.at) > since)).one()
    if seen >= limit:
        return False
    session.add(PublicRequest(at=now, address=address))
    session.flush()
    return True
