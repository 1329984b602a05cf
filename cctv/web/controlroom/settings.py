"""The control room's settings, for supervisors and admins: its weekly monitored hours and the incident categories.

Changing the hours changes the flag of incidents logged (or re-timed) from then on; each incident keeps the flag it
was recorded with. A category is never deleted: renaming keeps its code, and retiring takes it off the entry form
while incidents logged under it keep it.
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from cctv.controlroom import hours as hours_service
from cctv.controlroom import rooms
from cctv.controlroom.models import IncidentCategory
from cctv.web.access import CONTROL_ROOM_SETTINGS, allow, db
from cctv.web.controlroom.common import categories, control_room, show_problems
from cctv.web.controlroom.settings_forms import CategoryForm, HoursForm, MoveForm
from cctv.web.forms import ConfirmForm

bp = Blueprint("control_room_settings", __name__, template_folder="templates", url_prefix="/control-room")


def _category_or_404(code: str) -> IncidentCategory:
    try:
        return rooms.get_category(db(), code)
    except rooms.CategoryError:
        abort(404)


def _rename_form(category: IncidentCategory, *, formdata: bool = False) -> CategoryForm:
    """A category row's rename form; its fields are prefixed with the code so every row's are distinct."""
    prefix = f"rename-{category.code}"
    if formdata:
        return CategoryForm(prefix=prefix)
    return CategoryForm(formdata=None, prefix=prefix, data={"label": category.label})


def _page(status: int = 200, *, hours_form: HoursForm | None = None, hour_problems: dict[int, str] | None = None,
          add_form: CategoryForm | None = None, rename: CategoryForm | None = None, renamed: str = ""):
    """The settings page; a form given replaces the blank one with what was typed and its errors."""
    room = control_room()
    if hours_form is None:
        hours_form = HoursForm(formdata=None)
        hours_form.fill(room.monitored_hours())
    everything = categories(active_only=False)
    active = [c for c in everything if c.active]
    rename_forms = {c.code: rename if c.code == renamed and rename is not None else _rename_form(c) for c in active}
    return render_template(
        "controlroom/settings/index.html", room=room, hours_form=hours_form, hour_problems=hour_problems or {},
        active=active, retired=[c for c in everything if not c.active], rename_forms=rename_forms,
        add_form=add_form or CategoryForm(formdata=None), confirm_form=ConfirmForm(formdata=None),
    ), status


@bp.route("/settings")
@allow(CONTROL_ROOM_SETTINGS)
def index():
    """The room's monitored hours and the incident category list."""
    return _page()


@bp.route("/settings/hours", methods=["POST"])
@allow(CONTROL_ROOM_SETTINGS)
def save_hours():
    """Replace the room's weekly monitored hours; incidents already logged keep their flags."""
    form = HoursForm()
    problems: dict[int, str] = {}
    if form.validate_on_submit():
        try:
            hours_service.set_monitored_hours(db(), control_room().id, form.hours())
            db().commit()
            flash("Monitored hours saved. Incidents already logged keep the flag they were recorded with.")
            return redirect(url_for("control_room_settings.index"))
        except hours_service.HoursError as exc:
            db().rollback()
            problems = exc.problems
    return _page(400, hours_form=form, hour_problems=problems)


@bp.route("/categories", methods=["POST"])
@allow(CONTROL_ROOM_SETTINGS)
def add_category():
    """Add a category at the end of the entry form's list."""
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            category = rooms.add_category(db(), form.label.data or "")
            label = category.label
            db().commit()
            flash(f"Category {label!r} added.")
            return redirect(url_for("control_room_settings.index") + "#categories")
        except rooms.CategoryError as exc:
            db().rollback()
            show_problems(form, {"label": str(exc)})
    return _page(400, add_form=form)


@bp.route("/categories/<code>/rename", methods=["POST"])
@allow(CONTROL_ROOM_SETTINGS)
def rename_category(code: str):
    """Give a category a new name; its code, and every incident logged under it, stay the same."""
    category = _category_or_404(code)
    form = _rename_form(category, formdata=True)
    if form.validate_on_submit():
        try:
            label = rooms.rename_category(db(), category.code, form.label.data or "").label
            db().commit()
            flash(f"Category renamed to {label!r}.")
            return redirect(url_for("control_room_settings.index") + "#categories")
        except rooms.CategoryError as exc:
            db().rollback()
            show_problems(form, {"label": str(exc)})
    return _page(400, rename=form, renamed=category.code)


@bp.route("/categories/<code>/retire", methods=["POST"])
@allow(CONTROL_ROOM_SETTINGS)
def retire_category(code: str):
    """Take a category off the entry form; incidents logged under it keep it."""
    category = _category_or_404(code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    rooms.retire_category(db(), category.code)
    label = category.label
    db().commit()
    flash(f"Category {label!r} retired: it is no longer offered, and incidents logged under it keep it.")
    return redirect(url_for("control_room_settings.index") + "#categories")


@bp.route("/categories/<code>/restore", methods=["POST"])
@allow(CONTROL_ROOM_SETTINGS)
def restore_category(code: str):
    """Put a retired category back on the entry form."""
    category = _category_or_404(code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    rooms.restore_category(db(), category.code)
    label = category.label
    db().commit()
    flash(f"Category {label!r} restored.")
    return redirect(url_for("control_room_settings.index") + "#categories")


def moved(codes: list[str], code: str, step: int) -> list[str]:
    """The codes with `code` swapped with its neighbour `step` places away (-1 up, 1 down); unchanged at an end."""
    order = list(codes)
    here = order.index(code)
    there = here + step
    if 0 <= there < len(order):
        order[here], order[there] = order[there], order[here]
    return order


@bp.route("/categories/<code>/move", methods=["POST"])
@allow(CONTROL_ROOM_SETTINGS)
def move_category(code: str):
    """Move a category in use one place up or down the entry form's list (retired ones follow the rest)."""
    category = _category_or_404(code)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    active = [c.code for c in categories()]
    if category.code not in active:
        flash(f"Category {category.label!r} is retired: restore it to move it.", "error")
    else:
        rooms.reorder_categories(db(), moved(active, category.code, -1 if form.direction.data == "up" else 1))
        db().commit()
    return redirect(url_for("control_room_settings.index") + "#categories")
