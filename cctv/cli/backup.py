"""`cctv backup FILE` and `cctv restore FILE`: the whole database, audit trail included (cctv/backup.py)."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from cctv.cli.common import database


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Write a backup of the whole database to PATH (SQLite: a database file; PostgreSQL: pg_dump's custom format).

    Safe while the app runs. Keep backups encrypted and off the server: they hold every incident and the audit trail.
    """
    from cctv.backup import BackupError, make_backup

    try:
        report = make_backup(database(), path, actor="cli-backup")
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in report.lines():
        click.echo(f"Backed up {line}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@with_appcontext
def restore(path: Path, yes: bool) -> None:
    """Replace every record of the database with those of the backup at PATH.

    Stop the web workers and the scheduler first. Afterwards run `cctv db upgrade` if the backup is older than the
    code (the command says so).
    """
    from cctv.backup import BackupError, restore_backup
    from cctv.migrate import head_revision

    if not yes:
        click.confirm(f"Replace every record of the database with those in {path}?", abort=True)
    try:
        report = restore_backup(database(), path, actor="cli-restore")
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in report.lines():
        click.echo(f"Restored {line}")
    if report.revision != head_revision():
        click.echo("The backup's schema is not this code's: run `cctv db upgrade` before starting the app.")
