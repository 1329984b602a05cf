"""GET /search?q=… — what the header's search box finds: cameras within the user's scope (covert only with covert
access, service managers only in their areas), and incidents, evidence requests and disclosures for the roles that
may open those pages. A kind the role may not open is not searched at all, so nothing of it shows, not even a count.
"""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from cctv.auth.models import Role
from cctv.controlroom.site_search import site_search
from cctv.web.access import ANY_ROLE, DISCLOSURE, VIEW_EVIDENCE, VIEW_INCIDENTS, allow, allowed_for, db, scope

bp = Blueprint("site_search", __name__, template_folder="templates", url_prefix="/search")

QUERY_MAX = 200  # characters: a search is a few words


def _kinds(role: Role) -> frozenset[str]:
    """The kinds of record this role may search: those whose pages it may open."""
    kinds = {"cameras"} if allowed_for(current_app, "cameras.index", role) else set()
    for kind, roles in (("incidents", VIEW_INCIDENTS), ("evidence", VIEW_EVIDENCE), ("disclosures", DISCLOSURE)):
        if role in roles:
            kinds.add(kind)
    return frozenset(kinds)


@bp.route("")
@allow(ANY_ROLE)
def index():
    """The first matches of each kind the user may see, each linking to its page."""
    typed = (request.args.get("q") or "").strip()[:QUERY_MAX]
    results = site_search(db(), typed, scope(), _kinds(Role(current_user.role)))
    return render_template("search/site/index.html", q=typed, results=results)
