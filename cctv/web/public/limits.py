"""A per-address request limit for the pages anyone may open without signing in.

The count is kept in the database (`cctv.transparency.request_limit`), so all gunicorn workers share it: an
address gets PUBLIC_RATE_LIMIT requests a minute in all, however many workers answer it. The address is Flask's
`remote_addr`, which ProxyFix sets from X-Forwarded-For only for the configured PROXY_HOPS.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, request

from cctv.transparency import request_limit
from cctv.web.access import db
from inventory.types import utcnow


def rate_limited(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse with 429 an address past PUBLIC_RATE_LIMIT requests a minute (the app's one limiter)."""

    @wraps(view)
    def limited(*args: Any, **kwargs: Any) -> Any:
        session = db()
        allowed = request_limit.allow(session, request.remote_addr or "unknown",
                                      limit=int(current_app.config["PUBLIC_RATE_LIMIT"]), now=utcnow())
        session.commit()  # the count is shared at once, whatever the page then does
        if not allowed:
            abort(429, description="Too many requests from your address: please wait a minute and try again.")
        return view(*args, **kwargs)

    return limited
