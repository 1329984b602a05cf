"""`cctv area …`: the council's area, uploaded once and used by every siting import, proposal and validation."""

from pathlib import Path

import click
from flask.cli import AppGroup

from cctv.cli.common import database
from siting.sources.area import AreaError
from siting.store.council_area import clear_council_area, current_area, set_council_area
from siting.store.refilter import refilter_crimes
from siting.store.wards import clear_wards, set_wards, stored_wards


@click.group(cls=AppGroup)
def area() -> None:
    """The council's boundary (GeoJSON polygons, merged), the default area of every siting command."""


@area.command("set")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", default="", help="What to call it (\"Dacorum Borough Council\").  [default: the file's name]")
@click.option("--keep-crimes", is_flag=True,
              help="Keep crimes imported earlier outside the area (by default they are removed, as an import "
                   "would have left them out).")
def area_set(path: Path, name: str, keep_crimes: bool) -> None:
    """Make this GeoJSON (one or many polygons, e.g. the council's LSOAs) the council's area, and re-filter the
    crimes already imported to it."""
    try:
        with database().transaction(actor="cli") as session:
            row = set_council_area(session, path.read_bytes(), name=name or path.stem, actor="cli")
            click.echo(f"The council's area is now {row.name}: {row.area_km2:,.1f} km² in {row.parts} "
                       f"part{'s' if row.parts != 1 else ''}.")
            if not keep_crimes:
                click.echo(refilter_crimes(session, row.to_filter()).line())
    except (AreaError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: {exc}") from exc


@area.command("show")
def area_show() -> None:
    """The council's area, if one has been set."""
    with database().session("cli") as session:
        row = current_area(session)
        if row is None:
            click.echo("No council area: siting uses all the crimes imported (cctv area set FILE.geojson).")
        else:
            click.echo(f"{row.name}: {row.area_km2:,.1f} km², set by {row.uploaded_by} on "
                       f"{row.uploaded_at:%d %b %Y}.")


@area.command("clear")
def area_clear() -> None:
    """Stop using the council's area (it stays in the audit trail)."""
    with database().transaction(actor="cli") as session:
        click.echo("Cleared." if clear_council_area(session) else "There was no council area.")


@area.command("wards")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name-field", default="", help="The property holding each ward's name.  [default: guessed: name, "
              "area_name, WD23NM, ...]")
@click.option("--clear", is_flag=True, help="Remove the imported wards.")
def area_wards(path: Path | None, name_field: str, clear: bool) -> None:
    """Import the council's wards once (GeoJSON polygons, e.g. the ONS electoral wards): the map and the public page
    outline and label them when no MAP_WARDS_FILE is configured. Importing again replaces them."""
    with database().transaction(actor="cli") as session:
        if clear:
            click.echo(f"{clear_wards(session)} wards removed.")
            return
        if path is None:
            wards = stored_wards(session)
            click.echo(f"{len(wards)} wards: " + ", ".join(w.name for w in wards) if wards else
                       "No wards imported: cctv area wards FILE.geojson")
            return
        try:
            rows = set_wards(session, path.read_bytes(), actor="cli", name_field=name_field)
        except (AreaError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{path}: {exc}") from exc
        click.echo(f"{len(rows)} wards imported from {path.name}.")
