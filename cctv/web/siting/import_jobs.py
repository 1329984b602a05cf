"""Running crime-store work from /siting/crimes in the background, and answering the page's polls.

Two kinds of work run this way (`siting.store.jobs` says what is kept where), through one path (`launch`):
- an import of uploaded files: they are already on disk when the view is called (`cctv.web.uploads`: the crime
  upload spools to temporary files), and are moved into the job's own folder under the instance folder;
- a re-filter to the council's new area (`siting.store.refilter`): tens of seconds at a county's years, which a
  request must not hold (gunicorn's timeout).

The job is recorded and the work runs on a thread with its own database session and one transaction, all or
nothing. With CRIME_IMPORT_IN_BACKGROUND off the same steps run within the request.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, jsonify
from sqlmodel import Session
from werkzeug.datastructures import FileStorage

from cctv.web.access import VIEW_SITING, allow, db
from inventory.types import utcnow
from siting.sources.area import AreaFilter
from siting.sources.police import PoliceFileError
from siting.store.crimes import import_crimes
from siting.store.jobs import (
    ImportJob,
    ImportJobKind,
    ImportJobState,
    forget_progress,
    note_progress,
    progress_of,
)
from siting.store.refilter import refilter_crimes

bp = Blueprint("crime_jobs", __name__, url_prefix="/siting/crimes/jobs")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Work:
    """What a job does in its transaction, and how its failure reads.

    `run` returns the summary's lines and the import it made (or None). An `expected` error (bad input) fails the job
    with `failed` and the error's own words; any other with `failed` and `stopped` (the log has the traceback)."""

    run: Callable[[Session], tuple[list[str], int | None]]
    failed: str
    stopped: str
    expected: tuple[type[Exception], ...] = ()
    cleanup: Callable[[], None] = lambda: None


def start_import(uploads: Iterable[FileStorage], *, area: AreaFilter | None, skip_bad_rows: bool,
                 actor: str) -> ImportJob:
    """Record a job for these uploads, keep their files in its folder and run it (see the module)."""
    job = _record(ImportJobKind.IMPORT, actor)
    folder = Path(current_app.instance_path) / "crime-uploads" / f"job-{job.id}"
    folder.mkdir(parents=True, exist_ok=True)
    paths, size = [], 0
    for upload in uploads:
        path = folder / (Path(upload.filename or "upload.csv").name or "upload.csv")
        upload.save(path)
        paths.append(path)
        size += path.stat().st_size
    job.files, job.upload_bytes = len(paths), size
    job_id = int(job.id or 0)

    def run(session: Session) -> tuple[list[str], int | None]:
        record, summary = import_crimes(session, paths, area=area, actor=actor,
                                        on_problem=(lambda _problem: None) if skip_bad_rows else None,
                                        progress=lambda source: note_progress(job_id, source.name))
        return summary.lines(), record.id

    return launch(job, Work(run, failed="Nothing imported: ", stopped="the import stopped", expected=(PoliceFileError,),
                            cleanup=partial(shutil.rmtree, folder, ignore_errors=True)))


def start_refilter(area: AreaFilter, *, described: str, actor: str) -> ImportJob:
    """Record and run a job removing the stored crimes outside `area` (the council's area just set, `described` as
    its page line) and those without a location; its summary says how many went and how many are kept."""
    def run(session: Session) -> tuple[list[str], int | None]:
        return [described, refilter_crimes(session, area).line()], None

    return launch(_record(ImportJobKind.REFILTER, actor),
                  Work(run, failed="The area is set, but no crime imported earlier was removed (set the area again to "
                                   "try once more): ", stopped="the re-filter stopped"))


def _record(kind: str, actor: str) -> ImportJob:
    job = ImportJob(kind=kind, created_by=actor)
    db().add(job)
    db().flush()
    return job


def launch(job: ImportJob, work: Work) -> ImportJob:
    """Commit the job's record and run its work: on a thread, or within the request when
    CRIME_IMPORT_IN_BACKGROUND is off (the job is then finished when this returns)."""
    db().commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    args = (app, int(job.id or 0), work, job.created_by)
    if current_app.config["CRIME_IMPORT_IN_BACKGROUND"]:
        threading.Thread(target=run_job, args=args, name=f"crime-{job.kind}-{job.id}", daemon=True).start()
    else:
        run_job(*args)
        db().refresh(job)
    return job


def run_job(app: Flask, job_id: int, work: Work, actor: str) -> None:
    """Do the job's work in one transaction and record how it ended; its cleanup runs either way."""
    database = app.extensions["cctv_db"]
    try:
        _set(database, job_id, ImportJobState.RUNNING, "")
        try:
            with database.transaction(actor=actor) as session:
                lines, import_id = work.run(session)
        except work.expected as exc:
            _set(database, job_id, ImportJobState.FAILED, f"{work.failed}{exc}")
            return
        _set(database, job_id, ImportJobState.DONE, "\n".join(lines), import_id)
    except Exception as exc:  # a background thread has no one else to tell: the job says it stopped, the log why
        log.exception("crime-store job %s stopped", job_id)
        _set(database, job_id, ImportJobState.FAILED, f"{work.failed}{work.stopped} ({type(exc).__name__}).")
    finally:
        work.cleanup()
        forget_progress(job_id)


def _set(database, job_id: int, state: str, message: str, import_id: int | None = None) -> None:
    with database.transaction(actor="crime-import") as session:
        job = session.get(ImportJob, job_id)
        job.state, job.message, job.updated_at = state, message[:4000], utcnow()
        if import_id is not None:
            job.import_id = import_id


def job_status(job: ImportJob) -> dict:
    """What the page shows of a job: its kind, state and lines (summary or error) and, while it runs here,
    progress."""
    progress = progress_of(int(job.id or 0))
    return {"id": job.id, "kind": job.kind, "title": job.title(), "state": job.state, "lines": job.lines(),
            "files": job.files, "upload_bytes": job.upload_bytes, "stale": job.stale(utcnow()),
            "csv_done": None if progress is None else progress.csv_done,
            "last_file": "" if progress is None else progress.last_file}


@bp.route("/<int:job_id>")
@allow(VIEW_SITING)
def status(job_id: int):
    """A job's state as JSON, polled by the crime data page while the work runs."""
    job = db().get(ImportJob, job_id)
    if job is None:
        abort(404)
    return jsonify(job_status(job))
