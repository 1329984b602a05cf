"""The audit trail, read only: every change and who made it, filtered, with entries about hidden cameras left out.

A user without covert access must not learn from the trail that a covert camera or a covert system (one holding a
covert camera) exists: entries about them, their moves, faults, inventory changes, links (funding, incidents,
evidence, shift faults), DPIA reviews and their systems' DPIAs are left out, and a visible DPIA's frozen annex is shown
without the hidden cameras' lines. Nothing says how much was left out.
"""

import json
from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import ColumnElement, String, and_, cast, exists, not_, or_
from sqlmodel import col, select

from cctv.audit import AuditEntry
from cctv.controlroom.models import EvidenceCamera, IncidentCamera, ShiftFault
from cctv.web.access import AUDIT_LOG, allow, db, scope
from cctv.web.inputs import page_number
from dpia.models import Dpia, DpiaReview, DpiaRisk
from inventory.models import Camera, CameraMove, CameraSystem, Fault, FundingCamera, InventoryChange

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/admin")

# Link tables whose record id is "<other id>/<camera id>": matched on the camera id at the end, so the entry of a
# link since deleted (an incident's cameras replaced) is hidden too.
CAMERA_LINKS = (FundingCamera, IncidentCamera, EvidenceCamera)


def _record_in(table: str, ids) -> ColumnElement[bool]:
    """Entries of `table` whose record id is one of the integer ids the select yields."""
    as_text = ids.with_only_columns(cast(ids.selected_columns[0], String))  # record ids are text
    return and_(AuditEntry.table_name == table, col(AuditEntry.record_id).in_(as_text))


def _ends_with_id(table: str, ids) -> ColumnElement[bool]:
    """Entries of a link table whose record id ends with '/<id>' for one of the ids the select yields."""
    suffix = ids.subquery()
    return and_(AuditEntry.table_name == table,
                exists().where(col(AuditEntry.record_id).like("%/" + cast(suffix.c[0], String))))


def _about_hidden() -> ColumnElement[bool]:
    """Entries about cameras or systems the user may not see: the trail must not reveal that they exist."""
    hidden = select(Camera.id).where(not_(scope().where()))
    systems = select(CameraSystem.id).where(not_(scope().systems_where()))
    dpias = select(Dpia.id).where(col(Dpia.system_id).in_(systems))
    faults = select(Fault.id).where(col(Fault.camera_id).in_(hidden))
    conditions = [
        _record_in("camera", hidden),
        _record_in("camera_system", systems),
        _record_in("camera_move", select(CameraMove.id).where(col(CameraMove.camera_id).in_(hidden))),
        _record_in("fault", faults),
        _record_in("inventory_change", select(InventoryChange.id).where(
            or_(col(InventoryChange.camera_id).in_(hidden), col(InventoryChange.system_id).in_(systems)))),
        _record_in("dpia", dpias),
        _record_in("dpia_risk", select(DpiaRisk.id).where(col(DpiaRisk.dpia_id).in_(dpias))),
        _record_in("dpia_review", select(DpiaReview.id).where(
            or_(col(DpiaReview.camera_id).in_(hidden), col(DpiaReview.system_id).in_(systems)))),
        _ends_with_id(ShiftFault.__tablename__, faults),
    ]
    conditions += [_ends_with_id(str(link.__tablename__), hidden) for link in CAMERA_LINKS]
    return or_(*conditions)


def _without_hidden_lines(value: Any, hidden: set[int]) -> Any:
    """A frozen annex (JSON text of camera lines) without the lines of hidden cameras; anything else as it was."""
    if not isinstance(value, str):
        return value
    try:
        lines = json.loads(value)
    except ValueError:
        return value
    if not isinstance(lines, list):
        return value
    return json.dumps([line for line in lines if not (isinstance(line, dict) and line.get("camera_id") in hidden)])


def shown_changes(entry: AuditEntry, hidden: set[int]) -> dict[str, dict[str, Any]]:
    """An entry's changes as this user may read them: a DPIA's annex without the cameras hidden from them."""
    changes = entry.changed()
    if entry.table_name == "dpia" and "annex_json" in changes:
        changes["annex_json"] = {side: _without_hidden_lines(value, hidden)
                                 for side, value in changes["annex_json"].items()}
    return changes


@bp.route("/audit")
@allow(AUDIT_LOG)
def trail():
    """The audit trail, newest first, filterable by table and record; nothing here can change it."""
    stmt = select(AuditEntry).where(not_(_about_hidden())).order_by(col(AuditEntry.id).desc())
    if table := request.args.get("table"):
        stmt = stmt.where(AuditEntry.table_name == table)
    if record := request.args.get("record"):
        stmt = stmt.where(AuditEntry.record_id == record)
    if actor := request.args.get("actor"):
        stmt = stmt.where(AuditEntry.actor == actor)
    page = max(1, request.args.get("page", 1, type=page_number))
    entries = db().exec(stmt.offset((page - 1) * 100).limit(100)).all()
    hidden: set[int] = set()
    if any(entry.table_name == "dpia" for entry in entries):
        hidden = set(db().exec(select(Camera.id).where(not_(scope().where()))))
    changes = {entry.id: shown_changes(entry, hidden) for entry in entries}
    return render_template("admin/audit/list.html", entries=entries, changes=changes, page=page, args=request.args)
