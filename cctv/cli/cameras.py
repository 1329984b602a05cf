"""`cctv cameras import`: parse the options, plan, print every problem, commit when clean (all or none)."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlmodel import select

from cctv.cli.common import database
from cctv.db import Database
from inventory.import_rows import commit_import, plan_import
from inventory.importing import TARGETS, ImportDefaults, ImportFileError, guess_mapping, read_table
from inventory.models import ServiceArea
from inventory.scope import CameraScope
from inventory.types import CameraKind


def parse_mappings(pairs: tuple[str, ...]) -> dict[str, str]:
    """FIELD=COLUMN pairs, each field one we know."""
    mapping = {}
    for pair in pairs:
        target, sep, column = pair.partition("=")
        if not sep or target not in TARGETS:
            raise click.BadParameter(f"{pair!r}: use FIELD=COLUMN with FIELD one of {', '.join(TARGETS)}")
        mapping[target] = column
    return mapping


def run_import(database: Database, path: Path, pairs: tuple[str, ...], area_code: str | None,
               kind: str | None, commit: bool) -> bool:
    """Plan the import, report it, and commit it when asked and clean. True when nothing was wrong."""
    try:
        table = read_table(path.name, path.read_bytes())
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from exc
    mapping = parse_mappings(pairs) or guess_mapping(table.headers)
    with database.transaction(actor="cli-import") as session:
        area_id = None
        if area_code:
            area = session.exec(select(ServiceArea).where(ServiceArea.code == area_code)).first()
            if area is None:
                raise click.ClickException(f"no service area with code {area_code}")
            area_id = area.id
        defaults = ImportDefaults(service_area_id=area_id, kind=CameraKind(kind) if kind else None)
        plan = plan_import(session, table, mapping, defaults, CameraScope.everything())
        click.echo("Columns: " + ", ".join(f"{t}={c!r}" for t, c in mapping.items()))
        for error in plan.errors:
            click.echo(str(error), err=True)
        if plan.errors:
            click.echo(f"{len(plan.errors)} problems; nothing imported.", err=True)
            return False
        if not commit:
            click.echo(f"{len(plan.rows)} cameras ready; run again with --commit to import them.")
            return True
        commit_import(session, plan, CameraScope.everything(), actor="cli-import")
    click.echo(f"Imported {len(plan.rows)} cameras from {path.name}.")
    return True


@click.group(cls=AppGroup)
def cameras() -> None:
    """The camera register."""


@cameras.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "mappings", multiple=True, metavar="FIELD=COLUMN",
              help="Map a column of the file to a field, e.g. --map asset_id='Camera ID'. Guessed when absent.")
@click.option("--service-area", help="Code of the service area for rows without one.")
@click.option("--kind", help="Kind for rows without one (e.g. public_space_fixed).")
@click.option("--commit", is_flag=True, help="Save the cameras; without it the import is only checked.")
def cameras_import(path: Path, mappings: tuple[str, ...], service_area: str | None, kind: str | None,
                   commit: bool) -> None:
    """Check (and with --commit, import) a council camera list: all rows or none."""
    ok = run_import(database(), path, mappings, service_area, kind, commit)
    sys.exit(0 if ok else 1)
