"""Footage retention compliance: each camera's retention days against the council's policy for its kind."""

from flask import Blueprint, current_app, render_template

from cctv.web.access import FOOTAGE_RETENTION, allow, db, scope
from inventory import retention as retention_service
from inventory.types import CameraKind

bp = Blueprint("footage", __name__, template_folder="templates")


def retention_policy() -> dict[CameraKind, int]:
    """The policy days by kind: the defaults, overridden by RETENTION_POLICY_DAYS."""
    configured = current_app.config.get("RETENTION_POLICY_DAYS") or {}
    return retention_service.DEFAULT_RETENTION_POLICY_DAYS | {
        CameraKind(k): int(v) for k, v in configured.items() if k in set(CameraKind)}


@bp.route("/cameras/retention")
@allow(FOOTAGE_RETENTION)
def compliance():
    """Cameras keeping footage longer than policy, or with none set, first; then the rest."""
    lines = retention_service.compliance(db(), scope(), retention_policy())
    exceptions = [line for line in lines if line.state != retention_service.OK or line.system_mixed]
    return render_template("inventory/footage/compliance.html", lines=lines, exceptions=exceptions,
                           ok=retention_service.OK)
