"""Application factory: configuration, extensions, blueprints and CLI commands."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, render_template, request
from sqlalchemy import event
from werkzeug.exceptions import HTTPException

import request_log
import security
import static_urls
from extensions import babel, csrf, db, limiter, migrate

DEFAULTS: dict[str, Any] = {
    "SITE_NAME": "Port Alder Ledger",
    "SITE_TAGLINE": "Independent news for Port Alder and the Alder valley",
    "SITE_LANGUAGE": "en",
    "SOCIAL_LINKS": {
        "Mastodon": "https://social.example.org/@portalder",
        "Bluesky": "https://bsky.example.org/profile/portalder",
    },
    "PAGE_SIZE": 20,
    "SEARCH_PAGE_SIZE": 10,
    "SEARCH_MAX_QUERY_LENGTH": 200,
    "RELATED_COUNT": 4,
    "IMAGE_WIDTHS": (480, 800, 1200),
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    "MAX_CONTENT_LENGTH": 1 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "COMMENTS_PER_PAGE": 50,
    "COMMENT_RATE_LIMIT": "5/minute;30/hour",
    "COMMENT_MODERATION": "first-time",  # none | first-time | all
    "COMMENT_MAX_LINKS": 2,
    "COMMENT_MIN_SECONDS": 3,
    "COMMENT_EDIT_SECONDS": 15 * 60,
    "COMMENTS_CLOSE_AFTER_DAYS": 60,  # 0 keeps comments open for good
    "COMMENT_POLL_SECONDS": 30,
}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py, then the environment."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "broadsheet.db"
    )
    app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        _load_environment(app)
    else:
        app.config.from_mapping(test_config)

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    # Before the development fallback below: production must bring its own SECRET_KEY.
    security.init_app(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(app.instance_path)
    if app.config.get("REDIS_URL"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgres://", "postgresql+psycopg://", 1
        )
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(
                db.engine, "connect", _sqlite_pragmas(app.config["SQLITE_BUSY_TIMEOUT_MS"])
            )
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "migrations"))
    # Before CSRF, which is the first to read a form.
    app.before_request(_refuse_oversize_streams)
    csrf.init_app(app)
    babel.init_app(app)
    limiter.init_app(app)
    request_log.init_app(app)
    static_urls.init_app(app)

    from flask_wtf.csrf import CSRFError

    from blueprints import articles, categories, comments, health, media, search

    app.register_blueprint(health.bp)
    app.register_blueprint(comments.bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(articles.bp)
    app.register_blueprint(categories.bp)

    import templating

    templating.init_app(app)
    _register_error_pages(app)
    app.register_error_handler(CSRFError, comments.views.csrf_failed)

    import backups
    import commands
    import datacopy

    commands.init_app(app)
    backups.init_app(app)
    datacopy.init_app(app)
    return app


def _load_environment(app: Flask) -> None:
    if url := os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if key := os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = key
    if url := os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = url
    app.config.from_prefixed_env("BROADSHEET")


def _instance_secret_key(instance_path: str) -> str:
    """Read the site's secret key from instance/, creating it on first start."""
    path = Path(instance_path, "secret_key")
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


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


def _refuse_oversize_streams() -> None:
    """413 for a body sent without a length (chunked) that runs past MAX_CONTENT_LENGTH.

    Werkzeug reads such a stream up to the limit and quietly stops there, so the request
    would go on with its body cut short.
    """
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if chunked and limit is not None and len(request.get_data(cache=True)) >= limit:
        abort(413)


def _register_error_pages(app: Flask) -> None:
    def handler(error: HTTPException):
        if error.code and error.code >= 500:
            db.session.rollback()
        return render_template("errors/error.html", error=error), error.code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, handler)
