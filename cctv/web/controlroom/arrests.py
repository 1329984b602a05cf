"""An incident's arrests: record one (offence group, offence, outcome), correct it or record its outcome later, or
remove one recorded by mistake. The incident page lists them; these pages hold the one form each.

The incident form keeps only the number of arrests (quick to log at night): that many records are made for the
details to follow here, and the number follows the records (`cctv.controlroom.arrests`).
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from cctv.controlroom import arrests as arrest_service
from cctv.controlroom import incident_queries
from cctv.controlroom.models import Arrest, Incident
from cctv.web.access import LOG_INCIDENTS, allow, db
from cctv.web.controlroom.common import show_problems
from cctv.web.controlroom.forms import ArrestForm
from cctv.web.forms import ConfirmForm
from inventory.types import utcnow

bp = Blueprint("arrests", __name__, template_folder="templates", url_prefix="/incidents")


def _incident_or_404(incident_id: int) -> Incident:
    try:
        return incident_queries.get_incident(db(), incident_id)
    except incident_queries.IncidentNotFound:
        abort(404)


def _arrest_or_404(incident_id: int, arrest_id: int) -> Arrest:
    try:
        return arrest_service.get_arrest(db(), incident_id, arrest_id)
    except arrest_service.ArrestNotFound:
        abort(404)


def _page(form: ArrestForm, incident: Incident, arrest: Arrest | None, status: int = 200):
    return render_template("controlroom/arrests/form.html", form=form, incident=incident, arrest=arrest,
                           remove_form=ConfirmForm(formdata=None)), status


@bp.route("/<int:incident_id>/arrests/new", methods=["GET", "POST"])
@allow(LOG_INCIDENTS)
def new(incident_id: int):
    """Record one more arrest at the incident."""
    incident = _incident_or_404(incident_id)
    form = ArrestForm()
    if form.validate_on_submit():
        try:
            arrest_service.add_arrest(db(), incident.id, form.data_model(), now=utcnow())
            db().commit()
            flash(f"Arrest recorded on {incident.reference}.")
            return redirect(url_for("incidents.show", incident_id=incident.id, _anchor="arrests"))
        except arrest_service.ArrestError as exc:
            db().rollback()
            show_problems(form, exc.problems)
    return _page(form, incident, None, 400 if form.errors else 200)


@bp.route("/<int:incident_id>/arrests/<int:arrest_id>", methods=["GET", "POST"])
@allow(LOG_INCIDENTS)
def edit(incident_id: int, arrest_id: int):
    """Correct an arrest's offence or record its outcome as the police report it."""
    incident = _incident_or_404(incident_id)
    arrest = _arrest_or_404(incident.id, arrest_id)
    form = ArrestForm(obj=arrest) if request.method == "GET" else ArrestForm()
    if request.method == "GET":
        form.offence_group.data, form.outcome.data = arrest.offence_group.value, arrest.outcome.value
    elif form.validate_on_submit():
        try:
            arrest_service.update_arrest(db(), incident.id, arrest.id, form.data_model(), now=utcnow())
            db().commit()
            flash(f"Arrest on {incident.reference} saved.")
            return redirect(url_for("incidents.show", incident_id=incident.id, _anchor="arrests"))
        except arrest_service.ArrestError as exc:
            db().rollback()
            show_problems(form, exc.problems)
    return _page(form, incident, arrest, 400 if form.errors else 200)


@bp.route("/<int:incident_id>/arrests/<int:arrest_id>/remove", methods=["POST"])
@allow(LOG_INCIDENTS)
def remove(incident_id: int, arrest_id: int):
    """Remove an arrest recorded by mistake: the incident's count goes down by one (audited)."""
    incident = _incident_or_404(incident_id)
    arrest = _arrest_or_404(incident.id, arrest_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    arrest_service.remove_arrest(db(), incident.id, arrest.id, now=utcnow())
    db().commit()
    flash(f"Arrest removed from {incident.reference}.")
    return redirect(url_for("incidents.show", incident_id=incident.id, _anchor="arrests"))
