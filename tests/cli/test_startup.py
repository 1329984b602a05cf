"""Starting the `cctv` command and the app loads no heavy library, and every command the group names is found."""

import subprocess
import sys

from click.testing import CliRunner

from cctv.cli import COMMANDS, cli

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
