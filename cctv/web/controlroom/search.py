"""Finding incidents again: the search page of the control room (reference, police reference, camera, category,
place, words of the narrative and a date range), answered by the full-text index (cctv.controlroom.search)."""

from flask import Blueprint, render_template, request
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField, StringField
from wtforms.validators import Length, Optional

from cctv.controlroom import search as search_service
from cctv.controlroom.incident_queries import cameras_by_incident
from cctv.web.access import VIEW_INCIDENTS, allow, db, scope
from cctv.web.controlroom.common import asset_ids_text, cameras_from_text, categories, category_labels
from cctv.web.forms import DayField

bp = Blueprint("incident_search", __name__, template_folder="templates", url_prefix="/incidents/search")


class IncidentSearchForm(FlaskForm):
    """The search fields, read from the query string (a GET form that changes nothing)."""

    class Meta:
        csrf = False

    words = SearchField("Words", validators=[Length(max=200)])
    reference = StringField("Reference", validators=[Length(max=40)])
    police_reference = StringField("Police reference", validators=[Length(max=60)])
    camera = StringField("Cameras", validators=[Length(max=200)])
    category = SelectField("Category", choices=[], validate_choice=False)
    place = StringField("Place", validators=[Length(max=120)])
    start = DayField("From", validators=[Optional()])
    end = DayField("To (inclusive)", validators=[Optional()])


def _query(form: IncidentSearchForm) -> search_service.IncidentQuery | None:
    """The query the form asks, or None with the problems beside the fields."""
    valid = form.validate()
    cameras, problem = cameras_from_text(form.camera.data or "") if (form.camera.data or "").strip() else ([], "")
    if problem:
        form.camera.errors = [*form.camera.errors, problem]
    if form.category.data and form.category.data not in dict(form.category.choices):
        form.category.errors = [*form.category.errors, "Choose a category from the list."]
    if (form.start.data and form.end.data and form.start.data > form.end.data):
        form.end.errors = [*form.end.errors, "The end is before the start."]
    if not valid or any(f.errors for f in form):
        return None
    return search_service.IncidentQuery(
        words=form.words.data or "", reference=form.reference.data or "",
        police_reference=form.police_reference.data or "", place=form.place.data or "",
        camera_ids=tuple(c.id for c in cameras), category=form.category.data or "", start=form.start.data,
        end=form.end.data)


@bp.route("")
@allow(VIEW_INCIDENTS)
def index():
    """The search form and, once something is asked, the incidents found (newest first, up to 200)."""
    form = IncidentSearchForm(request.args)
    form.category.choices = [("", "Any category")] + [(c.code, c.label) for c in categories(active_only=False)]
    query = _query(form)
    if query is None:
        return render_template("controlroom/search/index.html", form=form, found=None), 400
    found = None if query.is_empty() else search_service.search(db(), query)
    cameras = cameras_by_incident(db(), [i.id for i in found or []], scope())
    return render_template(
        "controlroom/search/index.html", form=form, found=found, limit=search_service.RESULTS_MAX,
        cameras={incident_id: asset_ids_text(found_cameras) for incident_id, found_cameras in cameras.items()},
        category_labels=category_labels())
