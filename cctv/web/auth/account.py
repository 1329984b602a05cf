"""A signed-in user's own account: changing their password."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo

from cctv.auth import throttle
from cctv.auth.passwords import MIN_LENGTH
from cctv.auth.service import THROTTLED, WRONG_CURRENT, change_password
from cctv.web.access import ANY_ROLE, allow, db
from cctv.web.auth import sessions
from cctv.web.auth.login import throttle_policy
from inventory.types import utcnow

bp = Blueprint("account", __name__, template_folder="templates", url_prefix="/account")


class PasswordForm(FlaskForm):
    """The current password (so a session left open cannot be used to take the account) and the new one twice."""

    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField(f"New password ({MIN_LENGTH} characters or more, not a common one)",
                        validators=[DataRequired()])
    confirm = PasswordField("New password again", validators=[DataRequired(), EqualTo("new", "The two differ.")])


@bp.route("/password", methods=["GET", "POST"])
@allow(ANY_ROLE)
def password():
    """Change one's own password; every other session of the account ends, this one goes on."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        # A wrong current password counts as a failed sign-in (and is throttled like one), so a session left open
        # cannot be used to guess the password at leisure.
        address, now, policy = request.remote_addr or "unknown", utcnow(), throttle_policy()
        if throttle.refuses(db(), address, user.username, now=now, policy=policy):
            problems = [THROTTLED]
        else:
            problems = change_password(db(), user, form.current.data, form.new.data)
            if problems == [WRONG_CURRENT]:
                throttle.record(db(), address, user.username, succeeded=False, now=now, policy=policy)
                db().commit()
        if not problems:
            db().commit()
            sessions.restamp(user)
            flash("Password changed. Any other session of yours has been signed out.")
            return redirect(url_for("cameras.index"))
        db().rollback()
        target = form.current if problems in ([WRONG_CURRENT], [THROTTLED]) else form.new
        target.errors = [*target.errors, *problems]
    return render_template("auth/account/password.html", form=form), 400 if form.errors else 200
