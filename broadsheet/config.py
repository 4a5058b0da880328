"""Configuration: the defaults, overridden by instance/config.py and the environment.

Read once, by create_app: `load()` fills app.config, and the rest of the code reads
current_app.config. Production mode (ENV = "production", set by BROADSHEET_ENV=production as
deploy/broadsheet.service does) refuses to start without a configured SECRET_KEY or with
debug on; outside production the app makes itself a key in instance/secret_key, which suits
a developer's clone.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import click
from flask import Flask

from broadsheet.site_address import trusted_hosts

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
    # "Share on Mastodon" opens this address with the headline and link appended: a page
    # that asks readers for their own server (or your server's /share?text=).
    "MASTODON_SHARE_URL": "https://mastodonshare.com/?text=",
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
    # Rate limits (throttle.py), counted in the database, or in Redis when REDIS_URL is set.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_KEY_PREFIX": "broadsheet",  # Redis keys start with it
    "COMMENTS_PER_PAGE": 50,
    "COMMENT_RATE_LIMIT": "5/minute;30/hour",  # per reader: one address and email
    # Per address (an IPv6 /64), however many readers share it (an office, a carrier).
    "COMMENT_ADDRESS_RATE_LIMIT": "15/minute;120/hour",
    "COMMENT_MODERATION": "first-time",  # none | first-time | all
    "COMMENT_MAX_LINKS": 2,
    "COMMENT_MIN_SECONDS": 3,
    "COMMENT_EDIT_SECONDS": 15 * 60,
    "COMMENTS_CLOSE_AFTER_DAYS": 60,  # 0 keeps comments open for good
    "COMMENT_POLL_SECONDS": 30,
    # Distinct readers whose reports hide a comment until a moderator reviews it.
    "COMMENT_REPORTS_TO_HIDE": 3,
    # Reports each reader (an address) may send.
    "COMMENT_REPORT_RATE_LIMIT": "10/minute;60/hour",
    # The newsroom.
    "LOGIN_RATE_LIMIT": "10/minute;50/hour",  # sign-in attempts per address
    # Per account: wrong passwords in a row before each try must wait, and the wait
    # (doubling after each further wrong one, up to the maximum). Browsers that signed in
    # to the account before are not made to wait (accounts.sign_in).
    "LOGIN_FREE_ATTEMPTS": 5,
    "LOGIN_BACKOFF_SECONDS": 30,
    "LOGIN_BACKOFF_MAX_SECONDS": 15 * 60,
    # Staff sessions end after this long unused, and this long after signing in.
    "STAFF_SESSION_IDLE_SECONDS": 8 * 3600,
    "STAFF_SESSION_MAX_SECONDS": 7 * 24 * 3600,
    # How long an invitation, and a "forgot password" link, can be used (once).
    "INVITE_LINK_MAX_AGE": 7 * 24 * 3600,
    "PASSWORD_RESET_MAX_AGE": 3600,
    # Editors and admins must sign in with a two-factor code (the Settings page can change it).
    "REQUIRE_TWO_FACTOR": False,
    "NEWSROOM_PAGE_SIZE": 25,
    "TRASH_DAYS": 30,  # stories in the newsroom's trash are deleted for good after this
    "IMAGE_MAX_BYTES": 10 * 1024 * 1024,
    "IMAGE_MAX_PIXELS": 40_000_000,
    "SESSION_COOKIE_SECURE": False,  # also Secure whenever the request came over HTTPS
    "SITE_LOGO": "img/logo.png",  # under static/; the publisher logo search engines show
    "TAG_URI_AUTHORITY": "",  # the site's domain, so feed ids survive a move; "" = SITE_URL's
    "FEED_LENGTH": 30,
    "FEED_FULL_CONTENT": True,
    "COMMENTS_FEED_LENGTH": 50,
    "SITEMAP_MAX_URLS": 50000,
    "NEWS_SITEMAP_HOURS": 48,
    "NEWS_SITEMAP_MAX_URLS": 1000,
    "PUBLIC_CACHE_SECONDS": 0,  # how long browsers may keep anonymous pages; 0 = ask each time
    # How long nginx or a CDN may keep an anonymous page (s-maxage), and serve it stale while
    # fetching a new copy (stale-while-revalidate).
    "SHARED_CACHE_SECONDS": 5,
    "SHARED_CACHE_STALE_SECONDS": 30,
    # Whole anonymous pages kept in each worker's memory (in Redis when REDIS_URL is set,
    # with no size cap but a ten-minute life); 0 turns the page cache off.
    "PAGE_CACHE_BYTES": 8 * 1024 * 1024,
    # Email (mail.py). No MAIL_SERVER: messages are written to MAIL_OUTBOX as .eml files.
    # The site's address: every absolute link (canonical, feeds, sitemaps, emails) is built
    # from it, never from a request, and requests naming another host are refused (400).
    "SITE_URL": "http://127.0.0.1:5000",
    "ALLOWED_HOSTS": [],  # other host names to answer, e.g. ["www.example.org"]
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,  # STARTTLS after connecting
    "MAIL_USE_SSL": False,  # TLS from the first byte (usually port 465)
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_FROM": "Port Alder Ledger <newsroom@localhost>",
    "MAIL_TIMEOUT": 10,
    "MAIL_BACKGROUND_SENDER": False,  # `make run` turns it on; gunicorn.conf.py sends anyway
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
    # In `each` mode, the most emails one moderator gets an hour; past it, a digest.
    "MODERATION_EMAIL_CAP_PER_HOUR": 10,
    "MODERATION_LINK_MAX_AGE": 7 * 24 * 3600,
    "IP_RETENTION_DAYS": 30,
    "PRIVACY_REQUEST_RATE_LIMIT": "5/hour",
    # Hardening (broadsheet/web/security.py).
    "CONTENT_SECURITY_POLICY": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    ),
    "REFERRER_POLICY": "strict-origin-when-cross-origin",
    "HSTS": "max-age=31536000",
    "HTTPS": False,  # the site is served over HTTPS: Secure cookies, https:// links
    # How many proxies in front may set each X-Forwarded-* header (0: none is believed).
    "PROXY_FIX_X_FOR": 0,
    "PROXY_FIX_X_PROTO": 0,
    "PROXY_FIX_X_HOST": 0,
    "PROXY_FIX_X_PORT": 0,
    "PROXY_FIX_X_PREFIX": 0,
    "LOG_LEVEL": "INFO",
}


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Defaults, then instance/config.py and the environment (or a test's own config)."""
    config = app.config
    config.from_mapping(DEFAULTS)
    config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "broadsheet.db"
    )
    config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    config["MAIL_OUTBOX"] = os.path.join(app.instance_path, "outbox")  # .eml, no MAIL_SERVER
    config["BACKUP_FOLDER"] = os.path.join(app.instance_path, "backups")
    config["BACKUP_KEEP"] = 14
    if test_config is None:
        config.from_pyfile("config.py", silent=True)
        _load_environment(app)
    else:
        config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    # Before the development fallback below: production must bring its own SECRET_KEY.
    _check_production(app)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret_key(app.instance_path)
    if config["HTTPS"] or config.get("PREFERRED_URL_SCHEME") == "https":
        config["PREFERRED_URL_SCHEME"] = "https"
        config["SESSION_COOKIE_SECURE"] = True
    config["SQLALCHEMY_DATABASE_URI"] = _with_driver(config["SQLALCHEMY_DATABASE_URI"])
    if config.get("TRUSTED_HOSTS") is None:
        config["TRUSTED_HOSTS"] = trusted_hosts(config, is_production(app))


def is_production(app: Flask) -> bool:
    return app.config.get("ENV") == "production"


def _load_environment(app: Flask) -> None:
    if url := os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if key := os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = key
    if url := os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = url
    app.config.from_prefixed_env("BROADSHEET")


MODES = ("production", "development")
SECRET_KEY_MIN_LENGTH = 32


class ConfigurationError(click.ClickException, RuntimeError):
    """Settings the site must not run with. `flask ...` says it in one line (no traceback)
    and exits 1; gunicorn's worker refuses to boot."""


def _check_production(app: Flask) -> None:
    mode = app.config.get("ENV")
    if mode and mode not in MODES:
        # A typo must not quietly run a public site with development's fallbacks.
        raise ConfigurationError(
            f"BROADSHEET_ENV is {mode!r}; it must be production or development."
        )
    if not is_production(app):
        return
    if not app.config.get("SECRET_KEY"):
        raise ConfigurationError(
            "SECRET_KEY is required in production (BROADSHEET_ENV=production): set it in the "
            "environment or in instance/config.py. Make one with: "
            "python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if len(app.config["SECRET_KEY"]) < SECRET_KEY_MIN_LENGTH:
        raise ConfigurationError(
            f"SECRET_KEY is too short for production: use at least {SECRET_KEY_MIN_LENGTH} "
            "random characters. Make one with: "
            "python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if app.debug:
        raise ConfigurationError("Debug mode must be off in production (unset FLASK_DEBUG).")


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


def _with_driver(url: str) -> str:
    """PostgreSQL URLs as people write them (postgres://, postgresql://) use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
