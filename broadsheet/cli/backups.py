"""`flask backup` and `flask restore`: consistent SQLite copies in instance/backups/.

A backup uses SQLite's online backup API, so it is a consistent snapshot taken while the
site keeps serving (WAL readers and writers go on). PostgreSQL sites use pg_dump instead;
both commands say how.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from broadsheet.locales import parse
from extensions import db

PREFIX = "broadsheet-"
SUFFIX = ".db"


def postgresql_recipe() -> str:
    return _(
        "This site uses PostgreSQL: back it up with pg_dump, for example\n"
        "  pg_dump --format=custom --file=broadsheet-$(date -u +%Y%m%d-%H%M%S).dump "
        "DATABASE_URL\n"
        "and restore into an empty database with\n"
        "  pg_restore --clean --if-exists --no-owner --dbname=DATABASE_URL FILE.dump\n"
        "(docs/deploy.md has the details)."
    )


def sqlite_path() -> Path:
    """The site's SQLite file; a ClickException with the pg_dump recipe on PostgreSQL."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException(postgresql_recipe())
    path = Path(url.database)
    if not path.is_file():
        # sqlite3 would quietly create an empty file there, and so would looking up the
        # saved site language: with no database there is none, so configuration decides.
        with force_locale(parse(current_app.config["SITE_LANGUAGE"])):
            message = _("There is no database at %(path)s yet: run `flask db upgrade`.", path=path)
        raise click.ClickException(message)
    return path


def backup_name(now: datetime | None = None) -> str:
    """A file name that sorts in time order (microseconds, so two quick runs never clash)."""
    now = now or datetime.now(UTC)
    return f"{PREFIX}{now:%Y%m%d-%H%M%S-%f}{SUFFIX}"


def copy_database(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the backup API, in a single step."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        # One step (pages=-1) holds a read lock only for the copy: writers in WAL mode go
        # on, and nothing can change under the copy and restart it.
        src.backup(dst, pages=-1)
    finally:
        dst.close()
        src.close()


def check_database(path: Path) -> None:
    """Refuse a file that is not an intact Broadsheet database."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            versioned = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise click.ClickException(
            _("%(file)s is not a usable database: %(error)s", file=path, error=error)
        ) from error
    if not ok or not versioned:
        raise click.ClickException(_("%(file)s is not an intact Broadsheet database.", file=path))


def take_backup(folder: Path) -> Path:
    """Write a checked backup of the site's database into folder and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup_name()
    partial = target.with_suffix(".partial")
    copy_database(sqlite_path(), partial)
    # A backup is one self-contained file, not a WAL database with side files.
    conn = sqlite3.connect(partial)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    check_database(partial)
    # Renamed only when complete, so rotation never counts a half-written copy.
    partial.rename(target)
    return target


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; return what was deleted."""
    backups = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))
    doomed = backups[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


@click.command("backup")
@with_appcontext
@click.option("--keep", type=int, help="How many backups to keep (default: BACKUP_KEEP, 14).")
def backup_command(keep: int | None) -> None:
    """Back up the SQLite database into instance/backups/, keeping the newest few."""
    folder = Path(current_app.config["BACKUP_FOLDER"])
    keep = current_app.config["BACKUP_KEEP"] if keep is None else keep
    if keep < 1:
        raise click.BadParameter(_("Keep at least one backup."), param_hint="--keep")
    path = take_backup(folder)
    click.echo(_("Backed up to %(path)s (%(size)d bytes).", path=path, size=path.stat().st_size))
    for old in rotate(folder, keep):
        click.echo(_("Removed old backup %(path)s.", path=old))


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the site's SQLite database with a backup FILE, saving the current one first."""
    live = sqlite_path()
    check_database(file)
    if not yes:
        click.confirm(
            _(
                "Replace every story and comment in %(live)s with the contents of %(file)s?",
                live=live,
                file=file,
            ),
            abort=True,
        )
    safety = take_backup(Path(current_app.config["BACKUP_FOLDER"]))
    click.echo(_("The current database was saved first as %(path)s.", path=safety))
    db.engine.dispose()
    # Through the backup API into the live file: running workers see the restored data on
    # their next query, and SQLite's locking keeps them from reading a half-copied file.
    copy_database(file, live)
    click.echo(
        _(
            "Restored %(file)s. Run `flask db upgrade` if the backup is older than the code.",
            file=file,
        )
    )
