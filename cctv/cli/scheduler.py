"""`cctv scheduler`: the one process that runs the scheduled DPIA job (and `cctv serve`'s in-process option)."""

import contextlib
import logging
import signal
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from cctv.jobs.dpia import run_dpia_jobs
from cctv.jobs.maintenance import run_maintenance_jobs
from cctv.jobs.scheduler import build_scheduler
from cctv.jobs.settings import settings_from_config


def parse_now(text: str, timezone: str) -> datetime:
    """An ISO-8601 instant for `--now`; without an offset it is local time ("2026-03-30T06:00" in London)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{text!r} is not an ISO-8601 date and time", param_hint="--now") from exc
    return value if value.tzinfo is not None else value.replace(tzinfo=ZoneInfo(timezone))


@click.command("scheduler")
@with_appcontext
@click.option("--once", is_flag=True, help="Run the DPIA job once and exit, instead of daily.")
@click.option("--dry-run", is_flag=True, help="Show what the job would raise and send; write and send nothing.")
@click.option("--now", "now_text", metavar="ISO-8601",
              help="Run as if it were this instant (with --once), e.g. 2026-03-30T06:00+01:00.")
def scheduler(once: bool, dry_run: bool, now_text: str | None) -> None:
    """Run the DPIA reviews and reminders job daily at SCHEDULER_HOUR (and once at start).

    Run one of these per installation, beside the web server: it raises the reviews inventory changes call
    for and sends each reminder once. A second one started by mistake sends nothing twice.
    """
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = settings_from_config(app.config)
    database = app.extensions["cctv_db"]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if now_text is not None and not once:
        raise click.UsageError("--now only makes sense with --once")
    if once:
        now = parse_now(now_text, settings.timezone) if now_text else datetime.now(ZoneInfo(settings.timezone))
        report = run_dpia_jobs(database, now=now, settings=settings, dry_run=dry_run)
        for line in report.lines():
            click.echo(line)
        maintenance = run_maintenance_jobs(database, now=now, settings=settings, dry_run=dry_run)
        for line in maintenance.lines():
            click.echo(line)
        sys.exit(1 if report.delivery.failed or maintenance.delivery.failed else 0)
    if not settings.mail.host:
        click.echo("No SMTP_HOST configured: reminders go to the in-app inbox and the log only.", err=True)
    click.echo(f"DPIA scheduler: runs now and daily at {settings.hour:02d}:00 {settings.timezone}"
               f"{' (dry run)' if dry_run else ''}. Ctrl+C stops it.")
    running = build_scheduler(settings, database, blocking=True, dry_run=dry_run)
    # systemd and Compose stop a service with SIGTERM: stop taking jobs and let a run under way finish (its thread
    # is joined at exit), the same as Ctrl+C.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: running.shutdown(wait=False))
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C in a terminal
        running.start()
    click.echo("DPIA scheduler stopped.")
