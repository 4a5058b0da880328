"""The periodic work: the moderation digest, sending queued mail, and the purges (IP
retention, ended rate-limit windows and staff sessions, stories long in the trash).

`flask mail send-queue` runs it once; `make run` runs it every MAIL_SEND_INTERVAL seconds in
a background thread of the development server.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import timedelta

from flask import Flask

from broadsheet import accounts, mail, notifications, privacy, publishing, throttle
from broadsheet.clock import precise_utcnow
from extensions import db

log = logging.getLogger(__name__)

PURGE_EVERY = timedelta(hours=1)


def init_app(app: Flask) -> None:
    """With MAIL_BACKGROUND_SENDER (make run), send mail from a thread of the serving process."""
    if app.config["MAIL_BACKGROUND_SENDER"] and not app.testing and _serving_process(app):
        start_background_sender(app)


def _serving_process(app: Flask) -> bool:
    """Not the reloader's watcher process (it serves nothing), so one sender per server."""
    return not app.debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


def run_periodic_jobs(purge: bool = True) -> mail.SendReport:
    """What one queue run does: the moderation digest when due, sending, then purging."""
    notifications.queue_digest_if_due()
    db.session.commit()
    report = mail.send_queue()
    if purge:
        privacy.purge()
        throttle.purge()
        accounts.purge_sessions()
        publishing.purge_trash()
        db.session.commit()
    return report


def start_background_sender(app: Flask) -> threading.Thread:
    """Run the jobs every MAIL_SEND_INTERVAL seconds in a daemon thread of this process."""

    def loop() -> None:
        stop = threading.Event()
        last_purge = None
        while not stop.wait(app.config["MAIL_SEND_INTERVAL"]):
            with app.app_context():
                try:
                    # Sending every few seconds; the retention purge (a table scan) hourly.
                    purge = last_purge is None or precise_utcnow() - last_purge > PURGE_EVERY
                    run_periodic_jobs(purge=purge)
                    if purge:
                        last_purge = precise_utcnow()
                except Exception:  # keep the thread alive; the next run tries again
                    log.exception("Background mail run failed")
                    db.session.rollback()
                finally:
                    db.session.remove()

    thread = threading.Thread(target=loop, name="mail-sender", daemon=True)
    thread.start()
    return thread
