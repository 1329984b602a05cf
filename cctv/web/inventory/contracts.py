"""Maintenance contracts with their SLA tables and performance, and planned preventive maintenance (PPM)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from pydantic import ValidationError

from cctv.web.access import EDIT_CONTRACTS, VIEW_CONTRACTS, allow, db, scope
from cctv.web.inventory.upkeep_forms import ContractForm, PpmForm, VisitForm
from inventory import contracts as contract_service
from inventory import ppm as ppm_service
from inventory.service_areas import list_service_areas
from inventory.types import london_today, utcnow
from inventory.upkeep_models import MaintenanceContract, MaintenanceContractBase, PpmScheduleBase

bp = Blueprint("contracts", __name__, template_folder="templates", url_prefix="/contracts")


@bp.route("")
@allow(VIEW_CONTRACTS)
def index():
    """Every contract with its SLA table and its faults' share fixed within it; the PPM schedules, due first."""
    contracts = contract_service.list_contracts(db())
    return render_template(
        "inventory/contracts/list.html", contracts=contracts, today=london_today(),
        sla=contract_service.contract_sla(db(), scope(), utcnow()), schedules=ppm_service.list_schedules(db()),
        state=ppm_service.state, areas={a.id: a.name for a in list_service_areas(db())},
        names={c.id: f"{c.reference} ({c.contractor})" for c in contracts}, visit_form=VisitForm(),
    )


def _contract_form(contract: MaintenanceContract | None):
    form = ContractForm(obj=contract)
    form.service_area_id.choices = {None: "The whole estate"} | {a.id: a.name for a in list_service_areas(db())}
    if form.validate_on_submit():
        try:
            data = MaintenanceContractBase.model_validate(
                {name: getattr(form, name).data for name in MaintenanceContractBase.model_fields}
                | {name: (getattr(form, name).data or "").strip() for name in
                   ("reference", "contractor", "contact_name", "contact_phone", "contact_email", "notes")})
            if contract is None:
                contract = contract_service.create_contract(db(), data)
            else:
                contract_service.update_contract(db(), contract, data)
            db().commit()
            flash(f"Contract {data.reference} saved.")
            return redirect(url_for("contracts.index"))
        except ValidationError as exc:
            for error in exc.errors():
                getattr(form, str(error["loc"][0])).errors.append(error["msg"])
        except contract_service.DuplicateContractReference as exc:
            form.reference.errors.append(str(exc))
        except ValueError as exc:
            form.ends_on.errors.append(str(exc))
        db().rollback()
    return render_template("inventory/contracts/form.html", form=form, contract=contract), \
        400 if form.errors else 200


@bp.route("/new", methods=["GET", "POST"])
@allow(EDIT_CONTRACTS)
def create():
    """Record a maintenance contract and its SLA table."""
    return _contract_form(None)


@bp.route("/<int:contract_id>/edit", methods=["GET", "POST"])
@allow(EDIT_CONTRACTS)
def edit(contract_id: int):
    """Change a contract; faults already open keep their targets."""
    try:
        contract = contract_service.get_contract(db(), contract_id)
    except contract_service.ContractNotFound:
        abort(404)
    return _contract_form(contract)


@bp.route("/ppm/new", methods=["GET", "POST"])
@allow(EDIT_CONTRACTS)
def new_schedule():
    """Add a PPM schedule under a contract; reminders follow from the scheduler."""
    form = PpmForm()
    form.contract_id.choices = {c.id: f"{c.reference} ({c.contractor})" for c in contract_service.list_contracts(db())}
    if form.validate_on_submit():
        data = PpmScheduleBase(contract_id=form.contract_id.data, title=form.title.data.strip(),
                               covers=(form.covers.data or "").strip(), interval_months=form.interval_months.data,
                               next_due_on=form.next_due_on.data, remind_days_before=form.remind_days_before.data)
        ppm_service.add_schedule(db(), data)
        db().commit()
        flash(f"PPM schedule {data.title} added.")
        return redirect(url_for("contracts.index"))
    return render_template("inventory/contracts/ppm.html", form=form), 400 if form.errors else 200


@bp.route("/ppm/<int:schedule_id>/visit", methods=["POST"])
@allow(EDIT_CONTRACTS)
def record_visit(schedule_id: int):
    """A PPM visit done: the next one falls due an interval on."""
    try:
        schedule = ppm_service.get_schedule(db(), schedule_id)
    except ppm_service.ScheduleNotFound:
        abort(404)
    form = VisitForm()
    if not form.validate_on_submit():
        flash("Visit not recorded: " + "; ".join(e for errors in form.errors.values() for e in errors), "error")
    elif form.done_on.data > london_today():
        flash("Visit not recorded: a visit cannot be done in the future.", "error")
    else:
        ppm_service.record_visit(db(), schedule, done_on=form.done_on.data)
        db().commit()
        flash(f"Visit recorded: {schedule.title} next due {schedule.next_due_on:%-d %B %Y}.")
    return redirect(url_for("contracts.index"))
