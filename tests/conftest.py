"""Fixtures: an app on a freshly migrated database (SQLite file or PostgreSQL), clients, factories.

Set TEST_DATABASE_URL to a PostgreSQL URL to run the suite there; by default each test
gets its own copy of a migrated SQLite file.
"""

from __future__ import annotations

import os
import shutil
import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from itertools import count

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from broadsheet.clock import utcnow
from broadsheet.locales import compile_catalogs
from broadsheet.stories import prepare, tags_named
from extensions import db
from models import Article, Category

# Fixtures for apps of a test's own and outside services (Redis, Chromium).
pytest_plugins = ["tests.support.apps"]

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


def pytest_sessionstart(session) -> None:
    # `make test` builds the .mo files; a bare `pytest` on a fresh clone needs them too.
    compile_catalogs()


HX = {"HX-Request": "true"}


def base_config(database_url: str, tmp_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-long-enough-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        # The test client's host: absolute links in pages and emails point to it.
        "SITE_URL": "http://localhost",
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "RATELIMIT_ENABLED": False,
        # Tests post at machine speed; the minimum-time guard has its own test.
        "COMMENT_MIN_SECONDS": 0,
        # Tests change settings between requests; tests/test_page_cache.py turns it on.
        "PAGE_CACHE_BYTES": 0,
        # Never the real instance/outbox; tests that send mail use a local SMTP server.
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
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
def move_clock(time_machine):
    """Stop the clock at a naive-UTC moment, for the app and the test alike."""

    def to(moment: datetime) -> None:
        time_machine.move_to(moment.replace(tzinfo=UTC), tick=False)

    return to


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


# --- The newsroom: staff accounts and signed-in clients ------------------------------------

STAFF_PASSWORD = "correct horse battery"
_staff_hash: list[str] = []


@pytest.fixture
def make_user(app):
    """A staff account; the scrypt hash is made once per run, since each one takes a while."""
    from models import User

    def make(role: str = "editor", email: str | None = None, **fields) -> User:
        if not _staff_hash:
            from broadsheet.accounts import hash_password

            _staff_hash.append(hash_password(STAFF_PASSWORD))
        user = User(
            email=email or f"{role}{next(_serial)}@example.org",
            name=fields.pop("name", f"{role.title()} Person"),
            role=role,
            password_hash=_staff_hash[0],
            **fields,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


def sign_in_client(client, user) -> None:
    """Give `client` a session for the user, as signing in would (a staff_sessions row)."""
    from broadsheet.accounts import start_session
    from broadsheet.web.auth import STAFF_SESSION_ENTRY

    token = start_session(user)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session[STAFF_SESSION_ENTRY] = token


@pytest.fixture
def login(client, make_user):
    """Sign `client` in as a new user of a role (or as a given user)."""

    def sign_in(role: str = "editor", user=None, **fields):
        user = user or make_user(role, **fields)
        sign_in_client(client, user)
        return user

    return sign_in


class Inbox:
    """What the test SMTP server received: parsed messages with their envelope recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message for _rcpt, message in self.received]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.received if address in rcpt]

    def clear(self) -> None:
        self.received.clear()


def free_port() -> int:
    """A port nothing listens on (connections to it are refused until someone binds it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port; `.inbox` holds what came."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.inbox = inbox
    yield controller
    controller.stop()
