"""The retention review list: incidents flagged under the retention rule and not yet anonymised, with the date
each will be anonymised. The daily scheduler does the flagging and anonymising (`cctv incidents retention`); this
page only shows where each incident stands, for supervisors, admins and the DPO."""

from datetime import datetime, timedelta

from flask import Blueprint, current_app, render_template

from cctv.controlroom.models import Incident
from cctv.controlroom.retention import flagged_for_review
from cctv.jobs.settings import rule_from_config
from cctv.web.access import RETENTION_REVIEW, allow, db
from cctv.web.controlroom.common import category_labels

bp = Blueprint("retention", __name__, template_folder="templates", url_prefix="/incidents")
LIMIT = 500


def anonymised_from(incident: Incident, anonymise_after_days: int) -> datetime:
    """The instant after which the daily job anonymises the incident (it is due once older than the period)."""
    return incident.occurred_at + timedelta(days=anonymise_after_days)


@bp.route("/retention")
@allow(RETENTION_REVIEW)
def index():
    """Incidents flagged for review and not yet anonymised, oldest first, with the configured periods."""
    rule = rule_from_config(current_app.config)
    incidents = flagged_for_review(db(), limit=LIMIT)
    rows = [(i, anonymised_from(i, rule.anonymise_after_days)) for i in incidents]
    return render_template("controlroom/retention/list.html", rows=rows, rule=rule, limit=LIMIT,
                           category_labels=category_labels())
