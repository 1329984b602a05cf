"""Camera systems: the groups of cameras each DPIA covers."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from cctv.web.access import ANY_ROLE, EDIT_SYSTEMS, VIEW_DPIA, allow, db, scope
from dpia.register import systems_status
from inventory import systems as system_service
from inventory.models import CameraSystemBase
from inventory.scope import OutOfScope
from inventory.service_areas import list_service_areas
from inventory.types import london_today

bp = Blueprint("systems", __name__, template_folder="templates", url_prefix="/systems")


class SystemForm(FlaskForm):
    """A new camera system."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    service_area_id = SelectField("Service area", coerce=int)
    description = StringField("Description", validators=[Length(max=500)])


def _form() -> SystemForm:
    form = SystemForm()
    form.service_area_id.choices = {a.id: a.name for a in list_service_areas(db()) if scope().allows_area(a.id)}
    return form


def _page(form: SystemForm, status: int = 200):
    # Everyone may know whether a system has a DPIA in force; only DPIA readers see its version and review date.
    dpia = {s.system.id: s for s in systems_status(db(), london_today())}
    return render_template("inventory/systems/list.html", systems=system_service.list_systems(db(), scope()), form=form,
                           may_create=current_user.role in EDIT_SYSTEMS, dpia=dpia,
                           dpia_detail=current_user.role in VIEW_DPIA), status


@bp.route("")
@allow(ANY_ROLE)
def index():
    """The systems in the user's service areas, with a form for a new one for those allowed."""
    return _page(_form())


@bp.route("", methods=["POST"])
@allow(EDIT_SYSTEMS)
def create():
    """Add a system; its 'new system' change makes its DPIA due. Errors re-show the form as typed."""
    form = _form()
    if form.validate_on_submit():
        data = CameraSystemBase(name=form.name.data, service_area_id=form.service_area_id.data,
                                description=form.description.data or "")
        try:
            system = system_service.create_system(db(), scope(), data, actor=current_user.username)
            db().commit()
            flash(f"System {system.name} added: its DPIA is now due.")
            return redirect(url_for("systems.index"))
        except system_service.DuplicateSystemName as exc:
            form.name.errors.append(str(exc))
        except OutOfScope as exc:
            form.service_area_id.errors.append(str(exc))
        db().rollback()
    return _page(form, 400)


@bp.route("/<int:system_id>/edit", methods=["GET", "POST"])
@allow(EDIT_SYSTEMS)
def edit(system_id: int):
    """Rename a system, change its description or owning service area (one of the user's). A system the user may
    not see (another area's, or covert without covert access) is a 404, as one that does not exist."""
    system = system_service.visible_system(db(), scope(), system_id)
    if system is None:
        abort(404)
    form = _form()
    if not form.is_submitted():
        form.process(obj=system)
        form.service_area_id.choices = {a.id: a.name for a in list_service_areas(db()) if scope().allows_area(a.id)}
    if form.validate_on_submit():
        data = CameraSystemBase(name=form.name.data, service_area_id=form.service_area_id.data,
                                description=form.description.data or "")
        try:
            system_service.update_system(db(), scope(), system, data)
            db().commit()
            flash(f"System {system.name} saved.")
            return redirect(url_for("systems.index"))
        except system_service.DuplicateSystemName as exc:
            form.name.errors.append(str(exc))
        except (OutOfScope, LookupError) as exc:
            form.service_area_id.errors.append(str(exc))
        except ValueError as exc:
            form.name.errors.append(str(exc))
        db().rollback()
    return render_template("inventory/systems/edit.html", form=form, system=system), 400 if form.errors else 200
