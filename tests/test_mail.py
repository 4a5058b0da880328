"""Sending: the queue, SMTP delivery to a real server on 127.0.0.1, retries, the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from broadsheet import mail
from broadsheet.clock import precise_utcnow
from extensions import db
from models import MailMessage

from .conftest import free_port
from .support.mailbox import deliver, html_of, text_of


@pytest.fixture
def app_config(app_config, smtp_server):
    app_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    return app_config


def queue_one(to: str = "reader@example.org", body: str = "Hello", **kwargs) -> MailMessage:
    message = mail.build(
        to,
        "A test message",
        "privacy_export",
        unsubscribe_url="http://localhost/mail/unsubscribe/x",
        count=1,
    )
    row = mail.queue(message, "test", **kwargs)
    db.session.commit()
    return row


def later(time_machine, seconds: float) -> None:
    """Move the clock forward."""
    time_machine.move_to(datetime.now(UTC) + timedelta(seconds=seconds), tick=False)


def test_queued_mail_waits_for_the_sender(app, smtp_server):
    row = queue_one()
    assert row.status == "queued" and smtp_server.inbox.messages == []

    report = deliver()

    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [message] = smtp_server.inbox.to("reader@example.org")
    assert message["Subject"] == "A test message"
    db.session.refresh(row)
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1
    assert deliver().sent == 0  # sent once, never again


def test_message_has_text_and_html_parts_message_id_and_one_click_unsubscribe(app, smtp_server):
    queue_one()
    deliver()
    [message] = smtp_server.inbox.messages
    assert message.get_content_type() == "multipart/alternative"
    assert "comments.json" in text_of(message)
    assert "<html" in html_of(message)
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(">")
    assert message["List-Unsubscribe"] == "<http://localhost/mail/unsubscribe/x>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["From"] == "Port Alder Ledger <newsroom@localhost>"


def test_long_unsubscribe_link_and_subject_arrive_as_written(app, smtp_server):
    """A real link is longer than a folded header line: folding must not RFC 2047-encode it,
    or mail clients cannot offer one-click unsubscribe."""
    url = "https://news.example.org/mail/unsubscribe/" + "Zx9-" * 40
    subject = "Un comentario nuevo espera moderación en «" + "Llega la draga " * 8 + "»"
    message = mail.build("r@example.org", subject, "privacy_export", unsubscribe_url=url, count=1)
    mail.queue(message, "test")
    db.session.commit()
    deliver()
    [message] = smtp_server.inbox.messages
    raw = dict(message.raw_items())  # the header lines as they came over SMTP
    assert raw["List-Unsubscribe"] == f"<{url}>"
    assert message["Subject"] == " ".join(subject.split())


def test_refused_connection_keeps_the_message_and_retries_with_backoff(
    app, smtp_server, time_machine
):
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    row = queue_one()

    report = deliver()

    assert (report.sent, report.retrying) == (0, 1)
    db.session.refresh(row)
    assert row.status == "queued" and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    first_wait = row.next_attempt_at - precise_utcnow()
    assert timedelta(seconds=55) < first_wait <= timedelta(seconds=60)

    # Not due yet: even with the server back, nothing is tried before the backoff ends.
    app.config["MAIL_PORT"] = smtp_server.port
    assert deliver().sent == 0

    # Down again when it is due: the wait doubles.
    app.config["MAIL_PORT"] = free_port()
    later(time_machine, 61)
    assert deliver().retrying == 1
    db.session.refresh(row)
    assert row.attempts == 2
    assert row.next_attempt_at - mail.precise_utcnow() == timedelta(seconds=120)

    app.config["MAIL_PORT"] = smtp_server.port
    later(time_machine, 61 + 121)
    assert deliver().sent == 1
    assert len(smtp_server.inbox.to("reader@example.org")) == 1
    db.session.refresh(row)
    assert row.status == "sent" and row.last_error == ""


def test_one_refused_connection_does_not_try_every_message(app, smtp_server):
    app.config["MAIL_PORT"] = free_port()
    rows = [queue_one(f"r{i}@example.org") for i in range(3)]
    report = deliver()
    assert report.retrying == 1
    for row in rows:
        db.session.refresh(row)
    assert [r.attempts for r in rows] == [1, 0, 0]
    assert all(r.status == "queued" for r in rows)


def test_backoff_doubles_up_to_the_cap(app):
    app.config.update(MAIL_RETRY_SECONDS=60, MAIL_RETRY_MAX_SECONDS=3600)
    waits = [mail.backoff(n).total_seconds() for n in range(1, 9)]
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_after_the_last_attempt_the_message_is_kept_as_failed_and_can_be_retried(
    app, smtp_server, runner
):
    app.config.update(MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=1)
    row = queue_one()
    assert deliver().failed == 1
    db.session.refresh(row)
    assert row.status == "failed" and row.raw  # kept, whole

    app.config["MAIL_PORT"] = smtp_server.port
    result = runner.invoke(args=["mail", "retry-failed"])
    assert "Queued 1 failed messages again." in result.output
    result = runner.invoke(args=["mail", "send-queue"])
    assert "Sent 1" in result.output
    assert len(smtp_server.inbox.messages) == 1


def test_recipient_refused_for_good_is_failed_at_once(app, smtp_server):
    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 No such mailbox"

    smtp_server.inbox.handle_RCPT = refuse
    row = queue_one("gone@example.org")
    assert deliver().failed == 1
    db.session.refresh(row)
    assert row.status == "failed" and "550" in row.last_error


def test_send_queue_command_drains_the_queue(app, smtp_server, runner):
    queue_one("a@example.org")
    queue_one("b@example.org")
    result = runner.invoke(args=["mail", "send-queue"])
    assert result.exit_code == 0
    assert "Sent 2, retrying later 0, failed 0." in result.output
    assert {m["To"] for m in smtp_server.inbox.messages} == {"a@example.org", "b@example.org"}


def test_without_a_mail_server_messages_land_in_the_outbox(app, tmp_path):
    app.config["MAIL_SERVER"] = ""
    queue_one()
    assert deliver().sent == 1
    [eml] = (tmp_path / "outbox").glob("*.eml")
    text = eml.read_text()
    assert "To: reader@example.org" in text and "List-Unsubscribe:" in text


def test_dedupe_key_queues_a_message_once(app):
    assert queue_one(dedupe_key="reply:1:2") is not None
    assert queue_one(dedupe_key="reply:1:2") is None
    assert len(db.session.scalars(select(MailMessage)).all()) == 1


def test_per_address_rate_cap(app):
    app.config["MAIL_RATE_CAP_PER_HOUR"] = 2
    assert queue_one() is not None
    assert queue_one() is not None
    assert queue_one() is None
    assert queue_one("READER@example.org") is None  # the same address in other letters
    assert queue_one("reader+news@example.org") is None  # the same mailbox, with a tag
    assert queue_one("other@example.org") is not None
    assert queue_one(capped=False) is not None  # moderators are not capped


def test_a_newline_in_a_subject_cannot_add_headers(app, smtp_server):
    message = mail.build(
        "reader@example.org",
        "Hi\r\nBcc: victim@example.org",
        "privacy_export",
        unsubscribe_url="http://localhost/x",
        count=0,
    )
    mail.queue(message, "test")
    db.session.commit()
    deliver()
    [(rcpt, sent)] = smtp_server.inbox.received
    assert rcpt == ["reader@example.org"] and sent["Bcc"] is None


def test_starttls_setting_is_honoured(app, smtp_server):
    app.config["MAIL_USE_TLS"] = True  # the test server offers no STARTTLS: never send in clear
    row = queue_one()
    assert deliver().retrying == 1
    db.session.refresh(row)
    assert "STARTTLS" in row.last_error and smtp_server.inbox.messages == []


def test_smtp_login_uses_the_configured_account(app):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from .conftest import Inbox

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_require_tls=False,  # plain text on 127.0.0.1, for the test only
    )
    controller.start()
    try:
        app.config.update(
            MAIL_PORT=controller.port, MAIL_USERNAME="newsroom", MAIL_PASSWORD="wrong"
        )
        queue_one()
        assert deliver().retrying == 1  # a wrong password is fixed in config, then it goes
        app.config["MAIL_PASSWORD"] = "s3cret"
        db.session.execute(db.update(MailMessage).values(next_attempt_at=precise_utcnow()))
        db.session.commit()
        assert deliver().sent == 1
    finally:
        controller.stop()
    assert logins == [(b"newsroom", b"wrong"), (b"newsroom", b"s3cret")]
    assert len(inbox.messages) == 1
