"""The incident retention job: flag old incidents for review and anonymise their personal text after the period.

The rule lives in `cctv.controlroom.retention` (no Flask); its periods come from configuration through
`cctv.jobs.settings.rule_from_config`. This module owns the transaction, and is what both the daily scheduler and
`cctv incidents retention` (cctv/cli/incidents.py) run. A dry run reports what it would do and writes nothing.
"""

import logging
from collections.abc import Mapping
from datetime import datetime

from cctv.controlroom.record_retention import record_retention_run
from cctv.controlroom.retention import RetentionReport, RetentionRule, retention_run
from cctv.db import Database
from inventory.types import utcnow

log = logging.getLogger(__name__)
ACTOR = "retention"
JOB_ID = "incident_retention"


def run_retention(database: Database, *, now: datetime, rule: RetentionRule, dry_run: bool = False,
                  record_rules: Mapping[str, RetentionRule] | None = None) -> RetentionReport:
    """One run of the rule as of `now` over incidents and, with `record_rules`, each other kind of personal record
    (evidence, disclosure, shift) by its own periods; committed unless dry, audited as `retention`."""
    with database.session(ACTOR) as session:  # closing it rolls back whatever was not committed
        report = retention_run(session, now=now, rule=rule, dry_run=dry_run)
        for kind, kind_rule in (record_rules or {}).items():
            report.records.append(record_retention_run(session, kind, now=now, rule=kind_rule, dry_run=dry_run))
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
    for kind in report.records:
        lines.append(f"{kind.kind.capitalize()} retention: {verb[0]} {len(kind.flagged)} for review (older than "
                     f"{kind.rule.review_after_days} days), {verb[1]} {len(kind.anonymised)} (older than "
                     f"{kind.rule.anonymise_after_days} days).")
    return lines


def retention_daily(database: Database, rule: RetentionRule, dry_run: bool = False,
                    record_rules: Mapping[str, RetentionRule] | None = None) -> RetentionReport:
    """The scheduled job: `run_retention` at the real clock, its report written to the log."""
    report = run_retention(database, now=utcnow(), rule=rule, dry_run=dry_run, record_rules=record_rules)
    for line in report_lines(report):
        log.info("%s", line)
    return report
