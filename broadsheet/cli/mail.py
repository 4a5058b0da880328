"""`flask mail ...` and `flask privacy purge`: the mail queue and commenters' data."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from broadsheet import jobs, mail, privacy
from extensions import db

mail_cli = AppGroup("mail", help="Send queued email.")


@mail_cli.command("send-queue")
def send_queue_command() -> None:
    """Send the mail that is due (and the moderation digest, and purge expired data).

    The site runs it every MAIL_SEND_INTERVAL seconds under `make run` and under gunicorn."""
    report = jobs.run_periodic_jobs()
    click.echo(
        _(
            "Sent %(sent)d, retrying later %(retrying)d, failed %(failed)d.",
            sent=report.sent,
            retrying=report.retrying,
            failed=report.failed,
        )
    )


@mail_cli.command("retry-failed")
def retry_failed_command() -> None:
    """Queue every message that gave up again (after fixing the SMTP settings)."""
    click.echo(_("Queued %(num)d failed messages again.", num=mail.retry_failed()))


privacy_cli = AppGroup("privacy", help="Commenters' personal data.")


@privacy_cli.command("purge")
def purge_command() -> None:
    """Blank IP hashes and browser names older than IP_RETENTION_DAYS."""
    purged = privacy.purge()
    db.session.commit()
    click.echo(_("Purged the network details of %(num)d comments.", num=purged))
