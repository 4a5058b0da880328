"""SQLite's connection settings (WAL, a busy timeout, foreign keys on every connection), and
the row count of a bulk UPDATE or DELETE."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import CursorResult, Executable, event

from extensions import db


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

    return on_connect


def rows_changed(statement: Executable) -> int:
    """Run a bulk UPDATE or DELETE in the session and say how many rows it changed."""
    result = db.session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount
