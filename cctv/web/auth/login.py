"""Signing in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from cctv.auth.service import authenticate
from cctv.web.access import ANY_ROLE, allow, db, public
from inventory.types import utcnow

bp = Blueprint("auth", __name__, template_folder="templates")


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so a crafted link cannot bounce a user to another site after login.
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("cameras.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in; repeated failures lock the account for a while."""
    form = LoginForm()
    if form.validate_on_submit():
        cfg = current_app.config
        result = authenticate(
            db(), form.username.data.strip(), form.password.data, now=utcnow(),
            max_failures=cfg["LOGIN_MAX_FAILURES"], lock_minutes=cfg["LOGIN_LOCK_MINUTES"],
        )
        db().commit()
        if result.user is not None:
            session.clear()  # a fresh session on sign-in (clear() also drops the permanent flag: set it again)
            session.permanent = True
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(result.message)
    return render_template("auth/login/form.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(ANY_ROLE)
def logout():
    """Sign out (a POST, so a link on another site cannot sign a user out)."""
    logout_user()
    session.clear()
    flash("Signed out.")
    return redirect(url_for("auth.login"))


@bp.route("/")
@allow(ANY_ROLE)
def home():
    """The start page: the camera register."""
    return redirect(url_for("cameras.index"))


@bp.route("/ping")
@allow(ANY_ROLE)
def ping():
    """An empty page behind the same login as every other: the framework's floor for benchmarks."""
    return "ok"
