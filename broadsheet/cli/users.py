"""`flask users ...`: staff accounts from the command line (the first admin, a lost password)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from broadsheet.accounts import AccountError, create_user, find_user, set_password
from extensions import db
from models import ROLES, User


@click.group("users", help="Create staff accounts and set their passwords.")
def users_cli() -> None:
    pass


def _password_option(func):
    return click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="The password (asked for when left out, which keeps it out of shell history).",
    )(func)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="writer", show_default=True)
@click.option("--name", default="", help="The name shown in the newsroom.")
@_password_option
@with_appcontext
def create_command(email: str, role: str, name: str, password: str) -> None:
    """Create a staff account for EMAIL."""
    try:
        user = create_user(email, password, role, name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("Created %(role)s %(email)s.", role=user.role, email=user.email))


@users_cli.command("set-password")
@click.argument("email")
@_password_option
@with_appcontext
def set_password_command(email: str, password: str) -> None:
    """Give EMAIL's account a new password (signing out its sessions)."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(_("There is no account for %(email)s.", email=email))
    try:
        set_password(user, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("Password changed for %(email)s.", email=user.email))


@users_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Show every staff account, its role and whether it may sign in."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        state = "active" if user.active else "inactive"
        click.echo(f"{user.email}\t{user.role}\t{state}")
