"""Hardening: security headers, HTTPS cookies, trusted proxies and production-mode checks.

Production mode is on when the config says ENV = "production" (set BROADSHEET_ENV=production
in the environment, as deploy/broadsheet.service does, or ENV in instance/config.py). It
refuses to start without a configured SECRET_KEY or with debug on. Outside production the
app makes itself a key in instance/secret_key, which suits a developer's clone.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
PROXY_FIX_HEADERS = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")


def init_app(app: Flask) -> None:
    """Check production settings, trust only configured proxies and add the headers."""
    app.config.setdefault("CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)
    app.config.setdefault("REFERRER_POLICY", "strict-origin-when-cross-origin")
    app.config.setdefault("HSTS", "max-age=31536000")
    app.config.setdefault("HTTPS", False)
    for name in PROXY_FIX_HEADERS:
        app.config.setdefault(f"PROXY_FIX_{name.upper()}", 0)

    _check_production(app)
    if app.config["HTTPS"] or app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config["PREFERRED_URL_SCHEME"] = "https"
        app.config["SESSION_COOKIE_SECURE"] = True
    _trust_proxies(app)
    app.after_request(_security_headers)


def is_production(app: Flask) -> bool:
    return app.config.get("ENV") == "production"


def _check_production(app: Flask) -> None:
    if not is_production(app):
        return
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is required in production (BROADSHEET_ENV=production): set it in the "
            "environment or in instance/config.py. Make one with: "
            "python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if app.debug:
        raise RuntimeError("Debug mode must be off in production (unset FLASK_DEBUG).")


def _trust_proxies(app: Flask) -> None:
    # X-Forwarded-* are only believed from as many proxies as configured: without a proxy in
    # front, anyone could claim any address or scheme.
    counts = {name: int(app.config[f"PROXY_FIX_{name.upper()}"]) for name in PROXY_FIX_HEADERS}
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)


def _security_headers(response: Response) -> Response:
    config = current_app.config
    headers = response.headers
    headers.setdefault("Content-Security-Policy", config["CONTENT_SECURITY_POLICY"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", config["REFERRER_POLICY"])
    headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure and config["HSTS"]:
        headers.setdefault("Strict-Transport-Security", config["HSTS"])
    return response
