"""The disclosure log's pages: police, subject access and FOI requests with their clocks, due soon and overdue.

Supervisors, admins and the DPO keep it. Each step's problems from the service (`DisclosureError.problems`) are
shown beside the field they are about, on the request's own page.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cctv.audit import audit_read
from cctv.controlroom import disclosure as disclosure_service
from cctv.controlroom.models import Disclosure, DisclosureBase
from cctv.controlroom.types import DisclosureKind, DisclosureStatus, RedactionStatus
from cctv.web.access import DISCLOSURE, allow, db
from cctv.web.controlroom.common import show_problems
from cctv.web.controlroom.forms import (
    KIND_LABELS,
    REDACTION_LABELS,
    STATUS_LABELS,
    CloseDisclosureForm,
    DisclosureForm,
    ExtendForm,
    IdCheckForm,
    RedactionForm,
)
from cctv.web.inputs import db_int
from inventory.types import london_today

bp = Blueprint("disclosures", __name__, template_folder="templates", url_prefix="/disclosures")


def _labels() -> dict:
    return {"kind_labels": KIND_LABELS, "redaction_labels": REDACTION_LABELS, "status_labels": STATUS_LABELS,
            "due": disclosure_service.effective_due, "today": london_today()}


def _disclosure_or_404(disclosure_id: int) -> Disclosure:
    try:
        return disclosure_service.get_disclosure(db(), disclosure_id)
    except disclosure_service.DisclosureNotFound:
        abort(404)


@bp.route("")
@allow(DISCLOSURE)
def index():
    """Requests due within a week and overdue ones, then the open requests (or ?show=all)."""
    open_only = request.args.get("show") != "all"
    due_soon, overdue = disclosure_service.due_and_overdue(db(), london_today())
    return render_template(
        "controlroom/disclosures/list.html", due_soon=due_soon, overdue=overdue, open_only=open_only,
        disclosures=disclosure_service.list_disclosures(db(), open_only=open_only),
        within=disclosure_service.DUE_SOON_DAYS, **_labels(),
    )


@bp.route("/new", methods=["GET", "POST"])
@allow(DISCLOSURE)
def new():
    """Log a request received: its due date follows from its kind and the day it came in."""
    form = DisclosureForm()
    if request.method == "GET":
        form.received_on.data = london_today()
        form.evidence_id.data = request.args.get("evidence", type=db_int)
    elif form.validate_on_submit():
        data = DisclosureBase(
            kind=DisclosureKind(form.kind.data), requester=form.requester.data or "",
            reference=(form.reference.data or "").strip(), received_on=form.received_on.data,
            summary=(form.summary.data or "").strip(), evidence_id=form.evidence_id.data,
        )
        try:
            created = disclosure_service.open_disclosure(db(), data, actor=current_user.username)
            db().commit()
            flash(f"Request #{created.id} logged: due {created.due_on.day} {created.due_on:%b %Y}.")
            return redirect(url_for("disclosures.show", disclosure_id=created.id))
        except disclosure_service.DisclosureError as exc:
            db().rollback()
            show_problems(form, exc.problems)
    return render_template("controlroom/disclosures/form.html", form=form), 400 if form.errors else 200


def _show(found: Disclosure, status: int = 200, **forms):
    """One request's page; `forms` replaces a blank form with one carrying what was typed and its errors."""
    return render_template(
        "controlroom/disclosures/show.html", d=found,
        extend_form=forms.get("extend_form") or ExtendForm(formdata=None),
        id_form=forms.get("id_form") or IdCheckForm(formdata=None, id_checked=found.id_checked),
        redaction_form=forms.get("redaction_form") or RedactionForm(
            formdata=None, redaction=RedactionStatus(found.redaction).value),
        close_form=forms.get("close_form") or CloseDisclosureForm(formdata=None), **_labels(),
    ), status


@bp.route("/<int:disclosure_id>")
@allow(DISCLOSURE)
def show(disclosure_id: int):
    """A request: its clock (and extension), the identity check, redaction and outcome."""
    audit_read(db(), "disclosure", disclosure_id, "disclosure page")  # kept only if the page is shown
    return _show(_disclosure_or_404(disclosure_id))


def _step(disclosure_id: int, form_name: str, form, action, done: str, renames: dict[str, str] | None = None):
    """Run one step of a request's handling from its form; back to its page, with the errors beside the form."""
    found = _disclosure_or_404(disclosure_id)
    if form.validate_on_submit():
        try:
            action(found, form)
            db().commit()
            flash(done)
            return redirect(url_for("disclosures.show", disclosure_id=found.id))
        except disclosure_service.DisclosureError as exc:
            db().rollback()
            show_problems(form, exc.problems, renames)
    return _show(found, 400, **{form_name: form})


@bp.route("/<int:disclosure_id>/extend", methods=["POST"])
@allow(DISCLOSURE)
def extend(disclosure_id: int):
    """Extend a subject access request by one or two further months, with the reason."""
    return _step(disclosure_id, "extend_form", ExtendForm(), lambda d, f: disclosure_service.extend(
        db(), d.id, months=f.months.data, reason=f.extension_reason.data or ""), "Request extended.",
        {"extended_to": "months", "status": "months"})


@bp.route("/<int:disclosure_id>/id-check", methods=["POST"])
@allow(DISCLOSURE)
def id_check(disclosure_id: int):
    """Record whether the requester's identity has been verified (subject access)."""
    return _step(disclosure_id, "id_form", IdCheckForm(), lambda d, f: disclosure_service.record_id_check(
        db(), d.id, checked=bool(f.id_checked.data)), "Identity check recorded.", {"status": "id_checked"})


@bp.route("/<int:disclosure_id>/redaction", methods=["POST"])
@allow(DISCLOSURE)
def redaction(disclosure_id: int):
    """Record where redaction of third parties stands."""
    return _step(disclosure_id, "redaction_form", RedactionForm(), lambda d, f: disclosure_service.set_redaction(
        db(), d.id, RedactionStatus(f.redaction.data)), "Redaction recorded.", {"status": "redaction"})


@bp.route("/<int:disclosure_id>/close", methods=["POST"])
@allow(DISCLOSURE)
def close(disclosure_id: int):
    """Close the request today as disclosed, refused or withdrawn."""
    return _step(disclosure_id, "close_form", CloseDisclosureForm(), lambda d, f: disclosure_service.close(
        db(), d.id, DisclosureStatus(f.status.data), london_today()), "Request closed.", {"closed_on": "status"})
