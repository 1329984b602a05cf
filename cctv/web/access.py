"""Every route declares who may use it; the per-request database session and the user's camera scope."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, g, jsonify, request
from flask_login import current_user
from sqlmodel import Session

from cctv.auth.models import Role
from cctv.auth.service import camera_scope
from inventory.scope import CameraScope

ANY_ROLE = frozenset(Role)
EDIT_CAMERAS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.SERVICE_MANAGER})
RAISE_FAULT = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR, Role.SERVICE_MANAGER})
MANAGE_FAULTS = EDIT_CAMERAS
IMPORT_CAMERAS = frozenset({Role.ADMIN, Role.SUPERVISOR})
VIEW_FUNDING = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.PLANNER, Role.ADVISORY, Role.DPO})
EDIT_FUNDING = frozenset({Role.ADMIN, Role.PLANNER})
# Lifecycle and money: the replacement programme (scoped to the cameras each user sees), a camera's costs.
VIEW_PROGRAMME = VIEW_FUNDING | {Role.SERVICE_MANAGER}
# Maintenance contracts and PPM: the CCTV manager runs them; service managers and the Advisory Group read them.
VIEW_CONTRACTS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.SERVICE_MANAGER, Role.ADVISORY})
EDIT_CONTRACTS = frozenset({Role.ADMIN, Role.SUPERVISOR})
BODY_WORN = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.SERVICE_MANAGER})  # issue and return devices
FOOTAGE_RETENTION = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.DPO, Role.SERVICE_MANAGER})
VIEW_AUDIT = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.DPO, Role.SERVICE_MANAGER})  # of a camera they see
AUDIT_LOG = frozenset({Role.ADMIN, Role.DPO})  # the whole trail
ADMIN_ONLY = frozenset({Role.ADMIN})
VIEW_SITING = frozenset({Role.ADMIN, Role.PLANNER, Role.SUPERVISOR, Role.ADVISORY})
EDIT_SITING = frozenset({Role.ADMIN, Role.PLANNER})
EDIT_SYSTEMS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.DPO, Role.SERVICE_MANAGER})
VIEW_DPIA = frozenset({Role.ADMIN, Role.DPO, Role.ADVISORY})  # advisory reads the register, changes nothing
EDIT_DPIA = frozenset({Role.ADMIN, Role.DPO})  # drafts, risks, sign-off, reviews, the self-assessment
# The control-room log. Narratives hold personal data: operators, supervisors and admins work the log; the DPO reads
# it (subject access requests are answered from it) but does not log; advisory sees only aggregates.
LOG_INCIDENTS = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN})  # log, edit, close, shifts, requests recorded
VIEW_INCIDENTS = LOG_INCIDENTS | {Role.DPO}
VOID_INCIDENTS = frozenset({Role.SUPERVISOR, Role.ADMIN})  # a duplicate or mistaken incident, with a reason
INCIDENT_AUDIT = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.DPO})  # an incident's change history
RELEASE_EVIDENCE = frozenset({Role.SUPERVISOR, Role.ADMIN})  # exported files, production and handover of footage
VIEW_EVIDENCE = VIEW_INCIDENTS
CONTROL_ROOM_SETTINGS = frozenset({Role.SUPERVISOR, Role.ADMIN})  # monitored hours and the category list
RETENTION_REVIEW = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.DPO})  # incidents flagged under the retention rule
DISCLOSURE = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.DPO})  # the disclosure log (police, SAR, FOI)
VIEW_AGGREGATES = frozenset({Role.ADVISORY, Role.ADMIN, Role.SUPERVISOR, Role.DPO, Role.PLANNER})  # counts only
# The Advisory Group dashboard and report pack: aggregate measures and camera-level figures, never a narrative.
VIEW_OUTCOMES = frozenset({Role.ADVISORY, Role.ADMIN, Role.SUPERVISOR, Role.DPO, Role.PLANNER})

# The public page: the DPO (and admins) choose what it shows; the signage register is kept by those who run the estate.
PUBLISH = frozenset({Role.ADMIN, Role.DPO})
SIGNAGE = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.DPO})

ViewFunc = Callable[..., Any]


def allow(roles: frozenset[Role]) -> Callable[[ViewFunc], ViewFunc]:
    """Declare the roles that may use a page: others get 403, anonymous users go to the login page."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if request.path.startswith("/api/"):
                    return jsonify(error="authentication required: send 'Authorization: Bearer <token>'"), 401
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if Role(current_user.role) not in roles:
                abort(403)
            return view(*args, **kwargs)

        guarded.allowed_roles = roles  # type: ignore[attr-defined]
        return guarded

    return decorate


def public(view: ViewFunc) -> ViewFunc:
    """Declare a page anyone may open (the login page)."""
    view.allowed_roles = None  # type: ignore[attr-defined]
    view.is_public = True  # type: ignore[attr-defined]
    return view


def allowed_for(app: Flask, endpoint: str, role: Role) -> bool:
    """Whether a role may use an endpoint (for showing only the links a user can follow)."""
    view = app.view_functions.get(endpoint)
    roles = getattr(view, "allowed_roles", None)
    return bool(roles) and role in roles


def db() -> Session:
    """The request's database session, audited as the signed-in user."""
    if "db_session" not in g:
        from cctv.db import Database

        database: Database = current_app.extensions["cctv_db"]
        g.db_session = database.session(_current_actor)
    return g.db_session


def _current_actor() -> str:
    # Resolved at flush time: the user loader itself needs this session before current_user exists.
    if g.get("actor_override"):
        return g.actor_override
    return current_user.username if current_user.is_authenticated else "anonymous"


def scope() -> CameraScope:
    """The cameras the signed-in user may see and change."""
    if "camera_scope" not in g:
        g.camera_scope = camera_scope(db(), current_user)
    return g.camera_scope
