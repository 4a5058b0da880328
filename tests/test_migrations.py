"""The migrations build exactly the schema models.py describes, on the suite's database
(SQLite, or PostgreSQL under `make test`'s second run), and can be undone and redone."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from extensions import db

from .conftest import POSTGRES_URL, base_config


def _search_index(obj, name, type_, _reflected, _compare_to) -> bool:
    """Leave out the hand-written search index, as migrations/env.py does."""
    if type_ == "table" and name.startswith("article_search"):
        return False
    if type_ == "index" and name == "ix_articles_search_vector":
        return False
    return not (type_ == "column" and name == "search_vector")


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the suite's kind, never migrated."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    name = f"{url.database}_migrations"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def fresh_app(fresh_database, tmp_path, make_app):
    app = make_app(base_config(fresh_database, tmp_path))
    with app.app_context():
        yield app


def schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": _search_index, "compare_type": True}
        )
        return compare_metadata(context, db.metadata)


def test_migrations_build_the_schema_the_models_describe(fresh_app):
    upgrade()
    assert schema_differences() == []


def test_migrations_can_be_undone_and_redone(fresh_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert "comments" in inspect(db.engine).get_table_names()
    assert schema_differences() == []
