"""The daily maintenance job: planned preventive maintenance (PPM) reminders, due and overdue, each sent once.

`run_maintenance_jobs` works out, for the London date of an injected `now`, the reminders the PPM schedules call for
(inventory.ppm) and delivers them through the notifications (inbox and e-mail), which claim each reminder key once:
running it twice, or in two processes, sends nothing twice. A dry run sends and writes nothing.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from cctv.db import Database
from cctv.jobs.settings import JobSettings
from cctv.notifications.delivery import DeliveryReport, deliver
from cctv.notifications.mailer import Mailer, make_mailer
from inventory.ppm import PpmReminder, ppm_reminders
from inventory.types import london_date, utcnow

log = logging.getLogger(__name__)

ACTOR = "scheduler"
JOB_ID = "maintenance_daily"


@dataclass
class MaintenanceReport:
    """What one run did (or, dry, would do)."""

    today: date
    reminders: list[PpmReminder]
    delivery: DeliveryReport

    def lines(self) -> list[str]:
        d = self.delivery
        return [f"PPM reminders for {self.today.isoformat()}: {len(self.reminders)} due, sent {len(d.sent)},"
                f" already sent {len(d.skipped)}, inbox only {len(d.inbox_only)}, failed {len(d.failed)}"]


def run_maintenance_jobs(database: Database, *, now: datetime, settings: JobSettings, dry_run: bool = False,
                         mailer: Mailer | None = None) -> MaintenanceReport:
    """Work out the PPM reminders due on the London date of `now` and deliver each once."""
    today = london_date(now)
    with database.session(ACTOR) as session:  # only reads; delivery owns its own transactions
        reminders = ppm_reminders(session, today)
    mailer = mailer or make_mailer(settings.mail, dry_run=dry_run)
    delivery = deliver(database, reminders, mailer=mailer, app_url=settings.app_url, dry_run=dry_run,
                       recipients_by_audience={"maintenance": settings.escalation_emails})
    return MaintenanceReport(today=today, reminders=reminders, delivery=delivery)


def maintenance_daily(database: Database, settings: JobSettings, dry_run: bool = False) -> MaintenanceReport:
    """The scheduled job: `run_maintenance_jobs` at the real clock, its report written to the log."""
    report = run_maintenance_jobs(database, now=utcnow(), settings=settings, dry_run=dry_run)
    for line in report.lines():
        log.info("%s", line)
    return report
