"""Moderators by email: one message per pending comment or an hourly digest, and signed
approve / spam / delete links that work without login, expire and act once."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from broadsheet import jobs, notifications, tokens
from extensions import db
from models import Article, Comment, MailMessage

from .conftest import HX
from .support.mailbox import deliver, html_of, text_of
from .test_comments import post, stored

MODS = ["desk@example.org", "editor@example.org"]


@pytest.fixture
def app_config(app_config, smtp_server):
    app_config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        MODERATOR_EMAILS=MODS,
        COMMENT_MODERATION="all",
    )
    return app_config


@pytest.fixture
def story(make_article) -> Article:
    return make_article("Ferry timetable changes")


@pytest.fixture
def inbox(smtp_server):
    return smtp_server.inbox


def pending_comment(client, story, **fields) -> Comment:
    assert post(client, story, headers=HX, **fields).status_code == 200
    comment = stored()[-1]
    assert comment.status == "pending"
    return comment


def test_each_pending_comment_emails_every_moderator_after_the_request(client, story, inbox):
    comment = pending_comment(client, story, body="Is the 7:15 ferry gone?")
    assert inbox.messages == []  # nothing is sent inside the reader's request

    deliver()

    for address in MODS:
        [message] = inbox.to(address)
        assert "Ferry timetable changes" in message["Subject"]
        text = text_of(message)
        assert "Is the 7:15 ferry gone?" in text and "Ana Ruiz" in text
        assert "ana@example.org" not in message.as_string()  # the commenter's email stays private
        assert f"The story: http://localhost/local/{story.slug}\n" in text
        assert set(moderation_paths(message)) == {"approve", "spam", "delete"}
        assert len(set(moderation_paths(message).values())) == 3
    assert comment.status == "pending"


def test_a_comment_decided_before_the_notice_went_out_sends_moderators_nothing(
    client, story, inbox, login
):
    comment = pending_comment(client, story, body="Is the 7:15 ferry gone?")
    login("editor")
    assert client.post(f"/newsroom/comments/{comment.id}/approve").status_code == 303
    deliver()
    assert [m for address in MODS for m in inbox.to(address)] == []


def test_approved_comments_send_moderators_nothing(app, client, story, inbox):
    app.config["COMMENT_MODERATION"] = "none"
    post(client, story)
    deliver()
    assert inbox.messages == []


def test_hostile_comment_text_is_escaped_in_the_html_part(client, story, inbox):
    pending_comment(client, story, body='<script>alert("x")</script>', name="<b>Mallory</b>")
    deliver()
    html = html_of(inbox.to(MODS[0])[0])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>Mallory</b>" not in html


def moderation_paths(message) -> dict[str, str]:
    text = text_of(message)
    paths = {}
    labels = (("Approve:", "approve"), ("Mark as spam:", "spam"), ("Delete:", "delete"))
    for label, action in labels:
        url = re.search(rf"^{re.escape(label)} (\S+)$", text, re.MULTILINE).group(1)
        paths[action] = url.removeprefix("http://localhost")
    return paths


def test_approve_link_shows_a_button_and_approves_only_on_post(client, story, inbox):
    comment = pending_comment(client, story, body="Worth approving")
    deliver()
    paths = moderation_paths(inbox.to(MODS[0])[0])

    other = client.application.test_client()  # no login, no cookies: just the link
    page = other.get(paths["approve"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Approve this comment?" in html and "Worth approving" in html
    assert '<button type="submit">Approve comment</button>' in html
    db.session.refresh(comment)
    assert comment.status == "pending"  # a mail scanner's GET changes nothing

    done = other.post(paths["approve"])
    assert done.status_code == 200 and "The comment is approved" in done.get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.status == "approved"
    assert db.session.get(Article, story.id).comment_count == 1
    assert "Worth approving" in client.get(f"/local/{story.slug}").get_data(as_text=True)


@pytest.mark.parametrize(("action", "status"), [("spam", "spam"), ("delete", "deleted")])
def test_spam_and_delete_links(client, story, inbox, action, status):
    comment = pending_comment(client, story)
    deliver()
    paths = moderation_paths(inbox.to(MODS[0])[0])
    assert client.post(paths[action]).status_code == 200
    db.session.refresh(comment)
    assert comment.status == status


def test_a_used_link_acts_once_and_spends_the_other_links_too(client, story, inbox):
    comment = pending_comment(client, story)
    deliver()
    first = moderation_paths(inbox.to(MODS[0])[0])
    second = moderation_paths(inbox.to(MODS[1])[0])
    assert client.post(first["approve"]).status_code == 200

    again = client.post(first["approve"])
    assert again.status_code == 409 and "already used" in again.get_data(as_text=True)
    # The other moderator's delete link, from the same moment, is spent as well.
    assert client.post(second["delete"]).status_code == 409
    assert client.get(second["spam"]).status_code == 409
    db.session.refresh(comment)
    assert comment.status == "approved"


def test_an_expired_link_changes_nothing(client, story, inbox, monkeypatch):
    comment = pending_comment(client, story)
    deliver()
    paths = moderation_paths(inbox.to(MODS[0])[0])
    in_eight_days = int(time.time()) + 8 * 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: in_eight_days)

    response = client.post(paths["approve"])

    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.status == "pending"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda path: path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"),  # signature
        lambda path: path.replace("/mail/moderate/", "/mail/moderate/x"),  # payload
        lambda path: "/mail/moderate/not-a-token",
    ],
)
def test_a_tampered_link_is_refused(client, story, inbox, tamper):
    comment = pending_comment(client, story)
    deliver()
    paths = moderation_paths(inbox.to(MODS[0])[0])
    response = client.post(tamper(paths["approve"]))
    assert response.status_code == 404
    db.session.refresh(comment)
    assert comment.status == "pending"


def test_a_token_for_spam_cannot_be_turned_into_approve(app, client, story):
    comment = pending_comment(client, story)
    token = notifications.moderation_token(comment, "spam")
    forged = tokens.sign(
        tokens.CONFIRM_REPLIES,
        {"c": comment.id, "a": "approve", "v": comment.changed_at.isoformat()},
    )
    assert client.post(f"/mail/moderate/{forged}").status_code == 404
    assert client.post(f"/mail/moderate/{token}").status_code == 200
    db.session.refresh(comment)
    assert comment.status == "spam"


def test_digest_mode_sends_one_summary_an_hour(app, client, story, inbox, time_machine):
    app.config["MODERATION_EMAIL_MODE"] = "digest"
    first = pending_comment(client, story, body="First pending")
    pending_comment(client, story, body="Second pending")
    assert db.session.scalars(select(MailMessage)).all() == []  # nothing per comment

    jobs.run_periodic_jobs()

    for address in MODS:
        [digest] = inbox.to(address)
        assert digest["Subject"] == "2 comments awaiting moderation"
        text = text_of(digest)
        assert "First pending" in text and "Second pending" in text
        assert len(moderation_paths(digest)) == 3
    # Its links work like the single ones.
    assert client.post(moderation_paths(inbox.to(MODS[0])[0])["approve"]).status_code == 200
    db.session.refresh(first)
    assert first.status == "approved"

    inbox.clear()
    pending_comment(client, story, body="Third pending")
    jobs.run_periodic_jobs()
    assert inbox.messages == []  # within the hour: wait

    time_machine.move_to(datetime.now(UTC) + timedelta(minutes=61))
    jobs.run_periodic_jobs()
    [digest] = inbox.to(MODS[0])
    assert digest["Subject"] == "1 comment awaiting moderation"
    assert "Third pending" in text_of(digest) and "Second pending" not in text_of(digest)


def test_a_flood_of_pending_comments_is_capped_then_goes_into_a_digest(
    app, client, story, inbox, time_machine
):
    app.config["MODERATION_EMAIL_CAP_PER_HOUR"] = 3
    for n in range(8):
        pending_comment(client, story, body=f"Flood comment {n}", email=f"r{n}@example.org")
    jobs.run_periodic_jobs()
    for address in MODS:
        single = [
            m for m in inbox.to(address) if "Flood" in m["Subject"] or "Ferry" in m["Subject"]
        ]
        [digest] = [
            m for m in inbox.to(address) if m["Subject"] == "5 comments awaiting moderation"
        ]
        assert len(inbox.to(address)) == 4 and len(single) == 3
        text = text_of(digest)
        assert all(f"Flood comment {n}" in text for n in range(3, 8))
        assert "Flood comment 2" not in text  # already emailed on its own

    inbox.clear()
    pending_comment(client, story, body="Later the same hour", email="late@example.org")
    jobs.run_periodic_jobs()
    assert inbox.messages == []  # capped, and the next digest is not due yet
    time_machine.move_to(datetime.now(UTC) + timedelta(minutes=61))
    jobs.run_periodic_jobs()
    [digest] = inbox.to(MODS[0])
    assert digest["Subject"] == "1 comment awaiting moderation"
    assert "Later the same hour" in text_of(digest)


def test_a_digest_lists_fifty_and_counts_the_rest(app, client, story, inbox):
    app.config["MODERATION_EMAIL_MODE"] = "digest"
    for n in range(53):
        db.session.add(
            Comment(
                article_id=story.id, author_name="R", author_email="r@example.org", body=f"No. {n}"
            )
        )
    db.session.commit()
    jobs.run_periodic_jobs()
    [digest] = inbox.to(MODS[0])
    text = text_of(digest)
    assert digest["Subject"] == "53 comments awaiting moderation"
    assert "No. 49" in text and "No. 50" not in text
    assert "3 more comments are waiting in the newsroom: http://localhost/newsroom/comments" in text


def test_moderators_may_be_one_comma_separated_setting(app):
    app.config["MODERATOR_EMAILS"] = " Desk@example.org, editor@example.org ,"
    assert notifications.moderators() == MODS


def test_digest_with_nothing_pending_sends_nothing(app, inbox):
    app.config["MODERATION_EMAIL_MODE"] = "digest"
    jobs.run_periodic_jobs()
    assert inbox.messages == []


def test_moderator_who_unsubscribed_gets_no_more_mail(client, story, inbox):
    pending_comment(client, story)
    deliver()
    [message] = inbox.to(MODS[0])
    header = str(message["List-Unsubscribe"])[1:-1].removeprefix("http://localhost")
    assert client.post(header, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    inbox.clear()
    pending_comment(client, story, body="another")
    deliver()
    assert inbox.to(MODS[0]) == [] and len(inbox.to(MODS[1])) == 1


class TestWithCsrf:
    """The confirmation button is a real form: without its token the POST is refused."""

    @pytest.fixture
    def app_config(self, app_config):
        app_config["WTF_CSRF_ENABLED"] = True
        return app_config

    def test_post_needs_the_pages_csrf_token(self, app, client, story):
        comment = Comment(
            article_id=story.id,
            author_name="Ana",
            author_email="ana@example.org",
            body="Pending",
            status="pending",
        )
        db.session.add(comment)
        db.session.commit()
        path = f"/mail/moderate/{notifications.moderation_token(comment, 'approve')}"
        other = app.test_client()
        assert other.post(path).status_code == 400
        db.session.refresh(comment)
        assert comment.status == "pending"
        html = other.get(path).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        assert other.post(path, data={"csrf_token": token}).status_code == 200
        db.session.refresh(comment)
        assert comment.status == "approved"
