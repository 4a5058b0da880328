"""`flask demo` and `flask search-language`: the site's content and search set-up."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from broadsheet import demo, search
from broadsheet.locales import current_locale
from extensions import db
from models import Article


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the site already has stories.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Load the demo categories, stories and generated images."""
    if if_empty and db.session.scalar(select(func.count()).select_from(Article)):
        click.echo(_("The site already has stories; demo content not loaded."))
        return
    created = demo.load()
    click.echo(_("Loaded %(num)d demo stories.", num=created))


@click.command("search-language")
@with_appcontext
def search_language_command() -> None:
    """Make search stem words in the site language and index every story again (run after
    changing SITE_LANGUAGE in the configuration; the Settings page does it by itself)."""
    language = current_locale()
    stemmer = search.use_search_language(language)
    db.session.commit()
    click.echo(
        _(
            "Search now reads %(language)s with the %(stemmer)s stemmer.",
            language=language,
            stemmer=stemmer,
        )
    )
