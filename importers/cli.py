"""The import and export commands, registered by init_app()."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import gettext as _

from importers.files import import_cli

_FILE = click.Path(exists=True, dir_okay=False)


def _finish(run) -> None:
    run.summary.echo()


@click.command("wordpress")
@click.argument("export_file", type=_FILE)
@click.option(
    "--uploads",
    type=click.Path(exists=True, file_okay=False),
    help="The old site's wp-content/uploads folder, for featured images.",
)
@with_appcontext
def wordpress_command(export_file: str, uploads: str | None) -> None:
    """Import a WordPress export (WXR): categories, posts, old links, images, comments."""
    from .wordpress import import_wordpress

    _finish(import_wordpress(export_file, uploads))


@click.command("disqus")
@click.argument("export_file", type=_FILE)
@with_appcontext
def disqus_command(export_file: str) -> None:
    """Import comments from a Disqus XML export, matched to stories by URL."""
    from .disqus import import_disqus

    _finish(import_disqus(export_file))


@click.command("isso")
@click.argument("database", type=_FILE)
@with_appcontext
def isso_command(database: str) -> None:
    """Import comments from an Isso SQLite database, matched to stories by URL."""
    from .isso import import_isso

    _finish(import_isso(database))


@click.command("broadsheet")
@click.argument("archive", type=_FILE)
@with_appcontext
def broadsheet_command(archive: str) -> None:
    """Import a Broadsheet export made by `flask export` (data and images)."""
    from .broadsheet import import_archive

    _finish(import_archive(archive))


@click.command("export")
@click.argument("archive", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_command(archive: str) -> None:
    """Export every table and every uploaded image to a zip (data.json + uploads/)."""
    from .broadsheet import export_archive

    counts = export_archive(archive)
    click.echo(
        _(
            "Exported %(rows)d rows from %(tables)d tables and %(files)d files to %(archive)s.",
            rows=counts.rows,
            tables=counts.tables,
            files=counts.files,
            archive=archive,
        )
    )


def init_app(app: Flask) -> None:
    """One `flask import` group: `flask import FILE...` for our own JSON and Markdown, and
    `flask import wordpress|disqus|isso|broadsheet FILE` beside it; and `flask export`."""
    for command in (wordpress_command, disqus_command, isso_command, broadsheet_command):
        import_cli.add_command(command)
    app.cli.add_command(import_cli)
    app.cli.add_command(export_command)
