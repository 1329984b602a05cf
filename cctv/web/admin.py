"""Administration: accounts, API tokens and the (read-only) audit trail."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from pydantic import ValidationError
from sqlalchemy import ColumnElement, String, and_, cast, not_, or_
from sqlmodel import col, select
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from cctv.audit import AuditEntry
from cctv.auth.models import ApiToken, Role, User, UserCreate
from cctv.auth.service import UsernameTaken, create_user, issue_token
from cctv.web.access import ADMIN_ONLY, AUDIT_LOG, allow, db, scope
from cctv.web.filters import service_areas
from inventory.models import Camera, CameraMove, Fault, FundingCamera, InventoryChange
from inventory.types import utcnow

bp = Blueprint("admin", __name__, url_prefix="/admin")


class UserForm(FlaskForm):
    """A new account."""

    username = StringField("Username", validators=[DataRequired(), Length(max=60)])
    full_name = StringField("Full name", validators=[Length(max=120)])
    email = StringField("E-mail", validators=[Length(max=200)])
    role = SelectField("Role", choices=[(r.value, r.label) for r in Role])
    covert_access = BooleanField("Covert access")
    service_area_ids = SelectMultipleField("Service areas (service managers)", coerce=int)
    password = PasswordField("Password (10 characters or more)", validators=[DataRequired(), Length(min=10)])


class TokenForm(FlaskForm):
    """A new API token for an account."""

    user_id = SelectField("For", coerce=int)
    name = StringField("What it is for", validators=[DataRequired(), Length(max=80)])


class ConfirmForm(FlaskForm):
    """A button with CSRF protection."""


@bp.route("/users", methods=["GET", "POST"])
@allow(ADMIN_ONLY)
def users():
    """Accounts and a form for a new one."""
    form = UserForm()
    form.service_area_ids.choices = [(a.id, a.name) for a in service_areas(db())]
    if form.validate_on_submit():
        if form.role.data == Role.SERVICE_MANAGER and not form.service_area_ids.data:
            form.service_area_ids.errors.append("A service manager needs at least one service area.")
        else:
            try:
                create_user(db(), UserCreate(**{f: form[f].data for f in UserCreate.model_fields if f in form}))
                db().commit()
                flash(f"Account {form.username.data} created.")
                return redirect(url_for("admin.users"))
            except UsernameTaken as exc:
                form.username.errors.append(str(exc))
            except ValidationError as exc:
                form.form_errors.extend(e["msg"] for e in exc.errors())
            db().rollback()
    accounts = db().exec(select(User).order_by(User.username)).all()
    return render_template("admin/users.html", form=form, accounts=accounts, confirm=ConfirmForm()), (
        400 if form.errors else 200
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@allow(ADMIN_ONLY)
def toggle_active(user_id: int):
    """Disable or re-enable an account (accounts are never deleted: the audit trail names them)."""
    user = db().get(User, user_id)
    if user is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        user.active = not user.active
        db().add(user)
        db().commit()
        flash(f"{user.username} is now {'active' if user.active else 'disabled'}.")
    return redirect(url_for("admin.users"))


@bp.route("/tokens", methods=["GET", "POST"])
@allow(ADMIN_ONLY)
def tokens():
    """API tokens for integrations; a new token is shown once."""
    form = TokenForm()
    form.user_id.choices = [(u.id, u.username) for u in db().exec(select(User).order_by(User.username))]
    plain = None
    if form.validate_on_submit():
        user = db().get(User, form.user_id.data)
        if user is None:
            abort(400)
        _, plain = issue_token(db(), user, form.name.data.strip())
        db().commit()
    listed = db().exec(select(ApiToken, User).join(User).order_by(col(ApiToken.created_at).desc())).all()
    return render_template("admin/tokens.html", form=form, tokens=listed, plain=plain, confirm=ConfirmForm())


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@allow(ADMIN_ONLY)
def revoke_token(token_id: int):
    """Revoke a token at once."""
    token = db().get(ApiToken, token_id)
    if token is None:
        abort(404)
    if ConfirmForm().validate_on_submit() and token.revoked_at is None:
        token.revoked_at = utcnow()
        db().add(token)
        db().commit()
        flash(f"Token {token.prefix}… revoked.")
    return redirect(url_for("admin.tokens"))


def _about_hidden_cameras() -> ColumnElement[bool]:
    """Entries about cameras the user may not see (covert ones, without covert access), and about their moves,
    faults, DPIA changes and funding links: the trail must not reveal that those cameras exist."""
    hidden = select(Camera.id).where(not_(scope().where()))
    cameras = select(cast(Camera.id, String)).where(not_(scope().where()))
    conditions = [and_(AuditEntry.table_name == "camera", col(AuditEntry.record_id).in_(cameras))]
    for model in (CameraMove, Fault, InventoryChange):
        rows = select(cast(model.id, String)).where(col(model.camera_id).in_(hidden))
        conditions.append(and_(AuditEntry.table_name == model.__tablename__, col(AuditEntry.record_id).in_(rows)))
    links = select(cast(FundingCamera.funding_id, String) + "/" + cast(FundingCamera.camera_id, String)).where(
        col(FundingCamera.camera_id).in_(hidden))
    conditions.append(and_(AuditEntry.table_name == "funding_camera", col(AuditEntry.record_id).in_(links)))
    return or_(*conditions)


@bp.route("/audit")
@allow(AUDIT_LOG)
def audit():
    """The audit trail, newest first, filterable by table and record; nothing here can change it."""
    stmt = select(AuditEntry).where(not_(_about_hidden_cameras())).order_by(col(AuditEntry.id).desc())
    if table := request.args.get("table"):
        stmt = stmt.where(AuditEntry.table_name == table)
    if record := request.args.get("record"):
        stmt = stmt.where(AuditEntry.record_id == record)
    if actor := request.args.get("actor"):
        stmt = stmt.where(AuditEntry.actor == actor)
    page = max(1, request.args.get("page", 1, type=int))
    entries = db().exec(stmt.offset((page - 1) * 100).limit(100)).all()
    return render_template("admin/audit.html", entries=entries, page=page, args=request.args)
