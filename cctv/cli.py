"""The `cctv` command: database, accounts, tokens, the demo estate, camera and crime imports, and the server."""

import getpass
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from cctv.app import create_app
from cctv.db import Database


def _db() -> Database:
    return current_app.extensions["cctv_db"]


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def cli() -> None:
    """CCTV estate and control room: `cctv serve` runs the app; `cctv --help` lists everything."""


@cli.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the schema up to the newest migration."""
    from cctv.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"])
    click.echo("Database is at the newest schema.")


@cli.group()
def users() -> None:
    """Accounts."""


@users.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "supervisor", "operator", "planner", "dpo",
                                                          "advisory", "service_manager"]))
@click.option("--full-name", default="")
@click.option("--email", default="")
@click.option("--service-area", "service_areas", multiple=True, help="Code of a service area (service managers).")
@click.option("--covert", is_flag=True, help="May see covert cameras.")
@click.option("--password", envvar="CCTV_NEW_PASSWORD", help="Prompted for when not given.")
def users_create(username: str, role: str, full_name: str, email: str, service_areas: tuple[str, ...],
                 covert: bool, password: str | None) -> None:
    """Create an account (the first admin, for instance)."""
    from sqlmodel import col, select

    from cctv.auth.models import UserCreate
    from cctv.auth.service import UsernameTaken, create_user
    from inventory.models import ServiceArea

    password = password or getpass.getpass("Password (10 characters or more): ")
    with _db().transaction(actor="cli") as session:
        areas = session.exec(select(ServiceArea).where(col(ServiceArea.code).in_(service_areas))).all()
        missing = set(service_areas) - {a.code for a in areas}
        if missing:
            raise click.ClickException(f"no service area with code {', '.join(sorted(missing))}")
        try:
            create_user(session, UserCreate(username=username, role=role, full_name=full_name, email=email,
                                            covert_access=covert, password=password,
                                            service_area_ids=[a.id for a in areas]))
        except (UsernameTaken, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {role} account {username}.")


@cli.group()
def tokens() -> None:
    """API tokens for integrations."""


@tokens.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for.")
def tokens_create(username: str, name: str) -> None:
    """Issue a token; it is printed once and only its hash is kept."""
    from sqlmodel import select

    from cctv.auth.models import User
    from cctv.auth.service import issue_token

    with _db().transaction(actor="cli") as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            raise click.ClickException(f"no account {username}")
        _, plain = issue_token(session, user, name)
    click.echo(plain)


@cli.command("demo")
@click.option("--password", default="demo-password", show_default=True, help="Password of every demo account.")
def demo(password: str) -> None:
    """Fill an empty database with the illustrative demo estate and one account per role."""
    from cctv.demo import create_demo, has_data
    from cctv.web.filters import today

    with _db().transaction(actor="demo") as session:
        if has_data(session):
            raise click.ClickException("the register already has cameras; the demo only fills an empty database")
        summary = create_demo(session, today=today(), password=password)
    click.echo(f"Demo estate: {summary.cameras} cameras in {summary.service_areas} service areas "
               f"({summary.public_space_and_car_parks} public-space CCTV and car parks).")
    click.echo(f"Accounts ({', '.join(summary.users)}), password: {password}")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--no-demo", is_flag=True, help="Do not fill an empty database with the demo estate.")
def serve(host: str, port: int, no_demo: bool) -> None:
    """Migrate, add the demo estate to an empty database, and serve the app (single process)."""
    from cctv.demo import DEMO_LABEL, create_demo, has_data
    from cctv.migrate import upgrade
    from cctv.web.filters import today

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    upgrade(app.config["DATABASE_URL"])
    with _db().transaction(actor="demo") as session:
        if not has_data(session) and not no_demo:
            create_demo(session, today=today(), password="demo-password")
            app.config["DEMO_LABEL"] = DEMO_LABEL
        elif session.exec(_demo_marker()).first() is not None:
            app.config["DEMO_LABEL"] = DEMO_LABEL
    click.echo(f"\n  CCTV estate is at http://{host}:{port}/  (sign in as admin / demo-password;"
               f" other roles: supervisor, operator, planner, dpo, advisory, parking)\n")
    # Not app.run(): under the `flask`-style CLI it refuses to block. One threaded process serves the pages.
    from werkzeug.serving import run_simple

    from cctv.scheduler_cli import start_in_server

    # The DPIA and retention jobs in this process (SCHEDULER_IN_SERVER; on unless ENV is production). No reloader:
    # its watching parent would start a second scheduler.
    scheduler = start_in_server(app, use_reloader=False)
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)


def _demo_marker():
    from sqlmodel import select

    from cctv.demo import DEMO_NOTE
    from inventory.models import Camera

    return select(Camera.id).where(Camera.notes.startswith(DEMO_NOTE)).limit(1)  # type: ignore[union-attr]


@cli.group()
def cameras() -> None:
    """The camera register."""


@cameras.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "mappings", multiple=True, metavar="FIELD=COLUMN",
              help="Map a column of the file to a field, e.g. --map asset_id='Camera ID'. Guessed when absent.")
@click.option("--service-area", help="Code of the service area for rows without one.")
@click.option("--kind", help="Kind for rows without one (e.g. public_space_fixed).")
@click.option("--commit", is_flag=True, help="Save the cameras; without it the import is only checked.")
def cameras_import(path: Path, mappings: tuple[str, ...], service_area: str | None, kind: str | None,
                   commit: bool) -> None:
    """Check (and with --commit, import) a council camera list: all rows or none."""
    from cctv.import_cli import run_import

    ok = run_import(_db(), path, mappings, service_area, kind, commit)
    sys.exit(0 if ok else 1)


def _register_domain_groups() -> None:
    from cctv import incidents_cli, report_cli, scheduler_cli, siting_cli

    siting_cli.register(cli)
    scheduler_cli.register(cli)
    incidents_cli.register(cli)
    report_cli.register(cli)


_register_domain_groups()


@cli.group()
def crimes() -> None:
    """Police.uk street-level crime data for the siting model."""


@crimes.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--bbox", metavar="W,S,E,N",
              help="Keep only crimes in this box: west,south,east,north in degrees (or National Grid metres).")
@click.option("--boundary", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE.geojson",
              help="Keep only crimes inside this boundary (GeoJSON Polygon/MultiPolygon).")
@click.option("--skip-bad-rows", is_flag=True,
              help="Import the good rows and list malformed ones; without it a malformed row refuses the import.")
def crimes_import(paths: tuple[Path, ...], bbox: str | None, boundary: Path | None, skip_bad_rows: bool) -> None:
    """Import street-level CSVs: files, folders of monthly folders, or the zips data.police.uk hands out.

    Re-importing a month adds nothing; rows without coordinates are kept and counted.
    """
    from cctv.crimes_cli import run_import

    run_import(_db(), paths, bbox=bbox, boundary=boundary, skip_bad_rows=skip_bad_rows)


@crimes.command("summary")
def crimes_summary() -> None:
    """Months and counts of the crimes in the database, and the latest import."""
    from cctv.crimes_cli import show_summary

    show_summary(_db(), current_app.config["TIMEZONE"])


def main() -> None:
    """Entry point of the `cctv` console script."""
    cli()
