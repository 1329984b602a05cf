"""`cctv incidents retention` and `cctv incidents notices`: run the retention rule or post the operator notices now
(the scheduler also runs both)."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from cctv.cli.scheduler import parse_now
from cctv.jobs.notices import run_notices
from cctv.jobs.retention import report_lines, run_retention
from cctv.jobs.settings import record_rules_from_config, rule_from_config
from inventory.types import utcnow


@click.group("incidents", cls=AppGroup)
def incidents() -> None:
    """The control-room log's housekeeping."""

@incidents.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would be flagged and anonymised; change nothing.")
@click.option("--now", "now_text", metavar="ISO-8601", help="Run as if it were this instant.")
def retention(dry_run: bool, now_text: str | None) -> None:
    """Flag incidents older than INCIDENT_REVIEW_AFTER_DAYS for review and anonymise the narrative, outcome and
    offences of those older than INCIDENT_ANONYMISE_AFTER_DAYS, and the same for evidence notes, disclosure
    requesters and shift notes by their own periods (also run daily by the scheduler)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    now = parse_now(now_text, "Europe/London") if now_text else utcnow()
    report = run_retention(app.extensions["cctv_db"], now=now, rule=rule_from_config(app.config), dry_run=dry_run,
                           record_rules=record_rules_from_config(app.config))
    for line in report_lines(report):
        click.echo(line)


@incidents.command("notices")
@click.option("--dry-run", is_flag=True, help="List who would be told what; post nothing.")
@click.option("--now", "now_text", metavar="ISO-8601", help="Run as if it were this instant.")
def notices(dry_run: bool, now_text: str | None) -> None:
    """Post the operator notices to the inbox now (evidence waiting, disclosures due or overdue, unsigned
    handovers, faults past their SLA), each once per user; the scheduler does this every NOTICES_EVERY_MINUTES."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    now = parse_now(now_text, "Europe/London") if now_text else utcnow()
    report = run_notices(app.extensions["cctv_db"], now=now, dry_run=dry_run)
    for key, users in report.posted.items():
        click.echo(f"{key}: {', '.join(users)}")
    click.echo(f"{'Would post' if dry_run else 'Posted'} {report.messages} message(s) for {len(report.posted)} "
               "notice(s).")
