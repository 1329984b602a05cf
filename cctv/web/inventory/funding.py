"""The funding register."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlmodel import col, select

from cctv.web.access import EDIT_FUNDING, VIEW_FUNDING, allow, db, scope
from cctv.web.inventory.forms import FundingForm
from cctv.web.inventory.upkeep_forms import WithdrawForm
from inventory import funding as funding_service
from inventory.models import Camera, Funding, FundingCreate
from inventory.types import london_today

bp = Blueprint("funding", __name__, template_folder="templates", url_prefix="/funding")


@bp.route("")
@allow(VIEW_FUNDING)
def index():
    """Every award with totals by source."""
    awards = funding_service.list_funding(db())
    totals = funding_service.totals_by_source(awards)
    return render_template("inventory/funding/list.html", awards=awards, totals=totals, withdraw_form=WithdrawForm(),
                           sees=scope().sees)  # an award may have paid for covert cameras: name only those visible


@bp.route("/new", methods=["GET", "POST"])
@allow(EDIT_FUNDING)
def create():
    """Record an award and the cameras it paid for."""
    return _save(FundingForm(), None)


def _save(form: FundingForm, funding: Funding | None):
    """Record a new award or save an edited one; the form comes back with what was typed and the errors."""
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
                if funding is None:
                    funding_service.record_funding(db(), scope(), data)
                else:
                    funding_service.update_funding(db(), scope(), funding, data)
                db().commit()
                flash(f"Funding {data.reference} {'recorded' if funding is None else 'saved'}.")
                return redirect(url_for("funding.index"))
            except funding_service.DuplicateFundingReference as exc:
                db().rollback()
                form.reference.errors.append(str(exc))
    return render_template("inventory/funding/form.html", form=form, funding=funding), 400 if form.errors else 200


def _award_or_404(funding_id: int) -> Funding:
    try:
        return funding_service.get_funding(db(), funding_id)
    except funding_service.FundingNotFound:
        abort(404)


@bp.route("/<int:funding_id>/edit", methods=["GET", "POST"])
@allow(EDIT_FUNDING)
def edit(funding_id: int):
    """Correct an award: its figures and the cameras it paid for (audited as any change)."""
    funding = _award_or_404(funding_id)
    if funding.withdrawn_on is not None:
        flash("A withdrawn award is kept as it was.", "error")
        return redirect(url_for("funding.index"))
    form = FundingForm(obj=funding)
    if not form.is_submitted():  # only the cameras this user may see are named (a covert link stays, unnamed)
        form.asset_ids.data = ", ".join(c.asset_id for c in funding.cameras if scope().sees(c))
    return _save(form, funding)


@bp.route("/<int:funding_id>/withdraw", methods=["POST"])
@allow(EDIT_FUNDING)
def withdraw(funding_id: int):
    """Withdraw an award, saying why: it stays on the register, no longer counted."""
    funding = _award_or_404(funding_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash("Not withdrawn: say why the award is withdrawn.", "error")
        return redirect(url_for("funding.index"))
    try:
        funding_service.withdraw_funding(db(), funding, on=london_today(), reason=form.reason.data)
        db().commit()
        flash(f"Funding {funding.reference} withdrawn.")
    except ValueError as exc:
        flash(str(exc), "error")
    return redirect(url_for("funding.index"))
