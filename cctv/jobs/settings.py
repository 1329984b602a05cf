"""What the scheduled jobs read from the app's configuration, gathered once into plain settings.

The jobs themselves take these settings (and the database) as arguments and never read `app.config`, so they run
the same under the scheduler, the CLI and the tests.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cctv.controlroom.retention import RetentionRule
from cctv.notifications.mailer import MailSettings, split_addresses


@dataclass(frozen=True)
class JobSettings:
    """What the job and the scheduler read from configuration (built by `settings_from_config`)."""

    reminder_days: tuple[int, ...] = (30, 7)
    escalate_every_days: int = 7
    hour: int = 6
    timezone: str = "Europe/London"  # when the scheduler fires (`hour` on this clock); dates are London's
    mail: MailSettings = field(default_factory=MailSettings)
    dpo_emails: tuple[str, ...] = ()
    escalation_emails: tuple[str, ...] = ()
    app_url: str = ""
    retention: RetentionRule | None = None  # the incident retention job runs daily too, when given
    record_rules: dict[str, RetentionRule] = field(default_factory=dict)  # evidence, disclosure, shift periods
    notices_every_minutes: int = 0  # the operator notices job runs this often; 0: not scheduled


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
        record_rules=record_rules_from_config(config),
        notices_every_minutes=max(0, int(config.get("NOTICES_EVERY_MINUTES", 15))),
    )


def rule_from_config(config: Mapping[str, Any]) -> RetentionRule:
    """The configured retention periods (defaults: review after 365 days, anonymise after 730)."""
    return RetentionRule(review_after_days=int(config.get("INCIDENT_REVIEW_AFTER_DAYS", 365)),
                         anonymise_after_days=int(config.get("INCIDENT_ANONYMISE_AFTER_DAYS", 730)))


# Each other kind of personal record: its configuration prefix and default periods (review, anonymise) in days.
# Shift notes are operational chatter read within days, so they go soonest; evidence and disclosures are kept as
# long as incidents, the time a prosecution or a complaint may still ask for them.
RECORD_PERIODS: dict[str, tuple[str, int, int]] = {
    "evidence": ("EVIDENCE", 365, 730),
    "disclosure": ("DISCLOSURE", 365, 730),
    "shift": ("SHIFT_NOTES", 90, 365),
}


def record_rules_from_config(config: Mapping[str, Any]) -> dict[str, RetentionRule]:
    """The configured periods of evidence requests, disclosures and shift notes (`<PREFIX>_REVIEW_AFTER_DAYS`,
    `<PREFIX>_ANONYMISE_AFTER_DAYS`)."""
    return {kind: RetentionRule(review_after_days=int(config.get(f"{prefix}_REVIEW_AFTER_DAYS", review)),
                                anonymise_after_days=int(config.get(f"{prefix}_ANONYMISE_AFTER_DAYS", anonymise)))
            for kind, (prefix, review, anonymise) in RECORD_PERIODS.items()}


def all_rules_from_config(config: Mapping[str, Any]) -> dict[str, RetentionRule]:
    """Every kind's periods, incidents included, by kind name (the review list shows each)."""
    return {"incident": rule_from_config(config), **record_rules_from_config(config)}
