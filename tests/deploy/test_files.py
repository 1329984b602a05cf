"""The deployment's files name what exists: the systemd units and Compose run real `cctv` commands and gunicorn with
the repository's config and WSGI entry point, the web never hosts the scheduler, and the examples fit the app."""

import importlib
import runpy
import subprocess
import sys

import click
import pytest

from cctv.app import create_app
from cctv.cli import COMMANDS, cli
from tests.deploy.units import DEPLOY, INSTALL_DIR, REPO, command, compose, unit

UNITS = ("cctv-web.service", "cctv-scheduler.service")


def assert_real_command(argv: list[str]) -> None:
    """`cctv <group> [<sub>]` names a command the CLI has; `gunicorn -c <file>` names a file here whose app imports."""
    program = argv[0].rsplit("/", 1)[-1]
    if program == "cctv":
        assert argv[1] in COMMANDS, argv
        found = cli.get_command(click.Context(cli), argv[1])
        if isinstance(found, click.Group) and len(argv) > 2:
            assert argv[2] in found.commands, argv
    elif program == "gunicorn":
        config = argv[argv.index("-c") + 1]
        assert (REPO / config).is_file(), config
        settings = runpy.run_path(str(REPO / config))
        module, _, name = settings["wsgi_app"].partition(":")
        assert module == "cctv.wsgi" and name == "app"
        assert (REPO / "cctv" / "wsgi.py").is_file()
    else:
        raise AssertionError(f"unknown program {argv[0]}")


def test_the_systemd_units_run_real_commands_from_the_install() -> None:
    assert command("cctv-web.service")[:3] == [f"{INSTALL_DIR}/.venv/bin/gunicorn", "-c", "deploy/gunicorn.conf.py"]
    assert command("cctv-web.service", "ExecStartPre") == [f"{INSTALL_DIR}/.venv/bin/cctv", "db", "upgrade"]
    assert command("cctv-scheduler.service") == [f"{INSTALL_DIR}/.venv/bin/cctv", "scheduler"]
    for name in UNITS:
        service = unit(name)["Service"]
        assert service["WorkingDirectory"] == INSTALL_DIR and service["EnvironmentFile"] == "/etc/cctv/cctv.env"
        assert service["User"] == "cctv"  # never root
        for key in ("ExecStartPre", "ExecStart"):
            if key in service:
                assert_real_command(command(name, key))


def test_compose_runs_postgres_the_migrations_the_web_and_one_scheduler() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "migrate", "web", "scheduler"}
    assert services["db"]["image"].startswith("postgres:")
    for name in ("migrate", "web", "scheduler"):
        assert_real_command(services[name]["command"])
        assert services[name]["environment"]["CCTV_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert services["scheduler"]["command"] == ["cctv", "scheduler"]
    assert services["scheduler"].get("deploy", {}).get("replicas", 1) == 1
    assert "/health" in " ".join(services["web"]["healthcheck"]["test"])
    build = services["migrate"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve().is_file()


def test_the_environment_example_is_a_production_configuration_the_app_accepts(tmp_path) -> None:
    lines = (DEPLOY / "cctv.env.example").read_text().splitlines()
    values = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert values["CCTV_ENV"] == "production" and values["CCTV_PROXY_HOPS"] == "1"
    # The placeholder secret must stop the app until someone replaces it.
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV": "production", "SECRET_KEY": values["CCTV_SECRET_KEY"],
                    "DATABASE_URL": f"sqlite:///{tmp_path}/e.sqlite3"})
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert gunicorn["bind"].startswith("127.0.0.1:")  # behind nginx by default, not on every interface


def test_the_web_entry_point_starts_no_scheduler(tmp_path) -> None:
    """Every gunicorn worker imports cctv.wsgi: importing it must start no thread (no APScheduler), even in
    development where `cctv serve` would host the scheduler."""
    probe = "import threading, cctv.wsgi; print(sorted(t.name for t in threading.enumerate()))"
    env = {"PYTHONPATH": str(REPO), "CCTV_DATABASE_URL": f"sqlite:///{tmp_path}/w.sqlite3", "PATH": "/usr/bin"}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['MainThread']"
    assert importlib.util.find_spec("cctv.wsgi") is not None
