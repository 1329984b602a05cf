"""The APScheduler 3.x scheduler that runs the daily jobs in one process.

`build_scheduler` runs the DPIA job once at start and then daily at SCHEDULER_HOUR local time, the incident
retention job daily, and the operator notices every NOTICES_EVERY_MINUTES minutes: `cctv scheduler` in production
(one dedicated process, never one per web worker), or inside the single-process dev server.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from cctv.db import Database
from cctv.jobs.dpia import JOB_ID, dpia_daily
from cctv.jobs.maintenance import JOB_ID as MAINTENANCE_JOB_ID
from cctv.jobs.maintenance import maintenance_daily
from cctv.jobs.notices import JOB_ID as NOTICES_JOB_ID
from cctv.jobs.notices import notices_job
from cctv.jobs.retention import JOB_ID as RETENTION_JOB_ID
from cctv.jobs.retention import retention_daily
from cctv.jobs.settings import JobSettings


def build_scheduler(settings: JobSettings, database: Database, *, blocking: bool,
                    dry_run: bool = False) -> BaseScheduler:
    """A scheduler (not yet started) running the DPIA job once at start and daily at the configured local hour.

    Runs never overlap (max_instances=1), missed runs collapse into one (coalesce) and a late run still runs:
    the job is idempotent, so running late or again only catches up.
    """
    zone = ZoneInfo(settings.timezone)
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(timezone=zone, job_defaults={"coalesce": True, "max_instances": 1,
                                                              "misfire_grace_time": None})
    scheduler.add_job(dpia_daily, daily_trigger(settings), id=JOB_ID, name="DPIA reviews and reminders",
                      kwargs={"database": database, "settings": settings, "dry_run": dry_run},
                      next_run_time=datetime.now(zone), replace_existing=True)
    scheduler.add_job(maintenance_daily, daily_trigger(settings), id=MAINTENANCE_JOB_ID, name="PPM reminders",
                      kwargs={"database": database, "settings": settings, "dry_run": dry_run},
                      replace_existing=True)
    if settings.retention is not None:
        scheduler.add_job(retention_daily, daily_trigger(settings), id=RETENTION_JOB_ID, name="Incident retention",
                          kwargs={"database": database, "rule": settings.retention, "dry_run": dry_run,
                                  "record_rules": settings.record_rules},
                          replace_existing=True)
    if settings.notices_every_minutes > 0:
        # Notices are for the shift on duty, so they run through the day, not once at SCHEDULER_HOUR; each is
        # posted once per user whatever the number of runs (cctv.jobs.notices).
        scheduler.add_job(notices_job, IntervalTrigger(minutes=settings.notices_every_minutes, timezone=zone),
                          id=NOTICES_JOB_ID, name="Operator notices", kwargs={"database": database, "dry_run": dry_run},
                          next_run_time=datetime.now(zone), replace_existing=True)
    return scheduler


def daily_trigger(settings: JobSettings) -> CronTrigger:
    """Every day at SCHEDULER_HOUR:00 local time, so 06:00 stays 06:00 in London across the BST change."""
    return CronTrigger(hour=settings.hour, minute=0, timezone=ZoneInfo(settings.timezone))
