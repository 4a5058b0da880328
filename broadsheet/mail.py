"""Outgoing email: build a message from templates, queue it, and drain the queue by SMTP.

Nothing is sent inside a request. `queue()` stores the finished message in the mail_queue
table; `send_queue()` (run by broadsheet.jobs) delivers what is due. A failed send stays
queued and is retried with exponential backoff; after MAIL_MAX_ATTEMPTS it is marked
failed, still kept, and `flask mail retry-failed` queues it again. Without MAIL_SERVER every
message is written to instance/outbox/ as an .eml file instead, so a developer can read it.
"""

from __future__ import annotations

import email.utils
import hmac
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from sqlalchemy import func, select, update

from broadsheet import tokens
from broadsheet.clock import precise_utcnow
from broadsheet.database import rows_changed
from extensions import db
from models import MailMessage, MailSuppression

log = logging.getLogger(__name__)

# A row being sent is leased for this long; if the sender dies mid-send it becomes due again.
LEASE = timedelta(minutes=5)
# Lines up to RFC 5322's 998 characters: folded at 78, a long List-Unsubscribe link came out
# RFC 2047-encoded, and mail clients could no longer offer one-click unsubscribe.
POLICY = policy.SMTP.clone(max_line_length=998)


def normalise(address: str) -> str:
    return address.strip().lower()


def mailbox(address: str) -> str:
    """The mailbox an address reaches: name+tag@example.org and Name@example.org are
    name@example.org, so a stranger cannot multiply one person's cap by adding tags."""
    local, at, domain = normalise(address).rpartition("@")
    if not at:
        return normalise(address)
    name, plus, _tag = local.partition("+")
    return f"{name if plus and name else local}@{domain}"


# --- Unsubscribing ---------------------------------------------------------------------


def address_hash(address: str) -> str:
    """A keyed hash of an email address, for links and the unsubscribed list: links then
    carry no address for a server log or a forwarded email to reveal."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"mail-address:" + normalise(address).encode(), "sha256").hexdigest()


def unsubscribe_token(address: str, subscription_id: int | None = None) -> str:
    """A signed, non-expiring token: one subscription, or (None) every email to the address."""
    return tokens.sign(
        tokens.UNSUBSCRIBE, {"h": address_hash(address), "s": subscription_id}, expires=False
    )


def read_unsubscribe_token(token: str) -> tuple[str, int | None] | None:
    """(address hash, subscription id or None), or None for a token we did not sign."""
    try:
        data = tokens.read(tokens.UNSUBSCRIBE, token, max_age=None)
    except tokens.LinkError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("h"), str):
        return None
    sub = data.get("s")
    return data["h"], sub if isinstance(sub, int) else None


def suppressed(address: str) -> bool:
    digest = address_hash(address)
    return (
        db.session.scalar(select(MailSuppression.id).where(MailSuppression.email_hash == digest))
        is not None
    )


def suppress(digest: str) -> None:
    """Send the address with this hash nothing more (it unsubscribed from everything)."""
    exists = db.session.scalar(
        select(MailSuppression.id).where(MailSuppression.email_hash == digest)
    )
    if exists is None:
        db.session.add(MailSuppression(email_hash=digest))
        db.session.flush()


# --- Building and queueing ---------------------------------------------------------------


def build(
    recipient: str,
    subject: str,
    template: str,
    *,
    unsubscribe_url: str | None,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    **context: Any,
) -> EmailMessage:
    """A multipart message from templates/mail/<template>.txt and .html (autoescaped).

    `unsubscribe_url` is None only for mail a person must get to use their account."""
    config = current_app.config
    subject = " ".join(subject.split())  # a name or headline must never break the header
    context = {"subject": subject, "unsubscribe_url": unsubscribe_url, **context}
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = config["MAIL_FROM"]
    message["To"] = recipient
    message["Date"] = email.utils.formatdate(localtime=False)
    domain = email.utils.parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = email.utils.make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url:
        # RFC 2369 and RFC 8058: mail clients offer (and may press) a one-click unsubscribe.
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text = render_template(f"mail/{template}.txt", **context)
    html = render_template(f"mail/{template}.html", **context)
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    for filename, mimetype, data in attachments:
        maintype, _, subtype = mimetype.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def sent_lately(address: str, within: timedelta = timedelta(hours=1), *, kind: str = "") -> int:
    """How many messages (of one kind, when given) were queued for this address's mailbox
    lately: the per-address rate caps."""
    query = (
        select(func.count())
        .select_from(MailMessage)
        .where(
            MailMessage.mailbox == mailbox(address),
            MailMessage.created_at > precise_utcnow() - within,
        )
    )
    if kind:
        query = query.where(MailMessage.kind == kind)
    return db.session.scalar(query) or 0


def queue(
    message: EmailMessage, kind: str, *, dedupe_key: str | None = None, capped: bool = True
) -> MailMessage | None:
    """Store the message for the sender; the caller commits.

    Returns None (and stores nothing) when the same dedupe_key was queued before, or when a
    capped message would go over MAIL_RATE_CAP_PER_HOUR for its recipient.
    """
    recipient = normalise(email.utils.parseaddr(str(message["To"]))[1])
    if dedupe_key is not None and db.session.scalar(
        select(MailMessage.id).where(MailMessage.dedupe_key == dedupe_key)
    ):
        return None
    if capped and sent_lately(recipient) >= current_app.config["MAIL_RATE_CAP_PER_HOUR"]:
        log.warning("Rate cap reached for a recipient; %s message not queued", kind)
        return None
    row = MailMessage(
        kind=kind,
        recipient=recipient,
        mailbox=mailbox(recipient),
        subject=str(message["Subject"])[:300],
        raw=message.as_string(),
        dedupe_key=dedupe_key,
        status="queued",
        attempts=0,
        next_attempt_at=precise_utcnow(),
        last_error="",
        created_at=precise_utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    return row


# --- Sending --------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


class _Transport:
    """One SMTP connection per queue run (opened on first use), or the outbox folder."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        self.unreachable = False

    def send(self, row: MailMessage) -> None:
        config = self.config
        if not config["MAIL_SERVER"]:
            outbox = Path(config["MAIL_OUTBOX"])
            outbox.mkdir(parents=True, exist_ok=True)
            stamp = precise_utcnow().strftime("%Y%m%dT%H%M%S")
            (outbox / f"{stamp}-{row.id:06d}.eml").write_text(row.raw, encoding="utf-8")
            return
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except (smtplib.SMTPException, OSError):
                self.unreachable = True
                raise
        message = email.message_from_string(row.raw, policy=POLICY)
        sender = email.utils.parseaddr(config["MAIL_FROM"])[1]
        self.smtp.send_message(message, from_addr=sender, to_addrs=[row.recipient])

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
        context = ssl.create_default_context()
        if config["MAIL_USE_SSL"]:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        try:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls(context=context)
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: MAIL_RETRY_SECONDS doubled per failure, capped."""
    config = current_app.config
    seconds = config["MAIL_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["MAIL_RETRY_MAX_SECONDS"]))


def _permanent(error: Exception) -> bool:
    """The server refused this message for good (5xx for the recipient or the data)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException) and not isinstance(
        error, smtplib.SMTPServerDisconnected
    ):
        return error.smtp_code >= 500 and error.smtp_code not in (
            530,  # authentication required: fix the settings, then the message can go
            535,
        )
    return False


def _lease(row: MailMessage, now: datetime) -> bool:
    """Take the row for this sender; False when another sender took it first."""
    changed = rows_changed(
        update(MailMessage)
        .where(
            MailMessage.id == row.id,
            MailMessage.status == "queued",
            MailMessage.next_attempt_at == row.next_attempt_at,
        )
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return changed == 1


def send_queue(limit: int | None = None) -> SendReport:
    """Deliver every message that is due; each outcome is committed as soon as it is known."""
    report = SendReport()
    config = current_app.config
    now = precise_utcnow()
    due = list(
        db.session.scalars(
            select(MailMessage)
            .where(MailMessage.status == "queued", MailMessage.next_attempt_at <= now)
            .order_by(MailMessage.next_attempt_at, MailMessage.id)
            .limit(limit or config["MAIL_BATCH_SIZE"])
        )
    )
    transport = _Transport(config)
    try:
        for row in due:
            if not _lease(row, now):
                continue
            try:
                transport.send(row)
            except (smtplib.SMTPException, OSError, ValueError) as error:
                # ValueError: a message the library cannot send as it stands (say, an
                # address it cannot encode); it is retried, then kept as failed, never lost.
                db.session.refresh(row)
                row.attempts += 1
                row.last_error = f"{type(error).__name__}: {error}"[:500]
                if _permanent(error) or row.attempts >= config["MAIL_MAX_ATTEMPTS"]:
                    row.status = "failed"
                    report.failed += 1
                else:
                    row.next_attempt_at = precise_utcnow() + backoff(row.attempts)
                    report.retrying += 1
                if not isinstance(error, smtplib.SMTPRecipientsRefused):
                    transport.close()  # the connection may be broken; reconnect for the next
                log.warning("Mail %s not sent (attempt %d): %s", row.id, row.attempts, error)
                if transport.unreachable:
                    db.session.commit()
                    break  # the rest stay due; no point knocking on a closed door for each
            else:
                db.session.refresh(row)
                row.status = "sent"
                row.attempts += 1
                row.sent_at = precise_utcnow()
                row.last_error = ""
                report.sent += 1
            db.session.commit()
    finally:
        transport.close()
    return report


def retry_failed() -> int:
    """Queue every failed message again, due now (after the settings were fixed)."""
    changed = rows_changed(
        update(MailMessage)
        .where(MailMessage.status == "failed")
        .values(status="queued", attempts=0, next_attempt_at=precise_utcnow())
    )
    db.session.commit()
    return changed


def purge_sent(days: int) -> int:
    """Forget sent messages older than `days`: they hold addresses and comment text."""
    changed = rows_changed(
        db.delete(MailMessage).where(
            MailMessage.status == "sent",
            MailMessage.sent_at < precise_utcnow() - timedelta(days=days),
        )
    )
    return changed
