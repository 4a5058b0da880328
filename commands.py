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


@click.command("search-language")
def search_language_command() -> None:
    """Make search stem words in the site language (PostgreSQL; run after changing it)."""
    import fulltext
    from locales import current_locale

    language = current_locale()
    dictionary = fulltext.use_search_language(language)
    db.session.commit()
    if dictionary is None:
        click.echo("SQLite search folds accents in every language; nothing to change.")
    else:
        click.echo(f"Search now reads {language} with PostgreSQL's {dictionary} dictionary.")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
    app.cli.add_command(search_language_command)
