"""`cctv db upgrade`: the schema, by Alembic migrations."""

import click
from flask import current_app
from flask.cli import AppGroup


@click.group("db", cls=AppGroup)
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the schema up to the newest migration."""
    from cctv.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"])
    click.echo("Database is at the newest schema.")
