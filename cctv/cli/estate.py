"""`cctv service-areas`, `cctv systems`, `cctv control-rooms`: what a fresh install needs before its first import.

Each change goes through the audited session as the actor `cli`. The CLI is the system's own hand, so it sees
covert systems too (as `cctv cameras import` does).
"""

import click
from flask.cli import AppGroup

from cctv.cli.common import database
from cctv.controlroom import rooms
from inventory import service_areas as areas
from inventory import systems as system_service
from inventory.models import CameraSystem, CameraSystemBase, ServiceAreaBase
from inventory.scope import CameraScope, OutOfScope

ACTOR = "cli"


@click.group("service-areas", cls=AppGroup)
def service_areas() -> None:
    """The council services that own cameras."""


@service_areas.command("list")
def service_areas_list() -> None:
    """Every service area: code, name."""
    with database().transaction(actor=ACTOR) as session:
        found = areas.list_service_areas(session)
        for area in found:
            click.echo(f"{area.code}\t{area.name}")
    if not found:
        click.echo("No service areas yet: `cctv service-areas create CODE NAME` adds one.", err=True)


@service_areas.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--description", default="")
def service_areas_create(code: str, name: str, description: str) -> None:
    """Add a service area, e.g. `cctv service-areas create CS "Community Safety"`."""
    try:
        with database().transaction(actor=ACTOR) as session:
            area = areas.create_service_area(session, ServiceAreaBase(code=code, name=name, description=description))
            click.echo(f"Service area {area.code} ({area.name}) added.")
    except (areas.ServiceAreaError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@service_areas.command("rename")
@click.argument("code")
@click.option("--name", help="The new name.")
@click.option("--new-code", help="The new code.")
@click.option("--description", help="The new description.")
def service_areas_rename(code: str, name: str | None, new_code: str | None, description: str | None) -> None:
    """Change a service area's name, code or description."""
    try:
        with database().transaction(actor=ACTOR) as session:
            area = areas.area_by_code(session, code)
            data = ServiceAreaBase(code=new_code or area.code, name=name or area.name,
                                   description=area.description if description is None else description)
            areas.update_service_area(session, area, data)
            click.echo(f"Service area {area.code} is now {area.name}.")
    except (areas.ServiceAreaNotFound, areas.ServiceAreaError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("systems", cls=AppGroup)
def systems() -> None:
    """Camera systems: the named groups of cameras each DPIA covers."""


@systems.command("list")
def systems_list() -> None:
    """Every system: name, service area, cameras."""
    with database().transaction(actor=ACTOR) as session:
        found = system_service.list_systems(session, CameraScope.everything())
        for summary in found:
            click.echo(f"{summary.system.name}\t{summary.service_area}\t{summary.cameras} cameras")
    if not found:
        click.echo("No systems yet: `cctv systems create NAME --service-area CODE` adds one.", err=True)


@systems.command("create")
@click.argument("name")
@click.option("--service-area", "area_code", required=True, help="Code of the service area that owns it.")
@click.option("--description", default="")
def systems_create(name: str, area_code: str, description: str) -> None:
    """Add a system; its DPIA becomes due."""
    try:
        with database().transaction(actor=ACTOR) as session:
            area = areas.area_by_code(session, area_code)
            data = CameraSystemBase(name=name, service_area_id=area.id, description=description)
            system = system_service.create_system(session, CameraScope.everything(), data, actor=ACTOR)
            click.echo(f"System {system.name} added to {area.name}: its DPIA is now due.")
    except (areas.ServiceAreaNotFound, system_service.DuplicateSystemName, OutOfScope, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@systems.command("rename")
@click.argument("name")
@click.option("--new-name", help="The new name.")
@click.option("--service-area", "area_code", help="Code of the service area that now owns it.")
@click.option("--description", help="The new description.")
def systems_rename(name: str, new_name: str | None, area_code: str | None, description: str | None) -> None:
    """Rename a system or move it to another service area."""
    from sqlmodel import func, select

    try:
        with database().transaction(actor=ACTOR) as session:
            system = session.exec(select(CameraSystem).where(func.lower(CameraSystem.name) == name.lower())).first()
            if system is None:
                raise click.ClickException(f"no system called {name}: `cctv systems list` shows them")
            area_id = areas.area_by_code(session, area_code).id if area_code else system.service_area_id
            data = CameraSystemBase(name=new_name or system.name, service_area_id=area_id,
                                    description=system.description if description is None else description)
            system_service.update_system(session, CameraScope.everything(), system, data)
            click.echo(f"System {system.name} updated.")
    except (areas.ServiceAreaNotFound, system_service.DuplicateSystemName, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("control-rooms", cls=AppGroup)
def control_rooms() -> None:
    """Control rooms: each with its incident reference prefix and monitored hours."""


@control_rooms.command("list")
def control_rooms_list() -> None:
    """Every control room: code, name."""
    with database().transaction(actor=ACTOR) as session:
        for room in rooms.list_rooms(session):
            click.echo(f"{room.code}\t{room.name}")


@control_rooms.command("create")
@click.argument("code")
@click.argument("name")
def control_rooms_create(code: str, name: str) -> None:
    """Add a control room; CODE (letters) starts its incident references."""
    try:
        with database().transaction(actor=ACTOR) as session:
            room = rooms.create_room(session, code, name)
            click.echo(f"Control room {room.code} ({room.name}) added.")
    except rooms.RoomError as exc:
        raise click.ClickException(str(exc)) from exc


@control_rooms.command("rename")
@click.argument("code")
@click.argument("name")
def control_rooms_rename(code: str, name: str) -> None:
    """Change a control room's name (its code stays: references begin with it)."""
    try:
        with database().transaction(actor=ACTOR) as session:
            room = rooms.rename_room(session, rooms.room_by_code(session, code.strip().upper()), name)
            click.echo(f"Control room {room.code} is now {room.name}.")
    except rooms.RoomNotFound as exc:
        raise click.ClickException(f"no control room with code {code}") from exc
    except rooms.RoomError as exc:
        raise click.ClickException(str(exc)) from exc
