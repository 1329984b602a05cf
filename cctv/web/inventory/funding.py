"""The funding register."""

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlmodel import col, select

from cctv.web.access import EDIT_FUNDING, VIEW_FUNDING, allow, db, scope
from cctv.web.inventory.forms import FundingForm
from inventory import funding as funding_service
from inventory.models import Camera, FundingCreate

bp = Blueprint("funding", __name__, template_folder="templates", url_prefix="/funding")


@bp.route("")
@allow(VIEW_FUNDING)
def index():
    """Every award with totals by source."""
    awards = funding_service.list_funding(db())
    totals = funding_service.totals_by_source(awards)
    return render_template("inventory/funding/list.html", awards=awards, totals=totals,
                           sees=scope().sees)  # an award may have paid for covert cameras: name only those visible


@bp.route("/new", methods=["GET", "POST"])
@allow(EDIT_FUNDING)
def create():
    """Record an award and the cameras it paid for."""
    form = FundingForm()
    if form.validate_on_submit():
        asset_ids = [a.strip() for a in (form.asset_ids.data or "").split(",") if a.strip()]
        found = db().exec(select(Camera).where(col(Camera.asset_id).in_(asset_ids), scope().where())).all()
        unknown = sorted(set(asset_ids) - {c.asset_id for c in found})
        if unknown:
            form.asset_ids.errors.append(f"Not in the register: {', '.join(unknown)}")
        else:
            data = FundingCreate(
                reference=(form.reference.data or "").strip(), source=form.source.data, amount=form.amount.data,
                awarded_on=form.awarded_on.data, description=(form.description.data or "").strip(),
                sites=(form.sites.data or "").strip(), camera_ids=[c.id for c in found],
            )
            try:
                funding_service.record_funding(db(), scope(), data)
                db().commit()
                flash(f"Funding {data.reference} recorded.")
                return redirect(url_for("funding.index"))
            except funding_service.DuplicateFundingReference as exc:
                db().rollback()
                form.reference.errors.append(str(exc))
    return render_template("inventory/funding/form.html", form=form), 400 if form.errors else 200
