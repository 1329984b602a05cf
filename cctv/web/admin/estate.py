"""The estate's fixed parts, kept by the admin: service areas and control rooms (systems: /systems).

A fresh install has neither service areas nor cameras: these pages (and `cctv service-areas`, `cctv control-rooms`,
the API) create them, so the first import has somewhere to put its cameras. Every change is audited with the
request's session; nothing here is ever deleted (cameras, accounts and incidents point at them).
"""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from cctv.controlroom import rooms
from cctv.web.access import ADMIN_ONLY, allow, db
from inventory import service_areas as areas
from inventory.models import ServiceAreaBase

bp = Blueprint("estate", __name__, template_folder="templates", url_prefix="/admin")


class ServiceAreaForm(FlaskForm):
    """A service area's code, name and description."""

    code = StringField("Code (used in commands and files, e.g. CS)", validators=[DataRequired(), Length(max=32)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = StringField("Description", validators=[Length(max=500)])


class RoomForm(FlaskForm):
    """A control room's code (its incident references' prefix) and name."""

    code = StringField("Code (letters; starts its incident references)", validators=[DataRequired(), Length(max=8)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])


def _save_area(form: ServiceAreaForm, area=None) -> bool:
    """Create or change the area from the form; errors go beside their fields. True when saved."""
    data = ServiceAreaBase(code=form.code.data or "", name=form.name.data or "",
                           description=form.description.data or "")
    try:
        if area is None:
            areas.create_service_area(db(), data)
        else:
            areas.update_service_area(db(), area, data)
    except areas.ServiceAreaError as exc:
        getattr(form, exc.field).errors.append(str(exc))
        db().rollback()
        return False
    db().commit()
    return True


@bp.route("/service-areas", methods=["GET", "POST"])
@allow(ADMIN_ONLY)
def service_areas():
    """The service areas, with a form for a new one."""
    form = ServiceAreaForm()
    if form.validate_on_submit() and _save_area(form):
        flash(f"Service area {form.name.data} added.")
        return redirect(url_for("estate.service_areas"))
    return render_template("admin/estate/service_areas.html", form=form, areas=areas.list_service_areas(db()),
                           rooms=rooms.list_rooms(db())), 400 if form.errors else 200


@bp.route("/service-areas/<int:area_id>", methods=["GET", "POST"])
@allow(ADMIN_ONLY)
def edit_service_area(area_id: int):
    """Change a service area's code, name or description."""
    try:
        area = areas.get_service_area(db(), area_id)
    except areas.ServiceAreaNotFound:
        abort(404)
    form = ServiceAreaForm(obj=area)
    if form.validate_on_submit() and _save_area(form, area):
        flash(f"Service area {area.name} saved.")
        return redirect(url_for("estate.service_areas"))
    return render_template("admin/estate/service_area.html", form=form, area=area), 400 if form.errors else 200


@bp.route("/control-rooms", methods=["GET", "POST"])
@allow(ADMIN_ONLY)
def control_rooms():
    """The control rooms, with a form for a new one."""
    form = RoomForm()
    if form.validate_on_submit():
        try:
            room = rooms.create_room(db(), form.code.data or "", form.name.data or "")
            db().commit()
            flash(f"Control room {room.name} added.")
            return redirect(url_for("estate.control_rooms"))
        except rooms.RoomError as exc:
            getattr(form, exc.field).errors.append(str(exc))
            db().rollback()
    return render_template("admin/estate/control_rooms.html", form=form, rooms=rooms.list_rooms(db())), (
        400 if form.errors else 200)


@bp.route("/control-rooms/<int:room_id>", methods=["GET", "POST"])
@allow(ADMIN_ONLY)
def edit_control_room(room_id: int):
    """Rename a control room; its code stays (references already given out begin with it)."""
    try:
        room = rooms.get_room(db(), room_id)
    except rooms.RoomNotFound:
        abort(404)
    form = RoomForm(obj=room)
    form.code.data = room.code
    if form.validate_on_submit():
        try:
            rooms.rename_room(db(), room, form.name.data or "")
            db().commit()
            flash(f"Control room {room.code} is now {room.name}.")
            return redirect(url_for("estate.control_rooms"))
        except rooms.RoomError as exc:
            form.name.errors.append(str(exc))
            db().rollback()
    return render_template("admin/estate/control_room.html", form=form, room=room), 400 if form.errors else 200
