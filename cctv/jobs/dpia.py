"""The daily DPIA job: reviews raised from inventory changes, reminders worked out and delivered.

`run_dpia_jobs` is a plain function of an injected `now`: it turns pending inventory changes into DPIA reviews,
works out the reminders due on that London date and delivers them. It is idempotent (review keys and reminder
keys are unique, so running it twice, or in two processes at once, raises and sends each thing once) and has a
dry run.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from cctv.db import Database
from cctv.jobs.settings import JobSettings
from cctv.notifications.delivery import DeliveryReport, deliver
from cctv.notifications.mailer import Mailer, make_mailer
from dpia.reminders import Reminder, due_reminders
from dpia.reviews import raise_reviews_from_changes
from inventory.types import london_date, utcnow

log = logging.getLogger(__name__)

ACTOR = "scheduler"
JOB_ID = "dpia_daily"


@dataclass
class JobReport:
    """What one run of the daily job did (or, in a dry run, would do)."""

    now: datetime
    today: date  # the local (London) date of `now`: what the reminders were worked out for
    dry_run: bool
    raised: list[str]  # keys of the reviews raised from inventory changes
    reminders: list[Reminder]
    delivery: DeliveryReport

    def lines(self) -> list[str]:
        """A readable account, for the CLI and the log."""
        d = self.delivery
        would = "would be " if self.dry_run else ""
        mode = " — dry run" if self.dry_run else ""
        out = [f"DPIA job for {self.today.isoformat()} (at {self.now.isoformat()}){mode}:",
               f"  reviews {would}raised from inventory changes: {len(self.raised)}"
               + (f" ({', '.join(self.raised)})" if self.raised else ""),
               f"  reminders due: {len(self.reminders)}",
               f"  {'would send' if self.dry_run else 'sent'}: {len(d.sent)}, already sent or taken by another"
               f" run: {len(d.skipped)}, inbox only: {len(d.inbox_only)}, failed: {len(d.failed)}"]
        for key in d.sent + d.inbox_only:
            out.append(f"    {key} -> {', '.join(d.recipients.get(key, ())) or 'inbox only'}")
        for key, error in d.failed.items():
            out.append(f"    FAILED {key}: {error} (a later run retries it)")
        return out


def run_dpia_jobs(database: Database, *, now: datetime, settings: JobSettings, dry_run: bool = False,
                  mailer: Mailer | None = None) -> JobReport:
    """Raise reviews from inventory changes, work out today's reminders, and deliver them, as of `now`.

    Reviews are raised and the reminders computed in one transaction, committed before delivery: delivery claims
    each reminder in its own short transaction (on SQLite an open write would block them) and must see the new
    reviews' reminders. A dry run rolls back, sends nothing (a log-only mailer) and writes nothing; its reminders
    are those of the reviews already stored (the reviews it would raise are listed, not yet remindable).
    """
    today = london_date(now)  # 23:30 UTC on a summer evening is already tomorrow in London
    with database.session(ACTOR) as session:  # closing it rolls back whatever was not committed
        raised = [review.key for review in raise_reviews_from_changes(session, now=now, dry_run=dry_run)]
        reminders = due_reminders(session, today=today, before_days=settings.reminder_days,
                                  escalate_every_days=settings.escalate_every_days)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    mailer = mailer or make_mailer(settings.mail, dry_run=dry_run)
    delivery = deliver(database, reminders, mailer=mailer, app_url=settings.app_url, dry_run=dry_run,
                       recipients_by_audience={"dpo": settings.dpo_emails, "escalation": settings.escalation_emails})
    return JobReport(now=now, today=today, dry_run=dry_run, raised=raised, reminders=reminders, delivery=delivery)


def dpia_daily(database: Database, settings: JobSettings, dry_run: bool = False) -> JobReport:
    """The scheduled job: `run_dpia_jobs` at the real clock, its report written to the log."""
    report = run_dpia_jobs(database, now=utcnow(), settings=settings, dry_run=dry_run)
    for line in report.lines():
        log.info("%s", line)
    return report
