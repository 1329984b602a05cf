"""`cctv cameras import`: parse the options, plan, print every problem, commit when clean (all or none)."""

import sys
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from cctv.cli.common import database
from inventory.import_rows import commit_import, plan_import
from inventory.importing import (
    TARGETS,
    ImportDefaults,
    ImportFileError,
    guess_mapping,
    parse_value_mappings,
    read_table,
)
from inventory.scope import CameraScope
from inventory.service_areas import ServiceAreaNotFound, area_by_code
from inventory.types import CameraKind

ACTOR = "cli-import"


def parse_mappings(pairs: tuple[str, ...]) -> dict[str, str]:
    """FIELD=COLUMN pairs, each field one we know; FIELD= (no column) leaves that field out of the guessing."""
    mapping = {}
    for pair in pairs:
        target, sep, column = pair.partition("=")
        if not sep or target not in TARGETS:
            raise click.BadParameter(f"{pair!r}: use FIELD=COLUMN with FIELD one of {', '.join(TARGETS)}")
        mapping[target] = column
    return mapping


@dataclass(frozen=True)
class ImportOptions:
    """What the command line asked for."""

    pairs: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    area_code: str | None = None
    system: str | None = None
    kind: str | None = None
    repeated_ids: str = "refuse"
    data_controller: str | None = None
    commit: bool = False


def run_import(path: Path, options: ImportOptions) -> bool:
    """Plan the import, report it, and commit it when asked and clean. True when nothing was wrong."""
    try:
        table = read_table(path.name, path.read_bytes())
        words = parse_value_mappings(list(options.values))
    except (ImportFileError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    # The columns named with --map, and every other field guessed from the headers and what the columns hold.
    mapping = guess_mapping(table.headers, table, given=parse_mappings(options.pairs))
    with database().transaction(actor=ACTOR) as session:
        area_id = None
        if options.area_code:
            try:
                area_id = area_by_code(session, options.area_code).id
            except ServiceAreaNotFound as exc:
                raise click.ClickException(str(exc)) from exc
        defaults = ImportDefaults(
            service_area_id=area_id, system_id=_system_id(session, options.system),
            kind=CameraKind(options.kind) if options.kind else None,
            data_controller=options.data_controller or current_app.config["DATA_CONTROLLER"],
            repeated_ids=options.repeated_ids, values=words)
        plan = plan_import(session, table, mapping, defaults, CameraScope.everything())
        click.echo("Columns: " + ", ".join(f"{t}={c!r}" for t, c in mapping.items()))
        for error in plan.errors:
            click.echo(str(error), err=True)
        if plan.errors:
            if any(" repeats " in e.message for e in plan.errors):
                click.echo("The list repeats ids: --repeated-ids generate keeps those rows with generated asset ids "
                           "and the list's id as their source reference.", err=True)
            click.echo(f"{len(plan.errors)} problems; nothing imported.", err=True)
            return False
        if not options.commit:
            click.echo(f"{len(plan.rows)} cameras ready; run again with --commit to import them.")
            return True
        commit_import(session, plan, CameraScope.everything(), actor=ACTOR)
    click.echo(f"Imported {len(plan.rows)} cameras from {path.name}.")
    return True


def _system_id(session, name: str | None) -> int | None:
    """The id of the system named (any case), or None when none is named."""
    if not name:
        return None
    from sqlmodel import func, select

    from inventory.models import CameraSystem

    found = session.exec(select(CameraSystem.id).where(func.lower(CameraSystem.name) == name.strip().lower())).first()
    if found is None:
        raise click.ClickException(f"no system called {name}: `cctv systems create` adds one")
    return found


@click.group(cls=AppGroup)
def cameras() -> None:
    """The camera register."""


@cameras.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "mappings", multiple=True, metavar="FIELD=COLUMN",
              help="Map a column to a field, e.g. --map asset_id=cam_number (FIELD= maps none). Only the fields "
                   "named change: the others are still matched by their headers and what the columns hold.")
@click.option("--value", "values", multiple=True, metavar="FIELD:THEIRS=OURS",
              help="Read a word of the list as ours, e.g. --value status:Live=operational --value status:Dead=faulty.")
@click.option("--service-area", help="Code of the service area for rows without one.")
@click.option("--system", help="Name of the system (its DPIA) for rows without one.")
@click.option("--kind", type=click.Choice([k.value for k in CameraKind]), help="Kind for rows without one.")
@click.option("--repeated-ids", type=click.Choice(["refuse", "generate"]), default="refuse", show_default=True,
              help="Rows repeating an id: refuse them, or import them with generated asset ids (ID-1, ID-2, ...) "
                   "keeping the list's id as their source reference.")
@click.option("--data-controller", help="Data controller for rows without one (default: DATA_CONTROLLER).")
@click.option("--commit", is_flag=True, help="Save the cameras; without it the import is only checked.")
def cameras_import(path: Path, mappings: tuple[str, ...], values: tuple[str, ...], service_area: str | None,
                   system: str | None, kind: str | None, repeated_ids: str, data_controller: str | None,
                   commit: bool) -> None:
    """Check (and with --commit, import) a council camera list, CSV or GeoJSON: all rows or none."""
    options = ImportOptions(mappings, values, service_area, system, kind, repeated_ids, data_controller, commit)
    sys.exit(0 if run_import(path, options) else 1)
