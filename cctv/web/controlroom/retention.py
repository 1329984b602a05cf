"""The retention review list: every record holding personal data that the rule has flagged (incidents, evidence
requests, disclosures, shift notes), each with the date it will be anonymised, and what a reviewer does about it:
keep it (with a reason, for a number of days), anonymise it now, or place or clear a legal hold. The daily scheduler
does the flagging and anonymising (`cctv incidents retention`); these pages change one record at a time, and every
change is audited through the ORM."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from cctv.controlroom import holds
from cctv.controlroom.record_retention import anonymise_now, review_list
from cctv.jobs.settings import all_rules_from_config
from cctv.web.access import RETENTION_REVIEW, allow, db
from cctv.web.controlroom.common import category_labels, show_problems
from cctv.web.controlroom.forms import LegalHoldForm, RetentionKeepForm, RetentionReasonForm
from cctv.web.forms import ConfirmForm
from inventory.types import utcnow

bp = Blueprint("retention", __name__, template_folder="templates", url_prefix="/incidents")
LIMIT = 500
KIND = "<any(incident, evidence, disclosure, shift):kind>"


def _page(status: int = 200, *, hold_form: LegalHoldForm | None = None, problem: tuple[str, int, str] | None = None):
    """The review list; `problem` is (kind, record id, message) for the row whose action was refused."""
    rules = all_rules_from_config(current_app.config)
    now = utcnow()
    return render_template(
        "controlroom/retention/list.html", items=review_list(db(), now=now, rules=rules, limit=LIMIT), rules=rules,
        limit=LIMIT, kind_labels=holds.KIND_LABELS, current_holds=holds.current_holds(db()),
        hold_form=hold_form or LegalHoldForm(formdata=None), keep_form=RetentionKeepForm(formdata=None),
        reason_form=RetentionReasonForm(formdata=None), confirm_form=ConfirmForm(formdata=None), problem=problem,
        category_labels=category_labels(),
    ), status


@bp.route("/retention")
@allow(RETENTION_REVIEW)
def index():
    """Records flagged for review and not yet anonymised or kept, oldest first; the legal holds in force."""
    return _page()


def _act(kind: str, record_id: int, action, done: str):
    """Run one reviewer action on a record, committed; a refusal re-shows the list with the reason by the row."""
    try:
        action()
        db().commit()
    except holds.RecordNotFound:
        db().rollback()
        abort(404)
    except holds.ExemptionError as exc:
        db().rollback()
        return _page(400, problem=(kind, record_id, " ".join(exc.problems.values())))
    flash(done)
    return redirect(url_for("retention.index"))


@bp.route(f"/retention/{KIND}/<int:record_id>/keep", methods=["POST"])
@allow(RETENTION_REVIEW)
def keep(kind: str, record_id: int):
    """Keep a flagged record for a number of days, with the reason (it leaves the list until then)."""
    form = RetentionKeepForm()
    if not form.validate_on_submit():
        return _page(400, problem=(kind, record_id, " ".join(e for errs in form.errors.values() for e in errs)))
    return _act(kind, record_id, lambda: holds.keep(db(), kind, record_id, reason=form.reason.data or "",
                                                    days=int(form.days.data or 0), actor=current_user.username,
                                                    now=utcnow()),
                f"{holds.KIND_LABELS[kind]} {record_id} kept for {form.days.data} days.")


@bp.route(f"/retention/{KIND}/<int:record_id>/anonymise", methods=["POST"])
@allow(RETENTION_REVIEW)
def anonymise(kind: str, record_id: int):
    """Anonymise one record now: its personal text and the audit trail's copies of it."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _act(kind, record_id, lambda: anonymise_now(db(), kind, record_id, now=utcnow()),
                f"{holds.KIND_LABELS[kind]} {record_id} anonymised.")


@bp.route(f"/retention/{KIND}/<int:record_id>/release", methods=["POST"])
@allow(RETENTION_REVIEW)
def release(kind: str, record_id: int):
    """Clear a record's legal hold, with the reason."""
    form = RetentionReasonForm()
    if not form.validate_on_submit():
        return _page(400, problem=(kind, record_id, " ".join(e for errs in form.errors.values() for e in errs)))
    return _act(kind, record_id, lambda: holds.clear_hold(db(), kind, record_id, reason=form.reason.data or "",
                                                          actor=current_user.username, now=utcnow()),
                f"Legal hold on {holds.KIND_LABELS[kind].lower()} {record_id} cleared.")


@bp.route("/retention/holds", methods=["POST"])
@allow(RETENTION_REVIEW)
def hold():
    """Place a legal hold on one record, with the reason: the retention rule leaves it until the hold is cleared."""
    form = LegalHoldForm()
    if form.validate_on_submit():
        kind, record_id = form.kind.data, int(form.record_id.data or 0)
        try:
            holds.set_hold(db(), kind, record_id, reason=form.reason.data or "", actor=current_user.username,
                           now=utcnow())
            db().commit()
            flash(f"{holds.KIND_LABELS[kind]} {record_id} is on legal hold.")
            return redirect(url_for("retention.index"))
        except holds.RecordNotFound:
            db().rollback()
            form.record_id.errors = [*form.record_id.errors, f"No {holds.KIND_LABELS[kind].lower()} {record_id}."]
        except holds.ExemptionError as exc:
            db().rollback()
            show_problems(form, exc.problems)
    return _page(400, hold_form=form)
