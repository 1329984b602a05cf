"""Signing in and out."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from cctv.audit import audit_login
from cctv.auth.models import Role
from cctv.auth.service import authenticate, end_sessions
from cctv.auth.throttle import ThrottlePolicy
from cctv.web.access import ANY_ROLE, allow, db, public
from cctv.web.auth import sessions
from inventory.types import utcnow

bp = Blueprint("auth", __name__, template_folder="templates")


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


def landing() -> str:
    """Where the signed-in user starts: operators on the incident log (the session in progress), everyone else on
    the camera register."""
    if current_user.is_authenticated and current_user.role == Role.OPERATOR:
        return url_for("incidents.day_log")
    return url_for("cameras.index")


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so a crafted link cannot bounce a user to another site after login.
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return landing()


def throttle_policy() -> ThrottlePolicy:
    """The sign-in throttle's limits from configuration (LOGIN_*)."""
    cfg = current_app.config
    return ThrottlePolicy(window=timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"]), pair_max=cfg["LOGIN_MAX_FAILURES"],
                          address_max=cfg["LOGIN_ADDRESS_MAX_FAILURES"],
                          attack_failures=cfg["LOGIN_ATTACK_FAILURES"], known_days=cfg["LOGIN_KNOWN_ADDRESS_DAYS"])


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Sign in; an address that keeps guessing waits a while (cctv.auth.throttle), nobody else does."""
    form = LoginForm()
    if form.validate_on_submit():
        username, address = form.username.data.strip(), request.remote_addr or "unknown"
        g.actor_override = username[:60]  # the attempt's own changes (last_login_at) are the person's
        result = authenticate(db(), username, form.password.data, address=address, now=utcnow(),
                              policy=throttle_policy())
        audit_login(db(), username, user_id=result.account_id,
                    succeeded=result.user is not None, address=address,
                    reason="" if result.user else ("wrong" if result.checked else "throttled"))
        db().commit()
        if result.user is not None:
            sessions.start(result.user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(result.message)
    return render_template("auth/login/form.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(ANY_ROLE)
def logout():
    """Sign out, here and on every other device: copies of the session cookie stop working (a POST, so a link on
    another site cannot sign a user out)."""
    end_sessions(db(), current_user._get_current_object())
    db().commit()
    logout_user()
    session.clear()
    flash("Signed out.")
    return redirect(url_for("auth.login"))


@bp.route("/")
@allow(ANY_ROLE)
def home():
    """The start page: the incident log for operators, the camera register for everyone else."""
    return redirect(landing())


@bp.route("/ping")
@allow(ANY_ROLE)
def ping():
    """An empty page behind the same login as every other: the framework's floor for benchmarks."""
    return "ok"
