"""The DPIA register's pages for the DPO: the dashboard, one system's versions and reviews, and starting a version.

Covert cameras exist in the register for everyone's DPIA, but a user without covert access never sees one: the
lists here are filtered with the user's scope, a covert system (one holding a covert camera) is left out whole, and a
review raised by a hidden camera's change in a visible system names no camera and does not say why it is hidden.
"""

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlmodel import col, select

from cctv.web.access import EDIT_DPIA, VIEW_DPIA, allow, db, scope
from cctv.web.dpia.forms import StartForm
from dpia import register, reviews, selfassessment
from dpia.annex import cameras_without_dpia
from dpia.models import DpiaReview
from inventory.changes import pending_changes
from inventory.models import Camera, CameraSystem, InventoryChange, ServiceArea
from inventory.systems import visible_system
from inventory.types import london_today

bp = Blueprint("dpia", __name__, template_folder="templates", url_prefix="/dpia")

COVERT_CHANGE = "a change to a camera in this system"


@bp.app_template_filter("day")
def day(value: date | None) -> str:
    """A date as the register shows it: '1 Mar 2027'."""
    return f"{value.day} {value:%b %Y}" if value else ""


@bp.app_template_filter("dpia_value")
def dpia_value(value: object, field: str = "") -> str:
    """A field's value in a comparison: the DPO's advice as accepted or overruled, yes/no, a dash for nothing."""
    if field == "dpo_advice_accepted":
        return {None: "—", True: "Accepted", False: "Overruled"}.get(value, str(value))  # type: ignore[call-overload]
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True)
class ReviewRow:
    """An open review as this user may see it: its camera only when visible, its detail masked otherwise."""

    review: DpiaReview
    system: str
    state: str  # overdue, due or upcoming
    reason: str
    detail: str
    camera: Camera | None


@dataclass(frozen=True)
class ChangeRow:
    """An inventory change the register has not yet turned into a review."""

    change: InventoryChange
    system: str
    detail: str
    camera: Camera | None


def _visible_camera(camera_id: int | None) -> tuple[Camera | None, bool]:
    """The camera if this user may see it, and whether there is one they may not see (for DPIA readers, who are
    never limited to service areas, that is a covert camera)."""
    camera = db().get(Camera, camera_id) if camera_id is not None else None
    if camera is None or scope().sees(camera):
        return camera, False
    return None, True


def _system_names() -> dict[int, str]:
    """The names of the systems this user may see (covert ones only with covert access)."""
    return {s.id: s.name for s in db().exec(select(CameraSystem).where(scope().systems_where()))}  # type: ignore[misc]


def review_rows(system_id: int | None = None) -> list[ReviewRow]:
    """The open reviews (of one system, or all), soonest due first, as this user may see them."""
    names = _system_names()
    rows = []
    for review in reviews.open_reviews(db(), system_id=system_id):
        if review.system_id not in names:
            continue  # a covert system's review: the system does not exist for this user
        camera, hidden = _visible_camera(review.camera_id)
        rows.append(ReviewRow(review, names.get(review.system_id, ""), reviews.due_state(review, london_today()),
                              reviews.REASON_LABELS.get(review.reason, str(review.reason)),
                              COVERT_CHANGE if hidden else review.detail, camera))
    return rows


def change_rows() -> list[ChangeRow]:
    """The inventory changes waiting for the daily job to raise their reviews, as this user may see them."""
    names = _system_names()
    rows = []
    for change in pending_changes(db()):
        camera, hidden = _visible_camera(change.camera_id)
        system_id = (camera.system_id if camera else None) or change.system_id
        if system_id and system_id not in names:
            continue  # a change in a covert system
        rows.append(ChangeRow(change, names.get(system_id, "") if system_id else "",
                              COVERT_CHANGE if hidden else change.detail, camera))
    return rows


def gaps() -> list[Camera]:
    """Working cameras outside any signed-off DPIA that this user may see."""
    return [camera for camera in cameras_without_dpia(db()) if scope().sees(camera)]


@bp.route("")
@allow(VIEW_DPIA)
def index():
    """The DPO's dashboard: every system's DPIA, reviews due, changes waiting, gaps and the self-assessment."""
    latest = selfassessment.latest_assessment(db())
    systems = register.systems_status(db(), london_today(), include_covert=scope().include_covert)
    return render_template(
        "dpia/register/index.html", systems=systems, reviews=review_rows(), changes=change_rows(), gaps=gaps(),
        system_names=_system_names(), assessment=latest,
        assessment_due=selfassessment.assessment_due(db(), london_today()),
        open_actions=selfassessment.open_actions(db()), today=london_today(),
    )


def _system_or_404(system_id: int) -> CameraSystem:
    """The system, or 404 when it does not exist or is covert and the user has no covert access (alike)."""
    system = visible_system(db(), scope(), system_id)
    if system is None:
        abort(404)
    return system


@bp.route("/systems/<int:system_id>")
@allow(VIEW_DPIA)
def system(system_id: int):
    """One system: its versions newest first, its open reviews, the draft, and the button to start the next one."""
    found = _system_or_404(system_id)
    area = db().get(ServiceArea, found.service_area_id)
    cameras = db().exec(select(Camera).where(Camera.system_id == system_id, scope().where())
                        .order_by(col(Camera.asset_id))).all()
    return render_template(
        "dpia/register/system.html", system=found, area=area.name if area else "", cameras=cameras,
        versions=register.versions(db(), system_id), draft=register.current_draft(db(), system_id),
        latest=register.latest_signed_off(db(), system_id), reviews=review_rows(system_id), form=StartForm(),
    )


@bp.route("/systems/<int:system_id>/start", methods=["POST"])
@allow(EDIT_DPIA)
def start(system_id: int):
    """Start the system's first DPIA, or a review: a new draft version copied from the version in force."""
    _system_or_404(system_id)
    form = StartForm()
    if not form.validate_on_submit():
        flash("The reason is too long (500 characters at most).", "error")
        return redirect(url_for("dpia.system", system_id=system_id))
    try:
        draft = register.start_dpia(db(), system_id, actor=current_user.username, reason=form.reason.data or "")
        db().commit()
    except register.DpiaError as exc:
        db().rollback()
        flash(f"Not started: {exc}.", "error")
        return redirect(url_for("dpia.system", system_id=system_id))
    flash(f"Version {draft.version} started as a draft.")
    return redirect(url_for("dpia_versions.show", dpia_id=draft.id))
