"""Error pages, and requests refused before any view sees them."""

from __future__ import annotations

from flask import Flask, abort, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, SecurityError

from broadsheet import database
from broadsheet.config import is_production
from broadsheet.web.templating import is_fragment_request
from extensions import db


def init_app(app: Flask) -> None:
    """Call before the extensions that read a request's form (CSRF) register their hooks."""
    app.before_request(_refuse_oversize_streams)
    app.before_request(_refuse_what_no_page_takes)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _error_page)
    app.register_error_handler(SecurityError, _unknown_host)


def _error_page(error: HTTPException):
    not_migrated = False
    if error.code and error.code >= 500:
        db.session.rollback()
        cause = getattr(error, "original_exception", None)
        if isinstance(cause, SQLAlchemyError) and not database.schema_current():
            current_app.logger.error(database.NOT_MIGRATED)
            not_migrated = not is_production(current_app)  # said on the page to a developer
    if is_fragment_request():
        return render_template("errors/_error.html", error=error), error.code
    return render_template("errors/error.html", error=error, not_migrated=not_migrated), error.code


def _unknown_host(_error: SecurityError):
    """A Host header naming a site we are not (TRUSTED_HOSTS): a bare 400, since no link to
    this site can be built for a request that never matched a route. The log names the
    host, for an operator whose SITE_URL or ALLOWED_HOSTS is not yet right."""
    current_app.logger.warning(
        "Refused a request for host %r: not SITE_URL's host nor in ALLOWED_HOSTS",
        request.headers.get("Host", "")[:100],
    )
    return "Unknown host\n", 400, {"Content-Type": "text/plain; charset=utf-8"}


def _refuse_oversize_streams() -> None:
    """413 for a body sent without a length (chunked) that runs past the request's limit.

    Werkzeug reads such a stream up to the limit and quietly stops there, so the request
    would go on with its body cut short.
    """
    limit = request.max_content_length
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
