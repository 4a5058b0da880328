"""`flask copy-data`: move a site's rows from one database to another (SQLite to PostgreSQL).

The target must be migrated (`flask db upgrade`) to the same revision and empty. Every
table is copied in dependency order with its ids, in one transaction, and PostgreSQL's id
sequences are moved past the copied ids so new rows do not collide.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import Connection, Engine, Table, create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from extensions import db

BATCH = 1000


def init_app(app: Flask) -> None:
    app.cli.add_command(copy_data_command)


def engine_for(url: str) -> Engine:
    """An engine for a URL as DATABASE_URL accepts it (postgres:// and postgresql:// too)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed)


def revision(conn: Connection) -> str | None:
    """The Alembic revision a database is migrated to, or None when it was never migrated."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def copy_table(source: Connection, target: Connection, table: Table) -> int:
    """Copy every row of a table, in primary-key order so parents come before replies."""
    query = select(table).order_by(*table.primary_key.columns)
    copied = 0
    result = source.execution_options(yield_per=BATCH).execute(query)
    for rows in result.partitions():
        target.execute(table.insert(), [row._asdict() for row in rows])
        copied += len(rows)
    return copied


def reset_sequences(target: Connection, tables: list[Table]) -> None:
    """Move each serial id sequence past the highest copied id (PostgreSQL only)."""
    if target.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.columns:
            continue
        highest = func.max(table.c.id)
        sequence = func.pg_get_serial_sequence(table.name, "id")
        # setval(seq, 1, false) on an empty table: the next id is 1 again.
        target.execute(
            select(func.setval(sequence, func.coalesce(highest, 1), highest.is_not(None)))
        )


def check_target(source: Connection, target: Connection, tables: list[Table]) -> None:
    wanted = revision(source)
    if wanted is None or revision(target) != wanted:
        raise click.ClickException(
            _(
                "Both databases must be migrated to the same revision first: "
                "run `flask db upgrade` against each."
            )
        )
    for table in tables:
        if target.execute(select(func.count()).select_from(table)).scalar():
            raise click.ClickException(
                _("The target database is not empty (table %(table)s has rows).", table=table.name)
            )


@click.command("copy-data")
@with_appcontext
@click.option("--from", "source_url", required=True, help="Database URL to copy from.")
@click.option("--to", "target_url", required=True, help="Migrated, empty database URL.")
def copy_data_command(source_url: str, target_url: str) -> None:
    """Copy every table from one Broadsheet database into another, keeping ids."""
    tables = list(db.metadata.sorted_tables)
    source_engine, target_engine = engine_for(source_url), engine_for(target_url)
    try:
        with source_engine.connect() as source, target_engine.begin() as target:
            check_target(source, target, tables)
            for table in tables:
                count = copy_table(source, target, table)
                click.echo(_("%(table)s: %(count)d rows", table=table.name, count=count))
            reset_sequences(target, tables)
    finally:
        source_engine.dispose()
        target_engine.dispose()
    click.echo(_("Copied. Point DATABASE_URL at the new database and restart the site."))
