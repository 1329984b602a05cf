"""The `cctv` command: one module per command group under cctv/cli/, each named in `COMMANDS`.

A command's module is imported when that command runs (or when `cctv --help` lists it), not when the `cctv`
command starts: the siting, report and scheduler modules bring numpy, shapely and APScheduler with them, and
scipy, ReportLab and pyproj load only inside the commands that use them. Every command runs inside the app built
by `create_app` (configuration, database).
"""

import gc
import importlib
from contextlib import ExitStack

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo

from cctv.app import create_app
from common.collector import collector_paused

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


# Each command's one-line help, for `cctv --help`, which would otherwise import every command's module (and with
# them numpy, shapely, the scheduler, …) only to print these lines. tests/cli/test_startup.py holds them equal to
# the commands' own help.
SUMMARIES = {
    "db": "Database schema (Alembic migrations).",
    "users": "Accounts.",
    "tokens": "API tokens for integrations.",
    "demo": "Fill an empty database with the illustrative demo estate and one account per role.",
    "serve": "Migrate, add the demo estate to an empty database, and serve the app (single process).",
    "cameras": "The camera register.",
    "service-areas": "The council services that own cameras.",
    "systems": "Camera systems: the named groups of cameras each DPIA covers.",
    "control-rooms": "Control rooms: each with its incident reference prefix and monitored hours.",
    "crimes": "Police.uk street-level crime data for the siting model.",
    "area": "The council's boundary (GeoJSON polygons, merged), the default area of every siting command.",
    "publication": "What the public page (/public) shows: the notice, published systems, self-assessment and "
                   "figures.",
    "signs": "The signage register: each sign's place, wording, cameras covered and last inspection.",
    "siting": "The 3-year high-harm siting model: where should the next cameras go, and why.",
    "scheduler": "Run the DPIA reviews and reminders job daily at SCHEDULER_HOUR (and once at start).",
    "incidents": "The control-room log's housekeeping.",
    "report": "Report packs as PDF.",
    "backup": "Write a backup of the whole database to PATH (SQLite: a database file; PostgreSQL: pg_dump's "
              "custom format).",
    "restore": "Replace every record of the database with those of the backup at PATH.",
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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of `cctv --help`, from `SUMMARIES` rather than by importing every command."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            summary = SUMMARIES.get(name)
            if summary is None:
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                rows.append((name, command.get_short_help_str(limit)))
            else:
                rows.append((name, click.Command(name, help=summary).get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


# Commands that need the web layer (blueprints, templates, login): serving pages, and Flask's own `run`, `routes`
# and `shell`. Every other command runs on an app without it (`create_app(web=False)`), which starts in about half
# the time: the blueprints import every domain's pages and models.
WEB_COMMANDS = {"serve", "run", "routes", "shell"}


def cli_app() -> Flask:
    """The app a command runs in: the whole app for `WEB_COMMANDS`, else configuration and database only."""
    context = click.get_current_context(silent=True)
    command = context.find_root().invoked_subcommand if context is not None else None
    return create_app(web=command in WEB_COMMANDS)


# Commands that deal with the schema themselves: `db` migrates, `serve` migrates before serving, `backup` copies
# whatever is there and `restore` replaces it (and says when the backup is older than the code).
OWN_SCHEMA = {"db", "serve", "backup", "restore"}


@click.group(cls=CommandGroup, create_app=cli_app, add_version_option=False)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """CCTV estate and control room: `cctv serve` runs the app; `cctv --help` lists everything."""
    if ctx.invoked_subcommand in COMMANDS and ctx.invoked_subcommand not in OWN_SCHEMA:
        _meet_the_schema(ctx.ensure_object(ScriptInfo).load_app())
    _started()


# The garbage collector's pause while the console script starts (see `main`); None once the command runs.
_start_pause: ExitStack | None = None


def _started() -> None:
    """The command is about to run: what its start built is frozen out of the collector's passes, which resume."""
    global _start_pause
    if _start_pause is not None:
        pause, _start_pause = _start_pause, None
        gc.freeze()
        pause.close()


def _meet_the_schema(app: Flask) -> None:
    """A fresh install's first command (`cctv demo`, `cctv users create`, ...) finds the tables it needs: an empty
    database is migrated; one migrated to an older schema is refused with the command that brings it up."""
    from cctv.migrate import SchemaBehind, ensure_schema

    try:
        if ensure_schema(app.config["DATABASE_URL"], app.extensions["cctv_db"].engine):
            click.echo("A new database: migrated to the newest schema (`cctv db upgrade`).", err=True)
    except SchemaBehind as exc:
        raise click.ClickException(str(exc)) from exc


def main() -> None:
    """Entry point of the `cctv` console script.

    A command's start (the libraries, the models, the app: several hundred thousand objects, all kept) makes no
    garbage, yet the collector's passes over it were about a tenth of `cctv siting score`. So the collector is paused
    (`common.collector`, as an import pauses it) until the command is about to run, when those objects are frozen
    out of its later passes (as `cctv/wsgi.py` does for a web worker) and it comes back on for the command's own
    work. Only here: tests that run `cli` in their own process keep their collector as it is."""
    global _start_pause
    _start_pause = ExitStack()
    _start_pause.enter_context(collector_paused())
    try:
        cli()
    finally:
        _started()
