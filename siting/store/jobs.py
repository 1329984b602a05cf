"""Crime-store work that runs in the background: a year of a force's files takes minutes to import, and removing the
crimes outside a new council area tens of seconds at a county's years, longer than a page may wait.

The page records a job (`ImportJob`: an import of uploaded files, or a re-filter to a new area) and answers at once;
the work then runs on its own thread and database session, and the page polls the job
(`cctv.web.siting.import_jobs` runs both kinds the same way).

Decisions:
- The job's state (queued → running → done or failed), its summary or error and the import it made are rows in the
  database, committed at each change, so any web worker can answer a poll and a finished job is kept.
- Progress within a run (files read of the total, the file being read) is kept in this process's memory only: the
  work holds one transaction for all or nothing, and on SQLite a second connection could not write progress while
  it is open. A poll answered by another worker still sees "running", without the counts.
- A job whose process died (a restart mid-import) stays "running" with a stale `updated_at`; its own transaction
  rolled back, so nothing was half-written. `STALE_AFTER` lets the page say so.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from inventory.types import utcnow

STALE_AFTER = timedelta(hours=2)  # a county's three years import in minutes; hours without news is a dead worker
MESSAGE_LENGTH = 4000


class ImportJobState:
    """The states of a job, in order."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJobKind:
    """What a job does: import uploaded files, or remove the stored crimes outside the council's new area."""

    IMPORT = "import"
    REFILTER = "refilter"


class ImportJob(SQLModel, table=True):
    """One background job on the crime store: who asked, its kind and state, and its summary (done) or why it did
    nothing (failed)."""

    __tablename__ = "crime_import_job"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default=ImportJobKind.IMPORT, max_length=10, sa_column_kwargs={"server_default": "import"})
    state: str = Field(default=ImportJobState.QUEUED, max_length=10)
    created_by: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    files: int = 0  # files uploaded (a zip counts once: its CSVs are counted as they are read)
    upload_bytes: int = Field(default=0, sa_type=BigInteger)
    message: str = Field(default="", max_length=MESSAGE_LENGTH)  # the summary's lines, or the error
    import_id: int | None = None  # the import it made; no foreign key: deleting the import leaves the job's record

    def title(self) -> str:
        """How the page names the job: "Import 4", "Re-filter 5"."""
        return f"{'Re-filter' if self.kind == ImportJobKind.REFILTER else 'Import'} {self.id}"

    def lines(self) -> list[str]:
        """The summary or error, a line each."""
        return [line for line in self.message.split("\n") if line]

    def stale(self, now: datetime) -> bool:
        """Still running, but not heard from for `STALE_AFTER`: its worker has gone."""
        return self.state in (ImportJobState.QUEUED, ImportJobState.RUNNING) and now - self.updated_at > STALE_AFTER


@dataclass
class Progress:
    """How far a running job has read: CSV files done, and the one just read."""

    csv_done: int = 0
    last_file: str = ""


_progress: dict[int, Progress] = {}
_lock = threading.Lock()


def note_progress(job_id: int, file_name: str) -> None:
    """One more CSV read by job `job_id`."""
    with _lock:
        progress = _progress.setdefault(job_id, Progress())
        progress.csv_done += 1
        progress.last_file = file_name


def progress_of(job_id: int) -> Progress | None:
    """This process's progress of a job (None when another process runs it, or it has not read a file yet)."""
    with _lock:
        found = _progress.get(job_id)
        return None if found is None else Progress(found.csv_done, found.last_file)


def forget_progress(job_id: int) -> None:
    """Drop a finished job's progress."""
    with _lock:
        _progress.pop(job_id, None)
