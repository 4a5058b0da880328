"""The import and export commands, registered by init_app():

    flask import FILE...                          our own JSON and Markdown stories
    flask import wordpress|disqus|isso|broadsheet FILE
    flask export ARCHIVE.zip

Every message they print is in the site's language.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import gettext as _

from .broadsheet import export_archive, import_archive
from .common import Run
from .disqus import import_disqus
from .files import import_files
from .isso import import_isso
from .wordpress import import_wordpress

_FILE = click.Path(exists=True, dir_okay=False)


class FallbackGroup(click.Group):
    """A group whose unknown first argument is handed to a default subcommand."""

    default_command = "files"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group("import", cls=FallbackGroup)
def import_cli() -> None:
    """Bring content in: `flask import FILE...` reads JSON or Markdown stories; the
    subcommands read other systems' exports."""


@import_cli.command("files")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--create-categories", is_flag=True, help="Create categories the files name but the site lacks."
)
@with_appcontext
def files_command(files: tuple[Path, ...], create_categories: bool) -> None:
    """Import stories from JSON files or Markdown files with front matter."""
    run = import_files(list(files), create_categories=create_categories)
    run.summary.echo()
    if run.summary.reasons:
        # Some stories the files meant could not go in: scripts see it in the exit status.
        raise SystemExit(1)


@import_cli.command("wordpress")
@click.argument("export_file", type=_FILE)
@click.option(
    "--uploads",
    type=click.Path(exists=True, file_okay=False),
    help="The old site's wp-content/uploads folder, for the pictures.",
)
@click.option(
    "--overwrite-edited",
    is_flag=True,
    help="Take the WordPress copy even of stories edited in the newsroom since the last import.",
)
@click.option(
    "--hold-missing",
    is_flag=True,
    help="Hold for review the approved comments the file no longer has (marked spam there).",
)
@with_appcontext
def wordpress_command(
    export_file: str, uploads: str | None, overwrite_edited: bool, hold_missing: bool
) -> None:
    """Import a WordPress export (WXR): categories, posts, pages, old links, pictures and
    comments. Run again, it brings over what changed there."""
    _finish(
        import_wordpress(
            export_file, uploads, overwrite_edited=overwrite_edited, hold_missing=hold_missing
        )
    )


@import_cli.command("disqus")
@click.argument("export_file", type=_FILE)
@with_appcontext
def disqus_command(export_file: str) -> None:
    """Import comments from a Disqus XML export, matched to stories by URL."""
    _finish(import_disqus(export_file))


@import_cli.command("isso")
@click.argument("database", type=_FILE)
@with_appcontext
def isso_command(database: str) -> None:
    """Import comments from an Isso SQLite database, matched to stories by URL."""
    _finish(import_isso(database))


@import_cli.command("broadsheet")
@click.argument("archive", type=_FILE)
@with_appcontext
def broadsheet_command(archive: str) -> None:
    """Import a Broadsheet export made by `flask export` (data and images)."""
    _finish(import_archive(archive))


@click.command("export")
@click.argument("archive", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_command(archive: str) -> None:
    """Export every table and every uploaded image to a zip (data.json + uploads/)."""
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


def _finish(run: Run) -> None:
    run.summary.echo()


def init_app(app: Flask) -> None:
    """`flask import` (files by default, other systems as subcommands) and `flask export`."""
    app.cli.add_command(import_cli)
    app.cli.add_command(export_command)
