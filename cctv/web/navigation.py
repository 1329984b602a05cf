"""The links across the top of every page: those the user's role may follow, drawn once per role; and `fixed_url`,
the URLs of links every page draws, built once.

Every page is drawn with them, and asking for each link's URL and the role's access to it on every page cost more
than some pages' own queries (bench/controlroom.py). The links depend only on the role and on where the app is
mounted, so they are drawn once for each and kept for the life of the process.
"""

from typing import Any

from flask import Flask, current_app, request, url_for
from markupsafe import Markup, escape

from cctv.auth.models import Role
from cctv.web.access import allowed_for

# (endpoint, label) in the order shown; a tuple of choices shows the first the role may use (the log for those who
# work it, the figures for those who see only aggregates). Admins also get API tokens beside Users.
NAV_LINKS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("cameras.index", "Cameras"),),
    (("maps.camera_map", "Map"),),
    (("faults.index", "Faults"),),
    (("systems.index", "Systems"),),
    (("incidents.day_log", "Incidents"), ("incident_summary.summary", "Incident figures")),
    (("evidence.index", "Evidence"),),
    (("disclosures.index", "Disclosures"),),
    (("shifts.index", "Shifts"),),
    (("outcomes.index", "Outcomes"),),
    (("dpia.index", "DPIA"),),
    (("siting.index", "Siting"),),
    (("funding.index", "Funding"),),
    (("imports.upload", "Import"),),
    (("audit.trail", "Audit"),),
    (("admin.users", "Users"),),
    (("admin.tokens", "API tokens"),),
)


def _draw(app: Flask, role: Role) -> Markup:
    links = []
    for choices in NAV_LINKS:
        for endpoint, label in choices:
            if allowed_for(app, endpoint, role):
                links.append(f'<a href="{escape(url_for(endpoint))}">{escape(label)}</a>')
                break
    return Markup("\n    ".join(links))


def nav_links(app: Flask, role: Role) -> Markup:
    """The role's links as HTML, drawn on first use for this role and mount point."""
    drawn: dict[tuple[Role, str], Markup] = app.extensions.setdefault("cctv_nav", {})
    key = (role, request.script_root)
    if key not in drawn:
        drawn[key] = _draw(app, role)
    return drawn[key]


# Enough for every page's fixed links and a few years of days in the log; past it the URLs are built afresh.
_MOST_URLS = 5000


def fixed_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)`, built once per process for each endpoint, values and mount point.

    A URL depends on nothing else once the app is set up, and building one cost about as much as one of the day's
    log's small queries; base.html alone draws four on every page.
    """
    built: dict[tuple, str] = current_app.extensions.setdefault("cctv_urls", {})
    key = (request.script_root, endpoint, *sorted(values.items()))
    url = built.get(key)
    if url is None:
        if len(built) >= _MOST_URLS:
            built.clear()
        url = built[key] = url_for(endpoint, **values)
    return url
