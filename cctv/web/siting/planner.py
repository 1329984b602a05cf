"""The planner pages: candidate sites, the ranking with its reasons, a site page, saved runs and comparisons."""

import io
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, select

from cctv.audit import audit_read
from cctv.web.access import EDIT_SITING, VIEW_SITING, allow, db
from cctv.web.inputs import db_int
from cctv.web.siting.forms import ParamsForm, ProposalsForm, SaveRunForm, SiteForm, SiteUploadForm
from common.csv_cells import SafeWriter
from inventory.types import utcnow
from siting import planning, proposals
from siting.geometry import geometry_to_wgs84
from siting.model.inputs import Site
from siting.model.place import site_label
from siting.site_layers import site_layers
from siting.sources.sites import read_sites
from siting.store.saved import CandidateSite, DuplicateSiteName, SiteSource, SitingRun, add_site, compare_runs, save_run

bp = Blueprint("siting", __name__, template_folder="templates", url_prefix="/siting")


def _params_form() -> ParamsForm:
    form = ParamsForm(request.args)
    form.validate()
    return form


def _ranking(form: ParamsForm):
    """The ranking for these parameters, or (None, message) when it cannot be computed."""
    if form.errors:
        return None, "Correct the parameters."
    try:
        return planning.score_candidates(db(), form.params()), ""
    except planning.NoCrimeData as exc:
        return None, str(exc)
    except ValueError as exc:  # e.g. a last month before any data
        return None, str(exc)


def _index_page(site_form: SiteForm, status: int = 200):
    form = _params_form()
    run, problem = _ranking(form)
    sites = {str(s.id): s for s in db().exec(select(CandidateSite).where(col(CandidateSite.active)))}
    runs = db().exec(select(SitingRun).order_by(col(SitingRun.created_at).desc()).limit(20)).all()
    return render_template("siting/planner/index.html", form=form, run=run, problem=problem, sites=sites, runs=runs,
                           site_form=site_form, save_form=SaveRunForm(), upload_form=SiteUploadForm(),
                           proposals_form=ProposalsForm(formdata=None), picked=set(request.args.getlist("site")),
                           args={k: v for k, v in request.args.to_dict().items() if k != "site"}), status


@bp.route("")
@allow(VIEW_SITING)
def index():
    """Candidate sites ranked by the harm new cameras would add, with each site's reasons."""
    return _index_page(SiteForm())


@bp.route("/sites", methods=["POST"])
@allow(EDIT_SITING)
def add():
    """Keep a typed candidate site; errors re-show the form with what was typed."""
    form = SiteForm()
    if form.validate_on_submit() and (point := form.resolve_point()) is not None:
        if point == (None, None):
            form.longitude.errors.append("Give longitude/latitude or easting/northing.")
        else:
            try:
                site = add_site(db(), Site.from_lonlat("new", point[0], point[1], name=form.name.data.strip()),
                                source=SiteSource.TYPED, actor=current_user.username, notes=form.notes.data or "")
                db().commit()
                flash(f"Site {site.name} added.")
                return redirect(url_for("siting.index", **request.args))
            except DuplicateSiteName as exc:
                db().rollback()
                form.name.errors.append(str(exc))
    return _index_page(form, 400)


@bp.route("/proposals", methods=["POST"])
@allow(EDIT_SITING)
def keep_proposals():
    """Keep the model's best proposals in the council's area as candidate sites (those already kept are skipped),
    so they are scored, mapped and offered to the bid."""
    form = ProposalsForm()
    pform = _params_form()
    if not form.validate_on_submit() or pform.errors:
        flash("Keep between 1 and 50 proposals, with the parameters corrected.", "error")
        return redirect(url_for("siting.index", **request.args))
    try:
        added, already = proposals.keep_proposals(db(), pform.params(), k=form.peaks.data,
                                                  actor=current_user.username)
    except (planning.NoCrimeData, ValueError) as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for("siting.index", **request.args))
    db().commit()
    flash(f"{added} proposal{'s' if added != 1 else ''} kept as candidate sites"
          + (f"; {already} already were." if already else "."))
    return redirect(url_for("siting.index", **request.args) + "#ranking")


@bp.route("/sites/<int:site_id>")
@allow(VIEW_SITING)
def site(site_id: int):
    """One site: a map of its catchment with the crimes around and the cameras near, its figures, crimes by year
    and category, the explanation and the recommended cameras."""
    candidate = db().get(CandidateSite, site_id)
    if candidate is None:
        abort(404)
    form = _params_form()
    try:
        detail = planning.site_detail(db(), candidate, form.params())
    except (planning.NoCrimeData, ValueError) as exc:
        return render_template("siting/planner/site.html", site=candidate, detail=None, problem=str(exc), form=form)
    layers = site_layers(candidate.to_model(), detail.run.params.radius_m, detail.nearby_crimes_bng,
                         detail.nearby_harmful, detail.nearby_cameras_bng)
    return render_template("siting/planner/site.html", site=candidate, detail=detail, problem="", form=form,
                           args=request.args.to_dict(), layers=layers)


@bp.route("/sites.geojson")
@allow(VIEW_SITING)
def sites_geojson():
    """The active candidate sites for the map, in longitude/latitude."""
    features = []
    for candidate in db().exec(select(CandidateSite).where(col(CandidateSite.active))):
        geometry = geometry_to_wgs84(candidate.to_model().geometry).__geo_interface__
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"id": candidate.id, "name": candidate.name, "source": candidate.source}})
    return jsonify(type="FeatureCollection", features=features)


@bp.route("/runs", methods=["POST"])
@allow(EDIT_SITING)
def save():
    """Save the ranking for the parameters in the query string, with its window and counts."""
    form = SaveRunForm()
    pform = _params_form()
    if not form.validate_on_submit():
        flash("Give the run a title.", "error")
        return redirect(url_for("siting.index", **request.args))
    run, problem = _ranking(pform)
    if run is None:
        flash(problem, "error")
        return redirect(url_for("siting.index", **request.args))
    saved = save_run(db(), run, actor=current_user.username, title=form.title.data.strip())
    db().commit()
    flash(f"Run saved as “{saved.title}”.")
    return redirect(url_for("siting.run", run_id=saved.id))


@bp.route("/runs/<int:run_id>")
@allow(VIEW_SITING)
def run(run_id: int):
    """A saved run as it was: parameters, window, counts and ranking."""
    saved = db().get(SitingRun, run_id)
    if saved is None:
        abort(404)
    others = db().exec(select(SitingRun).where(SitingRun.id != run_id).order_by(col(SitingRun.id).desc())).all()
    data = saved.data()
    labels = {r["site_id"]: site_label(r["site_id"], r.get("name", ""), r.get("street", ""), r.get("lsoa_code", ""),
                                       r.get("lsoa_name", ""), r.get("locality", ""))
              for r in data["results"]}  # older runs: no place
    return render_template("siting/planner/run.html", saved=saved, data=data, others=others, labels=labels)


@bp.route("/runs/compare")
@allow(VIEW_SITING)
def compare():
    """Two saved runs side by side: what differs in parameters and data, and how each site's rank moved."""
    a = db().get(SitingRun, request.args.get("a", type=db_int) or 0)
    b = db().get(SitingRun, request.args.get("b", type=db_int) or 0)
    if a is None or b is None:
        abort(404)
    differences, ranks = compare_runs(a, b)
    return render_template("siting/planner/compare.html", a=a, b=b, differences=differences, ranks=ranks)


@bp.route("/sites/upload", methods=["POST"])
@allow(EDIT_SITING)
def upload():
    """Keep every site of a CSV or GeoJSON file, or none: each problem is listed with its file and line."""
    form = SiteUploadForm()
    if not form.validate_on_submit():
        flash("Choose a .csv or .geojson file of sites.", "error")
        return redirect(url_for("siting.index", **request.args))
    filename = Path(form.file.data.filename or "sites.csv").name
    sites, problems = read_sites(filename, form.file.data.read())
    if not problems:
        try:
            added = planning.add_sites(db(), sites, source=SiteSource.UPLOADED, actor=current_user.username)
            db().commit()
            flash(f"{len(added)} sites added from {filename}.")
            return redirect(url_for("siting.index", **request.args))
        except DuplicateSiteName as exc:
            db().rollback()
            problems = [str(exc)]
    flash(f"Nothing added from {filename}: " + "; ".join(str(p) for p in problems), "error")
    return redirect(url_for("siting.index", **request.args))


@bp.route("/report.pdf")
@allow(VIEW_SITING)
def report():
    """The capital-bid site report (PDF) for the parameters in the query string."""
    form = _params_form()
    try:
        pdf = planning.site_report(db(), form.params(), title=request.args.get("title") or "Candidate CCTV sites",
                                   generated_at=utcnow(), prepared_for=current_app.config["COUNCIL_NAME"])
    except (planning.NoCrimeData, ValueError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("siting.index", **request.args))
    audit_read(db(), "candidate_site", "report", f"candidate sites PDF ?{request.query_string.decode()}")
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": "attachment; filename=candidate-sites.pdf"})


@bp.route("/ranking.csv")
@allow(VIEW_SITING)
def ranking_csv():
    """The ranking for the parameters in the query string as CSV, each site named and placed as on the page (no
    cell runs as a formula)."""
    form = _params_form()
    try:
        rows = planning.ranking_csv_rows(db(), form.params())
    except (planning.NoCrimeData, ValueError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("siting.index", **request.args))
    buffer = io.StringIO()
    SafeWriter(buffer, lineterminator="\n").writerows(rows)
    audit_read(db(), "candidate_site", "export", f"siting ranking CSV ?{request.query_string.decode()}")
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=siting-ranking.csv"})


@bp.route("/hotspots.geojson")
@allow(VIEW_SITING)
def hotspots_geojson():
    """The hotspot surface's densest cells and its peaks, for the planner map's layer."""
    try:
        return jsonify(planning.hotspot_layer(db(), _params_form().params()))
    except (planning.NoCrimeData, ValueError) as exc:
        # An empty layer, with the reason the map shows under it (no crimes in the window, a grid too large…).
        return jsonify(type="FeatureCollection", features=[], max_density=0.0, error=str(exc))
