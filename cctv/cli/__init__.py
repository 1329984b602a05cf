"""The `cctv` command: one module per command group under cctv/cli/, each named in `COMMANDS`.

A command's module is imported when that command runs (or when `cctv --help` lists it), not when the `cctv`
command starts: the siting, report and scheduler modules bring numpy, shapely and APScheduler with them, and
scipy, ReportLab and pyproj load only inside the commands that use them. Every command runs inside the app built
by `create_app` (configuration, database).
"""

import importlib

import click
from flask.cli import FlaskGroup

from cctv.app import create_app

# command name → the module of cctv.cli that defines it (as a click command or group of that same name)
COMMANDS = {
    "db": "database",
    "users": "accounts",
    "tokens": "accounts",
    "demo": "server",
    "serve": "server",
    "cameras": "cameras",
    "crimes": "crimes",
    "area": "area",
    "siting": "siting",
    "scheduler": "scheduler",
    "incidents": "incidents",
    "report": "report",
    "backup": "backup",
    "restore": "backup",
}


class CommandGroup(FlaskGroup):
    """Flask's command group, with the project's commands loaded from their modules when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Flask's own commands (run, shell, routes) and the project's, in alphabetical order."""
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The project's command of this name from its module, else Flask's."""
        if cmd_name in COMMANDS:
            module = importlib.import_module(f"cctv.cli.{COMMANDS[cmd_name]}")
            return getattr(module, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=CommandGroup, create_app=create_app, add_version_option=False)
def cli() -> None:
    """CCTV estate and control room: `cctv serve` runs the app; `cctv --help` lists everything."""


def main() -> None:
    """Entry point of the `cctv` console script."""
    cli()
