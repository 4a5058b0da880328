"""Flask CLI commands: `flask demo`, `flask mail send-queue`, `flask privacy purge`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from extensions import db
from models import Article


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the site already has stories.")
def demo_command(if_empty: bool) -> None:
    """Load the demo categories, stories and generated images."""
    from broadsheet import demo

    if if_empty and db.session.scalar(select(func.count()).select_from(Article)):
        click.echo("The site already has stories; demo content not loaded.")
        return
    created = demo.load()
    click.echo(f"Loaded {created} demo stories.")


@click.command("search-language")
def search_language_command() -> None:
    """Make search stem words in the site language (PostgreSQL; run after changing it)."""
    from broadsheet import search
    from broadsheet.locales import current_locale

    language = current_locale()
    dictionary = search.use_search_language(language)
    db.session.commit()
    if dictionary is None:
        click.echo("SQLite search folds accents in every language; nothing to change.")
    else:
        click.echo(f"Search now reads {language} with PostgreSQL's {dictionary} dictionary.")


mail_cli = AppGroup("mail", help="Send queued email.")


@mail_cli.command("send-queue")
def send_queue_command() -> None:
    """Send the mail that is due (and the moderation digest, and purge expired data).

    Run it from cron every minute or so when the site is not started with `make run`."""
    from broadsheet import mail

    report = mail.run_periodic_jobs()
    click.echo(f"Sent {report.sent}, retrying later {report.retrying}, failed {report.failed}.")


@mail_cli.command("retry-failed")
def retry_failed_command() -> None:
    """Queue every message that gave up again (after fixing the SMTP settings)."""
    from broadsheet import mail

    click.echo(f"Queued {mail.retry_failed()} failed messages again.")


privacy_cli = AppGroup("privacy", help="Commenters' personal data.")


@privacy_cli.command("purge")
def purge_command() -> None:
    """Blank IP hashes and browser names older than IP_RETENTION_DAYS."""
    from broadsheet import privacy

    purged = privacy.purge()
    db.session.commit()
    click.echo(f"Purged the network details of {purged} comments.")


def init_app(app: Flask) -> None:
    from broadsheet.accounts import users_cli

    app.cli.add_command(demo_command)
    app.cli.add_command(search_language_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(privacy_cli)
