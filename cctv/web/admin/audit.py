"""The audit trail, read only: every change and who made it, filtered, with entries about hidden cameras left out."""

from flask import Blueprint, render_template, request
from sqlalchemy import ColumnElement, String, and_, cast, not_, or_
from sqlmodel import col, select

from cctv.audit import AuditEntry
from cctv.web.access import AUDIT_LOG, allow, db, scope
from cctv.web.inputs import page_number
from inventory.models import Camera, CameraMove, Fault, FundingCamera, InventoryChange

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/admin")


def _about_hidden_cameras() -> ColumnElement[bool]:
    """Entries about cameras the user may not see (covert ones, without covert access), and about their moves,
    faults, DPIA changes and funding links: the trail must not reveal that those cameras exist."""
    hidden = select(Camera.id).where(not_(scope().where()))
    cameras = select(cast(Camera.id, String)).where(not_(scope().where()))
    conditions = [and_(AuditEntry.table_name == "camera", col(AuditEntry.record_id).in_(cameras))]
    for model in (CameraMove, Fault, InventoryChange):
        rows = select(cast(model.id, String)).where(col(model.camera_id).in_(hidden))
        conditions.append(and_(AuditEntry.table_name == model.__tablename__, col(AuditEntry.record_id).in_(rows)))
    links = select(cast(FundingCamera.funding_id, String) + "/" + cast(FundingCamera.camera_id, String)).where(
        col(FundingCamera.camera_id).in_(hidden))
    conditions.append(and_(AuditEntry.table_name == "funding_camera", col(AuditEntry.record_id).in_(links)))
    return or_(*conditions)


@bp.route("/audit")
@allow(AUDIT_LOG)
def trail():
    """The audit trail, newest first, filterable by table and record; nothing here can change it."""
    stmt = select(AuditEntry).where(not_(_about_hidden_cameras())).order_by(col(AuditEntry.id).desc())
    if table := request.args.get("table"):
        stmt = stmt.where(AuditEntry.table_name == table)
    if record := request.args.get("record"):
        stmt = stmt.where(AuditEntry.record_id == record)
    if actor := request.args.get("actor"):
        stmt = stmt.where(AuditEntry.actor == actor)
    page = max(1, request.args.get("page", 1, type=page_number))
    entries = db().exec(stmt.offset((page - 1) * 100).limit(100)).all()
    return render_template("admin/audit/list.html", entries=entries, page=page, args=request.args)
