"""Reading the deployment's files as an installer would: the systemd units' commands and the Compose services."""

import configparser
import shlex
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
INSTALL_DIR = "/opt/cctv"  # where deploy/README.md installs the release; the units' paths start here


def unit(name: str) -> configparser.ConfigParser:
    """A systemd unit file from deploy/systemd (keys keep their case; repeated keys are not used by ours)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / name)
    return parser


def command(unit_name: str, key: str = "ExecStart") -> list[str]:
    """A unit's command as argv."""
    return shlex.split(unit(unit_name)["Service"][key])


def local_command(argv: list[str], venv_bin: Path) -> list[str]:
    """A unit's command run from this checkout: /opt/cctv/.venv/bin/X → this environment's X."""
    program = argv[0]
    prefix = f"{INSTALL_DIR}/.venv/bin/"
    assert program.startswith(prefix), f"{program} is not in the install's virtualenv"
    return [str(venv_bin / program.removeprefix(prefix)), *argv[1:]]


def compose() -> dict:
    """deploy/compose.yaml, parsed."""
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())
