"""GET /healthz: one line per service the site needs, and 200 only when every one answers.

    database ok
    redis unavailable

Redis is listed only when REDIS_URL is set; while it is down the site still serves, with
rate limits counted in each worker alone (throttle.py), so the monitor should say so.
The plain English answers are for monitors and load balancers, not readers.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from broadsheet import database, throttle
from extensions import db

from . import bp

PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


def _database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        # The reason goes to the log for the operator, never to the caller.
        current_app.logger.exception("Health check: the database did not answer")
        return False
    return True


@bp.get("/healthz")
def healthz():
    checks = {"database": "ok" if _database_answers() else "unavailable"}
    if checks["database"] == "ok" and not database.schema_current():
        current_app.logger.error("Health check: %s", database.NOT_MIGRATED)
        checks["database"] = "not migrated (run flask db upgrade)"
    redis = throttle.redis_answers()
    if redis is not None:
        checks["redis"] = "ok" if redis else "unavailable"
        if not redis:
            current_app.logger.error("Health check: Redis (REDIS_URL) did not answer")
    body = "".join(f"{name} {state}\n" for name, state in checks.items())
    healthy = all(state == "ok" for state in checks.values())
    return body, 200 if healthy else 503, PLAIN
