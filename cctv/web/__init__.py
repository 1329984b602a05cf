"""The web layer: the only package that imports Flask. Blueprints, login, CSRF and template helpers."""

import importlib
import os
from contextlib import suppress
from datetime import datetime

from flask import Flask, Request, Response, g, jsonify, make_response, render_template, request, session
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket
from werkzeug.exceptions import HTTPException, InternalServerError

from cctv.audit import pending
from cctv.auth.models import Role, User
from cctv.web.access import allowed_for
from cctv.web.hardening import init_hardening
from cctv.web.inputs import DbIdConverter, ids_in_range, refuse_control_characters
from cctv.web.navigation import nav_links
from cctv.web.uploads import StreamingRequest
from inventory.types import london_time, utcnow

csrf = CSRFProtect()


def init_web(app: Flask) -> None:
    """Wire login, CSRF, the per-request session, template filters and every blueprint."""
    app.request_class = StreamingRequest  # evidence uploads: a larger limit, hashed as they arrive
    login = LoginManager(app)
    login.login_view = "auth.login"
    login.login_message = "Please sign in."
    login.session_protection = "strong"

    @login.user_loader
    def load_user(user_id: str) -> User | None:
        from cctv.web.access import db

        if request.path.startswith("/api/"):
            return None  # the API is CSRF-exempt, so it must not accept the browser's session cookie: tokens only

        from cctv.web.auth.sessions import still_valid

        user = db().get(User, int(user_id))
        if user is None or not user.active or not still_valid(user):
            session.clear()  # signed out, timed out, or a cookie from before a sign-out: drop it
            return None
        return user

    @login.request_loader
    def load_api_user(req: Request) -> User | None:
        """API calls authenticate with a bearer token, and only API calls do."""
        header = req.headers.get("Authorization", "")
        if not req.path.startswith("/api/") or not header.startswith("Bearer "):
            return None
        from cctv.auth.service import user_for_token
        from cctv.web.access import db

        user = user_for_token(db(), header.removeprefix("Bearer ").strip(), now=utcnow())
        if db().dirty:  # the token's last-use time moved: committed after the request (commit_pending_writes)
            g.commit_after_request = True
        return user

    # Every <int:id> in a route is held to the database's INTEGER range (before the blueprints build their rules).
    app.url_map.converters["int"] = DbIdConverter
    app.url_value_preprocessor(ids_in_range)
    app.before_request(refuse_control_characters)
    csrf.init_app(app)
    init_hardening(app)
    _register_blueprints(app)
    _register_helpers(app)
    _keep_compiled_templates(app)

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        db_session = g.pop("db_session", None)
        if db_session is not None:
            db_session.close()

    @app.before_request
    def make_session_permanent() -> None:
        if request.blueprint in ("health", "public"):
            # A monitoring probe every few seconds must not be handed a new session cookie each time, and a member
            # of the public reading the public page is set no cookie at all.
            return
        session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
        # Who is asking, settled now: otherwise the loaders could first run inside a flush (the audit trail asks
        # for the actor then), where touching a token's last use must not write. Public pages never ask.
        view = app.view_functions.get(request.endpoint or "")
        if view is not None and request.endpoint != "static" and not getattr(view, "is_public", False):
            _ = current_user.is_authenticated

    @app.after_request
    def commit_pending_writes(response: Response) -> Response:
        """Keep what a request that otherwise changes nothing still writes: the audit entries of reads
        (cctv.audit.audit_read) and a token's last-use time. Not for a failed request."""
        db_session = g.get("db_session")
        wanted = g.pop("commit_after_request", False) or (db_session is not None and pending(db_session))
        if db_session is not None and wanted and response.status_code < 400:
            db_session.commit()
        return response

    def error_page(error: HTTPException):
        """The API's errors are JSON (with the fields at fault); the pages' are the error page. Either way the
        exception's own headers go too: a 405 must say which methods are Allowed."""
        if request.path.startswith("/api/"):
            response = jsonify(error=error.description)
        elif error.code in PAGE_ERRORS:
            response = make_response(render_template("error.html", error=error))
        else:
            return error
        response.status_code = error.code or 500
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    def server_error(error: InternalServerError):
        """Should a bug ever give a 500, an API client still gets JSON (and nothing of the exception)."""
        if request.path.startswith("/api/"):
            return jsonify(error="Internal server error: the request was not completed; it has been logged."), 500
        return render_template("error.html", error=error), 500

    app.register_error_handler(HTTPException, error_page)
    app.register_error_handler(InternalServerError, server_error)


# The errors a page shows in the site's own layout; others (401, 415, ...) keep Werkzeug's page.
PAGE_ERRORS = (400, 403, 404, 405, 409, 413, 422, 429)


# Every page's blueprint, by area: cctv/web/<area>/<module>.py, its templates in cctv/web/<area>/templates/<area>/
# <module>/. The order is the URL map's: a fixed path (/incidents/summary) before a pattern that would take it.
PAGES = (
    "auth.login", "auth.account",
    "inventory.cameras", "inventory.faults", "inventory.funding", "inventory.imports", "inventory.maps",
    "inventory.systems", "inventory.lifecycle", "inventory.contracts", "inventory.bodyworn", "inventory.footage",
    "siting.bid", "siting.planner", "siting.crimes", "siting.import_jobs",
    "admin.accounts", "admin.audit", "admin.estate",
    "dpia.register", "dpia.versions", "dpia.assessment",
    "notifications.inbox",
    "controlroom.search", "controlroom.incidents", "controlroom.arrests", "controlroom.summary",
    "controlroom.evidence",
    "controlroom.disclosures", "controlroom.shifts",
    "outcomes.dashboard",
    "public.page", "public.publishing", "public.signs",
    "controlroom.settings", "controlroom.retention",
    "search.site",
    "ops.health",
)
# Bearer tokens, not cookies: exempt from CSRF.
API = ("api.inventory", "api.incidents", "api.estate", "api.records", "api.outcomes", "api.upkeep",
       "api.transparency")


def _register_blueprints(app: Flask) -> None:
    for name in PAGES + API:
        blueprint = importlib.import_module(f"cctv.web.{name}").bp
        app.register_blueprint(blueprint)
        if name in API:
            csrf.exempt(blueprint)


def _keep_compiled_templates(app: Flask) -> None:
    """Compiled templates kept on disk (TEMPLATE_CACHE_DIR, by default instance/template-cache) for every worker and
    every restart: each gunicorn worker used to compile the templates again on its first request of a page (0.2 s
    of CPU for the Advisory dashboard's, a third of that request). Jinja names each file by the template's name and
    path and checks the source's checksum, so an edited template is compiled again; it writes each file to a
    temporary name and renames it, so a worker never reads another's half-written file."""
    folder = app.config["TEMPLATE_CACHE_DIR"] or os.path.join(app.instance_path, "template-cache")
    os.makedirs(folder, mode=0o700, exist_ok=True)  # compiled code: only the app's own user may write it
    app.jinja_env.bytecode_cache = _TemplateCache(folder)


class _TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder, where a file that cannot be read or written (a folder made
    by another user, a full disk) is only skipped: the page is still served, compiled as it was without the cache."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """The compiled template, if the folder has it and lets us read it."""
        with suppress(OSError):  # else the bucket stays empty and the template is compiled
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the compiled template, if the folder lets us."""
        with suppress(OSError):  # else the next request compiles it again, as every request did before the cache
            super().dump_bytecode(bucket)


def _register_helpers(app: Flask) -> None:

    @app.template_filter("local")
    def local_time(value: datetime | None, fmt: str = "%d %b %Y %H:%M") -> str:
        """Stored UTC shown in Europe/London (`inventory.types.london_time`: a naive value is UTC)."""
        return "" if value is None else london_time(value).strftime(fmt)

    @app.context_processor
    def navigation() -> dict:
        role = Role(current_user.role) if current_user.is_authenticated else None
        return {"can": lambda endpoint: role is not None and allowed_for(app, endpoint, role),
                "nav_links": lambda: nav_links(app, role) if role is not None else []}
