"""Flask CLI commands: `flask demo` and friends."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from extensions import db
from models import Article


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the site already has stories.")
def demo_command(if_empty: bool) -> None:
    """Load the demo categories, stories and generated images."""
    import demo

    if if_empty and db.session.scalar(select(func.count()).select_from(Article)):
        click.echo("The site already has stories; demo content not loaded.")
        return
    created = demo.load()
    click.echo(f"Loaded {created} demo stories.")


def init_app(app: Flask) -> None:
    from accounts import users_cli
    from importing import import_cli

    app.cli.add_command(demo_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(import_cli)
