"""The Advisory Group's dashboard: the six principles' measures for a period, as charts and tables, with a CSV behind
every table and the PDF report pack.

Every view does the same three things: read the filters from the query string (`outcomes_forms.read_filters`), call
`advisory_pack` once, and render that one pack — as the page, as one table's CSV (`csvs.table_csv`) or as the PDF
(`report.advisory_pack_pdf`) — so the three can never disagree. Only aggregates and camera-level figures are shown:
no incident narrative, place or reference, and no covert camera (the pack's measures leave them out).
"""

from __future__ import annotations

from typing import NoReturn

from flask import Blueprint, Response, abort, current_app, render_template, request

from cctv.audit import audit_read
from cctv.outcomes import csvs, formats
from cctv.outcomes.pack import AdvisoryPack
from cctv.outcomes.principles import principles_summary
from cctv.outcomes.summary import advisory_pack
from cctv.web.access import VIEW_OUTCOMES, allow, db, scope
from cctv.web.outcomes.charts import bar_chart, column_chart, heat_grid
from cctv.web.outcomes.forms import OutcomeFilters, following, read_filters
from inventory.cameras import towns
from inventory.service_areas import list_service_areas
from inventory.types import london_today, utcnow

bp = Blueprint("outcomes", __name__, template_folder="templates", url_prefix="/outcomes")
INCIDENTS = ("incident", "incidents")


def _filters() -> OutcomeFilters:
    """The period and filters of this request's query string."""
    areas = [(a.id, a.name) for a in list_service_areas(db()) if a.id is not None]
    return read_filters(request.args, today=london_today(), towns=towns(db(), scope()), service_areas=areas)


def _pack(chosen: OutcomeFilters) -> AdvisoryPack:
    assert chosen.period is not None
    return advisory_pack(db(), chosen.period, chosen.filters, today=london_today(), now=utcnow())


def _neighbours(chosen: OutcomeFilters) -> dict[str, object]:
    """Links to the period before and (once it has begun) the period after, with the same filters."""
    assert chosen.period is not None
    before, after = chosen.period.previous(), following(chosen.period)
    started = after.start <= london_today()
    return {"previous": {**chosen.args, "period": before.code}, "previous_label": before.label,
            "next": {**chosen.args, "period": after.code} if started else None, "next_label": after.label}


def _refuse(chosen: OutcomeFilters) -> NoReturn:
    """A download asked for with filters that cannot be read: 400 with what is wrong."""
    abort(400, description=" ".join(e for errors in chosen.form.errors.values() for e in errors))


def charts(pack: AdvisoryPack) -> dict[str, object]:
    """The dashboard's charts, laid out from the pack's own figures (written as the tables write them)."""
    m, n, noun = pack.incidents, formats.count, INCIDENTS
    maintenance = pack.maintenance.worst or pack.maintenance.cameras[:10]
    return {
        "by_month": column_chart("chart-by-month", f"Incidents by month, {pack.period.label}",
                                 [(r.key, r.label, r.incidents, n(r.incidents)) for r in m.by_month], noun=noun),
        "by_category": bar_chart("chart-by-category", f"Incidents by category, {pack.period.label}",
                                 [(str(r.key), r.label, r.incidents, n(r.incidents)) for r in m.by_category],
                                 noun=noun),
        "by_town": bar_chart("chart-by-town", f"Incidents by town, {pack.period.label}",
                             [(str(r.key or ""), r.label, r.incidents, n(r.incidents)) for r in m.by_town], noun=noun),
        "hours": heat_grid("chart-hours", f"Incidents by hour of the week, {pack.period.label}", pack.hours),
        "investment": bar_chart("chart-investment", f"New investment by source, {pack.period.label}",
                                [(s.source.value, s.label, float(s.amount), formats.money(s.amount))
                                 for s in pack.investment.sources], tick_text=lambda v: f"£{v:,.0f}"),
        "availability": bar_chart("chart-availability", f"Availability of the least available cameras, "
                                  f"{pack.period.label}",
                                  [(c.asset_id, c.asset_id, (formats.percent_value(c.availability) or 0.0),
                                    formats.percent(c.availability)) for c in maintenance],
                                  ceiling=100.0, tick_text=lambda v: f"{v:g}%"),
    }


@bp.route("")
@allow(VIEW_OUTCOMES)
def index():
    """The dashboard for the period and filters asked for (the last complete quarter by default)."""
    chosen = _filters()
    if chosen.period is None:
        return render_template("outcomes/dashboard/index.html", form=chosen.form, pack=None), 400
    pack = _pack(chosen)
    return render_template(
        "outcomes/dashboard/index.html", form=chosen.form, pack=pack, args=chosen.args, fmt=formats,
        principles=principles_summary(pack), charts=charts(pack), neighbours=_neighbours(chosen),
    )


@bp.route("/<table>.csv")
@allow(VIEW_OUTCOMES)
def table_csv(table: str):
    """One of the dashboard's tables (`csvs.TABLES`) as CSV, for the same period and filters."""
    if table not in csvs.TABLES:
        abort(404)
    chosen = _filters()
    if chosen.period is None:
        _refuse(chosen)
    pack = _pack(chosen)
    assert chosen.period is not None
    audit_read(db(), "outcomes", chosen.period.code, f"{table} CSV ?{request.query_string.decode()}")
    return Response(csvs.table_csv(table, pack), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={csvs.csv_filename(table, pack)}"})


@bp.route("/pack.pdf")
@allow(VIEW_OUTCOMES)
def pack_pdf():
    """The Advisory Group report pack (PDF) for the same period and filters as the dashboard."""
    chosen = _filters()
    if chosen.period is None:
        _refuse(chosen)
    assert chosen.period is not None
    from cctv.outcomes.report import Council, advisory_pack_pdf  # ReportLab loads when a pack is first asked for

    annex = request.args.get("annex") == "1"  # the per-camera tables, only when asked for
    council = Council(current_app.config["COUNCIL_NAME"], current_app.config["COUNCIL_LOGO"])
    pdf = advisory_pack_pdf(_pack(chosen), generated_at=utcnow(), council=council, annex=annex)
    name = f"advisory-pack-{chosen.period.code.replace('..', '_to_')}{'-with-annex' if annex else ''}.pdf"
    audit_read(db(), "outcomes", chosen.period.code, f"advisory pack PDF ?{request.query_string.decode()}")
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f"attachment; filename={name}"})
