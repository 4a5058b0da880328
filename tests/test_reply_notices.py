"""Readers following replies: double opt-in, notices only for approved replies and only
once, one-click unsubscribe without login, and a cap per address."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from broadsheet import mail
from broadsheet.discussion import set_status
from extensions import db
from models import Article, Comment, MailSuppression, ReplySubscription

from .conftest import HX
from .support.mailbox import deliver, html_of, link_to, text_of, unsubscribe_path
from .test_comments import post, stored

ANA = "ana@example.org"


@pytest.fixture
def app_config(app_config, smtp_server):
    app_config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, COMMENT_MODERATION="none"
    )
    return app_config


@pytest.fixture
def story(make_article) -> Article:
    return make_article("Ferry timetable changes")


@pytest.fixture
def inbox(smtp_server):
    return smtp_server.inbox


def subscribe(client, story, **fields) -> Comment:
    assert post(client, story, headers=HX, notify_replies="y", **fields).status_code == 200
    return stored()[-1]


def reply(client, story, parent: Comment, **fields) -> Comment:
    data = {"name": "Ben", "email": "ben@example.org", "body": "A reply.", **fields}
    assert post(client, story, parent_id=str(parent.id), **data).status_code == 303
    return stored()[-1]


def confirmed_follower(client, story, inbox) -> Comment:
    comment = subscribe(client, story)
    deliver()
    [confirmation] = inbox.to(ANA)
    path = link_to(confirmation, "/mail/confirm/")
    assert client.post(path).status_code == 200
    inbox.clear()
    return comment


def test_the_form_offers_reply_emails(client, story):
    html = client.get(f"/local/{story.slug}").get_data(as_text=True)
    assert 'name="notify_replies" type="checkbox"' in html
    assert "Email me replies to this comment" in html


def test_ticking_the_box_sends_a_confirmation_first(client, story, inbox):
    comment = subscribe(client, story)
    [subscription] = db.session.scalars(select(ReplySubscription)).all()
    assert subscription.comment_id == comment.id and subscription.confirmed_at is None

    deliver()

    [confirmation] = inbox.to(ANA)
    assert confirmation["Subject"].startswith("Please confirm")
    assert "Ferry timetable changes" in text_of(confirmation)
    assert "/mail/confirm/" in html_of(confirmation)
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_box_no_subscription_and_no_mail(client, story, inbox):
    post(client, story)
    deliver()
    assert db.session.scalars(select(ReplySubscription)).all() == []
    assert inbox.messages == []


def test_unconfirmed_address_gets_no_reply_notice(client, story, inbox):
    comment = subscribe(client, story)
    deliver()
    inbox.clear()
    reply(client, story, comment)
    deliver()
    assert inbox.to(ANA) == []


def test_confirm_link_asks_first_then_confirms_on_post(client, story, inbox):
    subscribe(client, story)
    deliver()
    path = link_to(inbox.to(ANA)[0], "/mail/confirm/")
    other = client.application.test_client()

    page = other.get(path)
    assert page.status_code == 200 and "Yes, email me replies" in page.get_data(as_text=True)
    subscription = db.session.scalar(select(ReplySubscription))
    assert subscription.confirmed_at is None  # a mail scanner's GET confirms nothing

    assert other.post(path).status_code == 200
    db.session.refresh(subscription)
    assert subscription.confirmed_at is not None
    assert other.get(path).status_code == 200  # confirming twice is harmless


def test_confirmed_follower_gets_exactly_one_email_per_approved_reply(client, story, inbox):
    comment = confirmed_follower(client, story, inbox)
    answer = reply(client, story, comment, body="Ferries run late on Sundays.")
    deliver()
    deliver()

    [notice] = inbox.to(ANA)
    assert notice["Subject"] == "Ben replied to your comment"
    assert "Ferries run late on Sundays." in text_of(notice)
    assert f"#comment-{answer.id}" in text_of(notice)
    assert "ben@example.org" not in notice.as_string()
    assert inbox.to("ben@example.org") == []

    # Approved again after a detour through spam: still the one email.
    set_status(answer, "spam")
    set_status(answer, "approved")
    db.session.commit()
    deliver()
    assert len(inbox.to(ANA)) == 1


def test_pending_reply_is_notified_only_once_approved(app, client, story, inbox):
    comment = confirmed_follower(client, story, inbox)
    app.config["COMMENT_MODERATION"] = "all"
    answer = reply(client, story, comment)
    assert answer.status == "pending"
    deliver()
    assert inbox.to(ANA) == []

    set_status(answer, "approved")
    db.session.commit()
    deliver()
    assert len(inbox.to(ANA)) == 1


def test_spam_replies_are_never_notified(app, client, story, inbox):
    comment = confirmed_follower(client, story, inbox)
    reply(client, story, comment, nickname="bot filled this")  # the honeypot
    app.config["COMMENT_MODERATION"] = "all"
    held = reply(client, story, comment, body="buy now")
    set_status(held, "spam")
    db.session.commit()
    deliver()
    assert [c.status for c in stored()[-2:]] == ["spam", "spam"]
    assert inbox.to(ANA) == []


def test_answering_yourself_sends_no_email(client, story, inbox):
    comment = confirmed_follower(client, story, inbox)
    reply(client, story, comment, name="Ana", email="ANA@example.org")
    deliver()
    assert inbox.to(ANA) == []


def test_a_confirmed_address_needs_no_second_confirmation(client, story, inbox):
    confirmed_follower(client, story, inbox)
    subscribe(client, story, body="Another comment of mine")
    deliver()
    assert inbox.to(ANA) == []
    assert all(s.confirmed_at for s in db.session.scalars(select(ReplySubscription)))


def test_one_confirmation_a_day_confirms_every_waiting_subscription(client, story, inbox):
    first = subscribe(client, story, body="First")
    second = subscribe(client, story, body="Second")
    deliver()
    [confirmation] = inbox.to(ANA)
    assert client.post(link_to(confirmation, "/mail/confirm/")).status_code == 200
    inbox.clear()
    reply(client, story, first)
    reply(client, story, second, body="Another reply.")
    deliver()
    assert len(inbox.to(ANA)) == 2


def test_one_click_unsubscribe_needs_no_login_and_no_form_token(app, client, story, inbox):
    comment = confirmed_follower(client, story, inbox)
    reply(client, story, comment)
    deliver()
    [notice] = inbox.to(ANA)
    app.config["WTF_CSRF_ENABLED"] = True

    mail_client = app.test_client()  # what a mail provider does for RFC 8058
    response = mail_client.post(
        unsubscribe_path(notice),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "no more emails about replies" in response.get_data(as_text=True)
    assert db.session.scalars(select(ReplySubscription)).all() == []
    app.config["WTF_CSRF_ENABLED"] = False
    inbox.clear()
    reply(client, story, comment, body="Anyone there?")
    deliver()
    assert inbox.to(ANA) == []


def test_unsubscribe_link_opened_in_a_browser_asks_first(client, story, inbox):
    comment = confirmed_follower(client, story, inbox)
    reply(client, story, comment)
    deliver()
    path = unsubscribe_path(inbox.to(ANA)[0])
    assert link_to(inbox.to(ANA)[0], "/mail/unsubscribe/") == path  # also in the text
    page = client.get(path)
    assert page.status_code == 200 and '<button type="submit">Unsubscribe</button>' in (
        page.get_data(as_text=True)
    )
    assert len(db.session.scalars(select(ReplySubscription)).all()) == 1


def test_unsubscribing_from_a_confirmation_stops_all_mail_to_the_address(client, story, inbox):
    comment = subscribe(client, story)
    deliver()
    [confirmation] = inbox.to(ANA)
    assert client.post(unsubscribe_path(confirmation)).status_code == 200
    # Even if the confirmation link is pressed afterwards, the address hears nothing more.
    client.post(link_to(confirmation, "/mail/confirm/"))
    inbox.clear()
    reply(client, story, comment)
    deliver()
    assert inbox.to(ANA) == []
    assert db.session.scalar(select(MailSuppression.email_hash)) == mail.address_hash(ANA)


def test_a_forged_unsubscribe_link_is_refused(client, story, inbox):
    confirmed_follower(client, story, inbox)
    forged = "/mail/unsubscribe/eyJlIjoiYW5hQGV4YW1wbGUub3JnIn0.forged"  # {"e": ana's address}
    assert client.post(forged).status_code == 404
    assert len(db.session.scalars(select(ReplySubscription)).all()) == 1


def test_reply_notices_are_capped_per_address(app, client, story, inbox):
    app.config["MAIL_RATE_CAP_PER_HOUR"] = 3
    comment = confirmed_follower(client, story, inbox)  # the confirmation counts too
    for i in range(4):
        reply(client, story, comment, body=f"Reply {i}")
    deliver()
    assert len(inbox.to(ANA)) == 2
