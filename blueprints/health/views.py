"""GET /healthz: 200 "ok" when the database answers, 503 when it does not.

The plain English answers are for monitors and load balancers, not readers.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from extensions import db

from . import bp

PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        # The reason goes to the log for the operator, never to the caller.
        current_app.logger.exception("Health check: the database did not answer")
        return "unavailable", 503, PLAIN
    return "ok", 200, PLAIN
