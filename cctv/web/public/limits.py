"""A per-address request limit for the pages anyone may open without signing in.

A sliding window in the worker's memory: each gunicorn worker counts on its own, so an address may get up to
workers × the limit, which is enough to stop one address hammering the public page without a shared store. The
address is Flask's `remote_addr`, which ProxyFix sets from X-Forwarded-For only for the configured PROXY_HOPS.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, request

WINDOW_SECONDS = 60.0
MAX_ADDRESSES = 10_000  # beyond this the least recently seen address is forgotten: memory stays bounded


class AddressLimiter:
    """At most `limit` requests per address in any `window` seconds."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self.seen: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, address: str) -> bool:
        """Count one request from the address; False when it is over the limit (the refused request counts not)."""
        now = self.clock()
        times = self.seen.pop(address, None) or deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        allowed = len(times) < self.limit
        if allowed:
            times.append(now)
        self.seen[address] = times
        if len(self.seen) > MAX_ADDRESSES:
            self.seen.popitem(last=False)
        return allowed


def rate_limited(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse with 429 an address past PUBLIC_RATE_LIMIT requests a minute (the app's one limiter)."""

    @wraps(view)
    def limited(*args: Any, **kwargs: Any) -> Any:
        limiter = current_app.extensions.get("public_limiter")
        if limiter is None:
            limiter = current_app.extensions["public_limiter"] = AddressLimiter(
                int(current_app.config["PUBLIC_RATE_LIMIT"]))
        if not limiter.allow(request.remote_addr or "unknown"):
            abort(429, description="Too many requests from your address: please wait a minute and try again.")
        return view(*args, **kwargs)

    return limited
