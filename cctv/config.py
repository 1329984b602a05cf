"""Configuration: these defaults, then instance/config.py, then CCTV_* environment variables, then test config."""

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

INSECURE_SECRET = "dev-only-not-secret"
MIN_SECRET_LENGTH = 32  # a token_hex(16) or longer: guessing it would forge anyone's session


class DefaultConfig:
    """Defaults suitable for a developer's machine; production must set SECRET_KEY."""

    ENV = "development"
    SECRET_KEY = INSECURE_SECRET
    DATABASE_URL: str | None = None  # None: SQLite under the instance folder
    SQL_ECHO = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)  # one control-room shift: a session's absolute lifetime
    SESSION_IDLE_MINUTES = 120  # signed out after this long without a request (a quiet spell, not a whole shift)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tied to the session, which expires anyway
    # Sign-in throttling (cctv/auth/throttle.py): it refuses addresses that keep guessing, never an account as such.
    LOGIN_MAX_FAILURES = 5  # failures at one name from one address before that address waits
    LOGIN_LOCK_MINUTES = 15  # the window failures are counted in (and so how long the wait lasts)
    LOGIN_ADDRESS_MAX_FAILURES = 20  # failures from one address, at any names, before it waits
    LOGIN_ATTACK_FAILURES = 20  # failures at one name from anywhere: then each address gets one guess at it,
    LOGIN_KNOWN_ADDRESS_DAYS = 30  # but for an address the account signed in from within this many days
    API_TOKEN_DAYS = 365  # a new API token's lifetime unless the admin chooses another (at most API_TOKEN_MAX_DAYS)
    API_TOKEN_MAX_DAYS = 730
    TIMEZONE = "Europe/London"  # the scheduler's clock; what people see is always London's (inventory.types)
    # Lifecycle (inventory/lifecycle.py): expected life in years and replacement cost (£) by camera kind, overriding
    # the defaults there kind by kind, e.g. {"body_worn": 3}; and how many financial years the programme shows. The
    # expected life (or a camera's own) is also what flags a camera "past end of life" in the camera list.
    EXPECTED_LIFE_YEARS: Mapping[str, int] = {}
    REPLACEMENT_COST_ESTIMATES: Mapping[str, int] = {}
    REPLACEMENT_PROGRAMME_YEARS = 10
    # The longest footage is kept by camera kind (inventory/retention.py), overriding its defaults kind by kind.
    RETENTION_POLICY_DAYS: Mapping[str, int] = {}
    SLA_HOURS: Mapping[str, int] = {"critical": 4, "high": 24, "medium": 72, "low": 168}
    PER_PAGE = 50
    # Where compiled templates are kept for every worker and restart ("": instance/template-cache; cctv/web/__init__).
    TEMPLATE_CACHE_DIR = ""
    MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    MAP_TILE_ATTRIBUTION = "&copy; OpenStreetMap contributors"
    MAP_CENTRE = (51.70, -0.75)  # Buckinghamshire
    # The capital bid's starting unit costs (installed, £), illustrative: the planner changes them on the bid page.
    SITING_COST_FIXED = 12_000
    SITING_COST_DEPLOYABLE = 6_000
    # The memory (MB) the in-memory siting model may use; beyond it the model refuses with the PostGIS advice
    # (siting/store/capacity.py).
    SITING_MEMORY_MB = 2_048
    # The map's own context layers (siting/context.py): GeoJSON files of the council boundary and its wards (WGS84,
    # each feature's "name" labels it). "" for none; towns, wards and streets are labelled from the app's data anyway.
    MAP_BOUNDARY_FILE = ""
    MAP_WARDS_FILE = ""
    # The council's name and logo (a PNG or JPEG file path; "" for none) on the public page, the report packs and
    # the siting bid: set CCTV_COUNCIL_NAME to the council's own.
    COUNCIL_NAME = "Buckinghamshire Council"
    COUNCIL_LOGO = ""
    PUBLIC_RATE_LIMIT = 60  # requests a minute from one address to the public page and its downloads
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    # Evidence exports (cctv/web/uploads.py): hashed as they stream in, never held, so the limit is only a backstop
    # against a runaway upload; footage exports run to several gigabytes. nginx's client_max_body_size must allow it.
    EVIDENCE_UPLOAD_MAX_BYTES = 64 * 1024**3
    # police.uk crime files uploaded on /siting/crimes (a force's three years of CSVs run to hundreds of megabytes):
    # streamed to disk as they arrive, then imported in the background while the page shows progress
    # (siting/store/jobs.py). False imports within the request (tests, or a worker that must not start threads).
    CRIME_UPLOAD_MAX_BYTES = 2 * 1024**3
    CRIME_IMPORT_IN_BACKGROUND = True
    CONTROL_ROOMS = ("Wycombe",)
    # The data controller a new camera (form or import) gets when its list names none: the council running this
    # install (CCTV_DATA_CONTROLLER="Trafford Council" for another council's list).
    DATA_CONTROLLER = "Buckinghamshire Council"
    # DPIA reminders (cctv/jobs/scheduler.py). No SMTP_HOST: e-mails are only logged; the in-app inbox still gets them.
    SMTP_HOST = ""
    SMTP_PORT = 25
    SMTP_USER = ""
    SMTP_PASSWORD = ""
    SMTP_STARTTLS = False
    MAIL_FROM = "cctv-estate@localhost"
    DPO_EMAILS: tuple[str, ...] = ()  # used when no DPO (or admin) account has an e-mail address
    ESCALATION_EMAILS: tuple[str, ...] = ()  # likewise for overdue escalations
    APP_URL = ""  # e.g. "https://cctv.example.gov.uk": makes the links in e-mails absolute
    DPIA_REMINDER_DAYS = (30, 7)  # reminders this many days before a review is due
    DPIA_ESCALATE_EVERY_DAYS = 7  # one escalation per this many days overdue
    INCIDENT_REVIEW_AFTER_DAYS = 365  # incidents older than this are flagged for a retention review
    INCIDENT_ANONYMISE_AFTER_DAYS = 730  # and their narrative, outcome and offences anonymised after this
    EVIDENCE_REVIEW_AFTER_DAYS = 365  # evidence requests (their notes), counted from the request
    EVIDENCE_ANONYMISE_AFTER_DAYS = 730
    DISCLOSURE_REVIEW_AFTER_DAYS = 365  # disclosures (requester, summary), from when logged, once no longer open
    DISCLOSURE_ANONYMISE_AFTER_DAYS = 730
    SHIFT_NOTES_REVIEW_AFTER_DAYS = 90  # shift handover notes, from the shift's start, once handed over
    SHIFT_NOTES_ANONYMISE_AFTER_DAYS = 365
    LOG_POLL_SECONDS = 10  # how often an open log page asks for incidents other operators logged since
    SCHEDULER_HOUR = 6  # the daily run, local time (TIMEZONE)
    NOTICES_EVERY_MINUTES = 15  # operator notices (evidence, disclosures, handovers, faults) posted this often; 0: off
    # `cctv serve` hosts the scheduler itself (single-process server only). None: yes unless ENV is production,
    # where `cctv scheduler` runs as its own process.
    SCHEDULER_IN_SERVER: bool | None = None
    # Behind a reverse proxy (nginx), how many proxies set X-Forwarded-For/-Proto/-Host/-Prefix. 0: none, trust no
    # such header (a client could otherwise claim any address or scheme).
    PROXY_HOPS = 0
    HSTS_SECONDS = 365 * 24 * 3600  # Strict-Transport-Security in production: browsers keep to HTTPS for a year


def load_config(config: Any, instance_path: str, test_config: Mapping[str, Any] | None) -> None:
    """Fill a Flask config object layer by layer and check it is safe to run."""
    config.from_object(DefaultConfig)
    config.from_pyfile(os.path.join(instance_path, "config.py"), silent=True)
    config.from_prefixed_env("CCTV")
    if os.environ.get("DATABASE_URL") and not os.environ.get("CCTV_DATABASE_URL"):
        config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    if test_config:
        config.update(test_config)
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = "sqlite:///" + os.path.join(instance_path, "cctv.sqlite3")
    refuse_retired_settings(config)
    if config["ENV"] == "production":
        apply_production_posture(config)


# Settings that once existed and now mean something else: a council that set one must hear it is no longer read,
# not find its cameras flagged by another rule without a word.
RETIRED_SETTINGS = {
    "END_OF_LIFE_YEARS": "set EXPECTED_LIFE_YEARS instead: the expected life in years per camera kind, e.g. "
                         "{'public_space_fixed': 8} (a camera's own figure on its page still comes first)",
}


def refuse_retired_settings(config: Any) -> None:
    """Stop with the replacement's name when a retired setting is still configured."""
    for name, advice in RETIRED_SETTINGS.items():
        if name in config:
            raise RuntimeError(f"The setting {name} is no longer read: {advice}.")


def apply_production_posture(config: Any) -> None:
    """Refuse a guessable SECRET_KEY and make the cookies HTTPS-only: what ENV=production promises."""
    secret = config.get("SECRET_KEY")
    if not secret or secret == INSECURE_SECRET or len(str(secret)) < MIN_SECRET_LENGTH:
        raise RuntimeError(
            f"Refusing to start in production without a real SECRET_KEY: it must be at least {MIN_SECRET_LENGTH} "
            "characters and not the development default. Set CCTV_SECRET_KEY, e.g. to the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`.")
    # Sessions and remember-me cookies travel only over HTTPS (the proxy terminates TLS; PROXY_HOPS tells the app).
    config["SESSION_COOKIE_SECURE"] = True
    config["REMEMBER_COOKIE_SECURE"] = True
