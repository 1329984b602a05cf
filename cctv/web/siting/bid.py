"""The capital bid page: the best K new sites within a budget, their cameras and cost, and the bid PDF."""

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, IntegerField
from wtforms.validators import NumberRange, Optional

from cctv.audit import audit_read
from cctv.web.access import VIEW_SITING, allow, db, scope
from cctv.web.siting.forms import ParamsForm
from inventory import lifecycle
from inventory.types import london_today, utcnow
from siting import planning
from siting.model.bid import BidCosts, ReplacementYear

bp = Blueprint("bid", __name__, template_folder="templates", url_prefix="/siting")

MAX_SITES = 50
MAX_POUNDS = 1e9


class BidForm(FlaskForm):
    """How many sites, what a camera costs installed, the budget and whether to validate (a GET form)."""

    class Meta:
        csrf = False  # read-only: it chooses what to show

    k = IntegerField("Sites, at most", default=5, validators=[Optional(), NumberRange(1, MAX_SITES)])
    cost_fixed = FloatField("£ a fixed camera", validators=[Optional(), NumberRange(0, MAX_POUNDS)])
    cost_deployable = FloatField("£ a deployable camera", validators=[Optional(), NumberRange(0, MAX_POUNDS)])
    budget = FloatField("Budget £ (blank: no limit)", validators=[Optional(), NumberRange(1, MAX_POUNDS)])
    validate_model = BooleanField("Validate the model on held-out months (takes a few seconds)")

    def bid_request(self) -> planning.BidRequest:
        """The planner's request, with the configured unit costs where none was typed, and the estate's own
        replacement programme for the next three years beside it."""
        config = current_app.config
        fixed = self.cost_fixed.data if self.cost_fixed.data is not None else config["SITING_COST_FIXED"]
        deployable = self.cost_deployable.data if self.cost_deployable.data is not None \
            else config["SITING_COST_DEPLOYABLE"]
        return planning.BidRequest(self.k.data or 5, BidCosts(float(fixed), float(deployable), self.budget.data),
                                   bool(self.validate_model.data), _replacement_years(), picked_sites())


def picked_sites() -> tuple[str, ...]:
    """The sites the planner picked on the map (`site=` repeated, each a candidate site's id), in id order; () for
    none picked (choose among every site). Anything but a small number is ignored: ids are numbers."""
    given = {v for v in request.args.getlist("site") if v.isascii() and v.isdigit() and len(v) < 12}
    return tuple(sorted(given, key=int))


def _replacement_years(years: int = 3) -> tuple[ReplacementYear, ...]:
    """The first years of the replacement programme of the cameras the user may see (`inventory.lifecycle`)."""
    programme = lifecycle.configured_programme(db(), scope(), today=london_today(), config=current_app.config)
    wanted = programme.years[:years]
    totals = programme.total_by_year()
    return tuple(ReplacementYear(lifecycle.year_label(year), sum(1 for i in programme.items if i.year == year),
                                 float(totals[year]), sum(1 for i in programme.items if i.year == year and i.estimated))
                 for year in wanted)


def _forms() -> tuple[ParamsForm, BidForm]:
    params, bid = ParamsForm(request.args), BidForm(request.args)
    params.validate()
    bid.validate()
    return params, bid


@bp.route("/bid")
@allow(VIEW_SITING)
def index():
    """The bid for the parameters in the query string, or what to correct."""
    params, form = _forms()
    bid, problem = None, ""
    if params.errors or form.errors:
        problem = "Correct the fields marked."
    else:
        try:
            bid = planning.capital_bid(db(), params.params(), form.bid_request())
        except (planning.NoCrimeData, ValueError) as exc:
            problem = str(exc)
    args = request.args.to_dict(flat=False)  # lists: the sites picked are repeated `site` values
    status = 400 if problem and (params.errors or form.errors) else 200
    return render_template("siting/bid/index.html", form=form, params=params, bid=bid, problem=problem,
                           picked=picked_sites(), args=args,
                           every_site_args={k: v for k, v in args.items() if k != "site"}), status


@bp.route("/bid.pdf")
@allow(VIEW_SITING)
def pdf():
    """The site report with the bid's pages (and its validation when asked for) opening it."""
    params, form = _forms()
    if params.errors or form.errors:
        return redirect(url_for("bid.index", **request.args.to_dict(flat=False)))
    try:
        document = planning.site_report(db(), params.params(), title=request.args.get("title") or "Capital bid",
                                        generated_at=utcnow(), prepared_for=current_app.config["COUNCIL_NAME"],
                                        bid=form.bid_request())
    except (planning.NoCrimeData, ValueError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("bid.index", **request.args.to_dict(flat=False)))
    audit_read(db(), "candidate_site", "report", f"capital bid PDF ?{request.query_string.decode()}")
    return Response(document, mimetype="application/pdf",
                    headers={"Content-Disposition": "attachment; filename=capital-bid.pdf"})
