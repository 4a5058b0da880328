"""SQLite's connection settings (WAL, a busy timeout, foreign keys on every connection, and
the stemming function the search index's triggers call), whether the database holds the
schema this code expects, and the row count of a bulk write."""

from __future__ import annotations

from functools import cache

from flask import Flask, current_app
from sqlalchemy import CursorResult, Executable, event, text
from sqlalchemy.exc import SQLAlchemyError

from broadsheet import stemming
from extensions import db

NOT_MIGRATED = "The database is not migrated: run `flask db upgrade`."


def init_app(app: Flask) -> None:
    """Call after db.init_app; nothing to do on PostgreSQL."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        event.listen(db.engine, "connect", _sqlite_pragmas(app.config["SQLITE_BUSY_TIMEOUT_MS"]))


def _sqlite_pragmas(busy_timeout_ms: int):
    """WAL so readers never wait for a writer; a busy timeout instead of 'database is locked'."""

    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        stemming.register(dbapi_connection)

    return on_connect


def rows_changed(statement: Executable) -> int:
    """Run a bulk UPDATE or DELETE in the session and say how many rows it changed."""
    result = db.session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount


def schema_current() -> bool:
    """Whether `flask db upgrade` has brought the database to this code's newest migration."""
    try:
        version = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return version == _newest_migration(current_app.extensions["migrate"].directory)


@cache
def _newest_migration(directory: str) -> str | None:
    # Alembic (with Mako and Pygments, ~10 MiB) is loaded only when an error page asks
    # this, not in every web worker: see extensions.Migrations.
    from alembic.script import ScriptDirectory

    return ScriptDirectory(directory).get_current_head()
