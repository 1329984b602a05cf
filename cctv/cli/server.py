"""`cctv demo` and `cctv serve`: the illustrative demo estate, and the single-process development server."""

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.serving import WSGIRequestHandler

from cctv.cli.common import database

FIRST_ADMIN = "cctv users create <name> --role admin"  # how production gets its first account (prompts for a password)


def refuse_demo_in_production(app: Flask, what: str) -> None:
    """Stop with a clear message: in production nothing creates the demo estate or its shared-password accounts."""
    if app.config.get("ENV") == "production":
        raise click.ClickException(
            f"{what} in production: the demo estate and its accounts (one shared, published password) never go "
            f"into a live system. Create the first admin with `{FIRST_ADMIN}`, then add cameras with "
            "`cctv cameras import`.")


@click.command("demo")
@with_appcontext
@click.option("--password", default="demo-password", show_default=True, help="Password of every demo account.")
def demo(password: str) -> None:
    """Fill an empty database with the illustrative demo estate and one account per role."""
    from cctv.demo.estate import create_demo, has_data
    from inventory.types import london_date, utcnow

    refuse_demo_in_production(current_app, "`cctv demo` refuses to run")
    with database().transaction(actor="demo") as session:
        if has_data(session):
            raise click.ClickException("the register already has cameras; the demo only fills an empty database")
        summary = create_demo(session, today=london_date(utcnow()), password=password)
    click.echo(f"Demo estate: {summary.cameras} cameras in {summary.service_areas} service areas "
               f"({summary.public_space_and_car_parks} public-space CCTV and car parks).")
    click.echo(f"Accounts ({', '.join(summary.users)}), password: {password}")


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--no-demo", is_flag=True, help="Do not fill an empty database with the demo estate.")
def serve(host: str, port: int, no_demo: bool) -> None:
    """Migrate, add the demo estate to an empty database, and serve the app (single process)."""
    from cctv.demo.estate import DEMO_LABEL, create_demo, has_data
    from cctv.migrate import upgrade
    from inventory.types import london_date, utcnow

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    production = app.config.get("ENV") == "production"
    upgrade(app.config["DATABASE_URL"])
    with database().transaction(actor="demo") as session:
        if production:  # never the demo estate: an empty register stays empty, and someone must be able to sign in
            if not _has_accounts(session):
                refuse_demo_in_production(app, "No accounts yet, and `cctv serve` adds no demo ones")
        elif not has_data(session) and not no_demo:
            create_demo(session, today=london_date(utcnow()), password="demo-password")
            app.config["DEMO_LABEL"] = DEMO_LABEL
        elif session.exec(_demo_marker()).first() is not None:
            app.config["DEMO_LABEL"] = DEMO_LABEL
    if production:
        click.echo(f"\n  CCTV estate is at http://{host}:{port}/ (a single-process server: in production run "
                   "gunicorn and `cctv scheduler`, deploy/README.md)\n")
    else:
        click.echo(f"\n  CCTV estate is at http://{host}:{port}/  (sign in as admin / demo-password;"
                   f" other roles: supervisor, operator, planner, dpo, advisory, parking)\n")
    # Not app.run(): under the `flask`-style CLI it refuses to block. One threaded process serves the pages.
    from werkzeug.serving import run_simple

    # The DPIA and retention jobs in this process (SCHEDULER_IN_SERVER; on unless ENV is production). No reloader:
    # its watching parent would start a second scheduler.
    scheduler = start_in_server(app, use_reloader=False)
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False, request_handler=QuietRequestHandler)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


def _has_accounts(session) -> bool:
    """Whether any account exists (in production the first admin comes from `cctv users create`)."""
    from sqlmodel import select

    from cctv.auth.models import User

    return session.exec(select(User.id).limit(1)).first() is not None


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without its and Python's versions in the Server header (no help to an attacker)."""

    server_version = "cctv"
    sys_version = ""


def _demo_marker():
    """A query for one camera the demo estate made (its note), to label the pages as illustrative."""
    from sqlmodel import select

    from cctv.demo.estate import DEMO_NOTE
    from inventory.models import Camera

    return select(Camera.id).where(Camera.notes.startswith(DEMO_NOTE)).limit(1)  # type: ignore[union-attr]


def start_in_server(app: Flask, *, use_reloader: bool):
    """For `cctv serve`: a started background scheduler when SCHEDULER_IN_SERVER (default: not production) says so.

    Only in the process that serves: under a reloader the parent process only watches files and restarts the
    child, and a scheduler there would be a second one.
    """
    from werkzeug.serving import is_running_from_reloader

    enabled = app.config.get("SCHEDULER_IN_SERVER")
    if enabled is None:
        enabled = app.config.get("ENV") != "production"
    if not enabled:
        return None
    if use_reloader and not is_running_from_reloader():
        return None
    from cctv.jobs.scheduler import build_scheduler
    from cctv.jobs.settings import settings_from_config

    scheduler = build_scheduler(settings_from_config(app.config), app.extensions["cctv_db"], blocking=False)
    scheduler.start()
    return scheduler
