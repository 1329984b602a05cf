"""`cctv publication` and `cctv signs`: what the public page shows, and the signage register, from the command line.

The same services as the /publication and /signs pages, each change through the audited session as the actor
`cli`. The CLI is the system's own hand (it sees every camera, as `cctv cameras import` does); the services still
refuse to publish a covert system or a self-assessment not completed.
"""

from datetime import date

import click
from flask.cli import AppGroup
from pydantic import ValidationError

from cctv.cli.common import database
from cctv.transparency import publication as published
from cctv.transparency import signage
from cctv.transparency.models import PublicNoticeBase, PublishedSystemBase, SignBase
from inventory.scope import CameraScope
from inventory.types import london_today

ACTOR = "cli"
EVERYTHING = CameraScope.everything()


def _none_or_int(value: str) -> int | None:
    """'none' (withdraw) or a number."""
    if value.strip().lower() == "none":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is neither a number nor 'none'") from exc


def _fields(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())


@click.group("publication", cls=AppGroup)
def publication() -> None:
    """What the public page (/public) shows: the notice, published systems, self-assessment and figures."""


@publication.command("show")
def publication_show() -> None:
    """What is published now."""
    with database().session(ACTOR) as session:
        row = published.notice(session)
        chosen = published.published_systems(session)
        click.echo(f"Contact point: {row.contact_point or '(none: the notice is not written yet)'}")
        click.echo(f"Operated by: {row.operator or '-'}; data controller: {row.data_controller or '-'}")
        for system in published.publishable_systems(session):
            shown = chosen.get(system.id or 0)
            click.echo(f"{system.name}\t" + (f"published: {shown.purpose}" if shown else "not published"))
        click.echo(f"Self-assessment published: {row.self_assessment_id or 'none'}; figures published: "
                   f"{row.figures_year or 'none'}")
        click.echo(f"{len(published.public_cameras(session))} cameras on the public page.")


@publication.command("notice")
@click.option("--contact-point", required=True, help="Where the public ask, complain or make a request.")
@click.option("--operator", default="", help="Who runs the cameras.")
@click.option("--data-controller", default="", help="The data controller for cameras that name none.")
@click.option("--introduction", default="", help="A paragraph introducing the page.")
def publication_notice(contact_point: str, operator: str, data_controller: str, introduction: str) -> None:
    """Write the public notice (every field at once: one left out is cleared)."""
    if not contact_point.strip():
        raise click.BadParameter("the contact point cannot be empty", param_hint="--contact-point")
    try:
        data = PublicNoticeBase(operator=operator, data_controller=data_controller, contact_point=contact_point,
                                introduction=introduction)
    except ValidationError as exc:
        raise click.ClickException(_fields(exc)) from exc
    with database().transaction(actor=ACTOR) as session:
        published.save_notice(session, data, actor=ACTOR)
    click.echo("The public notice is published.")


@publication.command("publish")
@click.argument("system")
@click.option("--purpose", required=True, help="Why the system's cameras are there, in plain words.")
@click.option("--dpia-summary", default="", help="The DPIA's summary in plain words.")
def publication_publish(system: str, purpose: str, dpia_summary: str) -> None:
    """Publish a system by name: its public-space cameras appear on the public page."""
    if not purpose.strip():
        raise click.BadParameter("the purpose cannot be empty", param_hint="--purpose")
    try:
        data = PublishedSystemBase(purpose=purpose, dpia_summary=dpia_summary)
    except ValidationError as exc:
        raise click.ClickException(_fields(exc)) from exc
    with database().transaction(actor=ACTOR) as session:
        found = published.system_by_name(session, system)
        if found is None:
            raise click.ClickException(f"no system called {system} that can be published (a covert one never "
                                       "can): `cctv systems list` shows them")
        published.publish_system(session, found.id or 0, data, actor=ACTOR)
        click.echo(f"{found.name} is published: its public-space cameras are on the public page.")


@publication.command("withdraw")
@click.argument("system")
def publication_withdraw(system: str) -> None:
    """Take a system off the public page."""
    with database().transaction(actor=ACTOR) as session:
        found = published.system_by_name(session, system)
        if found is None or not published.withdraw_system(session, found.id or 0):
            raise click.ClickException(f"{system} is not published")
        click.echo(f"{found.name} is withdrawn from the public page.")


@publication.command("assessment")
@click.argument("assessment_id", metavar="ID|none")
def publication_assessment(assessment_id: str) -> None:
    """Publish a completed self-assessment by its number, or none."""
    chosen = _none_or_int(assessment_id)
    try:
        with database().transaction(actor=ACTOR) as session:
            published.publish_self_assessment(session, chosen, actor=ACTOR)
    except published.NotPublishable as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("No self-assessment is published." if chosen is None else f"Self-assessment {chosen} is published.")


@publication.command("figures")
@click.argument("year", metavar="YEAR|none")
def publication_figures(year: str) -> None:
    """Publish a snapshot of a complete year's figures, or none."""
    chosen = _none_or_int(year)
    try:
        with database().transaction(actor=ACTOR) as session:
            published.publish_figures(session, chosen, actor=ACTOR, today=london_today())
    except published.NotPublishable as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("No annual figures are published." if chosen is None else f"The figures for {chosen} are published.")


@click.group("signs", cls=AppGroup)
def signs() -> None:
    """The signage register: each sign's place, wording, cameras covered and last inspection."""


@signs.command("list")
def signs_list() -> None:
    """Every sign: number, town, place, last inspected, cameras covered."""
    with database().session(ACTOR) as session:
        rows = signage.list_signs(session, EVERYTHING)
        for row in rows:
            inspected = row.sign.last_inspected.isoformat() if row.sign.last_inspected else "never"
            click.echo(f"{row.sign.id}\t{row.sign.town}\t{row.sign.place}\t{inspected}\t{', '.join(row.cameras)}")
    if not rows:
        click.echo("No signs yet: `cctv signs add --place ... --wording ...` adds one.", err=True)


def _sign_options(command):  # type: ignore[no-untyped-def]
    """The options `add` and `edit` share (on edit, an option left out keeps what the sign has)."""
    for option in reversed([
        click.option("--place", help="Where the sign is."),
        click.option("--wording", help="What it says."),
        click.option("--town"),
        click.option("--latitude", type=click.FloatRange(-90, 90)),
        click.option("--longitude", type=click.FloatRange(-180, 180)),
        click.option("--cameras", help="Asset ids of the cameras it covers, comma-separated."),
        click.option("--last-inspected", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD"),
        click.option("--notes"),
    ]):
        command = option(command)
    return command


def _save(sign_id: int | None, options: dict) -> None:
    with database().transaction(actor=ACTOR) as session:
        current = signage.get_sign(session, EVERYTHING, sign_id) if sign_id is not None else None
        if sign_id is not None and current is None:
            raise click.ClickException(f"no sign {sign_id}: `cctv signs list` shows them")
        old = current.sign.model_dump() if current else {}
        given = {k: v for k, v in options.items() if v is not None and k != "cameras"}
        if isinstance(given.get("last_inspected"), date):
            given["last_inspected"] = given["last_inspected"].date()
        try:
            data = SignBase.model_validate({k: v for k, v in old.items() if k in SignBase.model_fields} | given)
            cameras = options["cameras"].split(",") if options["cameras"] is not None else list(
                current.cameras if current else [])
            sign = signage.save_sign(session, EVERYTHING, data, cameras, sign_id)
        except ValidationError as exc:
            raise click.ClickException(_fields(exc)) from exc
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Sign {sign.id} ({sign.place}) saved.")


@signs.command("add")
@_sign_options
def signs_add(**options: object) -> None:
    """Add a sign (--place and --wording are needed)."""
    _save(None, options)


@signs.command("edit")
@click.argument("sign_id", type=int)
@_sign_options
def signs_edit(sign_id: int, **options: object) -> None:
    """Change a sign: only the options given change (--cameras replaces the list)."""
    _save(sign_id, options)


@signs.command("remove")
@click.argument("sign_id", type=int)
def signs_remove(sign_id: int) -> None:
    """Remove a sign that has been taken down."""
    with database().transaction(actor=ACTOR) as session:
        if not signage.delete_sign(session, sign_id):
            raise click.ClickException(f"no sign {sign_id}")
    click.echo(f"Sign {sign_id} removed.")
