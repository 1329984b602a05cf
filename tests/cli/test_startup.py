"""Starting the `cctv` command and the app loads no heavy library, and every command the group names is found."""

import subprocess
import sys

import click
from click.testing import CliRunner

from cctv.cli import COMMANDS, SUMMARIES, cli, cli_app
from cctv.migrate import alembic_config, head_revision

HEAVY = ("scipy", "reportlab", "pyproj")

# Run in a fresh interpreter: this test process has long since imported everything.
PROBE = f"""
import sys
from click.testing import CliRunner
from cctv.app import create_app
from cctv.cli import cli
create_app({{"DATABASE_URL": "sqlite://", "SECRET_KEY": "probe"}})
result = CliRunner().invoke(cli, ["--help"])
assert result.exit_code == 0, result.output
print(" ".join(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""


def test_help_and_app_start_up_import_no_heavy_library() -> None:
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "", f"loaded at start-up: {probe.stdout.strip()}"


def test_every_named_command_is_defined_by_its_module() -> None:
    for name in COMMANDS:
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None and command.name == name


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.output


# A command that only needs the database (`cctv db current`-like work: here the group's own schema check) starts
# without the web layer, Alembic, or any command module but its own.
LIGHT_PROBE = """
import sys
from click.testing import CliRunner
from cctv.cli import cli
result = CliRunner().invoke(cli, ["--help"])
assert result.exit_code == 0, result.output
from cctv.cli import cli_app
import click
with click.Context(cli) as context:
    app = cli_app()
    assert "siting" not in app.blueprints, "the web layer was built for a command that does not serve pages"
from cctv.migrate import current_revision, head_revision
head_revision()
current_revision("sqlite://")
loaded = {"alembic", "mako", "cctv.web", "cctv.cli.scheduler", "cctv.cli.siting", "cctv.cli.crimes", "numpy"}
print(" ".join(sorted(name for name in loaded if name in sys.modules)))
"""


def test_help_and_the_schema_check_import_no_command_module_nor_alembic() -> None:
    probe = subprocess.run([sys.executable, "-c", LIGHT_PROBE], capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "", f"loaded at start-up: {probe.stdout.strip()}"


def test_the_help_summaries_are_the_commands_own() -> None:
    assert set(SUMMARIES) == set(COMMANDS)
    for name, summary in SUMMARIES.items():
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None
        for limit in (45, 80):
            listed = click.Command(name, help=summary).get_short_help_str(limit)
            assert listed == command.get_short_help_str(limit), name


def test_the_serving_commands_get_the_whole_app() -> None:
    for command, web in (("serve", True), ("routes", True), ("siting", False), ("crimes", False)):
        with click.Context(cli) as context:
            context.invoked_subcommand = command
            assert ("siting" in cli_app().blueprints) is web, command


def test_the_head_revision_read_from_the_files_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


# The console script pauses the garbage collector for the command's start and, as the command begins, freezes what
# the start built and turns it back on: on for the command's own work, and on again whether the command succeeds or
# fails. Run as the console script runs, in a fresh interpreter (`cctv db current` reads the schema's revision).
COLLECTOR_PROBE = """
import gc, sys
from cctv.cli import main
sys.argv = ["cctv", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("COLLECTOR", gc.isenabled(), gc.get_freeze_count() > 10_000)
"""


def test_the_console_script_freezes_its_start_and_keeps_the_collector_on(tmp_path) -> None:
    import os

    env = {**os.environ, "CCTV_DATABASE_URL": f"sqlite:///{tmp_path}/probe.sqlite3", "CCTV_SECRET_KEY": "probe"}
    for args in (["db", "upgrade"], ["users", "create", "--help"], ["siting", "score"]):  # the last fails: no crimes
        probe = subprocess.run([sys.executable, "-c", COLLECTOR_PROBE, *args], capture_output=True, text=True,
                               env=env, check=True)
        assert probe.stdout.strip().endswith("COLLECTOR True True"), (args, probe.stdout[-500:], probe.stderr[-500:])


def test_a_command_run_in_process_leaves_the_collector_as_it_was() -> None:
    import gc

    frozen = gc.get_freeze_count()
    assert CliRunner().invoke(cli, ["--help"]).exit_code == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
