"""The incident retention job: flag old incidents for review and anonymise their personal text after the period.

The rule lives in `cctv.controlroom.retention` (no Flask); its periods come from configuration through
`cctv.jobs.settings.rule_from_config`. This module owns the transaction, and is what both the daily scheduler and
`cctv incidents retention` (cctv/cli/incidents.py) run. A dry run reports what it would do and writes nothing.
"""

import logging
from datetime import datetime

from cctv.controlroom.retention import RetentionReport, RetentionRule, retention_run
from cctv.db import Database
from inventory.types import utcnow

log = logging.getLogger(__name__)
ACTOR = "retention"
JOB_ID = "incident_retention"


def run_retention(database: Database, *, now: datetime, rule: RetentionRule, dry_run: bool = False) -> RetentionReport:
    """One run of the rule as of `now`, committed unless dry; the audit trail records each change as `retention`."""
    with database.session(ACTOR) as session:  # closing it rolls back whatever was not committed
        report = retention_run(session, now=now, rule=rule, dry_run=dry_run)
        if not dry_run:
            session.commit()
    return report


def report_lines(report: RetentionReport) -> list[str]:
    """The run in words, for the log and the command line."""
    verb = ("would flag", "would anonymise") if report.dry_run else ("flagged", "anonymised")
    lines = [f"Incident retention as of {report.now.isoformat(timespec='minutes')}: {verb[0]} "
             f"{len(report.flagged)} for review (older than {report.rule.review_after_days} days), {verb[1]} "
             f"{len(report.anonymised)} (older than {report.rule.anonymise_after_days} days)."]
    if report.flagged:
        lines.append("  for review: " + ", ".join(report.flagged[:20]) + (" …" if len(report.flagged) > 20 else ""))
    if report.anonymised:
        lines.append("  anonymised: " + ", ".join(report.anonymised[:20])
                     + (" …" if len(report.anonymised) > 20 else ""))
    return lines


def retention_daily(database: Database, rule: RetentionRule, dry_run: bool = False) -> RetentionReport:
    """The scheduled job: `run_retention` at the real clock, its report written to the log."""
    report = run_retention(database, now=utcnow(), rule=rule, dry_run=dry_run)
    for line in report_lines(report):
        log.info("%s", line)
    return report
