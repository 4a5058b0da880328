"""Extension objects, created unbound here and bound to the app in create_app()."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Migrations:
    """Flask-Migrate, imported on first use rather than in every web worker.

    Importing it loads Alembic, Mako and Pygments: about 10 MiB of each gunicorn worker
    that only `flask db ...` and the test fixtures (flask_migrate.upgrade) ever use.
    """

    def init_app(self, app: Flask, db: SQLAlchemy, directory: str) -> None:
        app.extensions["migrate"] = _LazyMigrateConfig(app, db, directory)
        app.cli.add_command(_LazyDbGroup("db", help="Perform database migrations."))


class _LazyMigrateConfig:
    """Stands in app.extensions["migrate"]; becomes Flask-Migrate's own config when read."""

    def __init__(self, app: Flask, db: SQLAlchemy, directory: str) -> None:
        self._args = (app, db, directory)
        self._real = None

    def __getattr__(self, name: str):
        if self._real is None:
            from flask_migrate import Migrate

            app, db, directory = self._args
            migrate = Migrate(db=db, directory=directory)
            # Migrate.init_app stores its config in app.extensions["migrate"]; keep it here.
            migrate.init_app(app, db, directory=directory)
            self._real = app.extensions["migrate"]
            app.extensions["migrate"] = self._real
        return getattr(self._real, name)


class _LazyDbGroup(click.Group):
    """`flask db`: Flask-Migrate's command group, imported when the command runs."""

    @staticmethod
    def _real() -> click.Group:
        from flask_migrate.cli import db as db_group

        return db_group

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        # The context (and so its options and callback) is the real group's from here on.
        return self._real().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._real().get_command(ctx, name)


db = SQLAlchemy(model_class=Base)

# The models' base class. Flask-SQLAlchemy builds db.Model at run time, out of a type checker's
# sight; to mypy it is the declarative base it is made from.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrations()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
