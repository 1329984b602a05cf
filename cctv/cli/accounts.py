"""`cctv users create` and `cctv tokens create`: accounts and API tokens."""

import getpass

import click
from flask.cli import AppGroup

from cctv.cli.common import database


@click.group(cls=AppGroup)
def users() -> None:
    """Accounts."""


@users.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "supervisor", "operator", "planner", "dpo",
                                                          "advisory", "service_manager"]))
@click.option("--full-name", default="")
@click.option("--email", default="")
@click.option("--service-area", "service_areas", multiple=True, help="Code of a service area (service managers).")
@click.option("--covert", is_flag=True, help="May see covert cameras.")
@click.option("--password", envvar="CCTV_NEW_PASSWORD", help="Prompted for when not given.")
def users_create(username: str, role: str, full_name: str, email: str, service_areas: tuple[str, ...],
                 covert: bool, password: str | None) -> None:
    """Create an account (the first admin, for instance)."""
    from sqlmodel import col, select

    from cctv.auth.models import UserCreate
    from cctv.auth.service import UsernameTaken, create_user
    from inventory.models import ServiceArea

    # create_user holds it to the policy (cctv.auth.passwords): 12 characters or more, not common, not the username
    password = password or getpass.getpass("Password (12 characters or more, not a common one): ")
    with database().transaction(actor="cli") as session:
        areas = session.exec(select(ServiceArea).where(col(ServiceArea.code).in_(service_areas))).all()
        missing = set(service_areas) - {a.code for a in areas}
        if missing:
            raise click.ClickException(f"no service area with code {', '.join(sorted(missing))}")
        try:
            create_user(session, UserCreate(username=username, role=role, full_name=full_name, email=email,
                                            covert_access=covert, password=password,
                                            service_area_ids=[a.id for a in areas]))
        except (UsernameTaken, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {role} account {username}.")


@click.group(cls=AppGroup)
def tokens() -> None:
    """API tokens for integrations."""


@tokens.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for.")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="How long it is valid for (default API_TOKEN_DAYS, at most API_TOKEN_MAX_DAYS).")
def tokens_create(username: str, name: str, days: int | None) -> None:
    """Issue a token; it is printed once (with its expiry, on stderr) and only its hash is kept."""
    from flask import current_app
    from sqlmodel import select

    from cctv.auth.models import User
    from cctv.auth.service import issue_token
    from inventory.types import london_time, utcnow

    days = days or current_app.config["API_TOKEN_DAYS"]
    if days > current_app.config["API_TOKEN_MAX_DAYS"]:
        raise click.ClickException(f"at most {current_app.config['API_TOKEN_MAX_DAYS']} days")
    with database().transaction(actor="cli") as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            raise click.ClickException(f"no account {username}")
        token, plain = issue_token(session, user, name, now=utcnow(), days=days)
    click.echo(plain)
    click.echo(f"Expires {london_time(token.expires_at):%d %b %Y %H:%M} (London time).", err=True)
