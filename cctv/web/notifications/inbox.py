"""Each user's in-app messages (the DPIA reminders and the operator notices of cctv.jobs.notices), and the unread
count beside the Inbox link on every page."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from cctv.notifications import inbox as inbox_service
from cctv.web.access import ANY_ROLE, allow, db
from cctv.web.forms import ConfirmForm

bp = Blueprint("inbox", __name__, template_folder="templates", url_prefix="/inbox")


@bp.app_context_processor
def unread_badge() -> dict:
    """`unread_messages()` for the navigation: counted only when a page is drawn for a signed-in user."""

    def unread_messages() -> int:
        if not current_user.is_authenticated:
            return 0
        return inbox_service.unread_count(db(), current_user.id)

    return {"unread_messages": unread_messages}


@bp.route("")
@allow(ANY_ROLE)
def index():
    """The user's messages, newest first, unread ones marked."""
    return render_template("notifications/inbox/index.html", messages=inbox_service.inbox(db(), current_user.id),
                           form=ConfirmForm())


def _app_path(link: str) -> str | None:
    """The message's link if it is a path in this app (never another site: a message must not redirect away)."""
    return link if link.startswith("/") and not link.startswith("//") and "\\" not in link else None


@bp.route("/<int:message_id>/read", methods=["POST"])
@allow(ANY_ROLE)
def read(message_id: int):
    """Mark one of the user's messages read; with `open`, go on to the page it links to."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        message = inbox_service.mark_read(db(), current_user.id, message_id)
    except inbox_service.MessageNotFound:
        abort(404)
    link = message.link
    db().commit()
    target = _app_path(link) if request.form.get("open") else None
    return redirect(target or url_for("inbox.index"))
