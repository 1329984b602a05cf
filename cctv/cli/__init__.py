"""The `cctv` command: one module per command group under cctv/cli/, each named in `COMMANDS`.

A command's module is imported when that command runs (or when `cctv --help` lists it), not when the `cctv`
command starts: the siting, report and scheduler modules bring numpy, shapely and APScheduler with them, and
scipy, ReportLab and pyproj load only inside the commands that use them. Every command runs inside the app built
by `create_app` (configuration, database).
"""

import importlib

import click
from flask.cli import FlaskGroup, ScriptInfo

from cctv.app import create_app

# command name → the module of cctv.cli that defines it (as a click command or group of that same name)
COMMANDS = {
    "db": "database",
    "users": "accounts",
    "tokens": "accounts",
    "demo": "server",
    "serve": "server",
    "cameras": "cameras",
    "service-areas": "estate",
    "systems": "estate",
    "control-rooms": "estate",
    "crimes": "crimes",
    "area": "area",
    "publication": "publication",
    "signs": "publication",
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
            return getattr(module, cmd_name.replace("-", "_"))  # `service-areas` is service_areas
        return super().get_command(ctx, cmd_name)


# Commands that deal with the schema themselves: `db` migrates, `serve` migrates before serving, `backup` copies
# whatever is there and `restore` replaces it (and says when the backup is older than the code).
OWN_SCHEMA = {"db", "serve", "backup", "restore"}


@click.group(cls=CommandGroup, create_app=create_app, add_version_option=False)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """CCTV estate and control room: `cctv serve` runs the app; `cctv --help` lists everything."""
    if ctx.invoked_subcommand in COMMANDS and ctx.invoked_subcommand not in OWN_SCHEMA:
        _meet_the_schema(ctx.ensure_object(ScriptInfo).load_app().config["DATABASE_URL"])


def _meet_the_schema(url: str) -> None:
    """A fresh install's first command (`cctv demo`, `cctv users create`, ...) finds the tables it needs: an empty
    database is migrated; one migrated to an older schema is refused with the command that brings it up."""
    from cctv.migrate import SchemaBehind, ensure_schema

    try:
        if ensure_schema(url):
            click.echo("A new database: migrated to the newest schema (`cctv db upgrade`).", err=True)
    except SchemaBehind as exc:
        raise click.ClickException(str(exc)) from exc


def main() -> None:
    """Entry point of the `cctv` console script."""
    cli()
