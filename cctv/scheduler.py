"""The scheduler: the daily DPIA job, and the APScheduler 3.x scheduler that runs it in one process.

`run_dpia_jobs` is a plain function of an injected `now`: it turns pending inventory changes into DPIA reviews,
works out the reminders due on that London date and delivers them. It is idempotent (review keys and reminder
keys are unique, so running it twice, or in two processes at once, raises and sends each thing once) and has a
dry run. `build_scheduler` runs it once at start and then daily at SCHEDULER_HOUR local time: `cctv scheduler` in
production (one dedicated process, never one per web worker), or inside the single-process dev server.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from cctv.controlroom.retention import RetentionRule
from cctv.db import Database
from cctv.notifications.delivery import DeliveryReport, deliver
from cctv.notifications.mailer import Mailer, MailSettings, make_mailer, split_addresses
from cctv.retention_job import JOB_ID as RETENTION_JOB_ID
from cctv.retention_job import retention_daily, rule_from_config
from dpia.reminders import Reminder, due_reminders
from dpia.reviews import raise_reviews_from_changes
from inventory.types import utcnow

log = logging.getLogger(__name__)

ACTOR = "scheduler"
JOB_ID = "dpia_daily"


@dataclass(frozen=True)
class JobSettings:
    """What the job and the scheduler read from configuration (built by `settings_from_config`)."""

    reminder_days: tuple[int, ...] = (30, 7)
    escalate_every_days: int = 7
    hour: int = 6
    timezone: str = "Europe/London"
    mail: MailSettings = field(default_factory=MailSettings)
    dpo_emails: tuple[str, ...] = ()
    escalation_emails: tuple[str, ...] = ()
    app_url: str = ""
    retention: RetentionRule | None = None  # the incident retention job runs daily too, when given


def _int_tuple(value: Any) -> tuple[int, ...]:
    # From an environment variable the days may arrive as a string "30,7" or a JSON list [30, 7].
    items = value.split(",") if isinstance(value, str) else ([value] if isinstance(value, int) else list(value))
    return tuple(int(str(v).strip()) for v in items if str(v).strip())


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def settings_from_config(config: Mapping[str, Any]) -> JobSettings:
    """The job's settings from the app's configuration (cctv/config.py documents each key)."""
    mail = MailSettings(
        host=str(config.get("SMTP_HOST") or ""), port=int(config.get("SMTP_PORT") or 25),
        user=str(config.get("SMTP_USER") or ""), password=str(config.get("SMTP_PASSWORD") or ""),
        starttls=_bool(config.get("SMTP_STARTTLS", False)),
        mail_from=str(config.get("MAIL_FROM") or "cctv-estate@localhost"),
    )
    return JobSettings(
        reminder_days=_int_tuple(config.get("DPIA_REMINDER_DAYS", (30, 7))),
        escalate_every_days=int(config.get("DPIA_ESCALATE_EVERY_DAYS", 7)),
        hour=int(config.get("SCHEDULER_HOUR", 6)),
        timezone=str(config.get("TIMEZONE") or "Europe/London"),
        mail=mail,
        dpo_emails=split_addresses(config.get("DPO_EMAILS")),
        escalation_emails=split_addresses(config.get("ESCALATION_EMAILS")),
        app_url=str(config.get("APP_URL") or ""),
        retention=rule_from_config(config),
    )


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


def local_date(now: datetime, timezone: str = "Europe/London") -> date:
    """The local date at an instant: 23:30 UTC on a summer evening is already tomorrow in London."""
    if now.tzinfo is None:
        raise ValueError("the job's `now` must carry a time zone")
    return now.astimezone(ZoneInfo(timezone)).date()


def run_dpia_jobs(database: Database, *, now: datetime, settings: JobSettings, dry_run: bool = False,
                  mailer: Mailer | None = None) -> JobReport:
    """Raise reviews from inventory changes, work out today's reminders, and deliver them, as of `now`.

    Reviews are raised and the reminders computed in one transaction, committed before delivery: delivery claims
    each reminder in its own short transaction (on SQLite an open write would block them) and must see the new
    reviews' reminders. A dry run rolls back, sends nothing (a log-only mailer) and writes nothing; its reminders
    are those of the reviews already stored (the reviews it would raise are listed, not yet remindable).
    """
    today = local_date(now, settings.timezone)
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


def build_scheduler(source: Any, blocking: bool, *, database: Database | None = None,
                    dry_run: bool = False) -> BaseScheduler:
    """A scheduler (not yet started) running the DPIA job once at start and daily at the configured local hour.

    `source` is the Flask app (settings from its config, its database) or a `JobSettings` with `database`.
    Runs never overlap (max_instances=1), missed runs collapse into one (coalesce) and a late run still runs:
    the job is idempotent, so running late or again only catches up.
    """
    if hasattr(source, "config") and hasattr(source, "extensions"):
        settings = settings_from_config(source.config)
        database = database or source.extensions["cctv_db"]
    elif isinstance(source, JobSettings):
        settings = source
    else:
        raise TypeError("build_scheduler takes the Flask app or JobSettings")
    if database is None:
        raise TypeError("build_scheduler needs the database when given JobSettings")
    zone = ZoneInfo(settings.timezone)
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(timezone=zone, job_defaults={"coalesce": True, "max_instances": 1,
                                                              "misfire_grace_time": None})
    scheduler.add_job(dpia_daily, daily_trigger(settings), id=JOB_ID, name="DPIA reviews and reminders",
                      kwargs={"database": database, "settings": settings, "dry_run": dry_run},
                      next_run_time=datetime.now(zone), replace_existing=True)
    if settings.retention is not None:
        scheduler.add_job(retention_daily, daily_trigger(settings), id=RETENTION_JOB_ID, name="Incident retention",
                          kwargs={"database": database, "rule": settings.retention, "dry_run": dry_run},
                          replace_existing=True)
    return scheduler


def daily_trigger(settings: JobSettings) -> CronTrigger:
    """Every day at SCHEDULER_HOUR:00 local time, so 06:00 stays 06:00 in London across the BST change."""
    return CronTrigger(hour=settings.hour, minute=0, timezone=ZoneInfo(settings.timezone))


__all__ = ["JobReport", "JobSettings", "build_scheduler", "daily_trigger", "dpia_daily", "local_date",
           "run_dpia_jobs", "settings_from_config"]
