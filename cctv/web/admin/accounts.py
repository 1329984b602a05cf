"""Administration: accounts and API tokens."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from pydantic import ValidationError
from sqlmodel import col, select
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as FieldError

from cctv.auth.models import ApiToken, Role, User, UserCreate
from cctv.auth.passwords import MIN_LENGTH, password_problems
from cctv.auth.service import UsernameTaken, create_user, end_sessions, issue_token
from cctv.web.access import ADMIN_ONLY, allow, db
from cctv.web.forms import ConfirmForm
from inventory.service_areas import list_service_areas
from inventory.types import utcnow

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")


class UserForm(FlaskForm):
    """A new account."""

    username = StringField("Username", validators=[DataRequired(), Length(max=60)])
    full_name = StringField("Full name", validators=[Length(max=120)])
    email = StringField("E-mail", validators=[Length(max=200)])
    # A new account starts as the least powerful role (read only): an admin who forgets to choose grants nothing.
    role = SelectField("Role", choices={r.value: r.label for r in Role}, default=Role.ADVISORY.value)
    covert_access = BooleanField("Covert access")
    service_area_ids = SelectMultipleField("Service areas (service managers)", coerce=int)
    password = PasswordField(f"Password ({MIN_LENGTH} characters or more, not a common one)",
                             validators=[DataRequired()])

    def validate_password(self, field: PasswordField) -> None:
        """The policy every password meets (cctv.auth.passwords)."""
        problems = password_problems(field.data or "", self.username.data or "")
        if problems:
            raise FieldError(" ".join(problems))


class TokenForm(FlaskForm):
    """A new API token for an account."""

    user_id = SelectField("For", coerce=int)
    name = StringField("What it is for", validators=[DataRequired(), Length(max=80)])
    days = IntegerField("Valid for (days; blank: the default)", validators=[Optional(), NumberRange(min=1)])

    def validate_days(self, field: IntegerField) -> None:
        """No token outlives API_TOKEN_MAX_DAYS: an integration's secret should be rotated now and then."""
        longest = current_app.config["API_TOKEN_MAX_DAYS"]
        if field.data is not None and field.data > longest:
            raise FieldError(f"At most {longest} days.")




@bp.route("/users", methods=["GET", "POST"])
@allow(ADMIN_ONLY)
def users():
    """Accounts and a form for a new one."""
    form = UserForm()
    form.service_area_ids.choices = {a.id: a.name for a in list_service_areas(db())}
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
    return render_template("admin/accounts/users.html", form=form, accounts=accounts, confirm=ConfirmForm()), (
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
        if not user.active:
            end_sessions(db(), user)  # and should it be enabled again, its old sessions stay ended
        db().add(user)
        db().commit()
        flash(f"{user.username} is now {'active' if user.active else 'disabled'}.")
    return redirect(url_for("admin.users"))


@bp.route("/tokens", methods=["GET", "POST"])
@allow(ADMIN_ONLY)
def tokens():
    """API tokens for integrations; a new token is shown once."""
    form = TokenForm(data={"days": current_app.config["API_TOKEN_DAYS"]})
    form.user_id.choices = {u.id: u.username for u in db().exec(select(User).order_by(User.username))}
    issued, plain = None, None
    if form.validate_on_submit():
        user = db().get(User, form.user_id.data)
        if user is None:
            abort(400)
        issued, plain = issue_token(db(), user, form.name.data.strip(), now=utcnow(),
                                     days=form.days.data or current_app.config["API_TOKEN_DAYS"])
        db().commit()
    listed = db().exec(select(ApiToken, User).join(User).order_by(col(ApiToken.created_at).desc())).all()
    return render_template("admin/accounts/tokens.html", form=form, tokens=listed, plain=plain, issued=issued,
                           now=utcnow(), confirm=ConfirmForm()), 400 if form.errors else 200


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
