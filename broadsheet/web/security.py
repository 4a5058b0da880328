"""Hardening on every response: security headers, and X-Forwarded-* only from trusted proxies."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

PROXY_FIX_HEADERS = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")


def init_app(app: Flask) -> None:
    _trust_proxies(app)
    app.after_request(_security_headers)


def _trust_proxies(app: Flask) -> None:
    # X-Forwarded-* are only believed from as many proxies as configured: without a proxy in
    # front, anyone could claim any address or scheme.
    counts = {name: int(app.config[f"PROXY_FIX_{name.upper()}"]) for name in PROXY_FIX_HEADERS}
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)  # type: ignore[method-assign]


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
