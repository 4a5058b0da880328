"""Application factory: configuration, extensions, blueprints and CLI commands."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, g, has_request_context, render_template, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import event
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from broadsheet.web import request_log, security, static_urls
from extensions import babel, csrf, db, limiter, login_manager, migrate
from models import MAX_ID

DEFAULTS: dict[str, Any] = {
    # These four are defaults: the newsroom's settings page can override them (locales.py).
    "SITE_NAME": "Port Alder Ledger",
    "SITE_TAGLINE": "Independent news for Port Alder and the Alder valley",
    # The language and time zone every page is written and dated in.
    "SITE_LANGUAGE": "en",
    "SITE_TIMEZONE": "UTC",
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
    # WTForms' own messages ("This field is required.") in the site language.
    "WTF_I18N_ENABLED": True,
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
    # The newsroom.
    "LOGIN_RATE_LIMIT": "10/minute;50/hour",
    "NEWSROOM_PAGE_SIZE": 25,
    "IMAGE_MAX_BYTES": 10 * 1024 * 1024,
    "IMAGE_MAX_PIXELS": 40_000_000,
    "SESSION_COOKIE_SECURE": False,  # also Secure whenever the request came over HTTPS
    "SITE_LOGO": "img/logo.png",  # under static/; the publisher logo search engines show
    "TAG_URI_AUTHORITY": "",  # the site's domain, so feed ids survive a move; "" = request host
    "FEED_LENGTH": 30,
    "FEED_FULL_CONTENT": True,
    "COMMENTS_FEED_LENGTH": 50,
    "SITEMAP_MAX_URLS": 50000,
    "NEWS_SITEMAP_HOURS": 48,
    "NEWS_SITEMAP_MAX_URLS": 1000,
    "PUBLIC_CACHE_SECONDS": 0,  # how long shared caches may keep anonymous pages; 0 = never
    # Email (mail.py). No MAIL_SERVER: messages are written to MAIL_OUTBOX as .eml files.
    "SITE_URL": "http://127.0.0.1:5000",  # links in emails; never taken from a request
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,  # STARTTLS after connecting
    "MAIL_USE_SSL": False,  # TLS from the first byte (usually port 465)
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_FROM": "Port Alder Ledger <newsroom@localhost>",
    "MAIL_TIMEOUT": 10,
    "MAIL_BACKGROUND_SENDER": False,  # `make run` turns it on; production runs the command
    "MAIL_SEND_INTERVAL": 30,
    "MAIL_BATCH_SIZE": 100,
    "MAIL_RETRY_SECONDS": 60,  # doubled after each failed try...
    "MAIL_RETRY_MAX_SECONDS": 6 * 3600,  # ...up to this
    "MAIL_MAX_ATTEMPTS": 12,  # then the message is kept as failed (`flask mail retry-failed`)
    "MAIL_RATE_CAP_PER_HOUR": 10,  # reader emails to one address
    "MAIL_CONFIRM_MAX_AGE": 3 * 24 * 3600,
    "MAIL_KEEP_SENT_DAYS": 30,
    "MODERATOR_EMAILS": [],
    "MODERATION_EMAIL_MODE": "each",  # each | digest
    "MODERATION_DIGEST_MINUTES": 60,
    "MODERATION_LINK_MAX_AGE": 7 * 24 * 3600,
    "IP_RETENTION_DAYS": 30,
    "PRIVACY_REQUEST_RATE_LIMIT": "5/hour",
}


class _IdConverter(IntegerConverter):
    """`<int:...>` in every route stops where the id columns do: a longer number is a 404,
    not an overflow that aborts a PostgreSQL query."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py, then the environment."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = _IdConverter
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "broadsheet.db"
    )
    app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    app.config["MAIL_OUTBOX"] = os.path.join(app.instance_path, "outbox")  # .eml, no MAIL_SERVER
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
    from broadsheet import locales

    locales.check_settings(app)
    babel.init_app(
        app,
        default_translation_directories=str(locales.TRANSLATIONS),
        locale_selector=locales.current_locale,
        timezone_selector=locales.current_timezone,
    )
    limiter.init_app(app)
    app.session_interface = _SessionInterface()
    _init_login(app)
    request_log.init_app(app)
    static_urls.init_app(app)

    from flask_wtf.csrf import CSRFError

    from blueprints import (
        articles,
        categories,
        comments,
        feeds,
        health,
        legacy,
        media,
        newsroom,
        search,
        site,
        sitemaps,
    )

    app.register_blueprint(health.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(sitemaps.bp)
    app.register_blueprint(site.bp)
    app.register_blueprint(newsroom.bp)
    app.register_blueprint(comments.bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(articles.bp)
    app.register_blueprint(categories.bp)
    app.register_blueprint(legacy.bp)

    from blueprints import mail_links, privacy

    app.register_blueprint(mail_links.bp)
    app.register_blueprint(privacy.bp)

    from broadsheet.web import templating

    templating.init_app(app)
    from broadsheet.web import httpcache, seo

    httpcache.init_app(app)
    seo.init_app(app)
    if app.config["MAIL_BACKGROUND_SENDER"] and not app.testing and _serving_process(app):
        from broadsheet import mail

        mail.start_background_sender(app)

    _register_error_pages(app)
    app.register_error_handler(CSRFError, comments.views.csrf_failed)

    from broadsheet.cli import backups, commands

    commands.init_app(app)
    backups.init_app(app)
    from importers import cli as importers_cli

    importers_cli.init_app(app)
    return app


class _SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the site is reached over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        configured = super().get_cookie_secure(app)
        return configured or (has_request_context() and request.is_secure)


def _init_login(app: Flask) -> None:
    from broadsheet import accounts

    # Flask-Login's template context and after-request hook read the session on every
    # response (the hook for remember-me cookies, which the newsroom does not use), which
    # would add `Vary: Cookie` and a changing validator to every reader's page. Without
    # them only pages that look for a signed-in user touch the session; the newsroom's
    # templates get `current_user` from its blueprint.
    login_manager.init_app(app, add_context_processor=False)
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)
    login_manager.user_loader(accounts.load_user)
    login_manager.login_view = "newsroom.login"
    login_manager.session_protection = "basic"

    @app.teardown_request
    def _forget_signed_in_user(_error: BaseException | None) -> None:
        # g outlives the request when a test (or CLI) holds the app context.
        g.pop("_login_user", None)


def _serving_process(app: Flask) -> bool:
    """Not the reloader's watcher process (it serves nothing), so one sender per server."""
    return not app.debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


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


def _refuse_what_no_page_takes() -> None:
    # No page of ours has a control character in its address, and PostgreSQL refuses NUL in
    # a query, so such a path is a plain 404 before any view looks it up.
    if not request.path.isprintable():
        abort(404)
    # Every form here posts form data; Flask-WTF would read a JSON body as the form instead.
    if request.method == "POST" and request.is_json:
        abort(400)


def _register_error_pages(app: Flask) -> None:
    app.before_request(_refuse_what_no_page_takes)

    def handler(error: HTTPException):
        if error.code and error.code >= 500:
            db.session.rollback()
        return render_template("errors/error.html", error=error), error.code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, handler)
