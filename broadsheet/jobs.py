"""The periodic work: the moderation digest, sending queued mail, and the purges (IP
retention, ended rate-limit windows and staff sessions, stories long in the trash).

`flask mail send-queue` runs it once; `make run` runs it every MAIL_SEND_INTERVAL seconds in
a background thread of the development server, and gunicorn.conf.py in one of its workers.
"""

from __future__ import annotations

import fcntl
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


def start_background_sender(app: Flask, exclusive: bool = False) -> threading.Thread:
    """Run the jobs every MAIL_SEND_INTERVAL seconds in a daemon thread of this process.

    With `exclusive` (each gunicorn worker starts one), only the process holding the lock on
    instance/mail-sender.lock runs them; when it exits, another worker takes the lock over.
    """
    lock_path = os.path.join(app.instance_path, "mail-sender.lock")

    def loop() -> None:
        stop = threading.Event()
        last_purge = None
        holds_lock = not exclusive
        while not stop.wait(app.config["MAIL_SEND_INTERVAL"]):
            holds_lock = holds_lock or _take_lock(lock_path)
            if not holds_lock:
                continue
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


def _take_lock(path: str) -> bool:
    """Lock the file for as long as this process lives (the descriptor is never closed)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    return True
