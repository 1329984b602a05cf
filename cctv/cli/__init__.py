"""The `cctv` command: one module per command group, each added here.

Every command runs inside the app built by `create_app` (configuration, database). Modules import the heavy
libraries (scipy, reportlab, pyproj) inside the commands that need them, so `cctv --help` starts quickly.
"""

import click
from flask.cli import FlaskGroup

from cctv.app import create_app
from cctv.cli import accounts, cameras, crimes, database, incidents, report, scheduler, server, siting


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def cli() -> None:
    """CCTV estate and control room: `cctv serve` runs the app; `cctv --help` lists everything."""


for command in (database.db, accounts.users, accounts.tokens, server.demo, server.serve, cameras.cameras,
                crimes.crimes, siting.siting, scheduler.scheduler, incidents.incidents, report.report):
    cli.add_command(command)


def main() -> None:
    """Entry point of the `cctv` console script."""
    cli()
