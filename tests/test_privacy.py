"""Commenters' data under their control: the notice, export by email, confirmed erasure
that leaves readable threads, and IP hashes purged after the retention period."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta
from email import message_from_string, policy

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from broadsheet import notifications, privacy
from broadsheet.clock import utcnow
from extensions import db
from models import Article, MailMessage, ReplySubscription

from .support.mailbox import deliver, link_to, links_in, text_of
from .test_comments import post, stored

ANA = "ana@example.org"


@pytest.fixture
def app_config(app_config, smtp_server):
    app_config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        COMMENT_MODERATION="none",
        IP_RETENTION_DAYS=14,
    )
    return app_config


@pytest.fixture
def story(make_article) -> Article:
    return make_article("Ferry timetable changes")


@pytest.fixture
def inbox(smtp_server):
    return smtp_server.inbox


@pytest.fixture
def thread(client, story, inbox):
    """Ana's comment, Ben's reply to it, and a second comment of Ana's (in other letters)."""
    post(client, story, body="Ana's first thought", website="https://ana.example.org")
    ana = stored()[-1]
    post(client, story, name="Ben", email="ben@example.org", body="Ben answers", parent_id=ana.id)
    post(client, story, email="ANA@Example.org", body="Ana again", notify_replies="y")
    deliver()
    inbox.clear()  # the confirmation for notify_replies
    return stored()


def ask(client, email: str, action: str):
    return client.post("/privacy", data={"email": email, "action": action})


def test_privacy_page_says_what_is_stored_and_for_how_long(client):
    response = client.get("/privacy")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your privacy" in html
    assert "keyed hash of your IP address" in html and "deleted after 14 days" in html
    assert 'name="email"' in html and 'value="export"' in html and 'value="erase"' in html


def test_comment_form_notice_reads_the_retention_from_config(app, client, story):
    app.config["IP_RETENTION_DAYS"] = 9
    html = client.get(f"/local/{story.slug}").get_data(as_text=True)
    note = html[html.index('class="privacy-note"') :]
    note = note[: note.index("</p>")]
    assert "deleted after 9 days" in note and 'href="/privacy"' in note


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "action": "export"}, "Please give the email address"),
        ({"email": "nope", "action": "export"}, "That does not look like an email address."),
        ({"email": ANA}, "Please choose what you would like."),
        ({"email": ANA, "action": "sell"}, "Not a valid choice"),
    ],
)
def test_invalid_request_is_422_with_the_form_and_what_was_typed(client, inbox, data, message):
    response = client.post("/privacy", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html.replace("&#39;", "'")
    if data["email"]:
        assert f'value="{data["email"]}"' in html
    assert db.session.scalars(select(MailMessage)).all() == []


def test_export_emails_every_comment_of_the_address_as_json(client, thread, inbox):
    response = ask(client, ANA, "export")
    assert response.status_code == 303 and response.headers["Location"] == "/privacy/sent"
    sent_page = client.get("/privacy/sent").get_data(as_text=True)
    assert "Check your email" in sent_page and ANA not in sent_page

    deliver()

    [message] = inbox.to(ANA)
    assert "2 comments" in text_of(message)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "comments.json"
    data = json.loads(attachment.get_content())
    assert [c["comment"] for c in data["comments"]] == ["Ana's first thought", "Ana again"]
    assert data["comments"][0]["website"] == "https://ana.example.org"
    assert data["comments"][0]["url"].endswith(f"/comments/c/{thread[0].id}")
    assert data["reply_notifications"] == [{"comment_id": thread[2].id, "confirmed": False}]
    assert b"Ben answers" not in attachment.get_content()


def test_export_for_an_unknown_address_answers_the_same(client, thread, inbox):
    response = ask(client, "stranger@example.org", "export")
    assert response.status_code == 303 and response.headers["Location"] == "/privacy/sent"
    deliver()
    [message] = inbox.to("stranger@example.org")
    assert json.loads(next(message.iter_attachments()).get_content())["comments"] == []


def test_erasure_is_confirmed_by_email_before_anything_changes(client, thread, inbox):
    assert ask(client, ANA, "erase").status_code == 303
    deliver()
    [message] = inbox.to(ANA)
    assert message["Subject"].startswith("Confirm: erase your comments")
    path = link_to(message, "/privacy/erase/")

    page = client.get(path)
    assert page.status_code == 200
    assert "We hold 2 comments from your address." in page.get_data(as_text=True)
    assert [c.status for c in stored()] == ["approved", "approved", "approved"]

    done = client.post(path)

    assert done.status_code == 200 and "2 comments erased" in done.get_data(as_text=True)
    ana_first, ben, ana_again = stored()
    for comment in (ana_first, ana_again):
        assert comment.status == "deleted"
        assert (comment.author_name, comment.author_email, comment.author_url) == ("", "", "")
        assert (comment.body, comment.ip_hash, comment.user_agent) == ("", "", "")
    assert ben.status == "approved" and ben.author_email == "ben@example.org"
    assert db.session.scalars(select(ReplySubscription)).all() == []
    assert db.session.scalars(select(MailMessage).where(MailMessage.recipient == ANA)).all() == []
    story = db.session.get(Article, ben.article_id)
    assert story.comment_count == 1

    html = client.get(f"/local/{story.slug}").get_data(as_text=True)
    # The thread still reads: Ben's reply under a placeholder; the lone comment is gone.
    assert "This comment was deleted." in html and "Ben answers" in html
    assert "Ana" not in html.split('id="comment-list"')[1].split("</ol>")[0]


def test_erasure_is_final_and_takes_the_comment_out_of_queued_mail(
    app, client, story, inbox, login
):
    app.config.update(COMMENT_MODERATION="all", MODERATOR_EMAILS=["mod@example.org"])
    post(client, story, body="Ana's first thought")
    [comment] = stored()
    assert db.session.scalars(select(MailMessage).where(MailMessage.recipient != ANA)).all()
    assert privacy.erase(ANA) == 1
    db.session.commit()
    deliver()
    assert inbox.to("mod@example.org") == []  # the notice held her name and words

    login("editor")
    for action in ("restore", "approve", "spam"):
        assert client.post(f"/newsroom/comments/{comment.id}/{action}").status_code == 404
    bulk = {"action": "approve", "ids": [str(comment.id)], "tab": "deleted"}
    client.post("/newsroom/comments/bulk", data=bulk)
    db.session.refresh(comment)
    assert comment.status == "deleted" and comment.body == ""
    assert f'id="mod-comment-{comment.id}"' not in client.get("/newsroom/comments?tab=deleted").text


def test_erasure_takes_the_comment_out_of_moderators_digests_sent_or_queued(app, client, story):
    app.config.update(
        COMMENT_MODERATION="all",
        MODERATOR_EMAILS=["mod@example.org"],
        MODERATION_EMAIL_MODE="digest",
    )
    post(client, story, body="Harbour gossip from Ana")
    post(client, story, name="Ben", email="ben@example.org", body="Ben on the ferry times")
    assert notifications.queue_digest_if_due(force=True) == 1
    db.session.commit()
    deliver()  # the digest is sent; the queue keeps a copy for a while
    assert notifications.queue_digest_if_due(force=True) == 0  # nothing new since

    privacy.erase(ANA)
    db.session.commit()

    kept = [text_of(message_from_string(m.raw, policy=policy.default)) for m in mail_rows()]
    assert not any("Harbour gossip" in text for text in kept)
    # Ben's comment still waits: the next digest lists it again.
    assert notifications.queue_digest_if_due(force=True) == 1
    db.session.commit()
    [digest] = [m for m in mail_rows() if m.kind == "digest"]
    assert "Ben on the ferry times" in text_of(
        message_from_string(digest.raw, policy=policy.default)
    )


def mail_rows() -> list[MailMessage]:
    return list(db.session.scalars(select(MailMessage)))


def test_erasure_for_an_unknown_address_says_there_is_nothing_to_erase(client, thread, inbox):
    assert ask(client, "stranger@example.org", "erase").status_code == 303
    deliver()
    [message] = inbox.to("stranger@example.org")
    assert "nothing to erase" in text_of(message) and "/privacy/erase/" not in text_of(message)


def test_an_erasure_link_works_once(client, thread, inbox):
    ask(client, ANA, "erase")
    deliver()
    path = link_to(inbox.to(ANA)[0], "/privacy/erase/")
    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 409


def test_links_in_emails_never_carry_the_address(client, thread, inbox):
    ask(client, ANA, "erase")
    ask(client, ANA, "export")
    deliver()
    messages = inbox.to(ANA)
    assert len(messages) == 2
    for message in messages:
        for url in [*links_in(message), str(message["List-Unsubscribe"])]:
            payload = url.rstrip(">").rsplit("/", 1)[1].split(".")[0]
            decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            assert b"ana@" not in decoded.lower(), url


def test_an_expired_or_tampered_erasure_link_erases_nothing(client, thread, inbox, monkeypatch):
    ask(client, ANA, "erase")
    deliver()
    path = link_to(inbox.to(ANA)[0], "/privacy/erase/")
    assert client.post(path[:-2] + "xx").status_code == 404
    later = int(time.time()) + 4 * 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    assert client.post(path).status_code == 410
    assert [c.status for c in stored()] == ["approved", "approved", "approved"]


def test_purge_blanks_network_details_after_the_retention_period(app, client, story, runner):
    post(client, story, body="old")
    post(client, story, body="recent")
    old, recent = stored()
    old.created_at = utcnow() - timedelta(days=15)
    recent.created_at = utcnow() - timedelta(days=13)
    db.session.commit()
    assert old.ip_hash and old.user_agent is not None

    result = runner.invoke(args=["privacy", "purge"])

    assert "Purged the network details of 1 comments." in result.output
    db.session.refresh(old)
    db.session.refresh(recent)
    assert (old.ip_hash, old.user_agent) == ("", "")
    assert recent.ip_hash != ""


def test_the_send_queue_run_purges_too(app, client, story, runner):
    post(client, story, body="old")
    [old] = stored()
    old.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    runner.invoke(args=["mail", "send-queue"])
    db.session.refresh(old)
    assert old.ip_hash == ""


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        app_config["WTF_CSRF_ENABLED"] = True
        return app_config

    def test_a_request_without_the_form_token_is_refused(self, client):
        assert ask(client, ANA, "export").status_code == 400
        assert db.session.scalars(select(MailMessage)).all() == []
