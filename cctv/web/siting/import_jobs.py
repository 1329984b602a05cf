"""Running a crime import uploaded on /siting/crimes in the background, and answering the page's polls.

The files are already on disk when the view is called (`cctv.web.uploads`: the crime upload spools to temporary
files); they are moved into the job's own folder under the instance folder, the job is recorded, and the import runs
on a thread with its own database session (`siting.store.jobs` says what is kept where). With
CRIME_IMPORT_IN_BACKGROUND off the same steps run within the request.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, jsonify
from werkzeug.datastructures import FileStorage

from cctv.web.access import VIEW_SITING, allow, db
from inventory.types import utcnow
from siting.sources.area import AreaFilter
from siting.sources.police import PoliceFileError
from siting.store.crimes import import_crimes
from siting.store.jobs import ImportJob, ImportJobState, forget_progress, note_progress, progress_of

bp = Blueprint("crime_jobs", __name__, url_prefix="/siting/crimes/jobs")
log = logging.getLogger(__name__)


def start_import(uploads: Iterable[FileStorage], *, area: AreaFilter | None, skip_bad_rows: bool,
                 actor: str) -> ImportJob:
    """Record a job for these uploads, keep their files in its folder and run it (see the module)."""
    job = ImportJob(created_by=actor)
    db().add(job)
    db().flush()
    folder = Path(current_app.instance_path) / "crime-uploads" / f"job-{job.id}"
    folder.mkdir(parents=True, exist_ok=True)
    paths, size = [], 0
    for upload in uploads:
        path = folder / (Path(upload.filename or "upload.csv").name or "upload.csv")
        upload.save(path)
        paths.append(path)
        size += path.stat().st_size
    job.files, job.upload_bytes = len(paths), size
    db().commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    args = (app, int(job.id or 0), folder, paths, area, skip_bad_rows, actor)
    if current_app.config["CRIME_IMPORT_IN_BACKGROUND"]:
        threading.Thread(target=run_import, args=args, name=f"crime-import-{job.id}", daemon=True).start()
    else:
        run_import(*args)
        db().refresh(job)
    return job


def run_import(app: Flask, job_id: int, folder: Path, paths: list[Path], area: AreaFilter | None,
               skip_bad_rows: bool, actor: str) -> None:
    """Import the job's files in one transaction and record how it ended; its folder is removed either way."""
    database = app.extensions["cctv_db"]
    try:
        _set(database, job_id, ImportJobState.RUNNING, "")
        try:
            with database.transaction(actor=actor) as session:
                record, summary = import_crimes(session, paths, area=area, actor=actor,
                                                on_problem=(lambda _problem: None) if skip_bad_rows else None,
                                                progress=lambda source: note_progress(job_id, source.name))
                import_id = record.id
        except PoliceFileError as exc:
            _set(database, job_id, ImportJobState.FAILED, f"Nothing imported: {exc}")
            return
        _set(database, job_id, ImportJobState.DONE, "\n".join(summary.lines()), import_id)
    except Exception as exc:  # a background thread has no one else to tell: the job says it stopped, the log why
        log.exception("crime import job %s stopped", job_id)
        _set(database, job_id, ImportJobState.FAILED, f"Nothing imported: the import stopped ({type(exc).__name__}).")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        forget_progress(job_id)


def _set(database, job_id: int, state: str, message: str, import_id: int | None = None) -> None:
    with database.transaction(actor="crime-import") as session:
        job = session.get(ImportJob, job_id)
        job.state, job.message, job.updated_at = state, message[:4000], utcnow()
        if import_id is not None:
            job.import_id = import_id


def job_status(job: ImportJob) -> dict:
    """What the page shows of a job: its state, its lines (summary or error) and, while it runs here, progress."""
    progress = progress_of(int(job.id or 0))
    return {"id": job.id, "state": job.state, "lines": job.lines(), "files": job.files,
            "upload_bytes": job.upload_bytes, "stale": job.stale(utcnow()),
            "csv_done": None if progress is None else progress.csv_done,
            "last_file": "" if progress is None else progress.last_file}


@bp.route("/<int:job_id>")
@allow(VIEW_SITING)
def status(job_id: int):
    """A job's state as JSON, polled by the crime data page while the import runs."""
    job = db().get(ImportJob, job_id)
    if job is None:
        abort(404)
    return jsonify(job_status(job))
