"""`GET /health`: whether this web process can reach its database, for load balancers and monitoring.

No sign-in (monitoring has no account) and nothing sensitive in the answer: no versions, hosts or error text.
"""

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from cctv.web.access import public

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/health")
@public
def health():
    """200 {"status": "ok"} when a `SELECT 1` succeeds; 503 {"status": "unavailable"} when the database fails."""
    try:
        with current_app.extensions["cctv_db"].engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database is the answer, not a 500
        log.exception("health check: the database is unreachable")
        response = jsonify(status="unavailable", database="unreachable")
        response.status_code = 503
    else:
        response = jsonify(status="ok", database="ok")
    response.headers["Cache-Control"] = "no-store"  # a proxy must never answer for a process that has died
    return response
