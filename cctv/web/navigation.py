"""The links across the top of every page: those the user's role may follow, in a fixed order."""

from flask import Flask

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
    (("publishing.index", "Public page"), ("signs.index", "Signs")),
    (("imports.upload", "Import"),),
    (("audit.trail", "Audit"),),
    (("admin.users", "Users"),),
    (("admin.tokens", "API tokens"),),
    (("estate.service_areas", "Service areas"),),
)


def nav_links(app: Flask, role: Role) -> list[tuple[str, str]]:
    """(endpoint, label) of the links the role may follow, in order; base.html draws each with url_for."""
    links = []
    for choices in NAV_LINKS:
        for endpoint, label in choices:
            if allowed_for(app, endpoint, role):
                links.append((endpoint, label))
                break
    return links
