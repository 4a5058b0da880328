"""One log line per request, a request id that follows it, and tracebacks kept in the log.

The id comes from the X-Request-ID header when a proxy sent a sane one (nginx can set it
to $request_id), otherwise it is made here; either way it is echoed in the response, and
added to the application's own error records so a reader's report can be matched to them.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
# Anything else (spaces, newlines, very long values) could forge or split log lines.
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
logger = logging.getLogger("broadsheet.request")


def init_app(app: Flask) -> None:
    _configure_logging(app)
    # First of all before-request hooks, so a request that CSRF or a rate limit stops
    # early is still timed and named.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)


def request_id() -> str:
    """The current request's id, or "-" outside a request."""
    if not has_request_context():
        return "-"
    return g.get("request_id", "-")


class _RequestIdFilter(logging.Filter):
    """Names the request an application error record belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and "request_id" in g:
            record.msg = f"{record.msg} [request {g.request_id}]"
        return True


def _configure_logging(app: Flask) -> None:
    broadsheet = logging.getLogger("broadsheet")
    broadsheet.setLevel(app.config["LOG_LEVEL"])
    # Under gunicorn or `flask run` nothing is configured yet: write to stderr, which
    # systemd's journal collects. When the root logger has handlers (a logging config,
    # pytest), leave the records to them.
    if not logging.getLogger().handlers and not broadsheet.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        broadsheet.addHandler(handler)
    if not any(isinstance(f, _RequestIdFilter) for f in app.logger.filters):
        app.logger.addFilter(_RequestIdFilter())


def _start() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    started = g.get("request_started")
    duration_ms = (time.perf_counter() - started) * 1000 if started else 0.0
    logger.info(
        "%s %s %s %.1fms id=%s",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        request_id(),
    )
    return response
