"""Fixtures: an app on a freshly migrated database (SQLite file or PostgreSQL), clients, factories.

Set TEST_DATABASE_URL to a PostgreSQL URL to run the suite there; by default each test
gets its own copy of a migrated SQLite file.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from itertools import count

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from clock import utcnow
from extensions import db
from models import Article, Category
from stories import prepare, tags_named

# Fixtures for apps of a test's own and outside services (Redis, Chromium).
pytest_plugins = ["tests.apps"]

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
HX = {"HX-Request": "true"}


def base_config(database_url: str, tmp_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "RATELIMIT_ENABLED": False,
        # Tests post at machine speed; the minimum-time guard has its own test.
        "COMMENT_MIN_SECONDS": 0,
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> str:
    """A database migrated once per session: a template SQLite file, or the PostgreSQL one."""
    url = POSTGRES_URL or "sqlite:///" + str(tmp_path_factory.mktemp("template") / "template.db")
    app = create_app(base_config(url, tmp_path_factory.mktemp("uploads")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture
def app_config(migrated_database, tmp_path) -> dict:
    """Test config on a clean database; a test may change it before asking for `app`."""
    if POSTGRES_URL:
        return base_config(migrated_database, tmp_path)
    path = tmp_path / "broadsheet.db"
    shutil.copyfile(migrated_database.removeprefix("sqlite:///"), path)
    return base_config(f"sqlite:///{path}", tmp_path)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    with app.app_context():
        yield app
        reset_database()


def reset_database() -> None:
    """End the test's session; on PostgreSQL empty every table for the next test."""
    db.session.remove()
    if POSTGRES_URL:
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_serial = count(1)


@pytest.fixture
def make_category(app):
    def make(name: str = "Local", slug: str | None = None, **fields) -> Category:
        category = Category(name=name, slug=slug or name.lower(), **fields)
        db.session.add(category)
        db.session.commit()
        return category

    return make


@pytest.fixture
def make_article(app, make_category):
    """Create a published story; hours_ago orders them, negative means scheduled."""

    def make(
        headline: str | None = None,
        category: Category | None = None,
        *,
        hours_ago: float = 1,
        tags: tuple[str, ...] = (),
        **fields,
    ) -> Article:
        if category is None:
            category = db.session.scalar(db.select(Category).limit(1)) or make_category()
        fields.setdefault("status", "published")
        fields.setdefault("body", "A story body.")
        article = Article(
            headline=headline or f"Story number {next(_serial)}",
            category=category,
            published_at=utcnow() - timedelta(hours=hours_ago),
            **fields,
        )
        article.tags = tags_named(list(tags))
        db.session.add(prepare(article))
        db.session.commit()
        return article

    return make
